// Shared helpers of the datasource tests: build a driver against the fake cloud, record what it
// publishes, compare tables regardless of row order.
import type { Row, TableDelta } from '../../../src/bus/json';
import type { Driver, DriverDefinition, TableDataStore } from '../../../src/services/datasources';
import { silentLogger } from '../../../src/services/datasources';
import { toCongress, type NativeValue } from '../../../src/services/datasources/translation/values';

/** Fast retries so fault tests stay short. */
export const FAST_HTTP = { retryDelaysMs: [20, 40], jitter: 0 } as const;

/** A sink that keeps every delta it is handed, per table. */
export class RecordingSink {
  readonly deltas: { table: string; delta: TableDelta }[] = [];

  async publishDelta(table: string, delta: TableDelta): Promise<void> {
    this.deltas.push({ table, delta });
  }

  /** Deltas recorded since the last call, sorted for comparison. */
  take(): Record<string, { add: Row[]; del: Row[] }> {
    const out: Record<string, { add: Row[]; del: Row[] }> = {};
    for (const { table, delta } of this.deltas.splice(0)) {
      const t = (out[table] ??= { add: [], del: [] });
      t.add.push(...delta.add);
      t.del.push(...delta.del);
    }
    for (const t of Object.values(out)) {
      t.add = sortRows(t.add);
      t.del = sortRows(t.del);
    }
    return out;
  }
}

/** Rows in a canonical order. */
export function sortRows(rows: readonly Row[]): Row[] {
  return [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));
}

/** Native expected rows (as the spec prints them) in their published form. */
export function congress(rows: readonly (readonly NativeValue[])[]): Row[] {
  return sortRows(rows.map((r) => r.map(toCongress)));
}

/** Every table of a driver, rows sorted. */
export function tablesOf(driver: Driver): Record<string, Row[]> {
  const out: Record<string, Row[]> = {};
  for (const t of driver.schema()) out[t.name] = sortRows(driver.rows(t.name));
  return out;
}

/** Builds and starts a driver with a recording sink. */
export async function startDriver(
  definition: DriverDefinition,
  config: Record<string, unknown>,
  extra: { name?: string; id?: string; tableData?: TableDataStore; now?: () => Date } = {},
): Promise<{ driver: Driver; sink: RecordingSink }> {
  const driver = definition.create({
    name: extra.name ?? definition.id,
    id: extra.id ?? '00000000-0000-4000-8000-000000000001',
    config,
    logger: silentLogger,
    http: FAST_HTTP,
    tableData: extra.tableData,
    now: extra.now,
  });
  await driver.init();
  const sink = new RecordingSink();
  await driver.start(sink);
  return { driver, sink };
}

/** An in-memory `TableDataStore`. */
export class MemoryTableData implements TableDataStore {
  readonly data = new Map<string, Map<string, unknown[][]>>();

  async listTableData(datasourceId: string): Promise<Map<string, unknown[][]>> {
    return new Map(this.data.get(datasourceId) ?? []);
  }

  async putTableData(datasourceId: string, table: string, rows: readonly (readonly unknown[])[]): Promise<void> {
    const ds = this.data.get(datasourceId) ?? new Map<string, unknown[][]>();
    ds.set(table, rows.map((r) => [...r]));
    this.data.set(datasourceId, ds);
  }

  async deleteTableData(datasourceId: string, table?: string): Promise<number> {
    const ds = this.data.get(datasourceId);
    if (ds === undefined) return 0;
    if (table === undefined) {
      this.data.delete(datasourceId);
      return ds.size;
    }
    return ds.delete(table) ? 1 : 0;
  }
}

/**
 * The `config` map of the original's driver info for the common OpenStack options, in its order
 * (recorded from the original). `api_version` is inserted before `lazy_tables` by the drivers that
 * have it.
 */
export function openstackConfigMarkers(extra: { apiVersion?: boolean } = {}): Record<string, string> {
  return {
    auth_url: 'required',
    endpoint: '(optional)',
    region: '(optional)',
    username: 'required',
    password: 'required',
    user_domain_name: '(optional)',
    project_domain_name: '(optional)',
    tenant_name: '(optional)',
    project_name: 'required',
    poll_time: '(optional)',
    ...(extra.apiVersion === true ? { api_version: '(optional)' } : {}),
    lazy_tables: '(optional)',
  };
}

/** Builds and starts a driver, and waits for its first poll. */
export async function startPolled(definition: DriverDefinition, config: Record<string, unknown>): ReturnType<typeof startDriver> {
  const started = await startDriver(definition, config);
  await started.driver.refreshAndWait();
  return started;
}

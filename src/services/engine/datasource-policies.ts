/**
 * One `datasource` policy in the engine per stored datasource (ha.md §4.2 step 3): created as
 * soon as the row is seen, so rules naming `ds:table` load and the engine subscribes even while
 * the datasource node is down; its schema is installed once the datasource service answers
 * `get_datasource_schema`. Policies of datasources no longer stored are deleted.
 */
import type { DseNode } from '../../bus';
import { isRecord } from '../../bus/json';
import type { ColumnSpec } from '../../datalog/compile/schema';
import type { Runtime } from '../../datalog/runtime/runtime';
import type { PolicyStore } from '../../db';
import { DS_SERVICE_METHODS } from './datasource-rpc';
import { type EngineLogger, silentLogger } from './logger';

/** The part of a bus node the sync needs. */
export type SchemaSource = Pick<DseNode, 'call' | 'serviceHosts'>;

/** A datasource schema as the engine installs it: columns by table. */
export type DatasourceSchema = Record<string, ColumnSpec[]>;

/**
 * Reads `{tables: [{table_id, columns: [name | {name, description}]}]}` (the API's schema shape);
 * null when the answer has another shape.
 */
export function parseSchema(answer: unknown): DatasourceSchema | null {
  if (!isRecord(answer) || !Array.isArray(answer.tables)) return null;
  const schema: DatasourceSchema = {};
  for (const t of answer.tables) {
    if (!isRecord(t) || typeof t.table_id !== 'string' || !Array.isArray(t.columns)) return null;
    const columns: ColumnSpec[] = [];
    for (const c of t.columns) {
      if (typeof c === 'string') columns.push(c);
      else if (isRecord(c) && typeof c.name === 'string') columns.push({ name: c.name, desc: typeof c.description === 'string' ? c.description : '' });
      else return null;
    }
    schema[t.table_id] = columns;
  }
  return schema;
}

/** What one pass changed. */
export interface PolicySyncReport {
  readonly created: readonly string[];
  readonly deleted: readonly string[];
  readonly schemasInstalled: readonly string[];
}

/** Keeps the engine's datasource policies equal to the stored datasources. */
export class DatasourcePolicies {
  private readonly log: EngineLogger;
  private readonly schemaTimeoutMs: number;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Pick<PolicyStore, 'listDatasources'>,
    private readonly runtime: Runtime,
    private readonly bus: SchemaSource,
    options: { readonly logger?: EngineLogger; readonly schemaTimeoutMs?: number } = {},
  ) {
    this.log = options.logger ?? silentLogger;
    this.schemaTimeoutMs = options.schemaTimeoutMs ?? 5000;
  }

  /** One pass; passes run one after the other. */
  sync(): Promise<PolicySyncReport> {
    const run = this.queue.then(() => this.pass());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async pass(): Promise<PolicySyncReport> {
    const rows = await this.store.listDatasources();
    const created: string[] = [];
    const deleted: string[] = [];
    const schemasInstalled: string[] = [];
    const hosts = this.bus.serviceHosts();
    for (const row of rows) {
      let existing = this.runtime.getPolicy(row.name);
      if (existing?.mirror === true && existing.id !== row.id) {
        // Deleted and created again under the same name: the old schema and rows are not its own.
        this.runtime.deletePolicy(row.name);
        deleted.push(row.name);
        existing = undefined;
      }
      if (existing === undefined) {
        this.runtime.createPolicy(row.name, { kind: 'datasource', id: row.id, mirror: true });
        created.push(row.name);
      } else if (!existing.mirror) {
        this.log.error(`datasource ${row.name} has the name of a ${existing.kind} policy: its tables are not followed`);
        continue;
      }
      const policy = this.runtime.getPolicy(row.name);
      if (policy === undefined || policy.schemaSet || !row.enabled || (hosts[row.name] ?? []).length === 0) continue;
      if (await this.installSchema(row.name)) schemasInstalled.push(row.name);
    }
    const stored = new Set(rows.map((r) => r.name));
    for (const name of this.runtime.policyNames()) {
      if (stored.has(name) || this.runtime.getPolicy(name)?.mirror !== true) continue;
      this.runtime.deletePolicy(name);
      deleted.push(name);
    }
    if (created.length + deleted.length + schemasInstalled.length > 0) {
      this.log.info('datasource policies synchronised', { created, deleted, schemasInstalled });
    }
    return { created, deleted, schemasInstalled };
  }

  private async installSchema(name: string): Promise<boolean> {
    let answer: unknown;
    try {
      answer = await this.bus.call(name, DS_SERVICE_METHODS.getSchema, {}, { timeoutMs: this.schemaTimeoutMs });
    } catch (err) {
      this.log.warn(`schema of datasource ${name} not available yet: ${(err as Error).message}`);
      return false;
    }
    const schema = parseSchema(answer);
    if (schema === null) {
      this.log.error(`datasource ${name} answered ${DS_SERVICE_METHODS.getSchema} with an unexpected shape`);
      return false;
    }
    const policy = this.runtime.getPolicy(name);
    if (policy === undefined || policy.schemaSet) return false;
    this.runtime.setSchema(name, schema);
    return true;
  }
}

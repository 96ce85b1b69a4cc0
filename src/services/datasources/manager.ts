/**
 * The datasource manager (`_ds_manager`) of the node that hosts datasources: validates and
 * creates datasources (the driver is built before anything is stored, so a datasource that
 * cannot run is rejected and leaves no row), deletes them with their pushed data, and keeps the
 * running services in line with the database (spec §1.3–§1.5).
 */
import { randomUUID } from 'node:crypto';
import type { DseNode, LocalService } from '../../bus';
import { isRecord } from '../../bus/json';
import type { DatasourceConfig, DatasourceRecord, PolicyStore } from '../../db';
import { DuplicateError } from '../../db/errors';
import { parseDatasourceBody, type NewDatasourceBody } from './datasource-body';
import { DatasourceService } from './datasource-service';
import { DriverRegistry } from './drivers';
import { DatasourceError, errors, messageOf } from './errors';
import { checkConfigKeys } from './framework/config';
import type { Driver, DriverDefinition } from './framework/driver';
import { silentLogger, type DatasourceLogger } from './logger';
import { datasourceDict, type DatasourceDict } from './masking';
import type { HttpOptions } from './openstack/http';
import type { TableSchema } from './translation/schema';

/** Service id of the manager on the bus. */
export const MANAGER_SERVICE = '_ds_manager';

/** RPC methods of `_ds_manager`. */
export const MANAGER_METHODS = {
  /** `{body}` → the created datasource dict (secrets masked). */
  addDatasource: 'add_datasource',
  /** `{id}` (name or id) → the deleted datasource dict; 404 if unknown. */
  deleteDatasource: 'delete_datasource',
  /** `{}` → the synchronizer's report. */
  synchronize: 'synchronize',
} as const;

/** Called after a datasource was created or deleted (the server mirrors it as an engine policy). */
export interface DatasourceHooks {
  created?(datasource: DatasourceRecord, schema: readonly TableSchema[]): Promise<void> | void;
  deleted?(datasource: DatasourceRecord): Promise<void> | void;
}

/** Settings of the manager. */
export interface DatasourceManagerOptions {
  readonly node: DseNode;
  readonly store: PolicyStore;
  readonly registry?: DriverRegistry;
  readonly logger?: DatasourceLogger;
  /** Upstream HTTP tuning handed to every driver. */
  readonly http?: HttpOptions;
  /** `datasource_sync_period` in ms (default 60 000; 0 disables the periodic pass). */
  readonly syncPeriodMs?: number;
  readonly hooks?: DatasourceHooks;
  /**
   * `[DEFAULT] delete_missing_driver_datasources`: at start, delete the stored datasources (with
   * their pushed data) whose driver is not in the registry (unknown or disabled).
   */
  readonly deleteMissingDrivers?: boolean;
}

/** What one synchronizer pass did. */
export interface SyncReport {
  readonly started: string[];
  readonly stopped: string[];
  /** Datasources that could not be started, with the reason. */
  readonly failed: Record<string, string>;
}

function parseBody(body: unknown, registry: DriverRegistry): { spec: NewDatasourceBody; definition: DriverDefinition } {
  const spec = parseDatasourceBody(body, (driver) => registry.get(driver) !== undefined);
  const definition = registry.get(spec.driver);
  // The schema checked the driver against this registry; this only narrows the type.
  if (definition === undefined) throw errors.invalidDriver(spec.driver);
  return { spec, definition };
}

/** Hosts `_ds_manager` and one service per enabled datasource. */
export class DatasourceManager {
  /** The drivers this manager can build. */
  readonly registry: DriverRegistry;
  private readonly node: DseNode;
  private readonly store: PolicyStore;
  private readonly log: DatasourceLogger;
  private readonly services = new Map<string, DatasourceService>();
  private local: LocalService | null = null;
  private timer: NodeJS.Timeout | undefined;
  /** Creations, deletions and sync passes run one at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: DatasourceManagerOptions) {
    this.node = options.node;
    this.store = options.store;
    this.registry = options.registry ?? new DriverRegistry();
    this.log = options.logger ?? silentLogger;
  }

  /** Registers `_ds_manager`, starts every enabled stored datasource, and the periodic sync. */
  async start(): Promise<SyncReport> {
    this.local = await this.node.register({
      id: MANAGER_SERVICE,
      methods: {
        [MANAGER_METHODS.addDatasource]: (args) => this.createDatasource(isRecord(args) ? args.body : undefined),
        [MANAGER_METHODS.deleteDatasource]: async (args) => {
          const id = isRecord(args) && typeof args.id === 'string' ? args.id : '';
          const deleted = await this.deleteDatasource(id);
          if (deleted === null) throw errors.datasourceNotFound(id);
          return deleted;
        },
        [MANAGER_METHODS.synchronize]: () => this.synchronize(),
      },
    });
    if (this.options.deleteMissingDrivers === true) await this.deleteMissingDriverDatasources();
    const report = await this.synchronize();
    const period = this.options.syncPeriodMs ?? 60_000;
    if (period > 0) {
      this.timer = setInterval(() => void this.synchronize().catch((e: unknown) => this.log.error('datasource sync failed', { error: messageOf(e) })), period);
      this.timer.unref();
    }
    return report;
  }

  private async deleteMissingDriverDatasources(): Promise<void> {
    let removed = 0;
    for (const row of await this.store.listDatasources()) {
      if (row.driver !== null && this.registry.get(row.driver) !== undefined) continue;
      if ((await this.deleteDatasource(row.id)) === null) continue;
      removed++;
      this.log.warn('datasource deleted: its driver is not installed or is disabled (delete_missing_driver_datasources)', { datasource: row.name, driver: row.driver });
    }
    this.log.info('datasource cleanup completed', { removed });
  }

  /** Stops every datasource service and leaves the bus. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.serial(async () => {
      for (const s of [...this.services.values()]) await this.stopService(s);
      await this.local?.unregister();
      this.local = null;
    });
  }

  /** The running service of a datasource (by name), if hosted here. */
  service(name: string): DatasourceService | undefined {
    return this.services.get(name);
  }

  /** Names of the datasources running here. */
  running(): string[] {
    return [...this.services.keys()].sort();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private build(definition: DriverDefinition, name: string, id: string, config: DatasourceConfig | null): Driver {
    checkConfigKeys(definition.options, config ?? {});
    try {
      return definition.create({ name, id, config: config ?? {}, logger: this.log, tableData: this.store, http: this.options.http });
    } catch (error) {
      if (error instanceof DatasourceError) throw error;
      throw errors.invalidValue(`Datasource ${name} cannot be built: ${messageOf(error)}`);
    }
  }

  /**
   * Validates a create request, builds its driver, stores the row and starts the service. Any
   * failure leaves no row behind. Returns the datasource dict with secrets masked.
   */
  createDatasource(body: unknown): Promise<DatasourceDict> {
    return this.serial(async () => {
      const { spec, definition } = parseBody(body, this.registry);
      if (spec.config !== null && spec.config.project_name === undefined && spec.config.tenant_name !== undefined) {
        this.log.warn('tenant_name is deprecated; use project_name', { datasource: spec.name });
      }
      const { id: clientId, ...fields } = spec;
      const id = clientId ?? randomUUID();
      const driver = this.build(definition, spec.name, id, spec.config);
      let record: DatasourceRecord;
      try {
        record = await this.store.createDatasource({ id, ...fields, secretFields: this.registry.secrets(spec.driver) });
      } catch (error) {
        // A client's id that is taken is reported as the name, as the original does.
        if (error instanceof DuplicateError) throw errors.nameInUse(spec.name);
        throw errors.creationFails(spec.name, messageOf(error));
      }
      if (record.enabled) {
        try {
          await this.startService(record, driver);
        } catch (error) {
          this.log.error('datasource service failed to start; creation undone', { datasource: spec.name, error: messageOf(error) });
          await this.store.deleteDatasource(id).catch(() => undefined);
          throw errors.creationFails(spec.name, messageOf(error));
        }
      }
      await this.options.hooks?.created?.(record, driver.schema());
      return datasourceDict(record, this.registry.secrets(record.driver));
    });
  }

  /** Deletes a datasource (name first, then id) and its pushed data, and stops its service. */
  deleteDatasource(nameOrId: string): Promise<DatasourceDict | null> {
    return this.serial(async () => {
      const deleted = await this.store.transaction(async (tx) => {
        const d = await tx.deleteDatasource(nameOrId);
        if (d !== null) await tx.deleteTableData(d.id);
        return d;
      });
      if (deleted === null) return null;
      const s = this.services.get(deleted.name);
      if (s !== undefined && s.id === deleted.id) await this.stopService(s);
      await this.options.hooks?.deleted?.(deleted);
      return datasourceDict(deleted, this.registry.secrets(deleted.driver));
    });
  }

  /**
   * One synchronizer pass: starts enabled datasources that are not running, stops services whose
   * row is gone, disabled or replaced. A datasource that fails to start is reported and the pass
   * goes on.
   */
  synchronize(): Promise<SyncReport> {
    return this.serial(async () => {
      const rows = await this.store.listDatasources();
      const wanted = new Map(rows.filter((r) => r.enabled).map((r) => [r.name, r]));
      const started: string[] = [];
      const stopped: string[] = [];
      const failed: Record<string, string> = {};
      for (const s of [...this.services.values()]) {
        if (wanted.get(s.name)?.id !== s.id) {
          await this.stopService(s);
          stopped.push(s.name);
        }
      }
      for (const record of wanted.values()) {
        if (this.services.has(record.name)) continue;
        try {
          const definition = record.driver === null ? undefined : this.registry.get(record.driver);
          if (definition === undefined) throw errors.invalidDriver(record.driver ?? 'None');
          await this.startService(record, this.build(definition, record.name, record.id, record.config));
          started.push(record.name);
        } catch (error) {
          failed[record.name] = messageOf(error);
          this.log.error('datasource could not be started', { datasource: record.name, error: messageOf(error) });
        }
      }
      return { started, stopped, failed };
    });
  }

  private async startService(record: DatasourceRecord, driver: Driver): Promise<void> {
    await driver.init();
    const service = await DatasourceService.start(this.node, record.name, record.id, driver, this.log);
    this.services.set(record.name, service);
  }

  private async stopService(service: DatasourceService): Promise<void> {
    this.services.delete(service.name);
    await service.stop().catch((e: unknown) => this.log.warn('datasource service did not stop cleanly', { datasource: service.name, error: messageOf(e) }));
  }
}

/**
 * What every driver is: a definition (driver info, options, class-level schema, a factory) and
 * instances built from a datasource's config. `BaseDriver` holds what polling and push drivers
 * share: the tables, publishing of deltas, status counters, schema and the action catalogue.
 */
import type { Row, TableDelta } from '../../../bus/json';
import type { DatasourceConfig, PolicyStore } from '../../../db';
import { DatasourceError, errors, messageOf } from '../errors';
import type { DatasourceLogger } from '../logger';
import type { HttpOptions } from '../openstack/http';
import { schemaOf, type TableSchema } from '../translation/schema';
import { RootTranslator, type Translation, type TranslationMode } from '../translation/translate';
import type { TableTranslator } from '../translation/translator';
import { validateTranslators } from '../translation/validate';
import { rowToCongressInPlace, type NativeValue } from '../translation/values';
import { ActionHistory, describeActions, type ActionArgs, type ActionDescription, type ActionOutcome, type ActionSpec } from './actions';
import type { ConfigOption } from './config';
import { StatusCounters, pythonDatetime, type DatasourceStatus } from './status';
import { TableState, type TableReplacement } from './table-state';

/** Where a driver's table changes go (the bus service wraps `LocalService.publishDelta`). */
export interface TableSink {
  publishDelta(table: string, delta: TableDelta): Promise<unknown>;
}

/** Persisted push data: the part of the `PolicyStore` push drivers use. */
export type TableDataStore = Pick<PolicyStore, 'listTableData' | 'putTableData' | 'deleteTableData'>;

/** Everything a driver instance is built from. */
export interface DriverContext {
  /** Datasource name: the service id and the policy name. */
  readonly name: string;
  /** Datasource id (UUID). */
  readonly id: string;
  /** The datasource's config, secrets in clear text; already checked against the options' keys. */
  readonly config: DatasourceConfig;
  readonly logger: DatasourceLogger;
  /** Needed by push drivers with persistence on. */
  readonly tableData?: TableDataStore;
  /** Upstream HTTP tuning (fetch implementation, retry delays) for tests and deployments. */
  readonly http?: HttpOptions;
  /** Clock; tests may fix it. */
  readonly now?: () => Date;
}

/** A driver as the registry knows it: the class-level facts and a factory. */
export interface DriverDefinition {
  readonly id: string;
  readonly description: string;
  readonly options: readonly ConfigOption[];
  /** The tables without an instance; drivers whose tables come from config return `[]` without one. */
  schema(config?: DatasourceConfig): TableSchema[];
  /** Builds an instance; throws `DatasourceError` (400) on an invalid config. Never contacts the upstream. */
  create(context: DriverContext): Driver;
}

/** A running (or ready to run) driver instance. */
export interface Driver {
  readonly kind: 'poll' | 'push';
  schema(): TableSchema[];
  /** Loads persisted state, if any. Called once before `start`. */
  init(): Promise<void>;
  /** Starts publishing to `sink` (and polling, for polling drivers). */
  start(sink: TableSink): Promise<void>;
  /** Stops polling and abandons in-flight upstream calls. */
  stop(): Promise<void>;
  status(subscribers: readonly string[]): DatasourceStatus;
  /** Current rows (normalised); unknown table → 404, lazy table not activated → 400. */
  rows(table: string): Row[];
  /** Asks for a poll now (coalesced); no-op for push drivers. */
  requestRefresh(): void;
  /** Resolves when a poll that starts after this call has finished (push drivers: at once). */
  refreshAndWait(): Promise<void>;
  /** Replaces a root table and its nested tables with a pushed body (push drivers). */
  replaceTable(table: string, body: unknown): Promise<void>;
  /** Webhook notifications (no driver here has them). */
  webhook(body: unknown): Promise<void>;
  /** The action catalogue, sorted by name. */
  actions(): ActionDescription[];
  /** Runs an action; rejects with the upstream error. */
  execute(action: string, args: ActionArgs): Promise<unknown>;
  /** Recent action outcomes. */
  actionHistory(): ActionOutcome[];
  /** Lazy root tables now wanted by a subscriber: fetch them from now on. */
  activateLazyTables(tables: readonly string[]): void;
}

/** Shared machinery of polling and push drivers. */
export abstract class BaseDriver<C = unknown> implements Driver {
  abstract readonly kind: 'poll' | 'push';
  protected readonly state = new TableState();
  protected readonly counters = new StatusCounters();
  protected readonly log: DatasourceLogger;
  protected readonly now: () => Date;
  protected sink: TableSink | null = null;
  /** Compiled root translators by root table name, and the tables each produces. */
  protected readonly roots = new Map<string, { readonly translator: RootTranslator; readonly tables: readonly string[] }>();
  private readonly tableSchemas: TableSchema[];
  private readonly history = new ActionHistory();
  protected readonly abort = new AbortController();

  constructor(
    protected readonly context: DriverContext,
    translators: readonly TableTranslator[],
    private readonly actionSpecs: readonly ActionSpec<C>[] = [],
  ) {
    this.log = context.logger;
    this.now = context.now ?? (() => new Date());
    validateTranslators(translators);
    this.tableSchemas = schemaOf(translators);
    for (const t of translators) {
      const tables = schemaOf([t]).map((s) => s.name);
      this.roots.set(t['table-name'], { translator: new RootTranslator(t), tables });
    }
    for (const s of this.tableSchemas) this.state.declare(s.name);
  }

  /** The upstream client actions run against. */
  protected abstract actionClient(): C;

  schema(): TableSchema[] {
    return this.tableSchemas;
  }

  async init(): Promise<void> {}

  async start(sink: TableSink): Promise<void> {
    this.sink = sink;
  }

  async stop(): Promise<void> {
    this.sink = null;
    this.abort.abort(new Error('datasource stopped'));
  }

  /** Lazy root tables not yet activated (polling drivers override). */
  protected pendingLazyTables(): string[] {
    return [];
  }

  status(subscribers: readonly string[]): DatasourceStatus {
    const c = this.counters;
    return {
      last_updated: c.lastUpdated === null ? 'None' : pythonDatetime(c.lastUpdated),
      last_error: c.lastError ?? 'None',
      number_of_updates: String(c.updates),
      initialized: 'True',
      subscriptions: [],
      subscribers: [...subscribers],
      last_error_at: c.lastErrorAt?.toISOString() ?? null,
      last_success: c.lastSuccess?.toISOString() ?? null,
      consecutive_failures: c.consecutiveFailures,
      row_counts: this.state.counts(),
      table_errors: { ...c.tableErrors },
      skipped_objects: c.skippedObjects,
      lazy_tables: this.pendingLazyTables(),
    };
  }

  rows(table: string): Row[] {
    if (!this.state.has(table)) throw errors.tableNotFound(table, this.context.name);
    if (this.isLazy(table)) throw errors.lazyTable(table);
    return this.state.rows(table);
  }

  /** True for a table of a lazy root not yet activated. */
  protected isLazy(_table: string): boolean {
    return false;
  }

  requestRefresh(): void {}

  async refreshAndWait(): Promise<void> {}

  async replaceTable(_table: string, _body: unknown): Promise<void> {
    throw errors.notSupported('replace_entire_table_data', this.context.name);
  }

  async webhook(_body: unknown): Promise<void> {
    throw errors.notSupported('process_webhook_notification', this.context.name);
  }

  actions(): ActionDescription[] {
    return describeActions(this.actionSpecs as readonly ActionSpec<unknown>[]);
  }

  actionHistory(): ActionOutcome[] {
    return this.history.list();
  }

  async execute(action: string, args: ActionArgs): Promise<unknown> {
    const spec = this.actionSpecs.find((s) => s.name === action);
    if (spec === undefined) throw errors.unknownAction(action);
    const time = this.now().toISOString();
    try {
      const result = await spec.run(this.actionClient(), args, this.abort.signal);
      this.history.add({ time, action, args, ok: true, error: null });
      this.log.info('action executed', { datasource: this.context.name, action });
      return result ?? null;
    } catch (error) {
      const message = messageOf(error);
      this.history.add({ time, action, args, ok: false, error: message });
      this.log.warn('action failed', { datasource: this.context.name, action, error: message });
      throw error instanceof DatasourceError ? error : new DatasourceError('action_failed', message);
    }
  }

  activateLazyTables(_tables: readonly string[]): void {}

  /**
   * Translates a fetched list of a root and replaces every table the root produces with the
   * rows, then publishes what changed. Tables of the root that got no rows become empty. The
   * rows go into the tables as each object is translated (a poll of 50,000 ports otherwise kept
   * 150,000 rows alive until the end, and the collector copied them); a list that cannot be
   * translated at all changes nothing.
   */
  protected async translateRoot(root: string, data: unknown, mode: TranslationMode): Promise<Omit<Translation, 'tables'> | null> {
    const entry = this.roots.get(root);
    if (entry === undefined) return null;
    const replacements = new Map(entry.tables.map((table): [string, TableReplacement] => [table, this.state.begin(table)]));
    let outcome: Omit<Translation, 'tables'>;
    try {
      // The translation's rows are fresh arrays owned by this call: normalise them in place.
      outcome = entry.translator.convertInto(data, mode, (table, row) => replacements.get(table)?.offer(rowToCongressInPlace(row as NativeValue[])));
    } catch (error) {
      for (const r of replacements.values()) r.abort();
      throw error;
    }
    const changes: [string, TableDelta][] = [];
    for (const [table, replacement] of replacements) {
      const delta = replacement.finish();
      if (delta.add.length > 0 || delta.del.length > 0) changes.push([table, delta]);
    }
    await this.publish(changes);
    return outcome;
  }

  /** Hands changes to the sink; a failing sink is logged (subscribers resync by snapshot). */
  protected async publish(changes: readonly [string, TableDelta][]): Promise<void> {
    const sink = this.sink;
    if (sink === null) return;
    for (const [table, delta] of changes) {
      try {
        await sink.publishDelta(table, delta);
      } catch (error) {
        this.log.warn('publish failed', { datasource: this.context.name, table, error: messageOf(error) });
      }
    }
  }

  /** Every table's full current rows as changes from empty (used to seed a new sink). */
  protected currentContents(): [string, TableDelta][] {
    return this.state.names().map((t): [string, TableDelta] => [t, { add: this.state.rows(t), del: [] }]).filter(([, d]) => d.add.length > 0);
  }
}

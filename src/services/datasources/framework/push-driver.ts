/**
 * Push drivers (spec §3): external systems replace whole root tables through the API. With
 * persistence on, every table a replace touches is stored before the in-memory swap (so a failed
 * write changes nothing) and restored when the datasource is built again.
 */
import type { Row, TableDelta } from '../../../bus/json';
import { errors, messageOf } from '../errors';
import { TranslationError, type TableRows } from '../translation/translate';
import type { TableTranslator } from '../translation/translator';
import { rowToCongress, type NativeValue } from '../translation/values';
import { BaseDriver, type DriverContext, type TableSink } from './driver';

/** A driver whose tables are pushed to it. */
export abstract class PushDriver extends BaseDriver<null> {
  readonly kind = 'push' as const;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    context: DriverContext,
    translators: readonly TableTranslator[],
    /** Store pushed tables and restore them on restart. */
    protected readonly persist: boolean,
  ) {
    super(context, translators);
    if (persist && context.tableData === undefined) throw errors.invalidValue('persist_data needs a database (no table store given)');
  }

  protected actionClient(): null {
    return null;
  }

  override async init(): Promise<void> {
    const store = this.context.tableData;
    if (!this.persist || store === undefined) return;
    const stored = await store.listTableData(this.context.id);
    for (const [table, rows] of stored) {
      if (!this.state.has(table)) continue;
      this.state.replace(table, rows.map((r) => rowToCongress(r as NativeValue[])));
    }
  }

  override async start(sink: TableSink): Promise<void> {
    await super.start(sink);
    // Restored rows seed the publisher, so subscribers get them in their first snapshot.
    await this.publish(this.currentContents());
  }

  /** Translates a pushed body into the rows of the root and its nested tables. */
  protected translateBody(table: string, body: unknown): TableRows {
    const entry = this.roots.get(table);
    if (entry === undefined) throw errors.notInDriver(table);
    if (!Array.isArray(body)) throw errors.badPush(`the rows of ${table} must be a JSON array`);
    try {
      return entry.translator.convert(body, 'strict').tables;
    } catch (error) {
      if (error instanceof TranslationError) throw errors.badPush(error.message);
      throw errors.badPush(messageOf(error));
    }
  }

  override replaceTable(table: string, body: unknown): Promise<void> {
    return this.serialized(() => this.replaceNow(table, body));
  }

  /** Runs `fn` after every earlier replace, so the stored and published order is the order received. */
  protected serialized(fn: () => Promise<void>): Promise<void> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async replaceNow(table: string, body: unknown): Promise<void> {
    const translated = this.translateBody(table, body);
    const tables = this.roots.get(table)?.tables ?? [];
    await this.applyTables(tables.map((t): [string, Row[]] => [t, (translated.get(t) ?? []).map(rowToCongress)]));
  }

  /** Stores (when persisting), swaps in and publishes whole new contents of the given tables. */
  protected async applyTables(next: readonly [string, Row[]][]): Promise<void> {
    const store = this.context.tableData;
    if (this.persist && store !== undefined) {
      for (const [t, rows] of next) await store.putTableData(this.context.id, t, rows);
    }
    const changes: [string, TableDelta][] = [];
    for (const [t, rows] of next) {
      const delta = this.state.replace(t, rows);
      if (delta.add.length > 0 || delta.del.length > 0) changes.push([t, delta]);
    }
    this.counters.record(this.now(), {}, 0);
    await this.publish(changes);
  }
}

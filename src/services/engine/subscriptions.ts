/**
 * The engine follows exactly the datasource tables its rules read: every body literal
 * `ds:table` whose `ds` is a datasource policy. After any change of rules or datasource policies
 * `refresh()` subscribes to tables newly used and drops tables no rule uses any more. Snapshots
 * replace a table (`initializeTables`), deltas go through the update pipeline (`applyDelta`,
 * deletions first). Ordering, gaps and resync are the bus's job (`src/bus/table-subscription.ts`).
 */
import type { DseNode, Row, Subscription, TableUpdate } from '../../bus';
import type { Tuple } from '../../datalog/eval/relation';
import type { Runtime } from '../../datalog/runtime/runtime';
import { cellValue } from '../common/number-cell';
import { ENGINE_SERVICE } from './datasource-rpc';
import { type EngineLogger, silentLogger } from './logger';

/** The part of a bus node subscriptions need. */
export type TableSource = Pick<DseNode, 'subscribe'>;

/** One datasource table the engine uses. */
export interface UsedTable {
  readonly datasource: string;
  readonly table: string;
}

/** What the subscriptions report for readiness and status output. */
export interface SubscriptionsStatus {
  /** Tables subscribed to. */
  readonly tables: number;
  /** Tables whose first snapshot has been applied and which are followed without a known gap. */
  readonly synced: number;
  /** Tables whose publisher is not on the bus right now. */
  readonly waitingForPublisher: number;
  /** Tables neither synced nor waiting for an absent publisher: an initial snapshot is still due. */
  readonly pending: readonly string[];
}

function key(t: UsedTable): string {
  return `${t.datasource}:${t.table}`;
}

function toTuple(row: Row): Tuple {
  return row.map(cellValue);
}

/** The datasource tables the rules of every policy read, sorted by `ds:table`. */
export function usedDatasourceTables(runtime: Runtime): UsedTable[] {
  const used: [string, UsedTable][] = [];
  // Read after every rule write: the runtime's dependency graph answers it without visiting
  // every rule, so a write costs the same however many rules are stored.
  for (const node of runtime.readTables()) {
    const i = node.indexOf(':');
    const datasource = node.slice(0, i);
    const table = node.slice(i + 1);
    // `___` prefixes are the engine's internal tables, as in the original.
    if (table.startsWith('___')) continue;
    if (runtime.getPolicy(datasource)?.mirror !== true) continue;
    used.push([node, { datasource, table }]);
  }
  return used.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, t]) => t);
}

/** The engine's subscriptions to datasource tables. */
export class DatasourceSubscriptions {
  private readonly live = new Map<string, Subscription>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly log: EngineLogger;
  private readonly subscriber: string;

  constructor(
    private readonly bus: TableSource,
    private readonly runtime: Runtime,
    options: { readonly logger?: EngineLogger; readonly subscriber?: string } = {},
  ) {
    this.log = options.logger ?? silentLogger;
    this.subscriber = options.subscriber ?? ENGINE_SERVICE;
  }

  /**
   * Brings the subscriptions in line with the rules; calls run one after the other. Tables of
   * the datasources in `reset` (policies created anew) are subscribed to afresh, so that they
   * start from a snapshot.
   */
  refresh(reset: readonly string[] = []): Promise<void> {
    const run = this.queue.then(() => this.reconcile(new Set(reset)));
    this.queue = run.catch((err: unknown) => {
      this.log.error(`table subscriptions not updated: ${(err as Error).message}`);
    });
    return run;
  }

  /** The tables subscribed to, as `ds:table`. */
  tables(): string[] {
    return [...this.live.keys()].sort();
  }

  /** Counts for readiness. */
  status(): SubscriptionsStatus {
    let synced = 0;
    let waiting = 0;
    const pending: string[] = [];
    for (const [name, sub] of this.live) {
      const s = sub.state();
      if (s.synced) synced++;
      else if (s.waitingForPublisher) waiting++;
      else pending.push(name);
    }
    return { tables: this.live.size, synced, waitingForPublisher: waiting, pending: pending.sort() };
  }

  /** Resolves when every current subscription is in sync; rejects after `timeoutMs`. */
  async synced(timeoutMs = 10_000): Promise<void> {
    await this.queue;
    await Promise.all([...this.live.values()].map((s) => s.synced(timeoutMs)));
  }

  /** Drops every subscription; later refreshes do nothing. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    const subs = [...this.live.values()];
    this.live.clear();
    await Promise.all(subs.map((s) => s.unsubscribe().catch(() => undefined)));
  }

  private async reconcile(reset: ReadonlySet<string>): Promise<void> {
    if (this.closed) return;
    const wanted = new Map(usedDatasourceTables(this.runtime).map((t) => [key(t), t]));
    for (const [name, sub] of [...this.live]) {
      if (wanted.has(name) && !reset.has(sub.publisher)) continue;
      this.live.delete(name);
      await sub.unsubscribe();
      this.log.info(`unsubscribed from ${name}`);
    }
    for (const [name, t] of wanted) {
      if (this.live.has(name)) continue;
      const sub = await this.bus.subscribe({
        subscriber: this.subscriber,
        publisher: t.datasource,
        table: t.table,
        onUpdate: (update) => this.apply(update),
      });
      this.live.set(name, sub);
      this.log.info(`subscribed to ${name}`);
    }
  }

  /** Hands one update to the engine; a throw makes the bus resync the table by snapshot. */
  private apply(update: TableUpdate): void {
    const { publisher: ds, table } = update;
    // A datasource deleted meanwhile: its subscription is about to be dropped.
    if (this.runtime.getPolicy(ds)?.mirror !== true) return;
    if (update.kind === 'snapshot') {
      this.runtime.initializeTables(ds, [table], update.rows.map((row) => ({ table, row: toTuple(row) })));
      return;
    }
    this.runtime.applyDelta(ds, table, update.add.map(toTuple), update.del.map(toTuple));
  }
}

// The receiving side of table replication for one subscriber and one (publisher, table).
// A subscriber follows one publisher epoch: it applies deltas numbered exactly one past what it
// has, ignores old numbers, and on anything else (no snapshot yet, a gap, a new epoch, a heartbeat
// showing it is behind, a lost link) fetches a snapshot at once and continues from it. Unlike the
// original it never waits for a later message to notice trouble and never applies a delta as a
// reset, so a table can neither freeze nor keep rows its publisher no longer has.
import { backoffDelay, type BackoffPolicy } from './backoff';
import { BusError } from './errors';
import type { Row } from './json';
import type { BusLogger } from './logger';
import type { SnapshotReply, TableMessage } from './protocol';

/** What a subscriber is handed: a replacement of the whole table, or a change to apply. */
export type TableUpdate =
  | {
      readonly kind: 'snapshot';
      readonly publisher: string;
      readonly table: string;
      readonly epoch: string;
      readonly seq: number;
      readonly rows: Row[];
    }
  | {
      readonly kind: 'delta';
      readonly publisher: string;
      readonly table: string;
      readonly epoch: string;
      readonly seq: number;
      /** Apply deletions first, then additions. */
      readonly del: Row[];
      readonly add: Row[];
    };

/** Why a subscription fetched a snapshot. */
export type ResyncReason =
  | 'subscribed'
  | 'gap'
  | 'new-epoch'
  | 'heartbeat-lag'
  | 'link-restored'
  | 'apply-failed'
  | 'retry';

/** A subscription's progress, for status output and tests. */
export interface SubscriptionState {
  readonly publisher: string;
  readonly table: string;
  readonly subscriber: string;
  /** True once a snapshot was applied and the stream is followed without a known gap. */
  readonly synced: boolean;
  /** True while a snapshot is being fetched or waited for. */
  readonly resyncing: boolean;
  /** True while the publisher is not on the bus; the snapshot is fetched as soon as it appears. */
  readonly waitingForPublisher: boolean;
  readonly epoch: string | null;
  /** Sequence number of the last applied update; -1 before the first snapshot. */
  readonly seq: number;
  /** Publications held back until the next snapshot is applied. */
  readonly pending: number;
  readonly snapshotsApplied: number;
  readonly deltasApplied: number;
  readonly duplicatesIgnored: number;
  readonly gapsSeen: number;
  readonly applyErrors: number;
  /** Resyncs started, by reason. */
  readonly resyncs: Readonly<Partial<Record<ResyncReason, number>>>;
  /** Local clock (ms) of the last applied update, or null. */
  readonly lastAppliedAt: number | null;
}

/** What a subscription needs from its node. */
export interface SubscriptionDeps {
  /** Asks the publisher for its current contents of the table. */
  fetchSnapshot(): Promise<SnapshotReply>;
  /** True when a failed snapshot request means the publisher is not on the bus at all. */
  isPublisherMissing(error: unknown): boolean;
  /**
   * Re-establishes the route of publications to this node. Called when a heartbeat shows the
   * subscriber behind: the route itself may be what was lost (a binding removed in the broker).
   */
  reassertRoute(): void;
  /** Hands an update to the subscriber; a rejection makes the subscription resync. */
  deliver(update: TableUpdate): Promise<void>;
  /** Delays between repeated resync attempts. */
  readonly retry: BackoffPolicy;
  /** How long a heartbeat may show the publisher ahead before the subscription resyncs. */
  readonly lagGraceMs: number;
  readonly log: BusLogger;
}

/** At most this many publications are held back while a snapshot is awaited; older ones are covered by it. */
const MAX_PENDING = 10_000;

/** Receive state of one subscriber for one `(publisher, table)`. */
export class TableSubscription {
  private epoch: string | null = null;
  private seq = -1;
  private following = false;
  private closed = false;
  private pending: TableMessage[] = [];
  private chain: Promise<void> = Promise.resolve();
  private running = false;
  private again = false;
  private attempt = 0;
  private waitingForPublisher = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private lag: { epoch: string; seq: number; since: number } | undefined;
  private waiters: Array<() => void> = [];
  private lastAppliedAt: number | null = null;
  private readonly counters = { snapshots: 0, deltas: 0, duplicates: 0, gaps: 0, applyErrors: 0 };
  private readonly resyncs: Partial<Record<ResyncReason, number>> = {};

  constructor(
    readonly publisher: string,
    readonly table: string,
    readonly subscriber: string,
    private readonly deps: SubscriptionDeps,
  ) {}

  /** Starts following the table: fetches the first snapshot. */
  start(): void {
    this.requestResync('subscribed');
  }

  /** Handles one publication; the promise settles once it has been applied, held back or dropped. */
  receive(message: TableMessage): Promise<void> {
    return this.enqueue(() => this.handle(message));
  }

  /** Forces a snapshot (after a lost link, or when the node has reason to distrust its data). */
  resync(reason: ResyncReason): void {
    this.requestResync(reason);
  }

  /** Compares the publisher's advertised last publication with what was applied. */
  observeMark(epoch: string, seq: number, now: number): void {
    if (this.closed) return;
    if (this.waitingForPublisher) {
      this.publisherAppeared();
      return;
    }
    if (!this.following || this.running) return;
    const behind = (e: string, n: number): boolean => e !== this.epoch || n > this.seq;
    if (!behind(epoch, seq)) {
      this.lag = undefined;
      return;
    }
    if (!this.lag) {
      this.lag = { epoch, seq, since: now };
      return;
    }
    if (now - this.lag.since < this.deps.lagGraceMs) return;
    // Behind the mark seen a grace period ago: that publication was lost, not merely in flight.
    if (this.lag.epoch === epoch && behind(this.lag.epoch, this.lag.seq)) {
      this.lag = undefined;
      this.deps.log.warn('publisher is ahead of what arrived: resyncing and re-binding', this.describe({ seq: this.seq, advertised: seq }));
      this.deps.reassertRoute();
      this.requestResync('heartbeat-lag');
    } else {
      this.lag = { epoch, seq, since: now };
    }
  }

  /** The publisher's service showed up on the bus: fetch at once if waiting for it. */
  publisherAppeared(): void {
    if (this.closed || !this.waitingForPublisher || this.running) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    void this.run();
  }

  /** Resolves once the subscription is synced; rejects after `timeoutMs`. */
  synced(timeoutMs: number): Promise<void> {
    if (this.following && !this.running) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        reject(new BusError('sync_timeout', `${this.publisher}:${this.table} not synced within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(done);
    });
  }

  /** Stops the subscription; nothing is delivered afterwards. */
  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.pending = [];
  }

  /** A snapshot of the subscription's progress. */
  state(): SubscriptionState {
    return {
      publisher: this.publisher,
      table: this.table,
      subscriber: this.subscriber,
      synced: this.following && !this.running,
      resyncing: this.running || this.retryTimer !== undefined,
      waitingForPublisher: this.waitingForPublisher,
      epoch: this.epoch,
      seq: this.seq,
      pending: this.pending.length,
      snapshotsApplied: this.counters.snapshots,
      deltasApplied: this.counters.deltas,
      duplicatesIgnored: this.counters.duplicates,
      gapsSeen: this.counters.gaps,
      applyErrors: this.counters.applyErrors,
      resyncs: { ...this.resyncs },
      lastAppliedAt: this.lastAppliedAt,
    };
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.chain.then(step, step);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async handle(message: TableMessage): Promise<void> {
    if (this.closed) return;
    if (!this.following) {
      this.hold(message);
      if (this.waitingForPublisher) this.publisherAppeared();
      else if (!this.running && this.retryTimer === undefined) this.requestResync('retry');
      return;
    }
    if (message.epoch !== this.epoch) {
      this.hold(message);
      this.requestResync('new-epoch');
      return;
    }
    if (message.seq <= this.seq) {
      this.counters.duplicates += 1;
      return;
    }
    if (message.seq === this.seq + 1) {
      if (await this.applyDelta(message)) this.attempt = 0;
      return;
    }
    this.counters.gaps += 1;
    this.deps.log.info('gap in table stream, resyncing', this.describe({ expected: this.seq + 1, got: message.seq }));
    this.hold(message);
    this.requestResync('gap');
  }

  private hold(message: TableMessage): void {
    this.pending.push(message);
    if (this.pending.length > MAX_PENDING) this.pending.shift();
  }

  private requestResync(reason: ResyncReason): void {
    if (this.closed) return;
    this.following = false;
    this.lag = undefined;
    this.resyncs[reason] = (this.resyncs[reason] ?? 0) + 1;
    if (this.running) {
      // A snapshot already in flight may predate the lost messages; take another one after it.
      if (reason === 'link-restored') this.again = true;
      return;
    }
    if (this.retryTimer !== undefined) return;
    const delay = this.attempt === 0 ? 0 : backoffDelay(this.deps.retry, this.attempt - 1);
    if (delay === 0) void this.run();
    else this.retryTimer = setTimeout(() => void this.run(), delay);
  }

  private async run(): Promise<void> {
    this.retryTimer = undefined;
    if (this.closed || this.running) return;
    this.running = true;
    this.following = false;
    let reply: SnapshotReply;
    try {
      reply = await this.deps.fetchSnapshot();
    } catch (error) {
      this.running = false;
      if (this.closed) return;
      this.waitingForPublisher = this.deps.isPublisherMissing(error);
      this.attempt += 1;
      this.deps.log.info('snapshot request failed, will retry', this.describe({ error: String(error), attempt: this.attempt }));
      this.scheduleRetry();
      return;
    }
    this.waitingForPublisher = false;
    let clean = false;
    await this.enqueue(async () => {
      clean = await this.applySnapshot(reply);
    });
    this.running = false;
    if (this.closed) return;
    if (!clean || this.again) {
      this.again = false;
      this.attempt += 1;
      this.following = false;
      this.scheduleRetry();
      return;
    }
    this.attempt = 0;
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  private scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.run(), backoffDelay(this.deps.retry, this.attempt - 1));
  }

  /** Applies a snapshot and the held-back publications that follow it; false if another resync is needed. */
  private async applySnapshot(reply: SnapshotReply): Promise<boolean> {
    if (this.closed) return true;
    const held = this.pending;
    this.pending = [];
    try {
      await this.deps.deliver({ kind: 'snapshot', publisher: this.publisher, table: this.table, epoch: reply.epoch, seq: reply.seq, rows: reply.rows });
    } catch (error) {
      this.counters.applyErrors += 1;
      this.deps.log.error('subscriber failed to apply a snapshot', this.describe({ error: String(error) }));
      return false;
    }
    this.counters.snapshots += 1;
    this.epoch = reply.epoch;
    this.seq = reply.seq;
    this.following = true;
    this.lastAppliedAt = Date.now();
    // Held publications of another epoch may be stale or may come from a publisher that restarted
    // after answering; a second snapshot settles which.
    let clean = true;
    const ours = held.filter((m) => {
      if (m.epoch !== reply.epoch) clean = false;
      return m.epoch === reply.epoch;
    });
    ours.sort((a, b) => a.seq - b.seq);
    for (const message of ours) {
      if (message.seq <= this.seq) continue;
      if (message.seq !== this.seq + 1) {
        this.counters.gaps += 1;
        return false;
      }
      if (!(await this.applyDelta(message))) return false;
    }
    return clean;
  }

  private async applyDelta(message: TableMessage): Promise<boolean> {
    try {
      await this.deps.deliver({
        kind: 'delta',
        publisher: this.publisher,
        table: this.table,
        epoch: message.epoch,
        seq: message.seq,
        del: message.del,
        add: message.add,
      });
    } catch (error) {
      this.counters.applyErrors += 1;
      this.deps.log.error('subscriber failed to apply a delta, resyncing', this.describe({ error: String(error), seq: message.seq }));
      this.requestResync('apply-failed');
      return false;
    }
    this.counters.deltas += 1;
    this.seq = message.seq;
    this.lastAppliedAt = Date.now();
    return true;
  }

  private describe(fields: Record<string, unknown>): Record<string, unknown> {
    return { publisher: this.publisher, table: this.table, subscriber: this.subscriber, ...fields };
  }
}

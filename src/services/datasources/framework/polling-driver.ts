/**
 * Polling drivers (spec §1.7, with the §9.2 recommendations): one fetch per root table per poll,
 * each root isolated (a failing root keeps its last good rows while the others are refreshed and
 * published), at most one poll in flight, refresh requests coalesced into one follow-up poll, a
 * poll deadline, and a longer interval after repeated failures. `poll_time: 0` polls only on
 * request, with no initial poll.
 */
import { errors, messageOf } from '../errors';
import type { TableTranslator } from '../translation/translator';
import type { ActionSpec } from './actions';
import { BaseDriver, type DriverContext, type TableSink } from './driver';

/** Fetches the raw list for one root table. */
export type RootFetcher = (signal: AbortSignal) => Promise<unknown>;

/** Scheduling settings of a polling driver. */
export interface PollingSettings {
  /** Seconds between polls; 0 = only on request. */
  readonly pollTime: number;
  /** Root tables fetched only once a subscriber wants them. */
  readonly lazyTables: readonly string[];
}

/** Failures in a row after which the interval starts doubling. */
const BACKOFF_AFTER = 3;
/** The interval never exceeds this multiple of `poll_time`. */
const BACKOFF_CAP = 10;
/** A poll as a whole never runs longer than max(poll_time, this). */
const MIN_POLL_DEADLINE_MS = 60_000;

/** A driver that polls an upstream service. */
export abstract class PollingDriver<C> extends BaseDriver<C> {
  readonly kind = 'poll' as const;
  private readonly fetchers = new Map<string, RootFetcher>();
  private readonly lazyPending: Set<string>;
  private readonly pollTimeMs: number;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | null = null;
  private refreshPending = false;
  private running = false;
  private nextPollWaiters: (() => void)[] = [];

  constructor(context: DriverContext, translators: readonly TableTranslator[], actions: readonly ActionSpec<C>[], settings: PollingSettings) {
    super(context, translators, actions);
    this.pollTimeMs = settings.pollTime * 1000;
    this.lazyPending = new Set(settings.lazyTables);
  }

  /** Registers the fetch of one root table; each root has exactly one. */
  protected registerFetcher(root: string, fetcher: RootFetcher): void {
    if (!this.roots.has(root)) throw new Error(`no root translator for table ${root}`);
    if (this.fetchers.has(root)) throw new Error(`an update method for ${root} is already registered`);
    this.fetchers.set(root, fetcher);
  }

  /**
   * Roots that come from one walk of the upstream (the original built such tables together in
   * one update): the first root's fetch runs `fetchModel` and takes its rows, each other root
   * then takes its own rows of that walk, or fails with the walk's error, so all keep their last
   * good rows together.
   */
  protected registerModelFetchers(roots: readonly string[], fetchModel: (signal: AbortSignal) => Promise<ReadonlyMap<string, readonly unknown[]>>): void {
    let model: ReadonlyMap<string, readonly unknown[]> | null = null;
    let failure: unknown = null;
    const part = (root: string): readonly unknown[] => {
      if (model === null) throw failure instanceof Error ? failure : new Error(String(failure));
      return model.get(root) ?? [];
    };
    const [first, ...rest] = roots;
    this.registerFetcher(first, async (signal) => {
      model = null;
      failure = null;
      try {
        model = await fetchModel(signal);
      } catch (error) {
        failure = error;
      }
      return part(first);
    });
    for (const root of rest) this.registerFetcher(root, async () => part(root));
  }

  override async start(sink: TableSink): Promise<void> {
    await super.start(sink);
    this.running = true;
    if (this.pollTimeMs > 0) this.runPoll();
  }

  override async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await super.stop();
    for (const resolve of this.nextPollWaiters.splice(0)) resolve();
  }

  override requestRefresh(): void {
    if (!this.running) return;
    if (this.inFlight !== null) {
      this.refreshPending = true;
      return;
    }
    clearTimeout(this.timer);
    this.runPoll();
  }

  override refreshAndWait(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      this.nextPollWaiters.push(resolve);
      this.requestRefresh();
    });
  }

  protected override pendingLazyTables(): string[] {
    return [...this.lazyPending];
  }

  protected override isLazy(table: string): boolean {
    for (const root of this.lazyPending) if (this.roots.get(root)?.tables.includes(table)) return true;
    return false;
  }

  override activateLazyTables(tables: readonly string[]): void {
    let activated = false;
    for (const root of [...this.lazyPending]) {
      const produced = this.roots.get(root)?.tables ?? [];
      if (tables.some((t) => produced.includes(t))) {
        this.lazyPending.delete(root);
        activated = true;
        this.log.info('lazy table activated', { datasource: this.context.name, table: root });
      }
    }
    if (activated) this.requestRefresh();
  }

  /** The interval before the next timed poll, longer after repeated failures. */
  private nextInterval(): number {
    const failures = this.counters.consecutiveFailures;
    if (failures < BACKOFF_AFTER) return this.pollTimeMs;
    return Math.min(this.pollTimeMs * 2 ** (failures - BACKOFF_AFTER + 1), this.pollTimeMs * BACKOFF_CAP);
  }

  private runPoll(): void {
    const waiters = this.nextPollWaiters.splice(0);
    this.inFlight = this.poll().finally(() => {
      this.inFlight = null;
      for (const resolve of waiters) resolve();
      this.scheduleNext();
    });
  }

  private scheduleNext(): void {
    if (!this.running) return;
    if (this.refreshPending) {
      this.refreshPending = false;
      this.runPoll();
      return;
    }
    if (this.pollTimeMs <= 0) return;
    // The interval starts when a poll ends: a slow poll is never cut short by the schedule.
    this.timer = setTimeout(() => this.runPoll(), this.nextInterval());
    this.timer.unref();
  }

  /** Seconds the last completed poll took (fetching, translating, diffing); null before the first. */
  lastPollSeconds: number | null = null;

  /** One poll: every active root fetched and translated on its own. */
  protected async poll(): Promise<void> {
    const started = performance.now();
    try {
      await this.pollRoots();
    } finally {
      this.lastPollSeconds = (performance.now() - started) / 1000;
    }
  }

  private async pollRoots(): Promise<void> {
    const deadlineMs = Math.max(this.pollTimeMs, MIN_POLL_DEADLINE_MS);
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(deadlineMs)]);
    const tableErrors: Record<string, string> = {};
    let skipped = 0;
    for (const [root, fetch] of this.fetchers) {
      if (this.lazyPending.has(root)) continue;
      if (this.abort.signal.aborted) return;
      try {
        if (signal.aborted) throw new Error(`poll deadline of ${deadlineMs / 1000} s exceeded`);
        const data = await fetch(signal);
        const translation = await this.translateRoot(root, data, 'lenient');
        if (translation === null) continue;
        skipped += translation.skipped;
        if (translation.skipped > 0) this.log.warn('objects skipped', { datasource: this.context.name, table: root, skipped: translation.skipped, first: translation.firstSkipReason });
      } catch (error) {
        if (this.abort.signal.aborted) return;
        tableErrors[root] = messageOf(error);
      }
    }
    this.counters.record(this.now(), tableErrors, skipped);
    const failed = Object.keys(tableErrors);
    if (failed.length > 0) this.log.warn('poll failed', { datasource: this.context.name, tables: failed, error: Object.values(tableErrors)[0] });
  }

  override rows(table: string): ReturnType<BaseDriver<C>['rows']> {
    if (!this.state.has(table)) throw errors.tableNotFound(table, this.context.name);
    return super.rows(table);
  }
}

/**
 * Keeps the change log (`congress_changes`) from growing forever. Every policy, rule and
 * datasource write adds to it, and only replicas catching up read it, so entries older than
 * `[engine] change_log_keep_seconds` are dropped. A replica that was away longer than that
 * finds the log incomplete and reloads from a snapshot, which it already knows how to do.
 *
 * Every policy-engine node runs one; pruning is idempotent and the pruned mark only moves
 * forwards, so several nodes pruning at once is harmless.
 */
import type { PolicyStore } from '../../db';
import type { EngineLogger } from './logger';

/** How the pruner is set up. */
export interface PrunerOptions {
  /** Age in seconds beyond which logged changes are dropped; 0 disables pruning. */
  readonly keepSeconds: number;
  /** Time between passes in ms; default a quarter of the age, at least a minute, at most an hour. */
  readonly periodMs?: number;
  readonly logger: EngineLogger;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** Prunes the change log on a timer. */
export class ChangeLogPruner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;

  constructor(
    private readonly store: Pick<PolicyStore, 'pruneChangesOlderThan'>,
    private readonly options: PrunerOptions,
  ) {}

  /** The period between passes. */
  get periodMs(): number {
    return this.options.periodMs ?? Math.min(HOUR_MS, Math.max(MINUTE_MS, (this.options.keepSeconds * 1000) / 4));
  }

  /** One pass; resolves to the number of entries dropped. A failure is logged, not thrown. */
  async pruneOnce(now?: Date): Promise<number> {
    if (this.options.keepSeconds <= 0) return 0;
    try {
      const dropped = await this.store.pruneChangesOlderThan(this.options.keepSeconds, now);
      if (dropped > 0) this.options.logger.info(`change log: dropped ${dropped} entries older than ${this.options.keepSeconds} s`);
      return dropped;
    } catch (err) {
      // The database may be away for a while; the next pass tries again.
      this.options.logger.warn(`change log pruning failed: ${err instanceof Error ? err.message : String(err)}`);
      return 0;
    }
  }

  /** Starts the periodic passes (none when pruning is disabled). */
  start(): void {
    if (this.options.keepSeconds <= 0 || this.timer !== undefined) return;
    this.timer = setInterval(() => {
      if (this.running !== null) return;
      this.running = this.pruneOnce().then(() => {
        this.running = null;
      });
    }, this.periodMs);
    this.timer.unref();
  }

  /** Stops the passes; waits for one in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

// Exponential back-off with jitter, shared by reconnects and snapshot retries so that a crowd of
// nodes recovering from the same outage does not retry in lock-step.

/** Back-off bounds in milliseconds. */
export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
  /**
   * Linear instead of doubling, and exact: `initialMs + attempt * stepMs`, at most `maxMs`
   * (oslo.messaging's rabbit_retry_interval / rabbit_retry_backoff / rabbit_interval_max).
   */
  readonly stepMs?: number;
}

/**
 * Delay before retry number `attempt` (0 = first retry): with `stepMs`, the linear formula;
 * otherwise doubling up to `maxMs`, scaled by 0.5–1.0.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number): number {
  if (policy.stepMs !== undefined) return Math.min(policy.maxMs, policy.initialMs + attempt * policy.stepMs);
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (0.5 + Math.random() / 2));
}

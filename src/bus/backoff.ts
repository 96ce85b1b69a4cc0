// Exponential back-off with jitter, shared by reconnects and snapshot retries so that a crowd of
// nodes recovering from the same outage does not retry in lock-step.

/** Back-off bounds in milliseconds. */
export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** Delay before retry number `attempt` (0 = first retry): doubles up to `maxMs`, scaled by 0.5–1.0. */
export function backoffDelay(policy: BackoffPolicy, attempt: number): number {
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (0.5 + Math.random() / 2));
}

/** Polling for system tests: real processes reach a state some time after they are asked to. */

/** Thrown by a `waitFor` check to stop waiting at once (the awaited thing can no longer happen). */
export class GiveUp extends Error {}

/**
 * Polls `check` until it returns a value other than undefined, or throws after `timeoutMs`.
 * Errors thrown by `check` count as "not yet", except `GiveUp`, which ends the wait.
 */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined> | T | undefined, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      if (err instanceof GiveUp) throw err;
      last = err;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last === null ? '' : `: ${String(last)}`}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * A fair async mutex with a bounded wait. SQLite gives a process one connection, so concurrent
 * callers in that process must take turns; waiting forever would hide a stuck transaction.
 */

/** Thrown by `Mutex.acquire` when the wait exceeds its bound. */
export class MutexTimeoutError extends Error {
  constructor(readonly waitedMs: number) {
    super(`mutex not acquired within ${waitedMs} ms`);
    this.name = 'MutexTimeoutError';
  }
}

/** First-come first-served lock; `acquire` resolves to the function that releases it. */
export class Mutex {
  private held = false;
  private readonly waiters: Array<() => void> = [];

  /** Waits at most `timeoutMs` for the lock. */
  acquire(timeoutMs: number): Promise<() => void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        clearTimeout(timer);
        resolve(this.releaser());
      };
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(grant);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new MutexTimeoutError(timeoutMs));
      }, timeoutMs);
      this.waiters.push(grant);
    });
  }

  // Each grant releases at most once, so a double release cannot free someone else's turn.
  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.release();
    };
  }

  private release(): void {
    const next = this.waiters.shift();
    // Hand the lock straight to the next waiter so nobody can barge in between.
    if (next) next();
    else this.held = false;
  }
}

/**
 * One writer at a time inside a process. A policy or rule write changes the in-memory engine
 * and then awaits the database; without this, a second write could interleave between the two
 * and an undo could remove what the other write relied on.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `fn` after every previously queued write has settled. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    // The queue continues whether this write succeeded or not.
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Settles when every write queued so far has. */
  async drain(): Promise<void> {
    await this.tail;
  }
}

/**
 * Identical reads asked for at the same time share one database round trip, without ever
 * answering with data older than the request.
 *
 * A read never joins one already sent: a write that committed after that query ran but before
 * the new request arrived would be missed, and policy reads promise to be current
 * (docs/replication.md). Instead, requests that arrive while an identical read is in flight wait
 * for it to end and then share the one read sent after all of them arrived. Under 32 clients
 * polling one policy that is one query per round trip instead of one per request, and the
 * database's CPU (on the same machine, usually) goes back to answering requests.
 */
interface Slot {
  running: Promise<unknown>;
  /** The read that starts when `running` ends, shared by everyone who asked meanwhile. */
  next: Promise<unknown> | undefined;
}

/**
 * How long requests wait for the read in flight before sending their own. A read takes well
 * under a millisecond; one stuck on a dead connection (a half-open TCP link to MySQL can hang
 * for minutes) must not hold every later request for the same thing behind it.
 */
const MAX_WAIT_MS = 250;

export interface SharedReadsOptions {
  /** See MAX_WAIT_MS. */
  readonly maxWaitMs?: number;
  /**
   * Holds a first read back until it resolves; requests arriving meanwhile share it (it has not
   * been sent, so they cannot miss anything). The store passes the end of the event loop's I/O
   * phase: see policy-store.ts. Without it a first read is sent at once.
   */
  readonly gather?: () => Promise<void>;
}

export class SharedReads {
  private readonly slots = new Map<string, Slot>();
  private readonly maxWaitMs: number;
  private readonly gather: (() => Promise<void>) | undefined;

  constructor(options: SharedReadsOptions = {}) {
    this.maxWaitMs = options.maxWaitMs ?? MAX_WAIT_MS;
    this.gather = options.gather;
  }

  /**
   * The result of `read()`, from a run of it that started after this call: the one read shared
   * by everyone who asked while the previous one was in flight (or, with `gather`, while the
   * first one was held back), sent when that one ends or after `maxWaitMs`, whichever comes first.
   */
  read<T>(key: string, read: () => Promise<T>): Promise<T> {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = { running: Promise.resolve(), next: undefined };
      this.slots.set(key, slot);
      if (this.gather === undefined) return this.start(key, slot, read);
      this.sendAfter(this.gather(), key, slot, read);
    } else if (slot.next === undefined) {
      this.sendAfter(this.endOrTimeout(slot.running), key, slot, read);
    }
    return slot.next as Promise<T>;
  }

  /** Makes `slot.next` the read sent once `wait` resolves, which later callers then share. */
  private sendAfter<T>(wait: Promise<void>, key: string, slot: Slot, read: () => Promise<T>): void {
    slot.next = wait.then(() => {
      slot.next = undefined;
      return this.start(key, slot, read);
    });
  }

  /** Resolves when `running` settles, or after `maxWaitMs` if it has not. */
  private endOrTimeout(running: Promise<unknown>): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.maxWaitMs);
      const ended = (): void => {
        clearTimeout(timer);
        resolve();
      };
      running.then(ended, ended);
    });
  }

  /** How many keys have a read in flight (for tests). */
  get inFlight(): number {
    return this.slots.size;
  }

  private start<T>(key: string, slot: Slot, read: () => Promise<T>): Promise<T> {
    let running: Promise<T>;
    try {
      running = read();
    } catch (err) {
      running = Promise.reject(err as Error);
    }
    slot.running = running;
    const done = (): void => {
      if (slot.running === running && slot.next === undefined && this.slots.get(key) === slot) this.slots.delete(key);
    };
    running.then(done, done);
    return running;
  }
}

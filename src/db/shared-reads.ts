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

export class SharedReads {
  private readonly slots = new Map<string, Slot>();

  /**
   * `gather`, when given, holds a first read back until it resolves, and requests arriving
   * meanwhile share it (it has not been sent, so they cannot miss anything). The store passes
   * the end of the event loop's I/O phase: see policy-store.ts.
   */
  constructor(
    private readonly maxWaitMs = MAX_WAIT_MS,
    private readonly gather?: () => Promise<void>,
  ) {}

  /**
   * The result of `read()`, from a run of it that started after this call: the one read shared
   * by everyone who asked while the previous one was in flight, sent when that one ends or
   * after `maxWaitMs`, whichever comes first.
   */
  read<T>(key: string, read: () => Promise<T>): Promise<T> {
    const slot = this.slots.get(key);
    if (slot === undefined) {
      const created: Slot = { running: Promise.resolve(), next: undefined };
      this.slots.set(key, created);
      if (this.gather === undefined) return this.start(key, created, read);
      // Nothing is in flight: this request and those arriving before the window closes share
      // the read sent then.
      created.next = this.gather().then(() => {
        created.next = undefined;
        return this.start(key, created, read);
      });
      return created.next as Promise<T>;
    }
    if (slot.next === undefined) {
      const running = slot.running;
      slot.next = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.maxWaitMs);
        const ended = (): void => {
          clearTimeout(timer);
          resolve();
        };
        running.then(ended, ended);
      }).then(() => {
        slot.next = undefined;
        return this.start(key, slot, read);
      });
    }
    return slot.next as Promise<T>;
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

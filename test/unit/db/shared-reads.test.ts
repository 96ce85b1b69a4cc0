import fc from 'fast-check';
import { SharedReads } from '../../../src/db/shared-reads';

/** A read whose answer the test releases by hand, counting how often it was sent. */
function gatedRead(): { read: () => Promise<number>; sent: () => number; release: (value?: number) => void; fail: (err: Error) => void } {
  const pending: { resolve: (v: number) => void; reject: (e: Error) => void }[] = [];
  let sent = 0;
  return {
    read: () => {
      sent += 1;
      return new Promise<number>((resolve, reject) => pending.push({ resolve, reject }));
    },
    sent: () => sent,
    release: (value = sent) => pending.shift()?.resolve(value),
    fail: (err) => pending.shift()?.reject(err),
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('SharedReads', () => {
  it('sends the first read at once', async () => {
    const reads = new SharedReads();
    const g = gatedRead();
    const a = reads.read('k', g.read);
    expect(g.sent()).toBe(1);
    g.release(7);
    await expect(a).resolves.toBe(7);
    expect(reads.inFlight).toBe(0);
  });

  it('does not let a request join a read sent before it arrived; later ones share one read', async () => {
    const reads = new SharedReads();
    const g = gatedRead();
    const first = reads.read('k', g.read);
    const second = reads.read('k', g.read);
    const third = reads.read('k', g.read);
    // Only the first is in flight; the others wait for a read sent after they arrived.
    expect(g.sent()).toBe(1);
    g.release(1);
    await expect(first).resolves.toBe(1);
    await settle();
    expect(g.sent()).toBe(2);
    g.release(2);
    await expect(second).resolves.toBe(2);
    await expect(third).resolves.toBe(2);
    expect(g.sent()).toBe(2);
    expect(reads.inFlight).toBe(0);
  });

  it('keeps different keys apart', () => {
    const reads = new SharedReads();
    const g = gatedRead();
    void reads.read('a', g.read);
    void reads.read('b', g.read);
    expect(g.sent()).toBe(2);
  });

  it('gives a failure to those who shared the read, and reads again for the next', async () => {
    const reads = new SharedReads();
    const g = gatedRead();
    const first = reads.read('k', g.read);
    const second = reads.read('k', g.read);
    g.release(1);
    await first;
    await settle();
    g.fail(new Error('connection lost'));
    await expect(second).rejects.toThrow('connection lost');
    const third = reads.read('k', g.read);
    g.release(5);
    await expect(third).resolves.toBe(5);
  });

  it('does not hold later requests behind a read that never ends for longer than the bound', async () => {
    const reads = new SharedReads({ maxWaitMs: 30 });
    const stuck = reads.read('k', () => new Promise<number>(() => undefined));
    const started = Date.now();
    const later = reads.read('k', () => Promise.resolve(9));
    await expect(later).resolves.toBe(9);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    // The stuck read's slot no longer blocks anyone: a new request gets its own read at once.
    const again = reads.read('k', () => Promise.resolve(10));
    await expect(again).resolves.toBe(10);
    void stuck;
  });

  it('turns a read that throws at once into a rejection, and does not stay stuck', async () => {
    const reads = new SharedReads();
    await expect(
      reads.read('k', () => {
        throw new Error('bad statement');
      }),
    ).rejects.toThrow('bad statement');
    await settle();
    expect(reads.inFlight).toBe(0);
    await expect(reads.read('k', () => Promise.resolve(3))).resolves.toBe(3);
  });

  it('with a gathering window, shares the first read among the requests that arrive before it closes', async () => {
    let close = (): void => undefined;
    const reads = new SharedReads({ gather: () => new Promise<void>((resolve) => (close = resolve)) });
    const g = gatedRead();
    const early = [reads.read('k', g.read), reads.read('k', g.read), reads.read('k', g.read)];
    await settle();
    // Held back while the window is open, so the three are one read.
    expect(g.sent()).toBe(0);
    close();
    await settle();
    expect(g.sent()).toBe(1);
    // Sent already: a newcomer does not join it, it waits for the next read.
    const late = reads.read('k', g.read);
    g.release(1);
    await expect(Promise.all(early)).resolves.toEqual([1, 1, 1]);
    await settle();
    expect(g.sent()).toBe(2);
    g.release(2);
    await expect(late).resolves.toBe(2);
    expect(reads.inFlight).toBe(0);
  });

  it('with a gathering window, a read that throws reaches everyone who shared it, and the next request reads again', async () => {
    const reads = new SharedReads({ gather: settle });
    const bad = (): Promise<number> => {
      throw new Error('bad statement');
    };
    const both = [reads.read('k', bad), reads.read('k', bad)];
    for (const p of both) await expect(p).rejects.toThrow('bad statement');
    await settle();
    expect(reads.inFlight).toBe(0);
    await expect(reads.read('k', () => Promise.resolve(4))).resolves.toBe(4);
  });

  it.each([
    ['without', undefined],
    ['with', settle],
  ])('never answers with a value written before a read was sent but after the request arrived, %s a gathering window (model)', async (_label, gather) => {
    // A register written at random moments; every answer must be at least as new as the
    // register was when its request arrived.
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('ask', 'write', 'tick'), { minLength: 1, maxLength: 60 }), async (steps) => {
        const reads = new SharedReads({ gather });
        let register = 0;
        const checks: Promise<void>[] = [];
        const read = (): Promise<number> => {
          const seen = register;
          return new Promise((resolve) => setImmediate(() => resolve(seen)));
        };
        for (const step of steps) {
          if (step === 'write') register += 1;
          else if (step === 'tick') await settle();
          else {
            const atArrival = register;
            checks.push(reads.read('k', read).then((v) => expect(v).toBeGreaterThanOrEqual(atArrival)));
          }
        }
        await Promise.all(checks);
      }),
      { numRuns: 200 },
    );
  });
});

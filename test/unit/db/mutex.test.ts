/** The mutex that makes callers of one SQLite connection take turns. */
import { Mutex, MutexTimeoutError } from '../../../src/db/sql/mutex';

describe('Mutex', () => {
  it('grants the lock in request order', async () => {
    const mutex = new Mutex();
    const order: number[] = [];
    const first = await mutex.acquire(1000);
    const waiting = [1, 2, 3].map((n) =>
      mutex.acquire(1000).then((release) => {
        order.push(n);
        release();
      }),
    );
    first();
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
  });

  it('gives up after the timeout and leaves the queue intact', async () => {
    const mutex = new Mutex();
    const held = await mutex.acquire(1000);
    await expect(mutex.acquire(20)).rejects.toBeInstanceOf(MutexTimeoutError);
    const next = mutex.acquire(1000);
    held();
    const release = await next;
    release();
    await expect(mutex.acquire(20).then((r) => r())).resolves.toBeUndefined();
  });

  it('ignores a second release of the same grant', async () => {
    const mutex = new Mutex();
    const a = await mutex.acquire(1000);
    const b = mutex.acquire(1000);
    a();
    const releaseB = await b;
    a(); // must not free b's turn
    await expect(mutex.acquire(20)).rejects.toBeInstanceOf(MutexTimeoutError);
    releaseB();
  });
});

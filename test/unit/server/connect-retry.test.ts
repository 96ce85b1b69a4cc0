import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/server/config';
import { connectRetryFrom, withConnectRetry } from '../../../src/server/database';

/** An error as mysql2 raises it when nothing listens on the database's port. */
function refused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' });
}

/** An opener that fails with `errors` in turn, then answers 'open'. */
function opener(errors: Error[]): { open: () => Promise<string>; calls: () => number } {
  let n = 0;
  return {
    open: () => {
      const err = errors[n++];
      return err === undefined ? Promise.resolve('open') : Promise.reject(err);
    },
    calls: () => n,
  };
}

describe('withConnectRetry', () => {
  const waits: number[] = [];
  const messages: string[] = [];
  const retry = (attempts: number) => ({
    attempts,
    intervalMs: 2000,
    onRetry: (m: string) => messages.push(m),
    sleep: (ms: number) => {
      waits.push(ms);
      return Promise.resolve();
    },
  });
  beforeEach(() => {
    waits.length = 0;
    messages.length = 0;
  });

  test('waits for a database that cannot be reached yet, retry_interval apart', async () => {
    const o = opener([refused(), refused(), refused()]);
    await expect(withConnectRetry(o.open, retry(10))).resolves.toBe('open');
    expect(o.calls()).toBe(4);
    expect(waits).toEqual([2000, 2000, 2000]);
    expect(messages[0]).toBe('cannot reach the database (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:3306); 9 attempts left, next in 2 s');
    expect(messages[2]).toMatch(/7 attempts left/);
  });

  test('gives up after max_retries attempts with a message naming the options', async () => {
    const o = opener(Array.from({ length: 5 }, refused));
    await expect(withConnectRetry(o.open, retry(3))).rejects.toThrow(
      'cannot reach the database (connect ECONNREFUSED 127.0.0.1:3306) after 3 attempts 2 s apart ([database] max_retries, retry_interval)',
    );
    expect(o.calls()).toBe(3);
    expect(waits).toEqual([2000, 2000]);
  });

  test('a database that answers with an error fails at once', async () => {
    const denied = Object.assign(new Error("Access denied for user 'congress'@'localhost'"), { code: 'ER_ACCESS_DENIED_ERROR' });
    const o = opener([denied]);
    await expect(withConnectRetry(o.open, retry(10))).rejects.toBe(denied);
    expect(o.calls()).toBe(1);
    expect(waits).toEqual([]);
  });

  test('recognises the driver error inside a wrapper', async () => {
    const wrapped = Object.assign(new Error('query failed'), { driverError: refused() });
    const o = opener([wrapped]);
    await expect(withConnectRetry(o.open, retry(2))).resolves.toBe('open');
    expect(messages[0]).toMatch(/^cannot reach the database \(ECONNREFUSED: query failed\); 1 attempts left/);
  });

  test('-1 retries until the database answers', async () => {
    const o = opener(Array.from({ length: 25 }, refused));
    await expect(withConnectRetry(o.open, retry(Infinity))).resolves.toBe('open');
    expect(o.calls()).toBe(26);
    expect(messages[0]).toMatch(/retrying until it answers, next in 2 s$/);
  });
});

describe('connectRetryFrom', () => {
  const retryOf = async (text: string) => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-retry-'));
    try {
      const conf = path.join(dir, 'congress.conf');
      await fs.writeFile(conf, text);
      return connectRetryFrom(loadConfig({ files: [conf] }).config);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  };

  test("oslo.db's defaults: 10 attempts 10 s apart", async () => {
    expect(await retryOf('[database]\nconnection = sqlite://\n')).toMatchObject({ attempts: 10, intervalMs: 10_000 });
  });

  test('-1 is forever; 0 still makes one attempt', async () => {
    expect(await retryOf('[database]\nconnection = sqlite://\nmax_retries = -1\nretry_interval = 3\n')).toMatchObject({ attempts: Infinity, intervalMs: 3000 });
    expect(await retryOf('[database]\nconnection = sqlite://\nmax_retries = 0\n')).toMatchObject({ attempts: 1 });
  });
});

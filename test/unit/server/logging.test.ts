import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/server/config';
import { createLogger } from '../../../src/server/logging';

/** The text the logger writes to stderr while `fn` runs and one turn after. */
async function stderrOf(fn: () => void): Promise<string> {
  const written: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    fn();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    spy.mockRestore();
  }
  return written.join('');
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('the server logger', () => {
  const { config } = loadConfig();

  it('writes text lines with the time of each line, the level and the request id', async () => {
    const log = createLogger(config);
    const before = Date.now();
    const text = await stderrOf(() => {
      log.info('GET /v1/policies 200 0.4ms', { request_id: 'req-1' });
      log.warn('second');
    });
    const after = Date.now();
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const [stamp, level, ...rest] = lines[0].split(' ');
    expect(stamp).toMatch(ISO);
    expect(Date.parse(stamp)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(stamp)).toBeLessThanOrEqual(after);
    expect(level).toBe('INFO');
    expect(rest.join(' ')).toBe('GET /v1/policies 200 0.4ms [req-1]');
    expect(lines[1]).toMatch(/^\S+ WARN second$/);
  });

  it('gives lines logged in a later millisecond a later time', async () => {
    const log = createLogger(config, { format: 'json' });
    const text = await stderrOf(() => {
      log.info('one');
      const start = Date.now();
      while (Date.now() < start + 3) {
        // wait for the clock to move on
      }
      log.info('two');
    });
    const [one, two] = text.trimEnd().split('\n').map((l) => JSON.parse(l) as { timestamp: string; message: string });
    expect(one.message).toBe('one');
    expect(one.timestamp).toMatch(ISO);
    expect(Date.parse(two.timestamp)).toBeGreaterThan(Date.parse(one.timestamp));
  });
  it('writes to log_file, and with watch_log_file follows a rotation to a new file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-logging-'));
    try {
      const conf = path.join(dir, 'congress.conf');
      await fs.writeFile(conf, `[DEFAULT]\nlog_dir = ${dir}\nlog_file = congress.log\nwatch_log_file = true\n`);
      const log = createLogger(loadConfig({ files: [conf] }).config);
      const turn = () => new Promise((resolve) => setImmediate(resolve));
      log.info('first');
      await turn();
      await fs.rename(path.join(dir, 'congress.log'), path.join(dir, 'congress.log.1'));
      log.info('second');
      await turn();
      expect(await fs.readFile(path.join(dir, 'congress.log.1'), 'utf8')).toMatch(/^\S+ INFO first\n$/);
      expect(await fs.readFile(path.join(dir, 'congress.log'), 'utf8')).toMatch(/^\S+ INFO second\n$/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
  it('stamps text lines with log_date_format in local time and the milliseconds; JSON lines stay ISO-8601', async () => {
    const { config: dated } = loadConfig({ overrides: { DEFAULT: { log_date_format: '%Y-%m-%d %H:%M:%S' } } });
    const before = new Date();
    const text = await stderrOf(() => createLogger(dated).info('dated'));
    const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3}) INFO dated\n$/.exec(text);
    expect(m).not.toBeNull();
    const [, y, mo, d, h, mi, s, ms] = (m as RegExpExecArray).map(Number);
    const stamped = new Date(y, mo - 1, d, h, mi, s, ms).getTime();
    expect(stamped).toBeGreaterThanOrEqual(before.getTime());
    expect(stamped - before.getTime()).toBeLessThan(5000);
    const json = await stderrOf(() => createLogger(dated, { format: 'json' }).info('dated'));
    expect((JSON.parse(json) as { timestamp: string }).timestamp).toMatch(ISO);
  });

  it('refuses a log_date_format it cannot print', () => {
    const { config: wrong } = loadConfig({ overrides: { DEFAULT: { log_date_format: '%Y %Q' } } });
    expect(() => createLogger(wrong)).toThrow('log_date_format "%Y %Q": unknown directive %Q at position 4');
  });
});

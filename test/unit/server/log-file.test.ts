import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogFile } from '../../../src/server/log-file';

describe('LogFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-logfile-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const read = (name: string) => fs.readFile(path.join(dir, name), 'utf8');

  test('appends to an existing file', async () => {
    await fs.writeFile(path.join(dir, 'c.log'), 'old\n');
    new LogFile(path.join(dir, 'c.log'), false).write('new\n');
    expect(await read('c.log')).toBe('old\nnew\n');
  });

  test('with watch_log_file, lines after a rotation go to a new file at the path', async () => {
    const log = new LogFile(path.join(dir, 'c.log'), true);
    log.write('before\n');
    await fs.rename(path.join(dir, 'c.log'), path.join(dir, 'c.log.1'));
    log.write('after\n');
    log.write('later\n');
    expect(await read('c.log.1')).toBe('before\n');
    expect(await read('c.log')).toBe('after\nlater\n');
    await fs.rm(path.join(dir, 'c.log'));
    log.write('removed\n');
    expect(await read('c.log')).toBe('removed\n');
  });

  test('without it, lines follow the moved file', async () => {
    const log = new LogFile(path.join(dir, 'c.log'), false);
    log.write('before\n');
    await fs.rename(path.join(dir, 'c.log'), path.join(dir, 'c.log.1'));
    log.write('after\n');
    expect(await read('c.log.1')).toBe('before\nafter\n');
    await expect(read('c.log')).rejects.toThrow(/ENOENT/);
  });

  test('a path that cannot be opened is named in the error', () => {
    expect(() => new LogFile(path.join(dir, 'missing', 'c.log'), true)).toThrow(`cannot open log file ${path.join(dir, 'missing', 'c.log')}: ENOENT`);
  });
});

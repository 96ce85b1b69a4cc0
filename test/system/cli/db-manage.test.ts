/**
 * `congress-db-manage`, as deployment tools call it (`--config-file ... upgrade head`), on real
 * MariaDB databases: an empty one and one the original Congress created at its last alembic
 * revision, which `upgrade head` adopts in place; `current` reports each state; the commands of
 * alembic that mean nothing here are refused.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../support/mariadb';
import { originalMigrationChain } from '../../unit/db/original-congress';

jest.setTimeout(60_000);

const BIN = path.resolve(__dirname, '..', '..', '..', 'bin', 'congress-db-manage');
let dir: string;
const databases: TestDatabase[] = [];

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-db-manage-'));
});
afterAll(async () => {
  for (const db of databases) await db.drop();
  await fs.rm(dir, { recursive: true, force: true });
});

function dbManage(args: readonly string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 30_000 }, (error, out, err) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, out, err });
    });
  });
}

async function configFor(db: TestDatabase): Promise<string> {
  const file = path.join(dir, `${db.name}.conf`);
  await fs.writeFile(file, `[database]\nconnection = ${db.url}\n`);
  return file;
}

test('upgrade head on an empty database, then current and a second upgrade', async () => {
  const db = await createTestDatabase('congress_dbm');
  databases.push(db);
  const conf = await configFor(db);
  expect(await dbManage(['--config-file', conf, 'current'])).toMatchObject({ code: 0, out: 'empty\n' });
  const up = await dbManage(['--config-file', conf, 'upgrade', 'head']);
  expect(up.code).toBe(0);
  expect(up.out).toMatch(/^database mysql\+pymysql:\/\/root@127\.0\.0\.1:3306\/congress_dbm_\w+\?charset=utf8: was empty; applied OriginalCongressSchema\d+, /);
  expect((await db.query('SELECT COUNT(*) AS n FROM policies'))[0]?.n).toBe(0);
  expect((await dbManage(['--config-file', conf, 'current'])).out).toMatch(/^up-to-date \(\w+\)\n$/);
  expect((await dbManage(['--config-file', conf, 'upgrade'])).out).toMatch(/was up-to-date; nothing to apply\n$/);
  // The original's --database-connection, without a file.
  expect((await dbManage(['--database-connection', db.url, 'current'])).out).toMatch(/^up-to-date /);
});

test("an original Congress database is reported as such and adopted by upgrade head, its rows kept", async () => {
  const db = await createTestDatabase('congress_dbm');
  databases.push(db);
  for (const statement of originalMigrationChain('mysql')) await db.query(statement);
  await db.query("INSERT INTO policies (id, created_at, deleted, name, abbreviation, description, owner, kind) VALUES ('p-1', NOW(), '', 'ops', 'ops', 'd', 'user', 'nonrecursive')");
  const conf = await configFor(db);
  expect((await dbManage(['--config-file', conf, 'current'])).out).toBe('original-congress-db (alembic c0125080d572; upgrade adopts it)\n');
  const up = await dbManage(['--config-file', conf, 'upgrade', 'head']);
  expect(up.code).toBe(0);
  expect(up.out).toContain('was original-congress-db; applied');
  expect(up.out).toContain('(adopted an original Congress database)');
  expect(await db.query("SELECT name FROM policies WHERE id = 'p-1'")).toEqual([{ name: 'ops' }]);
  expect((await dbManage(['--config-file', conf, 'current'])).out).toMatch(/^up-to-date /);
});

test('history, and the commands that mean nothing here', async () => {
  const history = await dbManage(['history']);
  expect(history.code).toBe(0);
  expect(history.out.split('\n')[0]).toMatch(/^OriginalCongressSchema\d+$/);
  for (const [args, message] of [
    [['downgrade', 'base'], 'downgrade is not supported by Congress-TS'],
    [['stamp', 'head'], 'stamp is not supported by Congress-TS'],
    [['upgrade', 'c0125080d572'], 'upgrade c0125080d572: only head is supported'],
    [[], 'name a command: upgrade, current or history'],
    [['--config-file', path.join(dir, 'missing.conf'), 'current'], 'config file not found'],
  ] as const) {
    const run = await dbManage(args);
    expect({ args, code: run.code }).toEqual({ args, code: 2 });
    expect(run.err).toContain(message);
  }
});

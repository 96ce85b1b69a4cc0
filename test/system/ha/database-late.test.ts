/**
 * A node that starts before its database (a site powering up, the database cluster still
 * recovering) waits for it, as `[database] max_retries` and `retry_interval` say, instead of
 * failing at once; when the retries run out it exits with a message naming those options. A
 * private MariaDB, so the machine's shared one is left alone.
 */
import { PrivateMariaDb } from '../../support/private-mariadb';
import { configDirectory, runServer, startServer, type ServerProcess } from '../../support/server';
import { call } from '../replication/cluster';

jest.setTimeout(180_000);

let db: PrivateMariaDb | null = null;
let cfg: Awaited<ReturnType<typeof configDirectory>> | null = null;
let server: ServerProcess | null = null;

afterAll(async () => {
  await server?.stop('SIGTERM');
  await cfg?.remove();
  await db?.stop();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('start-up waits for a database that comes up late, and gives up after max_retries with a clear message', async () => {
  db = await PrivateMariaDb.start();
  await db.createDatabase('congress');
  cfg = await configDirectory({ database: { connection: db.url('congress'), max_retries: '60', retry_interval: '1' } });
  expect((await runServer({ args: ['--config-file', cfg.configFile, '--db-upgrade'] })).code).toBe(0);

  await db.halt();
  const starting = startServer({ args: ['--config-file', cfg.configFile], timeoutMs: 90_000 });
  starting.catch(() => undefined);
  await sleep(3000);
  await db.restart();
  server = await starting;
  const { stdout, stderr } = server.output();
  expect(stdout + stderr).toMatch(/cannot reach the database \(ECONNREFUSED: .*\); 5\d attempts left, next in 1 s/);

  const created = await call(server.url, 'POST', '/v1/policies/classification/rules', { rule: 'late(x) :- q(x)' });
  expect(created.status).toBe(201);
  const rules = await call(server.url, 'GET', '/v1/policies/classification/rules');
  expect(JSON.stringify(rules.body)).toContain('late(x)');
  expect((await server.stop('SIGTERM')).code).toBe(0);
  server = null;

  // With the database gone for good, both the server and --db-upgrade give up after two attempts.
  await db.halt();
  // `plugin` (oslo.db's dbcounter in devstack configs) is a parameter this product does not use.
  const quick = await configDirectory({ database: { connection: `${db.url('congress')}&plugin=dbcounter`, max_retries: '2', retry_interval: '1' } });
  try {
    const started = Date.now();
    const run = await runServer({ args: ['--config-file', quick.configFile], timeoutMs: 60_000 });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/start-up failed: cannot reach the database \(connect ECONNREFUSED [^)]*\) after 2 attempts 1 s apart \(\[database\] max_retries, retry_interval\)/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(run.stderr).toContain('[database] connection: parameter plugin not used by Congress-TS (ignored)');
    const upgrade = await runServer({ args: ['--config-file', quick.configFile, '--db-upgrade'], timeoutMs: 60_000 });
    expect(upgrade.code).toBe(1);
    expect(upgrade.stderr).toMatch(/cannot reach the database \(ECONNREFUSED: .*\); 1 attempts left, next in 1 s/);
    expect(upgrade.stderr).toMatch(/database upgrade failed: cannot reach the database .* after 2 attempts/);
  } finally {
    await quick.remove();
  }
});

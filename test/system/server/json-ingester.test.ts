/**
 * `[json_ingester]` on a real congress-server (all roles in one process) writing to a real
 * PostgreSQL: the webhook route exists only when the ingester is enabled, stores what it is
 * given, and refuses with Congress's error body what does not fit. Enabling it without a
 * database stops start-up with the reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import { configDirectory, runServer, startServer, type ServerProcess } from '../../support/server';
import { createPostgresDatabase, type PostgresDatabase } from '../../support/postgres';

jest.setTimeout(120_000);

type Dirs = Awaited<ReturnType<typeof configDirectory>>;
let dirs: Dirs | undefined;
let server: ServerProcess | undefined;
let db: PostgresDatabase | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
  await dirs?.remove();
  dirs = undefined;
  await db?.drop();
  db = undefined;
});

async function post(urlPath: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${(server as ServerProcess).url}${urlPath}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await r.text();
  return { status: r.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

const HOOKS = `name: hooks
tables:
  alarms:
    webhook:
      record_jsonpath: $.payload
      id_jsonpath: $.id
`;

async function serverWith(jsonIngester: Record<string, string>): Promise<Dirs> {
  dirs = await configDirectory({ json_ingester: jsonIngester });
  fs.mkdirSync(path.join(dirs.dir, 'ingesters'));
  fs.writeFileSync(path.join(dirs.dir, 'ingesters', 'hooks.yaml'), HOOKS);
  const upgrade = await runServer({ args: ['--db-upgrade', '--config-file', dirs.configFile] });
  expect(upgrade.code).toBe(0);
  return dirs;
}

test('the webhook route stores documents in PostgreSQL and answers Congress errors', async () => {
  db = await createPostgresDatabase();
  const d = await serverWith({ enable: 'True', db_connection: db.url, config_path: 'ingesters', config_reusables_path: 'reusables.yaml' });
  server = await startServer({ args: ['--config-file', d.configFile], cwd: d.dir });
  expect(server.output().stderr).toContain('JSON ingesters started: hooks');
  const ready = (await (await fetch(`${server.url}/readyz`)).json()) as { checks: Record<string, unknown> };
  expect(ready.checks.json_ingesters).toEqual({ running: ['hooks'], waiting_for_database: [], failed: [], poll_errors: {} });

  const stored = await post('/v1/data-sources/hooks/tables/alarms/webhook', { payload: { id: 'a1', state: 'alarm' } });
  expect(stored).toEqual({ status: 200, body: null });
  expect(await db.query(`SELECT _key, d FROM hooks.alarms`)).toEqual([{ _key: '"a1"', d: { id: 'a1', state: 'alarm' } }]);

  // Numbers as the sender wrote them, as the original's json.loads kept them (raw text: JSON.stringify would drop the .0).
  expect((await post('/v1/data-sources/hooks/tables/alarms/webhook', '{"payload": {"id": 1.0, "n": 98765432109876543210}}')).status).toBe(200);
  expect(await db.query(`SELECT _key, d->>'n' AS n FROM hooks.alarms WHERE _key = '1.0'`)).toEqual([{ _key: '1.0', n: '98765432109876543210' }]);
  const tooBig = await post('/v1/data-sources/hooks/tables/alarms/webhook', '{"payload": {"id": 2, "n": 1e400}}');
  expect(tooBig.status).toBe(400);
  expect(tooBig.body).toEqual({ error: expect.objectContaining({ message: expect.stringContaining('the JSON number Infinity is outside the range of a double-precision float') }) });
  await db.query(`DELETE FROM hooks.alarms WHERE _key <> '"a1"'`);

  const noRecord = await post('/v1/data-sources/hooks/tables/alarms/webhook', { nothing: 1 });
  expect(noRecord.status).toBe(400);
  expect(noRecord.body).toEqual({ error: expect.objectContaining({ error_code: 400, message: expect.stringContaining('fails to obtain exactly one match on webhook body') }) });

  const noTable = await post('/v1/data-sources/hooks/tables/nope/webhook', { payload: { id: 1 } });
  expect(noTable.status).toBe(404);
  expect(noTable.body).toEqual({ error: expect.objectContaining({ message: 'In JSON Ingester: "hooks", the table "nope" either does not exist or is not configured for webhook.' }) });

  const noIngester = await post('/v1/data-sources/other/tables/alarms/webhook', { payload: { id: 1 } });
  expect(noIngester.status).toBe(404);
  expect(noIngester.body).toEqual({ error: expect.objectContaining({ error_code: 404 }) });
  expect(await db.query(`SELECT 1 FROM hooks.alarms`)).toHaveLength(1);
});

test('without [json_ingester] enable the route does not exist and nothing is written', async () => {
  db = await createPostgresDatabase();
  const d = await serverWith({ db_connection: db.url, config_path: 'ingesters' });
  server = await startServer({ args: ['--config-file', d.configFile], cwd: d.dir });
  const r = await post('/v1/data-sources/hooks/tables/alarms/webhook', { payload: { id: 'a1' } });
  expect(r.status).toBe(404);
  expect(await db.query(`SELECT schema_name FROM information_schema.schemata WHERE schema_name = 'hooks'`)).toEqual([]);
});

test('enable without db_connection stops start-up with the reason', async () => {
  const d = await serverWith({ enable: 'True', config_path: 'ingesters' });
  const run = await runServer({ args: ['--config-file', d.configFile], cwd: d.dir });
  expect(run.code).not.toBe(0);
  expect(run.stderr).toContain('[json_ingester] enable = true needs [json_ingester] db_connection');
});

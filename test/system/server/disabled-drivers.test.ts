/**
 * `[DEFAULT] disabled_drivers` and `delete_missing_driver_datasources` on a real server: a
 * disabled driver is not listed, not shown (404) and cannot be used (400); a stored datasource of
 * a disabled driver is kept and reported by default, and deleted with its pushed rows at start
 * when `delete_missing_driver_datasources = True`. Its secrets stay masked while it is kept.
 */
import { configDirectory, runServer, startServer, type ServerProcess } from '../../support/server';

jest.setTimeout(120_000);

type Dirs = Awaited<ReturnType<typeof configDirectory>>;
let dirs: Dirs[] = [];
let server: ServerProcess | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
  for (const d of dirs) await d.remove();
  dirs = [];
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${(server as ServerProcess).url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await r.text();
  return { status: r.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

/** The SQLite file and secrets key that every start of a test shares; `DEFAULT` options vary per start. */
interface Shared {
  readonly connection: string;
  readonly keys: string;
}

async function database(): Promise<Shared> {
  const d = await configDirectory();
  dirs.push(d);
  const upgraded = await runServer({ args: ['--config-file', d.configFile, '--db-upgrade'] });
  expect(upgraded.code).toBe(0);
  return { connection: `sqlite:///${d.dir}/congress.sqlite`, keys: `${d.dir}/keys` };
}

async function start(shared: Shared, DEFAULT: Record<string, string> = {}): Promise<ServerProcess> {
  const d = await configDirectory({ DEFAULT: { encryption_key_path: shared.keys, ...DEFAULT }, database: { connection: shared.connection } });
  dirs.push(d);
  server = await startServer({ args: ['--config-file', d.configFile] });
  return server;
}

test('a disabled driver is not listed, not shown and cannot be used', async () => {
  const d = await configDirectory();
  dirs.push(d);
  await start({ connection: 'sqlite://', keys: `${d.dir}/keys` }, { disabled_drivers: 'nova, plexxi' });
  const list = await call('GET', '/v1/system/drivers');
  const ids = (list.body as { results: Array<{ id: string }> }).results.map((d) => d.id);
  expect(ids).toContain('neutronv2');
  expect(ids).not.toContain('nova');
  expect(await call('GET', '/v1/system/drivers/nova')).toEqual({
    status: 404,
    body: { error: { message: 'Driver not found nova. Either not supported or disabled by deployer in Congress config', error_code: 404, error_data: null } },
  });
  const made = await call('POST', '/v1/data-sources', { name: 'n', driver: 'nova', config: { auth_url: 'http://127.0.0.1:1/v3', username: 'u', password: 'p', tenant_name: 't' } });
  expect(made.status).toBe(400);
  expect(JSON.stringify(made.body)).toContain('nova');
  expect((await call('GET', '/v1/data-sources')).body).toEqual({ results: [] });
});

test('a stored datasource of a disabled driver is kept by default and deleted at start with delete_missing_driver_datasources', async () => {
  const db = await database();
  await start(db);
  expect((await call('POST', '/v1/data-sources', { name: 'pushed', driver: 'push', config: { tables: { t: ['a'] } } })).status).toBe(201);
  expect((await call('PUT', '/v1/data-sources/pushed/tables/t/rows', [['k']])).status).toBe(200);
  const nova = { auth_url: 'http://127.0.0.1:9/v3', username: 'u', password: 'hunter2', tenant_name: 't', poll_time: 0 };
  expect((await call('POST', '/v1/data-sources', { name: 'n', driver: 'nova', config: nova })).status).toBe(201);
  expect((await call('POST', '/v1/data-sources', { name: 'kept', driver: 'push', config: { tables: { t: ['a'] } } })).status).toBe(201);
  expect((await server?.stop())?.code).toBe(0);

  // Disabled, not deleted: still stored, secrets masked, reported as not started.
  const kept = await start(db, { disabled_drivers: 'push, nova' });
  const shown = await call('GET', '/v1/data-sources/n');
  expect(shown.status).toBe(200);
  expect(JSON.stringify(shown.body)).not.toContain('hunter2');
  expect(kept.output().stderr).toMatch(/datasource could not be started.*pushed/);
  expect((await kept.stop()).code).toBe(0);

  const cleaned = await start(db, { disabled_drivers: 'nova, push', delete_missing_driver_datasources: 'True' });
  expect((await call('GET', '/v1/data-sources/pushed')).status).toBe(404);
  expect((await call('GET', '/v1/data-sources/n')).status).toBe(404);
  expect(cleaned.output().stderr).toMatch(/datasource deleted: its driver is not installed or is disabled.*"datasource":"pushed"/);
  expect(cleaned.output().stderr).toMatch(/datasource cleanup completed.*"removed":3/);
  expect((await cleaned.stop()).code).toBe(0);

  // The pushed rows went with it: a new datasource of the same name starts empty.
  await start(db, { delete_missing_driver_datasources: 'True' });
  expect((await call('GET', '/v1/data-sources')).body).toEqual({ results: [] });
  expect((await call('POST', '/v1/data-sources', { name: 'pushed', driver: 'push', config: { tables: { t: ['a'] } } })).status).toBe(201);
  expect((await call('GET', '/v1/data-sources/pushed/tables/t/rows')).body).toEqual({ results: [] });
});

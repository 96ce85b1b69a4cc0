/**
 * End to end through a real congress-server process and the fake OpenStack cloud: a nova
 * datasource, a column-reference rule over nova:servers, violations that follow upstream
 * changes after a refresh, an upstream fault that keeps the last good rows, and an
 * execute[...] rule that pauses a server upstream exactly once.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeCloud } from '../../fixtures/openstack';
import { configDirectory, runServer, startServer, type ServerProcess } from '../../support/server';

jest.setTimeout(90_000);

let cloud: FakeCloud;
let server: ServerProcess;
let cfg: Awaited<ReturnType<typeof configDirectory>>;
let auditFile = '';

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(server.url + path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

async function eventually<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}

const errorRows = async (): Promise<unknown[]> =>
  ((await call('GET', '/v1/policies/classification/tables/error/rows')).body as { results: { data: unknown[] }[] }).results.map((r) => r.data);

beforeAll(async () => {
  cloud = await FakeCloud.start();
  auditFile = path.join(mkdtempSync(path.join(tmpdir(), 'congress-audit-')), 'audit.log');
  cfg = await configDirectory({ DEFAULT: { audit_log_file: auditFile } });
  const up = await runServer({ args: ['--config-file', cfg.configFile, '--db-upgrade'] });
  if (up.code !== 0) throw new Error(up.stderr);
  server = await startServer({ args: ['--config-file', cfg.configFile] });
});

afterAll(async () => {
  await server?.stop('SIGTERM');
  await cloud?.close();
  await cfg?.remove();
  if (auditFile !== '') rmSync(path.dirname(auditFile), { recursive: true, force: true });
});

test('violations follow upstream, faults keep the last good rows, actions reach upstream once', async () => {
  const created = await call('POST', '/v1/data-sources', { name: 'nova', driver: 'nova', config: cloud.config({ poll_time: 0 }) });
  expect(created.status).toBe(201);
  expect((created.body as { config: { password: string } }).config.password).toBe('<hidden>');
  const rule = await call('POST', '/v1/policies/classification/rules', { rule: 'error(id, name) :- nova:servers(id=id, name=name, status="ERROR")' });
  expect(rule.status).toBe(201);
  await eventually('initialised', async () => (await call('GET', '/v1/data-sources/nova/status')).body as { initialized: string }, (s) => s.initialized === 'True');
  expect(await errorRows()).toEqual([]);

  // Nova sends `"rxtx_factor": 1.0`: a float, which matches `1.0` in a rule and not `1`, and the
  // rows show as `1.0`, as in the original.
  for (const rule of ['whole(f) :- nova:flavors(id=f, rxtx_factor=1.0)', 'integer(f) :- nova:flavors(id=f, rxtx_factor=1)']) {
    expect((await call('POST', '/v1/policies/classification/rules', { rule })).status).toBe(201);
  }
  expect((await call('POST', '/v1/data-sources/nova?action=request-refresh')).status).toBe(200);
  const text = async (path: string): Promise<string> => (await fetch(server.url + path)).text();
  await eventually('float rows', () => text('/v1/policies/classification/tables/whole/rows'), (t) => t.includes('"2"'));
  const whole = JSON.parse(await text('/v1/policies/classification/tables/whole/rows')) as { results: { data: string[] }[] };
  expect(whole.results.map((r) => r.data[0]).sort()).toEqual(['1', '2']);
  expect(await text('/v1/policies/classification/tables/integer/rows')).toBe('{"results": []}\n');
  expect(await text('/v1/data-sources/nova/tables/flavors/rows')).toContain('["1", "m1.tiny", 1, 512, 1, 0, 1.0]');

  // A server goes to ERROR upstream; a refresh brings the violation.
  const db = cloud.nova.servers.list().find((s) => s.name === 'db-1');
  const web = cloud.nova.servers.list().find((s) => s.name === 'web-1');
  expect(db).toBeDefined();
  expect(web).toBeDefined();
  cloud.nova.servers.update(String(db?.id), { status: 'ERROR' });
  expect((await call('POST', '/v1/data-sources/nova?action=request-refresh')).status).toBe(200);
  await eventually('error row', errorRows, (rows) => rows.length === 1);
  expect(await errorRows()).toEqual([[db?.id, 'db-1']]);

  // Nova answers 500: the status says so and the last good rows stay.
  const removeFault = cloud.addFault({ service: 'nova', status: 500 });
  cloud.nova.servers.update(String(db?.id), { status: 'ACTIVE' });
  await call('POST', '/v1/data-sources/nova?action=request-refresh');
  const failing = await eventually('error in status', async () => (await call('GET', '/v1/data-sources/nova/status')).body as { last_error: string }, (s) => s.last_error !== 'None');
  expect(failing.last_error).toMatch(/500/);
  expect(await errorRows()).toEqual([[db?.id, 'db-1']]);
  // Nova recovers: the violation is gone after the next refresh.
  removeFault();
  await call('POST', '/v1/data-sources/nova?action=request-refresh');
  await eventually('error row gone', errorRows, (rows) => rows.length === 0);

  // An execute rule pauses an ACTIVE server that a policy marks, once.
  await call('POST', '/v1/policies', { name: 'ops' });
  expect((await call('POST', '/v1/policies/ops/rules', { rule: 'execute[nova:servers.pause(id)] :- nova:servers(id=id, status="ACTIVE"), pause_me(id)' })).status).toBe(201);
  expect((await call('POST', '/v1/policies/ops/rules', { rule: `pause_me("${String(web?.id)}")` })).status).toBe(201);
  const actionPath = `/servers/${String(web?.id)}/action`;
  await eventually('pause request upstream', async () => cloud.requestsTo('POST', actionPath).length, (n) => n >= 1);
  await new Promise((r) => setTimeout(r, 500));
  expect(cloud.requestsTo('POST', actionPath)).toHaveLength(1);
  expect(cloud.nova.servers.get(String(web?.id))?.status).toBe('PAUSED');

  // The audit log has the action the engine requested and that the datasource accepted it.
  const audit = () => readFileSync(auditFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  await eventually('the action in the audit log', async () => audit(), (lines) => lines.some((l) => l.type === 'action'));
  const action = audit().find((l) => l.type === 'action');
  expect(action).toMatchObject({ service: 'nova', action: 'servers.pause', positional: [web?.id], outcome: 'accepted' });
  expect(audit().some((l) => l.type === 'write' && l.operation === 'create_data-sources' && l.status === 201)).toBe(true);
});

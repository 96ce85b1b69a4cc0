/**
 * The two non-OpenStack polling drivers end to end through a real congress-server process: a
 * vcenter datasource against the fake vCenter (SOAP) and a cloudfoundryv2 datasource against the
 * fake Cloud Foundry (v2 API and UAA), rules over their tables that follow upstream changes after
 * a refresh, secrets masked, and the vCenter session ended when its datasource is deleted.
 */
import { FakeCloudFoundry } from '../../fixtures/cloudfoundry';
import { CF_IDS } from '../../fixtures/cloudfoundry-data';
import { FakeVCenter } from '../../fixtures/vsphere';
import { configDirectory, runServer, startServer, type ServerProcess } from '../../support/server';
import { waitFor } from '../../support/wait';

jest.setTimeout(90_000);

let vc: FakeVCenter;
let cf: FakeCloudFoundry;
let server: ServerProcess;
let cfg: Awaited<ReturnType<typeof configDirectory>>;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(server.url + path, { method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

const rows = async (table: string): Promise<unknown[]> => ((await call('GET', `/v1/policies/classification/tables/${table}/rows`)).body as { results: { data: unknown[] }[] }).results.map((r) => r.data).sort();

/** Waits until a policy table holds exactly `expected` (sorted). */
const rowsBecome = (table: string, expected: unknown[]): Promise<unknown[]> =>
  waitFor(`${table} = ${JSON.stringify(expected)}`, 15_000, async () => {
    const got = await rows(table);
    return JSON.stringify(got) === JSON.stringify(expected) ? got : undefined;
  });

beforeAll(async () => {
  vc = await FakeVCenter.start();
  cf = await FakeCloudFoundry.start();
  cfg = await configDirectory();
  const up = await runServer({ args: ['--config-file', cfg.configFile, '--db-upgrade'] });
  if (up.code !== 0) throw new Error(up.stderr);
  server = await startServer({ args: ['--config-file', cfg.configFile] });
});

afterAll(async () => {
  await server?.stop('SIGTERM');
  await vc?.close();
  await cf?.close();
  await cfg?.remove();
});

test('vcenter: a rule over vms follows vCenter, and deleting the datasource ends the session', async () => {
  const created = await call('POST', '/v1/data-sources', { name: 'vc', driver: 'vcenter', config: vc.config() });
  expect(created.status).toBe(201);
  expect((created.body as { config: { password: string } }).config.password).toBe('<hidden>');
  expect((await call('POST', '/v1/policies/classification/rules', { rule: 'on_host1(vm) :- vc:vms(name=vm, host_uuid=h), vc:hosts(name="Host1", uuid=h)' })).status).toBe(201);
  expect((await call('POST', '/v1/data-sources/vc?action=request-refresh')).status).toBe(200);
  await rowsBecome('on_host1', [['VM1']]);

  vc.vms[1].host = 'Host1';
  expect((await call('POST', '/v1/data-sources/vc?action=request-refresh')).status).toBe(200);
  await rowsBecome('on_host1', [['VM1'], ['VM2']]);
  expect(vc.openServerState()).toEqual({ views: 0, retrievals: 0, sessions: 1 });

  expect((await call('DELETE', '/v1/data-sources/vc')).status).toBe(200);
  await waitFor('vCenter logout', 10_000, () => (vc.openServerState().sessions === 0 ? true : undefined));
  expect(vc.methods().at(-1)).toBe('Logout');
});

test('cloudfoundryv2: a rule over apps follows Cloud Foundry', async () => {
  const created = await call('POST', '/v1/data-sources', { name: 'cf', driver: 'cloudfoundryv2', config: cf.config() });
  expect(created.status).toBe(201);
  expect((created.body as { config: { password: string } }).config.password).toBe('<hidden>');
  expect((await call('POST', '/v1/policies/classification/rules', { rule: 'stopped(app) :- cf:apps(name=app, state="STOPPED")' })).status).toBe(201);
  expect((await call('POST', '/v1/data-sources/cf?action=request-refresh')).status).toBe(200);
  await rowsBecome('stopped', [['help']]);

  const app = cf.apps[CF_IDS.space1].find((a) => a.metadata.guid === CF_IDS.app1);
  if (app === undefined) throw new Error('fixture app missing');
  app.entity.state = 'STOPPED';
  expect((await call('POST', '/v1/data-sources/cf?action=request-refresh')).status).toBe(200);
  await rowsBecome('stopped', [['help'], ['rails_sample_app']]);
  const status = (await call('GET', '/v1/data-sources/cf/status')).body as { last_error: string };
  expect(status.last_error).toBe('None');
});

// The API's datasource routes over the bus (in-process): calls reach the datasource node's
// services by RPC; with no datasource node a stored datasource answers a Congress 503 at once,
// an unknown one still 404.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApiApp } from '../../../src/api';
import { DseNode, InProcessBroker } from '../../../src/bus';
import { openPolicyStore, type PolicyStore } from '../../../src/db';
import { DatasourceDirectory, DatasourceManager } from '../../../src/services/datasources';
import { PolicyEngineService, silentLogger } from '../../../src/services/engine';
import { DatasourceLink } from '../../../src/services/engine/datasource-link';
import { BusDatasources } from '../../../src/server/bus-datasources';
import { eventually } from '../bus/support/eventually';

const timing = { heartbeatIntervalMs: 50, peerTimeoutMs: 200, discoveryMs: 20, callTimeoutMs: 2000 };

let dir: string;
let store: PolicyStore;
let pe: DseNode;
let ds: DseNode;
let manager: DatasourceManager;
let link: DatasourceLink;
let app: ReturnType<typeof createApiApp>;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-roles-'));
  store = await openPolicyStore({ connection: `sqlite:///${path.join(dir, 'c.sqlite')}`, encryptionKeyPath: path.join(dir, 'keys'), migrate: true });
  const broker = new InProcessBroker();
  ds = new DseNode({ nodeId: 'ds', busId: 'b', transport: broker.transport(), ...timing });
  await ds.start();
  manager = new DatasourceManager({ node: ds, store, syncPeriodMs: 0 });
  await manager.start();
  pe = new DseNode({ nodeId: 'pe', busId: 'b', transport: broker.transport(), ...timing });
  await pe.start();
  const { engine } = await PolicyEngineService.start(store, { logger: silentLogger, onRulesChanged: () => link.changed() });
  link = new DatasourceLink(store, engine.runtime, pe, { syncPeriodMs: 0 });
  await link.start();
  const datasources = new BusDatasources(new DatasourceDirectory(pe, store), pe, store, () => link.changed(), 2000);
  app = createApiApp({ engine, library: engine.library, datasources, logger: { info: () => undefined, error: () => undefined } });
});

afterEach(async () => {
  await link.stop();
  await manager.stop();
  await pe.stop();
  await ds.stop();
  await store.close();
  await fs.rm(dir, { recursive: true, force: true });
});

test('pushed rows go to the datasource node and reach the policies', async () => {
  const made = await request(app).post('/v1/data-sources').send({ name: 'pushds', driver: 'push', config: { tables: { t: ['a', 'b'] } } });
  expect(made.status).toBe(201);
  expect((await request(app).post('/v1/policies').send({ name: 'alpha', rules: [{ rule: 'p(x) :- pushds:t(x, y)' }] })).status).toBe(201);
  expect((await request(app).put('/v1/data-sources/pushds/tables/t/rows').send([['k', 1]])).status).toBe(200);
  const rows = await request(app).get('/v1/data-sources/pushds/tables/t/rows');
  expect(rows.body).toEqual({ results: [{ data: ['k', 1] }] });
  await eventually(async () => expect((await request(app).get('/v1/policies/alpha/tables/p/rows')).body).toEqual({ results: [{ data: ['k'] }] }));
  const driver = await request(app).get('/v1/system/drivers/push');
  expect(driver.status).toBe(200);
  expect(Object.keys(driver.body as object).sort()).toEqual(['config', 'description', 'id', 'tables']);
});

test('without a datasource node: 503 at once for stored datasources and the manager, 404 for unknown ones', async () => {
  expect((await request(app).post('/v1/data-sources').send({ name: 'pushds', driver: 'push', config: { tables: { t: ['a'] } } })).status).toBe(201);
  await manager.stop();
  await ds.stop();
  await eventually(() => expect(pe.serviceHosts()._ds_manager).toBeUndefined());
  for (const [method, url] of [
    ['put', '/v1/data-sources/pushds/tables/t/rows'],
    ['get', '/v1/data-sources/pushds/tables/t/rows'],
    ['get', '/v1/data-sources/pushds/status'],
    ['get', '/v1/data-sources/pushds/actions'],
    ['post', '/v1/data-sources/pushds?action=request-refresh'],
    ['post', '/v1/data-sources'],
    ['delete', '/v1/data-sources/pushds'],
  ] as const) {
    const t0 = Date.now();
    const body = method === 'post' && url === '/v1/data-sources' ? { name: 'x', driver: 'push', config: { tables: { u: ['a'] } } } : method === 'put' ? [] : undefined;
    const r = await request(app)[method](url).send(body);
    expect({ url, method, status: r.status }).toEqual({ url, method, status: 503 });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(r.body).toEqual({ error: { message: expect.stringMatching(/^Service Unavailable::/) as unknown, error_code: 503, error_data: null } });
  }
  expect((await request(app).get('/v1/data-sources/nosuch/status')).status).toBe(404);
  // Reads of the stored rows need no datasource node.
  expect((await request(app).get('/v1/data-sources/pushds')).status).toBe(200);
});

// The API's datasource routes over the bus (in-process): calls reach the datasource node's
// services by RPC; with no datasource node a stored datasource answers a Congress 503 at once,
// an unknown one still 404.
import request from 'supertest';
import { eventually } from '../bus/support/eventually';
import { startSplitRoles, type SplitRoles } from './support/split-roles';

let roles: SplitRoles;
let app: SplitRoles['app'];

beforeEach(async () => {
  roles = await startSplitRoles();
  app = roles.app;
});

afterEach(() => roles.close());

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
  await roles.manager.stop();
  await roles.ds.stop();
  await eventually(() => expect(roles.pe.serviceHosts()._ds_manager).toBeUndefined());
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

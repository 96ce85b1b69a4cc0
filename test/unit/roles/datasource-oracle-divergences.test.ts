// Datasource answers found to diverge from the original by replaying scripts/congress-api-oracle's
// extended transcript: the vitrage webhook driver, the reason-phrase prefix of refusals by the
// datasource's own service, datasource execute's body, prefixed tables in policy table lists.
import request from 'supertest';
import { eventually } from '../bus/support/eventually';
import { startSplitRoles, type SplitRoles } from './support/split-roles';

let roles: SplitRoles;
let app: SplitRoles['app'];

beforeEach(async () => {
  roles = await startSplitRoles({ actions: true });
  app = roles.app;
});

afterEach(() => roles.close());

const ALARM = {
  notification: 'vitrage.alarm.activate',
  payload: {
    vitrage_id: 'a1',
    name: 'Instance memory performance degraded',
    state: 'Active',
    vitrage_type: 'vitrage',
    vitrage_operational_severity: 'WARNING',
    update_timestamp: '2018-01-22T10:00:34Z',
    resource: { vitrage_id: 'r1', name: 'app-1-server-1', id: 'i1', project_id: 'p1', vitrage_operational_state: 'OK', vitrage_type: 'nova.instance' },
  },
};

test('webhook-e01..e09: vitrage alarms arrive by webhook, one row per vitrage_id', async () => {
  expect((await request(app).get('/v1/system/drivers/vitrage')).body).toMatchObject({
    id: 'vitrage',
    description: 'Datasource driver that accepts Vitrage webhook alarm notifications.',
    config: { persist_data: '(optional)', hours_to_keep_alarm: '(optional)' },
  });
  expect((await request(app).post('/v1/data-sources').send({ name: 'vit', driver: 'vitrage', config: {} })).status).toBe(201);
  expect((await request(app).post('/v1/data-sources/vit/webhook').send(ALARM)).status).toBe(200);
  const again = { ...ALARM, payload: { ...ALARM.payload, state: 'Inactive' } };
  const w = await request(app).post('/v1/data-sources/vit/webhook').send(again);
  expect(w.status).toBe(200);
  expect(w.text).toBe('');
  const rows = (await request(app).get('/v1/data-sources/vit/tables/alarms/rows')).body.results;
  expect(rows).toHaveLength(1);
  const [row] = rows.map((r: { data: unknown[] }) => r.data);
  expect(row.slice(0, 6)).toEqual(['Instance memory performance degraded', 'Inactive', 'vitrage', 'WARNING', 'a1', '2018-01-22T10:00:34Z']);
  expect(row[6]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  expect(row.slice(7)).toEqual(['app-1-server-1', 'i1', 'r1', 'p1', 'OK', 'nova.instance']);
  const bad = await request(app).post('/v1/data-sources/vit/webhook').send({ notification: 'x', payload: {} });
  expect(bad.status).toBe(400);
  expect(bad.body.error.message).toBe('Bad Request::the notification payload lacks field vitrage_id');
  expect((await request(app).post('/v1/data-sources').send({ name: 'doc', driver: 'doctor' })).status).toBe(201);
  const doc = await request(app).post('/v1/data-sources/doc/webhook').send({ a: 1 });
  expect(doc.status).toBe(400);
  expect(doc.body.error.message).toBe('Bad Request::Method process_webhook_notification not supported for datasource doc');
});

test('datasources-e38/e39: refusals of a push are prefixed with the reason phrase', async () => {
  expect((await request(app).post('/v1/data-sources').send({ name: 'doc', driver: 'doctor' })).status).toBe(201);
  const unknown = await request(app).put('/v1/data-sources/doc/tables/nosuch/rows').send([]);
  expect(unknown.status).toBe(400);
  expect(unknown.body.error).toEqual({ message: 'Bad Request::translator: nosuch is not in the datasource driver', error_code: 400, error_data: null });
  const lacking = await request(app).put('/v1/data-sources/doc/tables/events/rows').send([{ time: 't', type: 'x' }]);
  expect(lacking.body.error.message).toBe('Bad Request::row 0 lacks field details');
});

test('datasources-e46/e47, wide-e122/e127/e132: datasource execute takes the driver method as name, args checked first', async () => {
  expect((await request(app).post('/v1/data-sources').send({ name: 'doc', driver: 'doctor' })).status).toBe(201);
  // The engine learns of the new service from the bus.
  await eventually(async () => {
    const run = await request(app).post('/v1/data-sources/doc?action=execute').send({ name: 'foo', args: { positional: [], named: {} } });
    expect([run.status, run.body]).toEqual([200, {}]);
  });
  const badArgs = await request(app).post('/v1/data-sources/doc?action=execute').send({ name: 'foo', args: 'x' });
  expect(badArgs.body.error.error_code).toBe(1018);
  // wide-e127/e122: no action is the engine's 1016 once the service is found, on both routes.
  const noName = await request(app).post('/v1/data-sources/doc?action=execute').send({ args: {} });
  expect([noName.status, noName.body.error]).toEqual([400, { message: 'Error in execution procedure::Action not found', error_code: 1016, error_data: null }]);
  const emptyAction = await request(app).post('/v1/policies/classification?action=execute').send({ name: 'doc:' });
  expect(emptyAction.body.error.message).toBe('Error in execution procedure::Action not found');
  // A null positional or named part is the argument syntax error, never an empty argument list.
  for (const args of [{ positional: null }, { named: null }]) {
    const viaDatasource = await request(app).post('/v1/data-sources/doc?action=execute').send({ name: 'foo', args });
    expect([viaDatasource.status, viaDatasource.body.error?.error_code]).toEqual([400, 1018]);
    const viaPolicy = await request(app).post('/v1/policies/classification?action=execute').send({ name: 'doc:foo', args });
    expect([viaPolicy.status, viaPolicy.body.error?.error_code]).toEqual([400, 1018]);
  }
  // wide-e132: an unknown datasource is the engine's unknown service, not a 404.
  const unknown = await request(app).post('/v1/data-sources/nosuch?action=execute').send({});
  expect([unknown.status, unknown.body.error]).toEqual([400, { message: 'Error in execution procedure::Service nosuch not found', error_code: 1016, error_data: null }]);
});

test('datasources-e69: a policy lists the datasource tables its rules read, prefixed', async () => {
  expect((await request(app).post('/v1/data-sources').send({ name: 'doc', driver: 'doctor' })).status).toBe(201);
  expect((await request(app).post('/v1/policies').send({ name: 'alpha' })).status).toBe(201);
  await eventually(async () => expect((await request(app).post('/v1/policies/alpha/rules').send({ rule: 'down(h) :- doc:events(hostname=h)' })).status).toBe(201));
  const t = await request(app).get('/v1/policies/alpha/tables');
  expect(new Set(t.body.results.map((r: { id: string }) => r.id))).toEqual(new Set(['down', 'doc:events']));
});

test('datasources-e31: the status keeps the original keys as strings, with the typed additions alongside', async () => {
  expect((await request(app).post('/v1/data-sources').send({ name: 'doc', driver: 'doctor' })).status).toBe(201);
  const st = await request(app).get('/v1/data-sources/doc/status');
  expect(st.status).toBe(200);
  expect(st.body).toMatchObject({ last_updated: 'None', last_error: 'None', number_of_updates: '0', initialized: 'True', subscriptions: [] });
  // Rows per table are part of the status where the API exposes it (spec datasources.md §1.8).
  expect(st.body.row_counts).toEqual({ events: 0 });
});

test('extra-e35: pushed floats, booleans and nulls arrive as the original converts them', async () => {
  expect((await request(app).post('/v1/data-sources').send({ name: 'doc', driver: 'doctor' })).status).toBe(201);
  const body = '[{"time": 1, "type": true, "details": {"hostname": null, "status": 2.5, "monitor": "m", "monitor_event_id": [1, 2]}}]';
  const put = await request(app).put('/v1/data-sources/doc/tables/events/rows').set('content-type', 'application/json').send(body);
  expect(put.status).toBe(200);
  const rows = await request(app).get('/v1/data-sources/doc/tables/events/rows');
  expect(rows.body).toEqual({ results: [{ data: [1, 'True', 'None', 2.5, 'm', '[1, 2]'] }] });
});

test('a number description is echoed as given and stored as text; a non-boolean enabled is the DSE refusal', async () => {
  const made = await request(app).post('/v1/data-sources').send({ name: 'dd4', driver: 'doctor', description: 5 });
  expect([made.status, made.body.description]).toEqual([201, 5]);
  expect((await request(app).get('/v1/data-sources/dd4')).body.description).toBe('5');
  const yes = await request(app).post('/v1/data-sources').send({ name: 'dd3', driver: 'doctor', enabled: 'yes' });
  expect([yes.status, yes.body.error.message]).toEqual([400, 'Datasource could not be created on the DSE: dd3']);
});

test("wide3-k02/k04/k08: a datasource's engine policy has a status by name; its id names no policy", async () => {
  const made = await request(app).post('/v1/data-sources').send({ name: 'kdoc', driver: 'doctor' });
  expect(made.status).toBe(201);
  await eventually(async () => expect((await request(app).get('/v1/policies/kdoc/status')).body).toEqual({ name: 'kdoc' }));
  const rule = await request(app).get('/v1/policies/kdoc/rules/x/status');
  expect([rule.status, rule.body.error?.message]).toEqual([404, 'rule_id x  is not found.']);
  const byId = await request(app).get(`/v1/policies/${made.body.id}/status`);
  expect([byId.status, byId.body.error?.message]).toEqual([404, `policy with name or id '${made.body.id}' doesn't exist`]);
  const insert = await request(app).post(`/v1/policies/${made.body.id}/rules`).send({ rule: 'x(1)' });
  expect([insert.status, insert.body.error]).toEqual([
    404,
    { message: `The specified policy does not exist.::Policy ID ${made.body.id} does not exist`, error_code: 1020, error_data: null },
  ]);
  // By name it stays the 1019 refusal.
  expect((await request(app).post('/v1/policies/kdoc/rules').send({ rule: 'x(1)' })).body.error.error_code).toBe(1019);
});

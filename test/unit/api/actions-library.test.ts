/** Simulate and execute actions, library policies and instantiating them, datasource and driver routes. */
import request from 'supertest';
import { errorOf, startHarness, type ApiHarness } from './support/harness';

jest.setTimeout(30_000);

let h: ApiHarness;
beforeAll(async () => {
  h = await startHarness();
  await request(h.app).post('/v1/policies').send({ name: 'alpha', rules: [{ rule: 'q(1)' }, { rule: 'p(x) :- q(x), lt(x, 2)' }] }).expect(201);
});
afterAll(() => h.close());

const simulate = (query: string, body: unknown, policy = 'alpha'): request.Test =>
  request(h.app).post(`/v1/policies/${policy}?action=simulate${query}`).send(body as object);

describe('simulate', () => {
  test('answers with the sequence applied, and leaves the policy unchanged', async () => {
    const r = await simulate('', { query: 'p(x)', action_policy: 'action', sequence: 'q+(0)' });
    expect(r.status).toBe(200);
    expect([...r.body.result].sort()).toEqual(['p(0)', 'p(1)']);
    expect((await request(h.app).get('/v1/policies/alpha/tables/q/rows')).body.results).toEqual([{ data: [1] }]);
  });

  test('delta and trace flags, and the policy given by id (D3)', async () => {
    const id = (await request(h.app).get('/v1/policies/alpha')).body.id as string;
    const r = await simulate('&delta=TRUE&trace=1', { query: 'p(x)', action_policy: 'action', sequence: 'q+(0) q-(1)' }, id);
    expect(r.status).toBe(200);
    expect([...r.body.result].sort()).toEqual(['p+(0)', 'p-(1)']);
    expect(typeof r.body.trace).toBe('string');
  });

  test('errors', async () => {
    let r = await simulate('', { query: 'p(x)', action_policy: 'action' });
    expect(errorOf(r.body)).toEqual({ message: 'Simulate requires parameters: query, sequence, action_policy', error_code: 1004, error_data: null });
    r = await simulate('', { query: 'p(x)', action_policy: 'nosuch', sequence: 'q+(0)' });
    expect(errorOf(r.body)).toEqual({ message: 'Error in simulate procedure::Unknown policy nosuch', error_code: 1007, error_data: null });
    r = await simulate('', { query: 'p(x)', action_policy: 'action', sequence: 'q+(' });
    expect(r.status).toBe(400);
    expect(errorOf(r.body).message).toMatch(/^Error in simulate procedure::Parse failure\./);
    // The policies are looked up before the texts are parsed (recorded on the original).
    for (const body of [{ query: 'q(', sequence: 'q+(0)' }, { query: 'p(x)', sequence: 'p+(101 5)' }, { query: '', sequence: '' }]) {
      r = await simulate('&delta=true', { ...body, action_policy: 'nosuch' });
      expect(errorOf(r.body)).toEqual({ message: 'Error in simulate procedure::Unknown policy nosuch', error_code: 1007, error_data: null });
    }
  });
});

describe('execute', () => {
  const execute = (body: unknown): request.Test => request(h.app).post('/v1/policies/alpha?action=execute').send(body as object);
  test('syntax errors and unknown services', async () => {
    const cases: [unknown, number, string][] = [
      [{ name: 'noColon' }, 1017, 'Incorrect action syntax. Requires: <service>:<action>'],
      [{}, 1017, 'Incorrect action syntax. Requires: <service>:<action>'], // D12: not 501
      [{ name: 'a:b', args: [1] }, 1018, "Incorrect argument syntax. Requires: {'positional': [<args>], 'named': {<key>:<value>,}}"],
      // What is inside `args` is read only once the service is found (types-e28 of the API oracle).
      [{ name: 'a:b', args: { positional: 'x' } }, 1016, 'Error in execution procedure::Service a not found'],
      [{ name: 'nova:servers.pause', args: { positional: ['x'] } }, 1016, 'Error in execution procedure::Service nova not found'],
    ];
    for (const [body, code, message] of cases) {
      const r = await execute(body);
      expect({ body, status: r.status, ...errorOf(r.body) }).toEqual({ body, status: 400, message, error_code: code, error_data: null });
    }
  });
});

describe('library policies', () => {
  let libId: string;
  test('create, list, filter, show with and without rules', async () => {
    const r = await request(h.app)
      .post('/v1/librarypolicies')
      .send({ name: 'lib1', description: 'library one', rules: [{ rule: 'x(1)', name: 'r1', comment: 'c1' }, { rule: 'y(a) :- x(a)' }] });
    expect(r.status).toBe(201);
    libId = r.body.id;
    expect(r.body).toEqual({
      id: libId,
      name: 'lib1',
      abbreviation: 'lib1',
      description: 'library one',
      kind: 'nonrecursive',
      rules: [{ rule: 'x(1)', name: 'r1', comment: 'c1' }, { rule: 'y(a) :- x(a)' }],
    });
    expect(r.headers.location).toMatch(new RegExp(`/v1/librarypolicies/${libId}$`));
    expect((await request(h.app).get('/v1/librarypolicies')).body.results).toEqual([r.body]);
    expect((await request(h.app).get('/v1/librarypolicies?name=lib1&include_rules=FALSE')).body.results[0].rules).toBeUndefined();
    expect((await request(h.app).get('/v1/librarypolicies?name=none')).body.results).toEqual([]);
    expect((await request(h.app).get(`/v1/librarypolicies/${libId}?include_rules=False`)).body.rules).toBeUndefined();
    await request(h.app).post('/v1/librarypolicies').send({ name: 'junk', rules: [{ rule: 'not even datalog (' }] }).expect(201);
  });

  test('validation and unknown ids (D1, D7)', async () => {
    let r = await request(h.app).post('/v1/librarypolicies').send({ name: 'x', abbreviation: 'toolong', rules: [] });
    expect(errorOf(r.body).message).toBe('Bad Request::Input policy item violates schema.');
    expect(typeof errorOf(r.body).error_data).toBe('string');
    r = await request(h.app).post('/v1/librarypolicies').send({ name: 'bad name', rules: [] });
    expect(errorOf(r.body)).toEqual({ message: 'Bad Request::name `bad name` is not a valid policy name', error_code: 400, error_data: null });
    r = await request(h.app).post('/v1/librarypolicies').send({ name: 'lib1', rules: [] });
    expect(errorOf(r.body)).toEqual({ message: 'Policy with name lib1 already exists', error_code: 409, error_data: null });
    for (const m of ['get', 'delete'] as const) {
      r = await request(h.app)[m]('/v1/librarypolicies/nosuch');
      expect(errorOf(r.body)).toEqual({ message: 'No policy found with policy id nosuch', error_code: 404, error_data: null });
    }
  });

  test('instantiate as a live policy, then the library copy can change independently', async () => {
    const r = await request(h.app).post(`/v1/policies?library_policy=${libId}`).send({});
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'lib1', description: 'library one', abbreviation: 'lib1', kind: 'nonrecursive', owner_id: 'user' });
    expect(r.body.rules).toEqual([
      { rule: 'x(1)', comment: 'c1', name: 'r1' },
      { rule: 'y(a) :-\n  x(a)', comment: '', name: null },
    ]);
    expect(r.headers.location).toMatch(new RegExp(`/v1/policies/${r.body.id}$`));
    expect((await request(h.app).get('/v1/policies/lib1/tables/y/rows')).body.results).toEqual([{ data: [1] }]);

    let e = await request(h.app).post(`/v1/policies?library_policy=${libId}`).send({});
    expect(errorOf(e.body)).toEqual({ message: 'Policy with name lib1 already exists', error_code: 409, error_data: null });
    e = await request(h.app).post('/v1/policies?library_policy=nosuch').send({});
    expect(e.status).toBe(404); // D7b
    e = await request(h.app).post(`/v1/policies?library_policy=${libId}`).send({ name: 'x' });
    expect(e.status).toBe(400); // D12
    const junk = (await request(h.app).get('/v1/librarypolicies?name=junk')).body.results[0].id as string;
    e = await request(h.app).post(`/v1/policies?library_policy=${junk}`).send({});
    expect(errorOf(e.body).error_code).toBe(1002);
    expect((await request(h.app).get('/v1/policies/junk')).status).toBe(404);

    const put = await request(h.app).put(`/v1/librarypolicies/${libId}`).send({ name: 'lib1b', rules: [{ rule: 'z(2)' }] }); // D6
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: libId, name: 'lib1b', abbreviation: 'lib1b', rules: [{ rule: 'z(2)' }] });
    expect((await request(h.app).put('/v1/librarypolicies/nosuch').send({ name: 'q', rules: [] })).status).toBe(404);
    const del = await request(h.app).delete(`/v1/librarypolicies/${libId}`);
    expect(del.body.name).toBe('lib1b');
    expect((await request(h.app).get('/v1/policies/lib1/tables/y/rows')).body.results).toEqual([{ data: [1] }]);
  });
});

describe('datasources and drivers without the datasources role', () => {
  test('lists are empty and unknown items are 404 with Congress messages', async () => {
    expect((await request(h.app).get('/v1/data-sources')).body).toEqual({ results: [] });
    expect((await request(h.app).get('/v1/system/drivers')).body).toEqual({ results: [] });
    const cases: [string, string, string][] = [
      ['get', '/v1/system/drivers/nosuch', 'Driver not found nosuch. Either not supported or disabled by deployer in Congress config'],
      ['get', '/v1/data-sources/nosuch', 'Datasource not found nosuch'],
      ['delete', '/v1/data-sources/nosuch', 'Datasource not found nosuch'], // D11
      ['get', '/v1/data-sources/nosuch/tables', "Not Found::service 'nosuch' could not be found"],
      ['get', '/v1/data-sources/nosuch/tables/t/rows', "Not Found::service 'nosuch' could not be found"],
      ['get', '/v1/data-sources/nosuch/status', "service 'nosuch' could not be found"],
      ['put', '/v1/data-sources/nosuch/tables/t/rows', "Not Found::service 'nosuch' could not be found"],
    ];
    for (const [m, p, message] of cases) {
      const r = await (m === 'put' ? request(h.app).put(p).send([]) : request(h.app)[m as 'get' | 'delete'](p));
      expect({ p, status: r.status, message: errorOf(r.body).message }).toEqual({ p, status: 404, message });
    }
  });

  test('creation names the problem (D9, D10)', async () => {
    let r = await request(h.app).post('/v1/data-sources').send({ name: '_x', driver: 'doctor' });
    expect(errorOf(r.body).message).toBe('Datasource name _x is invalid. Cannot be empty or start with underscore.  Must be valid in policy language');
    r = await request(h.app).post('/v1/data-sources').send({ name: 'd2', driver: 'nosuch' });
    expect(errorOf(r.body)).toEqual({ message: 'Invalid driver: nosuch', error_code: 400, error_data: null });
  });
});

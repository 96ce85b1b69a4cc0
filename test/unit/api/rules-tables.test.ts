/** Rules, tables and rows of policies, with name-or-id lookups (D3) and the fixed errors (D4, D13). */
import request from 'supertest';
import { errorOf, startHarness, type ApiHarness } from './support/harness';

jest.setTimeout(30_000);

let h: ApiHarness;
let alphaId: string;
beforeAll(async () => {
  h = await startHarness();
  alphaId = (await request(h.app).post('/v1/policies').send({ name: 'alpha', abbreviation: 'alp' })).body.id;
});
afterAll(() => h.close());

const addRule = (policy: string, body: unknown): request.Test => request(h.app).post(`/v1/policies/${policy}/rules`).send(body as object);

test('create answers pretty text, GET and DELETE the original text', async () => {
  const r = await addRule('alpha', { rule: 'p(x) :- q(x), lt(x, 2)', name: 'prule', comment: 'p from q' });
  expect(r.status).toBe(201);
  expect(r.body).toEqual({ rule: 'p(x) :-\n  q(x),\n  lt(x, 2)', id: r.body.id, comment: 'p from q', name: 'prule' });
  expect(r.headers.location).toMatch(new RegExp(`/v1/policies/alpha/rules/${r.body.id}$`));
  const g = await request(h.app).get(`/v1/policies/alpha/rules/${r.body.id}`);
  expect(g.body).toEqual({ rule: 'p(x) :- q(x), lt(x, 2)', id: r.body.id, comment: 'p from q', name: 'prule' });
  const byId = await request(h.app).get(`/v1/policies/${alphaId}/rules/${r.body.id}`);
  expect(byId.body).toEqual(g.body);
  const status = await request(h.app).get(`/v1/policies/alpha/rules/${r.body.id}/status`);
  expect(status.body).toEqual({ name: 'prule', id: r.body.id, comment: 'p from q', original_str: 'p(x) :- q(x), lt(x, 2)' });
});

test('facts, rows, trace, tables and table elements', async () => {
  const f = await addRule(alphaId, { rule: 'q(1)' });
  expect(f.status).toBe(201);
  expect(f.body).toMatchObject({ rule: 'q(1)', comment: '', name: null });
  await addRule('alpha', { rule: 'q("a b")' }).expect(201);
  await addRule('alpha', { rule: 'q(2.5)' }).expect(201);
  const tables = await request(h.app).get('/v1/policies/alpha/tables');
  expect((tables.body.results as { id: string }[]).map((t) => t.id).sort()).toEqual(['p', 'q']);
  expect((await request(h.app).get(`/v1/policies/${alphaId}/tables/q`)).body).toEqual({ id: 'q' });
  expect(errorOf((await request(h.app).get('/v1/policies/alpha/tables/zz')).body).message).toBe('Not found');
  expect(errorOf((await request(h.app).get('/v1/policies/nosuch/tables')).body).message).toBe('Not found');
  const rows = await request(h.app).get('/v1/policies/alpha/tables/q/rows');
  expect(rows.text).toContain('2.5');
  expect(rows.body.results).toEqual(expect.arrayContaining([{ data: [1] }, { data: ['a b'] }, { data: [2.5] }]));
  const traced = await request(h.app).get('/v1/policies/alpha/tables/p/rows?trace=TRUE');
  expect(traced.body.results).toEqual([{ data: [1] }]);
  expect(typeof traced.body.trace).toBe('string');
  const one = await request(h.app).get('/v1/policies/alpha/tables/p/rows?trace=1');
  expect(one.body.trace).toBeUndefined();
  const missing = await request(h.app).get('/v1/policies/alpha/tables/nosuch/rows');
  expect(errorOf(missing.body)).toEqual({ message: "Not Found::table 'nosuch' doesn't exist", error_code: 404, error_data: null });
});

test('rule errors carry the engine codes and messages', async () => {
  const cases: [unknown, number, number, string][] = [
    [{ rule: 'p(x) :- q(x' }, 400, 1002, "Syntax error for rule::Parse failure.\nline:1,col:10  no viable alternative at input 'x'"],
    [{ rule: '  ' }, 400, 1002, 'Syntax error for rule::Empty string passed. Not a valid rule'],
    [{ rule: 'a(1); b(2)' }, 400, 1003, 'Received string representing more than 1 rule::Received multiple rules: a(1); b(2)'],
    [{ rule: 'bad(x, y) :- q(x)' }, 400, 1002, 'Syntax error for rule::Variable y found in head but not in body, rule bad(x, y) :- q(x)'],
    [{ rule: 'q(1, 2)' }, 400, 1002, 'Syntax error for rule::Literal q(1, 2) contained 2 arguments but exactly 1 arguments are permitted'],
    [{ rule: 'q(x) :- p(x)' }, 400, 1002, 'Syntax error for rule::Rules are recursive'],
    [{ rule: 'q(1)' }, 409, 1008, 'Rule already exists::(1008) Rule already exists'],
    [{}, 400, 1002, "Syntax error for rule::Request body must be an object with a 'rule' string"], // D13
  ];
  for (const [body, status, code, message] of cases) {
    const r = await addRule('alpha', body);
    expect({ body, status: r.status, ...errorOf(r.body) }).toEqual({ body, status, message, error_code: code, error_data: null });
  }
  const unknown = await addRule('nosuch', { rule: 'a(1)' });
  expect(errorOf(unknown.body)).toEqual({
    message: 'The specified policy does not exist.::Policy ID nosuch does not exist',
    error_code: 1020,
    error_data: null,
  });
  const stored = (await h.store.listRules('alpha')).map((r) => r.rule);
  expect(stored).not.toContain('bad(x, y) :- q(x)');
});

test('list, unknown rules, delete and delete again (D4)', async () => {
  const r = await addRule('alpha', { rule: 'w(x) :-\n    q(x),\n    not p(x)' });
  expect(r.body.rule).toBe('w(x) :-\n  q(x),\n  not p(x)');
  const list = await request(h.app).get(`/v1/policies/${alphaId}/rules`);
  expect((list.body.results as { id: string }[]).map((x) => x.id)).toContain(r.body.id);
  expect(errorOf((await request(h.app).get('/v1/policies/alpha/rules/nosuch')).body)).toEqual({ message: 'Not found', error_code: 404, error_data: null });
  expect(errorOf((await request(h.app).get('/v1/policies/nosuch/rules')).body).error_code).toBe(1020);
  expect(errorOf((await request(h.app).get('/v1/policies/alpha/rules/nosuch/status')).body).message).toBe('rule_id nosuch  is not found.');

  const d = await request(h.app).delete(`/v1/policies/alpha/rules/${r.body.id}`);
  expect(d.status).toBe(200);
  expect(d.body.rule).toBe('w(x) :-\n    q(x),\n    not p(x)');
  expect((await request(h.app).get('/v1/policies/alpha/tables/w/rows')).status).toBe(404);
  const again = await request(h.app).delete(`/v1/policies/alpha/rules/${r.body.id}`);
  expect(again.status).toBe(404);
  expect(errorOf(again.body)).toEqual({
    message: `Not Found::rule_id ${r.body.id} does not exist in policy alpha`,
    error_code: 404,
    error_data: `ID: ${r.body.id}, policy_name: alpha`,
  });
});

test('a literal without parentheses is kept in the pretty text (D14)', async () => {
  await addRule('alpha', { rule: 'zz :- q(1)' }).expect(201);
  const r = await addRule('alpha', { rule: 'xx(x) :- q(x), not zz' });
  expect(r.body.rule).toBe('xx(x) :-\n  q(x),\n  not zz');
});

test('action rules and references to other policies are accepted at once', async () => {
  const t0 = Date.now();
  await addRule('alpha', { rule: 'pb(x) :- nosuchpolicy:q(x)' }).expect(201);
  await addRule('action', { rule: 'execute[nova:servers.pause(x)] :- q(x)' }).expect(201);
  expect(Date.now() - t0).toBeLessThan(2000);
  expect((await request(h.app).get('/v1/policies/action/tables')).body.results).not.toContainEqual({ id: 'execute[nova:servers.pause]' });
});

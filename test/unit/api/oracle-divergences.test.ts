/**
 * Answers found to diverge from the original by replaying scripts/congress-api-oracle's extended
 * transcript (recorded against the original server); each test names the step.
 */
import request from 'supertest';
import { errorOf, startHarness, type ApiHarness } from './support/harness';

jest.setTimeout(30_000);

let h: ApiHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const post = (path: string, body: unknown): request.Test => request(h.app).post(path).send(body as object);

test('policies-e12: an empty abbreviation is stored as given', async () => {
  const r = await post('/v1/policies', { name: 'abbreviated', abbreviation: '' });
  expect(r.status).toBe(201);
  expect(r.body.abbreviation).toBe('');
  expect((await request(h.app).get('/v1/policies/abbreviated')).body.abbreviation).toBe('');
});

test('policies-e34: with rules, a long abbreviation is the 1022 error, checked before the schema', async () => {
  const r = await post('/v1/policies', { name: 'rulesbad', abbreviation: 'abcdef', rules: [] });
  expect(r.status).toBe(400);
  expect(errorOf(r.body).error_code).toBe(1022);
  const noName = await post('/v1/policies', { abbreviation: 'abcdef', rules: [] });
  expect(errorOf(noName.body).error_code).toBe(1010);
});

test('status-e06/e09: facts have no rule status; an unknown policy is named', async () => {
  await post('/v1/policies', { name: 'st' });
  const fact = await post('/v1/policies/st/rules', { rule: 'q(1)' });
  const rule = await post('/v1/policies/st/rules', { rule: 'p(x) :- q(x)' });
  const f = await request(h.app).get(`/v1/policies/st/rules/${fact.body.id}/status`);
  expect(f.status).toBe(404);
  expect(errorOf(f.body)).toEqual({ message: `rule_id ${fact.body.id}  is not found.`, error_code: 404, error_data: null });
  expect((await request(h.app).get(`/v1/policies/st/rules/${rule.body.id}/status`)).status).toBe(200);
  const unknown = await request(h.app).get(`/v1/policies/nosuch/rules/${rule.body.id}/status`);
  expect(unknown.status).toBe(404);
  expect(errorOf(unknown.body)).toEqual({ message: "policy with name or id 'nosuch' doesn't exist", error_code: 404, error_data: null });
});

test('edge-e07: tables of other policies read by the rules are listed with their prefix', async () => {
  await post('/v1/policies', { name: 'tbeta' });
  expect((await post('/v1/policies/tbeta/rules', { rule: 'pb(x) :- st:q(x)' })).status).toBe(201);
  const t = await request(h.app).get('/v1/policies/tbeta/tables');
  expect(new Set(t.body.results.map((r: { id: string }) => r.id))).toEqual(new Set(['pb', 'st:q']));
});

test('extra-e60: a repeated rule in a policy created with rules is left out, not a conflict', async () => {
  const r = await post('/v1/policies', {
    name: 'dup',
    rules: [{ rule: 'a(1)', comment: 'c' }, { rule: 'a(1)' }, { rule: 'b(x) :- a(x)' }, { rule: 'b(x) :- a(x)', name: 'again' }],
  });
  expect(r.status).toBe(201);
  expect(r.body.rules).toEqual([
    { rule: 'a(1)', comment: 'c', name: null },
    { rule: 'b(x) :-\n  a(x)', comment: '', name: null },
  ]);
  const listed = await request(h.app).get('/v1/policies/dup/rules');
  expect(listed.body.results.map((x: { rule: string }) => x.rule).sort()).toEqual(['a(1)', 'b(x) :- a(x)']);
  expect((await post('/v1/policies/dup/rules', { rule: 'a(1)' })).status).toBe(409);
});

test('bodies-e18: a number or boolean description is echoed as given and stored as text', async () => {
  const n = await request(h.app).post('/v1/policies').set('content-type', 'application/json').send('{"name": "descnum", "description": 1.5}');
  expect(n.status).toBe(201);
  expect(n.text).toContain('"description": 1.5');
  expect((await request(h.app).get('/v1/policies/descnum')).body.description).toBe('1.5');
  const b = await post('/v1/policies', { name: 'descbool', description: true });
  expect(b.body.description).toBe(true);
  expect((await request(h.app).get('/v1/policies/descbool')).body.description).toBe('1');
});

test('a null policy name is the original engine conflict', async () => {
  const r = await post('/v1/policies', { name: null });
  expect(r.status).toBe(409);
  expect(errorOf(r.body)).toEqual({ message: 'Policy name None must be a string', error_code: 409, error_data: null });
});

test('a number or boolean rule comment is echoed as given and stored as text', async () => {
  await post('/v1/policies', { name: 'cm' });
  const n = await post('/v1/policies/cm/rules', { rule: 'a(2)', comment: 5 });
  expect([n.status, n.body.comment]).toEqual([201, 5]);
  const b = await post('/v1/policies/cm/rules', { rule: 'a(5)', comment: true });
  expect(b.body.comment).toBe(true);
  const listed = (await request(h.app).get('/v1/policies/cm/rules')).body.results as { rule: string; comment: string }[];
  expect(Object.fromEntries(listed.map((r) => [r.rule, r.comment]))).toEqual({ 'a(2)': '5', 'a(5)': '1' });
});

test('prefixed-e05..e07: a prefixed table is addressed with a literal or an escaped colon', async () => {
  await post('/v1/policies', { name: 'pz' });
  await post('/v1/policies', { name: 'qz' });
  expect((await post('/v1/policies/qz/rules', { rule: 't(1)' })).status).toBe(201);
  expect((await post('/v1/policies/pz/rules', { rule: 'r(x) :- qz:t(x)' })).status).toBe(201);
  for (const path of ['/v1/policies/pz/tables/qz:t', '/v1/policies/pz/tables/qz%3At', '/v1/policies/pz/tables/qz%3at']) {
    const r = await request(h.app).get(path);
    expect([path, r.status, r.body]).toEqual([path, 200, { id: 'qz:t' }]);
  }
  const rows = await request(h.app).get('/v1/policies/pz/tables/qz:t/rows');
  expect(rows.status).toBe(200);
  expect(Array.isArray(rows.body.results)).toBe(true);
  // Outside webob's safe set, characters still come back escaped (api.md §1.2).
  const unknown = await request(h.app).get('/v1/policies/%C3%BCnknown');
  expect(errorOf(unknown.body).message).toContain('%C3%BCnknown');
});

test('tables-e26: single rows are routed but not served (501), for policy and datasource tables', async () => {
  await post('/v1/policies', { name: 'rowel' });
  for (const method of ['get', 'put', 'delete'] as const) {
    const r = await request(h.app)[method]('/v1/policies/rowel/tables/p/rows/abc');
    expect([method, r.status, errorOf(r.body)]).toEqual([method, 501, { message: 'Method not supported', error_code: 501, error_data: null }]);
  }
  const ds = await request(h.app).get('/v1/data-sources/nosuch/tables/t/rows/abc');
  expect(ds.status).toBe(501);
});

test('types-e28: execute finds the service before it reads the arguments', async () => {
  await post('/v1/policies', { name: 'ex' });
  const r = await post('/v1/policies/ex?action=execute', { name: 'nosuch:act', args: { positional: 5 } });
  expect(r.status).toBe(400);
  expect(errorOf(r.body)).toEqual({ message: 'Error in execution procedure::Service nosuch not found', error_code: 1016, error_data: null });
  // The name's syntax still comes first.
  const bad = await post('/v1/policies/ex?action=execute', { name: 'nocolon', args: { positional: 5 } });
  expect(errorOf(bad.body).error_code).toBe(1017);
});

test('wide-e41/e43: runs of slashes collapse and %2F separates segments before routing', async () => {
  const list = await request(h.app).get('/v1//policies');
  expect(list.status).toBe(200);
  expect(list.body.results.map((p: { name: string }) => p.name)).toContain('classification');
  expect((await request(h.app).get('//v1/policies/classification')).body.name).toBe('classification');
  expect((await request(h.app).get('/v1%2Fpolicies//classification')).body.name).toBe('classification');
  const split = await request(h.app).get('/v1/policies/a%2Fb');
  expect(split.status).toBe(404);
  expect(errorOf(split.body).message).toBe('The resource could not be found.');
  // Re-quoted as before: a non-ASCII name and an escaped '%' reach the handler escaped.
  expect(errorOf((await request(h.app).get('/v1/policies/%C3%BCnknown')).body).message).toBe('Not Found::No policy found with name or id %C3%BCnknown');
  expect(errorOf((await request(h.app).get('/v1/policies/%25C3')).body).message).toBe('Not Found::No policy found with name or id %25C3');
  const made = await request(h.app).post('/v1//policies').send({ name: 'slashed' });
  expect(new URL(made.headers.location as string).pathname).toBe(`/v1/policies/${made.body.id}`);
});

test('wide-e156/e164: library rules keep unknown keys as given; instantiating ignores them', async () => {
  const made = await post('/v1/librarypolicies', { name: 'wl2', rules: [{ rule: 'a(1)', extra: 1, more: { x: [2.5, null] } }, { rule: 'b(2)', name: 'n' }] });
  expect(made.status).toBe(201);
  const expected = [{ rule: 'a(1)', extra: 1, more: { x: [2.5, null] } }, { rule: 'b(2)', name: 'n' }];
  expect(made.body.rules).toEqual(expected);
  expect((await request(h.app).get(`/v1/librarypolicies/${made.body.id}`)).body.rules).toEqual(expected);
  const live = await post(`/v1/policies?library_policy=${made.body.id}`, {});
  expect(live.status).toBe(201);
  expect(live.body.rules).toEqual([
    { rule: 'a(1)', comment: '', name: null },
    { rule: 'b(2)', comment: '', name: 'n' },
  ]);
});

test('wide3-q04/q04b: a UTF-8 byte order mark before a body is a parse error, for creations and actions', async () => {
  // A string goes out as UTF-8, so U+FEFF is sent as the bytes EF BB BF.
  const bom = '\uFEFF{"name": "bomp"}';
  const refused = await request(h.app).post('/v1/policies').set('content-type', 'application/json').send(bom);
  expect(refused.status).toBe(400);
  expect(errorOf(refused.body).message).toBe('Failed to parse body as application/json: Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)');
  expect((await request(h.app).get('/v1/policies/bomp')).status).toBe(404);
  await post('/v1/policies', { name: 'bomsim' });
  const sim = '\uFEFF{"query": "a(x)", "action_policy": "action", "sequence": "a+(1)"}';
  const action = await request(h.app).post('/v1/policies/bomsim?action=simulate').set('content-type', 'application/json').send(sim);
  expect(action.status).toBe(400);
  expect(errorOf(action.body).message).toMatch(/^Failed to parse body as application\/json: Unexpected UTF-8 BOM/);
});

test('wide3-q18..q23: a repeated query parameter counts with its last value, as webob reads it', async () => {
  await post('/v1/policies', { name: 'lastq' });
  await post('/v1/policies/lastq/rules', { rule: 'a(2)' });
  const sim = { query: 'a(x)', action_policy: 'action', sequence: 'a+(3)' };
  const notDelta = await post('/v1/policies/lastq?action=simulate&delta=true&delta=false', sim);
  expect(new Set(notDelta.body.result)).toEqual(new Set(['a(2)', 'a(3)']));
  expect((await post('/v1/policies/lastq?action=simulate&delta=false&delta=true', sim)).body.result).toEqual(['a+(3)']);
  expect((await post('/v1/policies/lastq?action=simulate&trace=true&trace=false', sim)).body.trace).toBeUndefined();
  const traced = await request(h.app).get('/v1/policies/lastq/tables/a/rows?trace=false&trace=true');
  expect(typeof traced.body.trace).toBe('string');
  const lib = await post('/v1/policies?library_policy=a&library_policy=b', {});
  expect(errorOf(lib.body).message).toBe('No policy found with policy id b');
  // `action` itself is still refused when repeated.
  expect(errorOf((await post('/v1/policies/lastq?action=simulate&action=simulate', sim)).body).message).toBe('Action parameter may not be provided multiple times.');
});

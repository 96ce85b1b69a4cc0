/** `/v1/policies`: creation paths, lookups by name or id, deletion, status, and their errors. */
import request from 'supertest';
import { errorOf, startHarness, type ApiHarness } from './support/harness';

jest.setTimeout(30_000);

let h: ApiHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const create = (body: unknown): request.Test => request(h.app).post('/v1/policies').send(body as object);

test('the system policies exist from the start', async () => {
  const r = await request(h.app).get('/v1/policies');
  expect(r.status).toBe(200);
  const byName = Object.fromEntries((r.body.results as { name: string }[]).map((p) => [p.name, p]));
  expect(byName.classification).toMatchObject({ abbreviation: 'class', description: 'default policy', owner_id: 'user', kind: 'nonrecursive' });
  expect(byName.action).toMatchObject({ abbreviation: 'actio', description: 'default action policy', kind: 'action' });
});

test('create, show by id and by name, Location, defaults and ignored fields', async () => {
  const r = await create({ name: 'alpha', description: 'first policy', abbreviation: 'alp', id: 'mine', owner_id: 'me' }).set('Host', 'h:9');
  expect(r.status).toBe(201);
  expect(r.body).toMatchObject({ name: 'alpha', description: 'first policy', abbreviation: 'alp', owner_id: 'user', kind: 'nonrecursive' });
  expect(r.body.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(r.headers.location).toBe(`http://h:9/v1/policies/${r.body.id}`);
  for (const key of [r.body.id, 'alpha']) {
    const g = await request(h.app).get(`/v1/policies/${key}`);
    expect(g.status).toBe(200);
    expect(g.body).toEqual(r.body);
  }
  const d = await create({ name: 'defaults', kind: 'ACTION' });
  expect(d.body).toMatchObject({ abbreviation: 'defau', description: '', kind: 'action' });
});

test('validation errors in the original order, with the documented fixes', async () => {
  const cases: [unknown, number, number, string][] = [
    [{}, 400, 1010, 'A name must be provided when creating a policy'],
    [[], 400, 1010, 'A name must be provided when creating a policy'],
    [null, 400, 1010, 'A name must be provided when creating a policy'], // D13
    [{ name: 'x1', abbreviation: 'toolong' }, 400, 1022, 'The policy abbreviation must be a string and the length of the string must be equal to or less than 5 characters.'],
    [{ name: 'x2', abbreviation: 5 }, 400, 1022, 'The policy abbreviation must be a string and the length of the string must be equal to or less than 5 characters.'],
    [{ name: 'bad name' }, 400, 400, 'Bad Request::Policy name bad name is not a valid tablename'], // D1
    [{ name: 42 }, 400, 400, 'Bad Request::Policy name 42 is not a valid tablename'],
    [{ name: 'builtin' }, 400, 400, 'Bad Request::Policy name builtin is not a valid tablename'],
    [{ name: 'pölicy' }, 400, 400, 'Bad Request::Policy name pölicy is not a valid tablename'],
    [{ name: 'k1', kind: 'nosuch' }, 400, 400, 'Bad Request::Unknown kind of policy: nosuch'],
    [{ name: 'k2', kind: 'z3' }, 400, 400, 'Bad Request::Z3 not available. Please install it'],
    [{ name: 'n'.repeat(256) }, 400, 400, 'Bad Request::policy name is longer than 255 characters'], // D19
    [{ name: 'classification' }, 409, 409, 'Policy with name classification already exists'],
  ];
  for (const [body, status, code, message] of cases) {
    const r = await request(h.app).post('/v1/policies').set('Content-Type', 'application/json').send(JSON.stringify(body));
    expect({ body, status: r.status, ...errorOf(r.body) }).toEqual({ body, status, message, error_code: code, error_data: null });
  }
  const names = ((await request(h.app).get('/v1/policies')).body.results as { name: string }[]).map((p) => p.name);
  expect(names).not.toEqual(expect.arrayContaining(['x1', 'x2', 'k1', 'k2']));
});

test('create with rules: all or nothing, pretty rule text in the answer', async () => {
  const ok = await create({ name: 'withrules', rules: [{ rule: 'p(x) :- q(x), lt(x, 2)', name: 'r', comment: 'c' }, { rule: 'q(1)' }] });
  expect(ok.status).toBe(201);
  expect(ok.body.rules).toEqual([
    { rule: 'p(x) :-\n  q(x),\n  lt(x, 2)', comment: 'c', name: 'r' },
    { rule: 'q(1)', comment: '', name: null },
  ]);
  const rows = await request(h.app).get('/v1/policies/withrules/tables/p/rows');
  expect(rows.body.results).toEqual([{ data: [1] }]);

  const bad = await create({ name: 'halfway', rules: [{ rule: 'a(1)' }, { rule: 'b(x) :- c(y)' }] });
  expect(bad.status).toBe(400);
  expect(errorOf(bad.body).error_code).toBe(1002);
  expect((await request(h.app).get('/v1/policies/halfway')).status).toBe(404);
  expect(await h.store.getPolicyByName('halfway')).toBeNull();

  const schema = await create({ name: 'sch', rules: 'a(1)' });
  expect(schema.status).toBe(400);
  expect(errorOf(schema.body).message).toBe('Bad Request::Input policy item violates schema.');
  expect(typeof errorOf(schema.body).error_data).toBe('string');

  const empty = await create({ name: 'norules', rules: [] });
  expect(empty.status).toBe(201);
  expect(empty.body.rules).toEqual([]);
});

test('unknown policies and system policies', async () => {
  let r = await request(h.app).get('/v1/policies/nosuch');
  expect(errorOf(r.body)).toEqual({ message: 'Not Found::No policy found with name or id nosuch', error_code: 404, error_data: null });
  r = await request(h.app).delete('/v1/policies/nosuch');
  expect(r.status).toBe(404);
  expect(errorOf(r.body).message).toBe("Policy Name or ID 'nosuch' does not exist");
  r = await request(h.app).delete('/v1/policies/classification');
  expect(r.status).toBe(400); // D2
  expect(errorOf(r.body).message).toBe('Cannot delete system-maintained policy classification');
  r = await request(h.app).get('/v1/policies/nosuch/status');
  expect(errorOf(r.body)).toEqual({ message: "policy with name or id 'nosuch' doesn't exist", error_code: 404, error_data: null });
});

test('status by name or id, delete frees the name at once', async () => {
  const c = await create({ name: 'gone' });
  for (const key of ['gone', c.body.id]) {
    const s = await request(h.app).get(`/v1/policies/${key}/status`);
    expect(s.body).toEqual({ name: 'gone', id: c.body.id });
  }
  await request(h.app).post('/v1/policies/gone/rules').send({ rule: 'g(1)' }).expect(201);
  const d = await request(h.app).delete(`/v1/policies/${c.body.id}`);
  expect(d.status).toBe(200);
  expect(d.body).toEqual({ ...c.body });
  expect((await request(h.app).delete(`/v1/policies/${c.body.id}`)).status).toBe(404);
  expect((await create({ name: 'gone' })).status).toBe(201);
  expect((await request(h.app).get('/v1/policies/gone/rules')).body.results).toEqual([]);
});

test('deleting a policy that rules elsewhere reference keeps those rules, which bind again', async () => {
  await create({ name: 'src' });
  await request(h.app).post('/v1/policies/src/rules').send({ rule: 'q(7)' }).expect(201);
  await create({ name: 'user' });
  await request(h.app).post('/v1/policies/user/rules').send({ rule: 'pb(x) :- src:q(x)' }).expect(201);
  expect((await request(h.app).get('/v1/policies/user/tables/pb/rows')).body.results).toEqual([{ data: [7] }]);
  await request(h.app).delete('/v1/policies/src').expect(200);
  expect((await request(h.app).get('/v1/policies/user/tables/pb/rows')).body.results).toEqual([]);
  await create({ name: 'src' });
  await request(h.app).post('/v1/policies/src/rules').send({ rule: 'q(8)' }).expect(201);
  expect((await request(h.app).get('/v1/policies/user/tables/pb/rows')).body.results).toEqual([{ data: [8] }]);
});

test('a policy is deleted even when one of its rules no longer passes the width check', async () => {
  await create({ name: 'widths' }).expect(201);
  const rule = (text: string): request.Test => request(h.app).post('/v1/policies/widths/rules').send({ rule: text });
  await rule('b(x, y, z) :- q(x, y), mul(x, y, z)').expect(201);
  await rule('w(x) :- q(a, b), mul(x)').expect(201); // mul is now a one-column table
  await rule('q(2, 3)').expect(201);
  const d = await request(h.app).delete('/v1/policies/widths');
  expect(d.status).toBe(200);
  expect(d.body).toMatchObject({ name: 'widths' });
  expect((await request(h.app).get('/v1/policies/widths')).status).toBe(404);
  // Created again, the name starts empty in the engine too: no rule of the old policy answers.
  await create({ name: 'widths' }).expect(201);
  await rule('q(4, 5)').expect(201);
  const rows = await request(h.app).get('/v1/policies/widths/tables/q/rows');
  expect(rows.body.results).toEqual([{ data: [4, 5] }]);
  expect((await request(h.app).get('/v1/policies/widths/tables/b/rows')).status).toBe(404);
});

test('a policy created with rules checks them as one batch: the refusal lists every rule (recorded on the original)', async () => {
  const rules = ['h0(z, y) :- r(x), not s(x, z)', 'h1(x, y, z) :- gt(x, 1), r(x), q(x, y)', 'h2() :- r(_)', 'h3(w, x) :- equal(x, w)', 'q(4, 3)', 's(1, 2)'];
  const r = await create({ name: 'batch', rules: rules.map((rule) => ({ rule })) });
  expect(r.status).toBe(400);
  expect(errorOf(r.body)).toEqual({
    message:
      'Syntax error for rule::Variable y found in head but not in body, rule h0(z, y) :- r(x), not s(x, z);' +
      "Could not reorder rule h0(z, y) :- r(x), not s(x, z).  Unsafe lits: not s(x, z) (vars {'z'});" +
      'Variable z found in head but not in body, rule h1(x, y, z) :- gt(x, 1), r(x), q(x, y);' +
      "Could not reorder rule h3(w, x) :- equal(x, w).  Unsafe lits: equal(x, w) (vars {'x', 'w'})",
    error_code: 1002,
    error_data: null,
  });
  expect((await request(h.app).get('/v1/policies/batch')).status).toBe(404);
  // A text that does not parse is reported alone, before the batch is checked.
  const bad = await create({ name: 'batch', rules: [{ rule: 'h0(z, y) :- r(x)' }, { rule: 'p(' }] });
  expect(errorOf(bad.body).message).toMatch(/^Syntax error for rule::Parse failure\./);
  // The rules of a batch see each other: q is one column wide for both.
  const ok = await create({ name: 'batch', rules: [{ rule: 'p(x) :- q(x)' }, { rule: 'q(1)' }, { rule: 'q(1)' }] });
  expect(ok.status).toBe(201);
  expect((ok.body.rules as { rule: string }[]).map((x) => x.rule)).toEqual(['p(x) :-\n  q(x)', 'q(1)']);
  expect((await request(h.app).get('/v1/policies/batch/tables/p/rows')).body.results).toEqual([{ data: [1] }]);
});

test("an action policy's unsafe rule is refused only once its batch passed every other check (recorded on the original)", async () => {
  const rules = ['t(x) :- q(x), lt(x, y)', 'nova:p(x) :- q(x)', 'q(1)'];
  const r = await create({ name: 'acts', kind: 'action', rules: rules.map((rule) => ({ rule })) });
  expect(errorOf(r.body)).toEqual({
    message: 'Syntax error for rule::Non-modal rule head nova:p(x) should not reference any policy: nova:p(x) :- q(x)',
    error_code: 1002,
    error_data: null,
  });
  const alone = await create({ name: 'acts', kind: 'action', rules: [{ rule: 'q(1)' }, { rule: 't(x) :- q(x), lt(x, y)' }] });
  expect(alone.status).toBe(400);
  expect(errorOf(alone.body).message).toBe("Syntax error for rule::Could not reorder rule t(x) :- q(x), lt(x, y).  Unsafe lits: lt(x, y) (vars {'y'})");
  expect((await request(h.app).get('/v1/policies/acts')).status).toBe(404);
});

test('a policy created with many facts keeps each once (the bulk path of a batch)', async () => {
  const facts = Array.from({ length: 150 }, (_, i) => ({ rule: `f(${i % 120})` }));
  const r = await create({ name: 'bulk', rules: facts });
  expect(r.status).toBe(201);
  expect((r.body.rules as { rule: string }[]).map((x) => x.rule)).toEqual(Array.from({ length: 120 }, (_, i) => `f(${i})`));
  expect((await request(h.app).get('/v1/policies/bulk/rules')).body.results).toHaveLength(120);
  expect((await request(h.app).get('/v1/policies/bulk/tables/f/rows')).body.results).toHaveLength(120);
});

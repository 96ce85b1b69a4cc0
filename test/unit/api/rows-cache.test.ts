/**
 * Rows answers are cached per table until anything in the engine changes: repeated reads give
 * the same bytes, and every kind of change (facts, rules, policy deletion) shows at once.
 */
import request from 'supertest';
import { startHarness, type ApiHarness } from './support/harness';

jest.setTimeout(30_000);

let h: ApiHarness;
beforeAll(async () => {
  h = await startHarness();
  await request(h.app).post('/v1/policies').send({ name: 'mon' }).expect(201);
});
afterAll(() => h.close());

const rows = async (table: string): Promise<unknown[]> => {
  const r = await request(h.app).get(`/v1/policies/mon/tables/${table}/rows`);
  expect(r.status).toBe(200);
  return (r.body.results as { data: unknown[] }[]).map((x) => x.data).sort();
};
const add = (rule: string): Promise<unknown> => request(h.app).post('/v1/policies/mon/rules').send({ rule }).expect(201);

test('a cached answer is served until a fact, a rule or a policy changes', async () => {
  await add('p(x) :- q(x), not r(x)');
  await add('q(1)');
  await add('q(2)');
  expect(await rows('p')).toEqual([[1], [2]]);
  const first = await request(h.app).get('/v1/policies/mon/tables/p/rows');
  const second = await request(h.app).get('/v1/policies/mon/tables/p/rows');
  expect(second.text).toBe(first.text);
  await add('r(2)');
  expect(await rows('p')).toEqual([[1]]);
  const rules = (await request(h.app).get('/v1/policies/mon/rules')).body.results as { id: string; rule: string }[];
  const r2 = rules.find((r) => r.rule === 'r(2)');
  await request(h.app).delete(`/v1/policies/mon/rules/${r2?.id}`).expect(200);
  expect(await rows('p')).toEqual([[1], [2]]);
  const traced = await request(h.app).get('/v1/policies/mon/tables/p/rows?trace=true');
  expect(typeof traced.body.trace).toBe('string');
  await request(h.app).delete('/v1/policies/mon').expect(200);
  expect((await request(h.app).get('/v1/policies/mon/tables/p/rows')).status).toBe(404);
});

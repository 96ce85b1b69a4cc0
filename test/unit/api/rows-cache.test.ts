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

test('a large cached answer goes gzip-compressed to a client that accepts gzip, plain to others', async () => {
  await request(h.app).post('/v1/policies').send({ name: 'big' }).expect(201);
  // About 40 bytes a row: well above the size from which answers are compressed.
  const facts = Array.from({ length: 600 }, (_, i) => `big_t("host-${i}", "zone-${i % 7}")`);
  for (const rule of facts) await request(h.app).post('/v1/policies/big/rules').send({ rule }).expect(201);
  const url = '/v1/policies/big/tables/big_t/rows';
  const plain = await request(h.app).get(url).set('Accept-Encoding', 'identity');
  expect(plain.headers['content-encoding']).toBeUndefined();
  expect(plain.headers.vary).toBe('Accept-Encoding');
  // The gzip form is made off the request path after the first read that asks for it.
  let zipped = await request(h.app).get(url).set('Accept-Encoding', 'gzip, deflate');
  for (let i = 0; i < 50 && zipped.headers['content-encoding'] === undefined; i++) {
    await new Promise((r) => setTimeout(r, 20));
    zipped = await request(h.app).get(url).set('Accept-Encoding', 'gzip, deflate');
  }
  expect(zipped.headers['content-encoding']).toBe('gzip');
  expect(Number(zipped.headers['content-length'])).toBeLessThan(Buffer.byteLength(plain.text) / 4);
  // supertest inflates: the client sees exactly the plain answer.
  expect(zipped.text).toBe(plain.text);
  expect((plain.body.results as unknown[]).length).toBe(600);
  const refused = await request(h.app).get(url).set('Accept-Encoding', 'gzip;q=0');
  expect(refused.headers['content-encoding']).toBeUndefined();
  expect(refused.text).toBe(plain.text);
  // A small answer is never compressed.
  await request(h.app).post('/v1/policies/big/rules').send({ rule: 'small_t(1)' }).expect(201);
  const small = await request(h.app).get('/v1/policies/big/tables/small_t/rows').set('Accept-Encoding', 'gzip');
  expect(small.status).toBe(200);
  expect(small.body).toEqual({ results: [{ data: [1] }] });
  expect(small.headers['content-encoding']).toBeUndefined();
  expect(small.headers.vary).toBeUndefined();
});

/**
 * The API and engine service on the real MariaDB (a fresh random database per run): writes
 * under the table lock, the original's unique keys, long values (D19), and a second engine
 * loading what the first wrote.
 */
import request from 'supertest';
import { PolicyEngineService, silentLogger } from '../../../src/services/engine';
import { createTestDatabase, type TestDatabase } from '../../support/mariadb';
import { errorOf, startHarness, type ApiHarness } from '../../unit/api/support/harness';

jest.setTimeout(60_000);

let db: TestDatabase;
let h: ApiHarness;
beforeAll(async () => {
  db = await createTestDatabase('congress_api');
  h = await startHarness({ connection: db.url });
});
afterAll(async () => {
  await h?.close();
  await db?.drop();
});

test('policies and rules are written to MariaDB rows', async () => {
  const p = await request(h.app).post('/v1/policies').send({ name: 'alpha', rules: [{ rule: 'q(1)', comment: 'ünïcode ✓' }] });
  expect(p.status).toBe(201);
  await request(h.app).post('/v1/policies/alpha/rules').send({ rule: 'p(x) :- q(x)', name: 'prule' }).expect(201);
  const rows = await db.query("SELECT rule, comment, name, policy_id FROM policy_rules WHERE policy_name = 'alpha' AND deleted = '' ORDER BY rule");
  expect(rows).toEqual([
    { rule: 'p(x) :- q(x)', comment: '', name: 'prule', policy_id: p.body.id },
    { rule: 'q(1)', comment: 'ünïcode ✓', name: null, policy_id: p.body.id },
  ]);
  expect(errorOf((await request(h.app).post('/v1/policies').send({ name: 'alpha' })).body)).toEqual({
    message: 'Policy with name alpha already exists',
    error_code: 409,
    error_data: null,
  });
});

test('values longer than the columns are refused before MySQL would (D19)', async () => {
  const r = await request(h.app).post('/v1/policies/alpha/rules').send({ rule: 'q(9)', comment: 'c'.repeat(300) });
  expect(r.status).toBe(400);
  expect(errorOf(r.body).message).toBe('Bad Request::rule comment is longer than 255 characters');
  expect((await request(h.app).get('/v1/policies/alpha/tables/q/rows')).body.results).toEqual([{ data: [1] }]);
});

test('concurrent rule inserts all land, under the table lock', async () => {
  const answers = await Promise.all(Array.from({ length: 15 }, (_, i) => request(h.app).post('/v1/policies/alpha/rules').send({ rule: `c(${i})` })));
  expect(answers.map((a) => a.status)).toEqual(Array(15).fill(201));
  const [{ n }] = await db.query("SELECT COUNT(*) AS n FROM policy_rules WHERE policy_name = 'alpha' AND rule LIKE 'c(%' AND deleted = ''");
  expect(Number(n)).toBe(15);
});

test('a second engine on the same database loads the same state; deletes are soft', async () => {
  const r = (await request(h.app).get('/v1/policies/alpha/rules')).body.results as { id: string; rule: string }[];
  const q1 = r.find((x) => x.rule === 'q(1)');
  await request(h.app).delete(`/v1/policies/alpha/rules/${q1?.id}`).expect(200);
  const { engine } = await PolicyEngineService.start(h.store, { logger: silentLogger });
  expect((await engine.rows('alpha', 'c', false)).rows).toHaveLength(15);
  expect((await engine.listTables('alpha')).sort()).toEqual(['c', 'p', 'q']);
  expect((await engine.rows('alpha', 'p', false)).rows).toEqual([]);
  const [{ deleted }] = await db.query('SELECT deleted FROM policy_rules WHERE id = ?', [q1?.id]);
  expect(deleted).toBe(q1?.id);
  await request(h.app).delete('/v1/policies/alpha').expect(200);
  expect(await db.query("SELECT name FROM policies WHERE name = 'alpha'")).toEqual([]);
  expect((await db.query("SELECT name FROM policiesdeleted WHERE name = 'alpha'")).length).toBe(1);
});

/**
 * Engine and database stay equal: what the API wrote is what a new engine loads from the
 * store, a rule the engine refuses leaves no row, and a database failure leaves the engine
 * unchanged.
 */
import request from 'supertest';
import type { PolicyStore } from '../../../src/db';
import { PolicyEngineService, seedLibrary, silentLogger } from '../../../src/services/engine';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { startHarness, type ApiHarness } from './support/harness';

jest.setTimeout(30_000);

/** A store whose table-locked writes fail while `failing` is set. */
function flakyStore(failing: { on: boolean }): (s: PolicyStore) => PolicyStore {
  return (s) => ({
    ...s,
    withTableLock: (fn) => (failing.on ? Promise.reject(new Error('database went away')) : s.withTableLock(fn)),
    createPolicy: (p) => (failing.on ? Promise.reject(new Error('database went away')) : s.createPolicy(p)),
    deleteRule: (id, p) => (failing.on ? Promise.reject(new Error('database went away')) : s.deleteRule(id, p)),
  });
}

describe('engine and store agree', () => {
  const failing = { on: false };
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startHarness({ wrapStore: flakyStore(failing) });
    await request(h.app).post('/v1/policies').send({ name: 'alpha' }).expect(201);
    await request(h.app).post('/v1/policies/alpha/rules').send({ rule: 'q(1)' }).expect(201);
  });
  afterAll(() => h.close());

  test('a new engine on the same store sees every policy, rule and fact', async () => {
    await request(h.app).post('/v1/policies/alpha/rules').send({ rule: 'p(x) :- q(x)', name: 'n', comment: 'c' }).expect(201);
    const { engine, report } = await PolicyEngineService.start(h.store, { logger: silentLogger });
    expect(report).toMatchObject({ skippedPolicies: 0, skippedRules: 0 });
    expect((await engine.listPolicies()).map((p) => p.name).sort()).toEqual(['action', 'alpha', 'classification']);
    expect((await engine.rows('alpha', 'p', false)).rows).toEqual([[1]]);
    expect((await engine.listRules('alpha')).map((r) => r.rule).sort()).toEqual(['p(x) :- q(x)', 'q(1)']);
  });

  test('a rule the engine refuses leaves no row', async () => {
    const before = (await h.store.listRules('alpha')).length;
    await request(h.app).post('/v1/policies/alpha/rules').send({ rule: 'bad(x, y) :- q(x)' }).expect(400);
    expect(await h.store.listRules('alpha')).toHaveLength(before);
  });

  test('a failed database write leaves the engine unchanged', async () => {
    failing.on = true;
    try {
      const r = await request(h.app).post('/v1/policies/alpha/rules').send({ rule: 'q(2)' });
      expect(r.status).toBe(500);
      expect(r.body.error.message).toBe('Internal server error');
      expect((await request(h.app).get('/v1/policies/alpha/tables/q/rows')).body.results).toEqual([{ data: [1] }]);
      expect((await request(h.app).post('/v1/policies').send({ name: 'beta' })).status).toBe(500);
      expect(h.engine.runtime.hasPolicy('beta')).toBe(false);
      expect((await request(h.app).post('/v1/policies').send({ name: 'gamma', rules: [{ rule: 'g(1)' }] })).status).toBe(500);
      expect(h.engine.runtime.hasPolicy('gamma')).toBe(false);
      const q1 = (await h.store.listRules('alpha')).find((x) => x.rule === 'q(1)');
      expect((await request(h.app).delete(`/v1/policies/alpha/rules/${q1?.id}`)).status).toBe(500);
      expect((await request(h.app).get('/v1/policies/alpha/tables/q/rows')).body.results).toEqual([{ data: [1] }]);
    } finally {
      failing.on = false;
    }
    // And the engine still accepts what failed once the database is back.
    await request(h.app).post('/v1/policies/alpha/rules').send({ rule: 'q(2)' }).expect(201);
    await request(h.app).post('/v1/policies').send({ name: 'beta' }).expect(201);
  });

  test('concurrent writes are serialised and all persisted', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => request(h.app).post('/v1/policies/alpha/rules').send({ rule: `c(${i})` })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    expect((await h.store.listRules('alpha')).filter((r) => r.rule.startsWith('c('))).toHaveLength(20);
  });
});

test('the library is seeded from YAML files only while it is empty', async () => {
  const h = await startHarness();
  try {
    const dir = path.join(h.dir, 'library');
    await fs.mkdir(dir);
    await fs.writeFile(
      path.join(dir, 'two.yaml'),
      '---\nname: first\ndescription: one\nrules:\n  - rule: a(1)\n    comment: x\n---\nname: second\nrules:\n  - rule: >\n      b(x) :- a(x)\n',
    );
    await fs.writeFile(path.join(dir, 'broken.yml'), 'name: [unclosed\n');
    await fs.writeFile(path.join(dir, 'ignored.txt'), 'name: nope\nrules: []\n');
    const warnings: string[] = [];
    const log = { ...silentLogger, warn: (m: string) => warnings.push(m) };
    expect(await seedLibrary(h.engine.library, dir, log)).toEqual({ loaded: 2, skipped: 1 });
    expect(warnings.join('\n')).toContain('broken.yml');
    const listed = (await request(h.app).get('/v1/librarypolicies')).body.results as { name: string; rules: unknown[] }[];
    expect(listed.map((p) => p.name).sort()).toEqual(['first', 'second']);
    expect(listed.find((p) => p.name === 'second')?.rules).toEqual([{ rule: 'b(x) :- a(x)\n' }]);
    await request(h.app).delete(`/v1/librarypolicies/${(await h.engine.library.getLibraryPolicyByName('first'))?.id}`).expect(200);
    expect(await seedLibrary(h.engine.library, dir, log)).toEqual({ loaded: 0, skipped: 0 });
    expect(await seedLibrary(h.engine.library, path.join(h.dir, 'missing'), log)).toEqual({ loaded: 0, skipped: 0 });
  } finally {
    await h.close();
  }
});

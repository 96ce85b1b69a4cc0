/**
 * Read-your-writes through the API: every answer carries the revision its node reflects (a
 * write's answer includes the write), and `X-Congress-Min-Revision` on another node waits for
 * that revision — here with no announcement at all, so the wait itself must sync — or answers
 * a Congress 503 after its bound.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { createApiApp } from '../../../src/api';
import { revisionHeaders, type RevisionGate } from '../../../src/api/revision';
import { openPolicyStore, type PolicyStore } from '../../../src/db';
import { PolicyEngineService, silentLogger } from '../../../src/services/engine';
import { StoredDatasources } from '../../../src/server/stored-datasources';

jest.setTimeout(30_000);

interface Api {
  readonly app: express.Express;
  readonly engine: PolicyEngineService;
  readonly store: PolicyStore;
}

let dir: string;
let a: Api;
let b: Api;

async function api(): Promise<Api> {
  const store = await openPolicyStore({ connection: `sqlite:///${path.join(dir, 'c.sqlite')}`, encryptionKeyPath: path.join(dir, 'keys'), migrate: true });
  const { engine } = await PolicyEngineService.start(store, { logger: silentLogger });
  const app = createApiApp({
    engine,
    library: engine.library,
    datasources: new StoredDatasources(store),
    logger: { info: () => undefined, error: () => undefined },
    revisions: { revision: () => engine.revision(), reach: (r, ms) => engine.reach(r, ms), waitMs: 2000 },
  });
  return { app, engine, store };
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-ryw-'));
  a = await api();
  b = await api();
});

afterAll(async () => {
  for (const n of [a, b]) {
    await n.engine.replica.stop();
    await n.store.close();
  }
  await fs.rm(dir, { recursive: true, force: true });
});

test('a write answers with the revision that includes it; another node serves it with the min-revision header', async () => {
  const before = Number((await request(a.app).get('/v1/policies')).headers['x-congress-revision']);
  expect(before).toBe(a.engine.revision());
  const made = await request(a.app).post('/v1/policies').send({ name: 'ryw', rules: [{ rule: 'q(7)' }] });
  expect(made.status).toBe(201);
  const revision = Number(made.headers['x-congress-revision']);
  expect(revision).toBeGreaterThan(before);
  // Without the header B's engine answers from what it has: not yet the new policy.
  expect((await request(b.app).get('/v1/policies/ryw/tables/q/rows')).status).toBe(404);
  const t0 = Date.now();
  const read = await request(b.app).get('/v1/policies/ryw/tables/q/rows').set('X-Congress-Min-Revision', String(revision));
  expect(Date.now() - t0).toBeLessThan(1000);
  expect(read.status).toBe(200);
  expect(read.body).toEqual({ results: [{ data: [7] }] });
  expect(Number(read.headers['x-congress-revision'])).toBeGreaterThanOrEqual(revision);
});

test('errors carry the revision header too', async () => {
  const missing = await request(a.app).get('/v1/policies/nope');
  expect(missing.status).toBe(404);
  expect(Number(missing.headers['x-congress-revision'])).toBe(a.engine.revision());
});

test('a revision no node has written gives a Congress 503 after the bounded wait', async () => {
  const t0 = Date.now();
  const r = await request(b.app).get('/v1/policies').set('X-Congress-Min-Revision', String(b.engine.revision() + 1000));
  const took = Date.now() - t0;
  expect(r.status).toBe(503);
  expect(r.body.error.error_code).toBe(503);
  expect(r.body.error.message).toMatch(/^Service Unavailable::this node reflects revision \d+, not yet X-Congress-Min-Revision \d+/);
  expect(took).toBeGreaterThanOrEqual(1900);
  expect(took).toBeLessThan(4000);
});

test('a min-revision that is not a number is a 400', async () => {
  const r = await request(a.app).get('/v1/policies').set('X-Congress-Min-Revision', 'latest');
  expect(r.status).toBe(400);
  expect(r.body.error.message).toContain('X-Congress-Min-Revision must be a non-negative integer');
});

test('the middleware waits only as long as it is told, and passes at once when already there', async () => {
  let reached = 0;
  const gate: RevisionGate = { revision: () => 5, reach: async () => (reached++, false), waitMs: 50 };
  const app = express();
  app.use(revisionHeaders(gate));
  app.get('/x', (_req, res) => void res.json({ ok: true }));
  app.use(((err, _req, res, _next) => void res.status((err as { status: number }).status).json({ e: true })) as express.ErrorRequestHandler);
  const ok = await request(app).get('/x').set('X-Congress-Min-Revision', '5');
  expect(ok.status).toBe(200);
  expect(ok.headers['x-congress-revision']).toBe('5');
  expect(reached).toBe(0);
  expect((await request(app).get('/x').set('X-Congress-Min-Revision', '6')).status).toBe(503);
  expect(reached).toBe(1);
});

/**
 * Replicated policy engines on real processes: two `--api --policy-engine` nodes and one
 * `--datasources` node on one MariaDB database and one RabbitMQ bus (random bus_id), with the
 * periodic sync left at 60 s so that only the revision announcements can explain what is seen.
 * A policy and rules written through one node are visible on the other within 1 s; the
 * commit-to-visible latency is measured over 50 writes in both directions; a client that sends
 * `X-Congress-Min-Revision` to the other node reads its write at once; clashing writes on both
 * nodes leave exactly one winner that both agree on.
 */
import type { ServerProcess } from '../../support/server';
import { call, startCluster, type Cluster } from './cluster';

jest.setTimeout(180_000);

let cluster: Cluster;
let pe1: ServerProcess;
let pe2: ServerProcess;

async function rows(pe: ServerProcess, policy: string, table: string, headers: Record<string, string> = {}): Promise<{ status: number; rows: unknown[][] }> {
  const r = await call(pe.url, 'GET', `/v1/policies/${policy}/tables/${table}/rows`, undefined, headers);
  if (r.status !== 200) return { status: r.status, rows: [] };
  const data = (r.body as { results: { data: unknown[] }[] }).results.map((x) => x.data);
  return { status: 200, rows: data.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) };
}

/** Polls `check` as fast as the node answers until it holds; the milliseconds it took, or throws after `limitMs`. */
async function visibleWithin(limitMs: number, check: () => Promise<boolean>): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    if (await check()) return performance.now() - t0;
    if (performance.now() - t0 > limitMs) throw new Error(`not visible within ${limitMs} ms`);
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

beforeAll(async () => {
  cluster = await startCluster('1');
  ({ pe1, pe2 } = cluster);
});

afterAll(async () => {
  await cluster?.stop();
});

test('a policy and rules written on one node are visible on the other within 1 s, datasource rules included', async () => {
  expect((await call(pe1.url, 'POST', '/v1/data-sources', { name: 'pushds', driver: 'push', config: { tables: { t: ['a', 'b'] } } })).status).toBe(201);
  expect((await call(pe1.url, 'PUT', '/v1/data-sources/pushds/tables/t/rows', [[1, 'one']])).status).toBe(200);
  const made = await call(pe1.url, 'POST', '/v1/policies', { name: 'alpha', rules: [{ rule: 'q(1)' }, { rule: 'p(x) :- q(x)' }] });
  expect(made.status).toBe(201);
  const ms = await visibleWithin(1000, async () => (await rows(pe2, 'alpha', 'p')).rows.length === 1);
  expect(ms).toBeLessThan(1000);
  expect(await rows(pe2, 'alpha', 'p')).toEqual({ status: 200, rows: [[1]] });

  // A rule over a datasource table written on pe2: pe1 gets the rule, subscribes, and derives the rows.
  expect((await call(pe2.url, 'POST', '/v1/policies/alpha/rules', { rule: 'd(x, y) :- pushds:t(x, y)' })).status).toBe(201);
  await visibleWithin(10_000, async () => (await rows(pe1, 'alpha', 'd')).rows.length === 1);
  expect(await rows(pe1, 'alpha', 'd')).toEqual({ status: 200, rows: [[1, 'one']] });

  // Deletes travel too.
  const listed = await call(pe1.url, 'GET', '/v1/policies/alpha/rules');
  const q1 = (listed.body as { results: { id: string; rule: string }[] }).results.find((r) => r.rule === 'q(1)');
  expect((await call(pe1.url, 'DELETE', `/v1/policies/alpha/rules/${q1?.id}`)).status).toBe(200);
  await visibleWithin(1000, async () => (await rows(pe2, 'alpha', 'p')).rows.length === 0);
  expect((await call(pe2.url, 'DELETE', '/v1/policies/alpha')).status).toBe(200);
  await visibleWithin(1000, async () => (await rows(pe1, 'alpha', 'p')).status === 404);
});

test('commit-to-visible latency over 50 writes, both directions: p99 under 100 ms', async () => {
  expect((await call(pe1.url, 'POST', '/v1/policies', { name: 'lat' })).status).toBe(201);
  await visibleWithin(1000, async () => (await call(pe2.url, 'GET', '/v1/policies/lat/tables')).status === 200);
  const latencies: number[] = [];
  for (let i = 0; i < 50; i++) {
    const [writer, reader] = i % 2 === 0 ? [pe1, pe2] : [pe2, pe1];
    const w = await call(writer.url, 'POST', '/v1/policies/lat/rules', { rule: `n${i}(${i})` });
    expect(w.status).toBe(201);
    // The write is committed before its answer: from here until the other node serves it.
    latencies.push(await visibleWithin(1000, async () => (await rows(reader, 'lat', `n${i}`)).rows.length === 1));
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  console.log(`commit -> visible on the other node over ${sorted.length} writes: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`);
  expect(p99).toBeLessThan(100);
});

test('X-Congress-Min-Revision on the other node returns the write at once', async () => {
  for (let i = 0; i < 5; i++) {
    const w = await call(pe1.url, 'POST', '/v1/policies', { name: `ryw${i}`, rules: [{ rule: `r(${i})` }] });
    expect(w.status).toBe(201);
    expect(w.revision).toBeGreaterThan(0);
    const t0 = performance.now();
    const r = await rows(pe2, `ryw${i}`, 'r', { 'X-Congress-Min-Revision': String(w.revision) });
    expect(performance.now() - t0).toBeLessThan(500);
    expect(r).toEqual({ status: 200, rows: [[i]] });
  }
  // A revision nobody wrote: a Congress 503 after [engine] revision_wait_timeout (1 s here).
  const t0 = performance.now();
  const ahead = await call(pe2.url, 'GET', '/v1/policies', undefined, { 'X-Congress-Min-Revision': '999999999' });
  const waited = performance.now() - t0;
  expect(waited).toBeGreaterThanOrEqual(950);
  expect(waited).toBeLessThan(3000);
  expect(ahead.status).toBe(503);
  expect(ahead.body).toEqual({ error: { message: expect.stringContaining('Service Unavailable::this node reflects revision') as unknown, error_code: 503, error_data: null } });
});

test('the same policy created on both nodes at once: one 201, one 409, both agree', async () => {
  for (let i = 0; i < 5; i++) {
    const [x, y] = await Promise.all([pe1, pe2].map((pe) => call(pe.url, 'POST', '/v1/policies', { name: `both${i}`, rules: [{ rule: `w(${i})` }] })));
    expect([x.status, y.status].sort()).toEqual([201, 409]);
    const winner = ((x.status === 201 ? x : y).body as { id: string }).id;
    const atLeast = { 'X-Congress-Min-Revision': String(Math.max(x.revision, y.revision)) };
    for (const pe of [pe1, pe2]) {
      const p = await call(pe.url, 'GET', `/v1/policies/both${i}`, undefined, atLeast);
      expect((p.body as { id: string }).id).toBe(winner);
      expect(await rows(pe, `both${i}`, 'w', atLeast)).toEqual({ status: 200, rows: [[i]] });
    }
  }
});

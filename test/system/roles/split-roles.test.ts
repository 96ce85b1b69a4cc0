/**
 * The HA topology on real processes: one datasource node (`--datasources --node-id ds`) and two
 * policy-engine nodes (`--api --policy-engine`) sharing one MariaDB database and one RabbitMQ bus
 * (a random bus_id per run). Data pushed through one PE reaches the policies of both; the
 * datasource node killed with SIGKILL makes datasource calls fail fast with 503; a PE started
 * while the datasource node is absent gets the tables once it appears; after a restart the PEs
 * hold exactly the restarted node's rows (ha.md §2.7: rows removed while it was down are
 * removed, its first updates are not dropped as old).
 */
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../support/mariadb';
import { ensureRabbitMq, RABBIT_URL } from '../../support/rabbitmq';
import { configDirectory, runServer, startServer, type ServerProcess } from '../../support/server';

jest.setTimeout(180_000);

const busId = `roles-${randomUUID().slice(0, 8)}`;
let db: TestDatabase;
let cfg: Awaited<ReturnType<typeof configDirectory>>;
const running = new Set<ServerProcess>();

async function start(...args: string[]): Promise<ServerProcess> {
  const p = await startServer({ args: ['--config-file', cfg.configFile, ...args] });
  running.add(p);
  return p;
}

async function kill(p: ServerProcess): Promise<void> {
  await p.stop('SIGKILL');
  running.delete(p);
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly ms: number;
}

async function request(base: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const t0 = Date.now();
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown), ms: Date.now() - t0 };
}

/** A request with a body given as JSON text (JSON.stringify cannot write `1.0`), answered as text. */
async function rawRequest(base: string, method: string, path: string, body?: string): Promise<{ status: number; text: string }> {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, text: await res.text() };
}

/** The rows of `alpha:p` on a PE, sorted. */
async function policyRows(pe: ServerProcess): Promise<unknown[]> {
  const r = await request(pe.url, 'GET', '/v1/policies/alpha/tables/p/rows');
  expect(r.status).toBe(200);
  const rows = (r.body as { results: { data: unknown[] }[] }).results.map((x) => x.data);
  return rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

async function eventually(check: () => Promise<void>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

beforeAll(async () => {
  await ensureRabbitMq();
  db = await createTestDatabase('congress_roles');
  cfg = await configDirectory({
    DEFAULT: { transport_url: RABBIT_URL, rpc_response_timeout: '10' },
    database: { connection: db.url },
    dse: { bus_id: busId, heartbeat_interval: '0.2', peer_timeout: '1' },
  });
  const upgrade = await runServer({ args: ['--config-file', cfg.configFile, '--db-upgrade'] });
  expect(upgrade.code).toBe(0);
});

afterAll(async () => {
  for (const p of running) await p.stop('SIGKILL');
  await cfg?.remove();
  await db?.drop();
});

test('datasource node and two policy engines on the bus', async () => {
  let ds = await start('--datasources', '--node-id', 'ds');
  const pe1 = await start('--api', '--policy-engine', '--node-id', 'pe1');

  // A second process under a live node id is refused, with the reason and a non-zero exit.
  const twin = await runServer({ args: ['--config-file', cfg.configFile, '--api', '--policy-engine', '--node-id', 'pe1'] });
  expect(twin.code).not.toBe(0);
  expect(twin.stderr).toContain("Node id 'pe1' is already in use");
  expect(twin.stderr).toContain('another --node-id');

  const made = await request(pe1.url, 'POST', '/v1/data-sources', { name: 'pushds', driver: 'push', config: { tables: { t: ['a', 'b'] } } });
  expect(made.status).toBe(201);
  const policy = await request(pe1.url, 'POST', '/v1/policies', { name: 'alpha', rules: [{ rule: 'p(x, y) :- pushds:t(x, y)' }] });
  expect(policy.status).toBe(201);

  // Pushed through PE1: the datasource node stores and publishes it, PE1's policy sees it.
  expect((await request(pe1.url, 'PUT', '/v1/data-sources/pushds/tables/t/rows', [[1, 'one'], [2, 'two']])).status).toBe(200);
  await eventually(async () => expect(await policyRows(pe1)).toEqual([[1, 'one'], [2, 'two']]));
  const rows = await request(pe1.url, 'GET', '/v1/data-sources/pushds/tables/t/rows');
  expect(rows).toMatchObject({ status: 200, body: { results: expect.arrayContaining([{ data: [1, 'one'] }]) } });
  await eventually(async () => {
    const ready = await request(pe1.url, 'GET', '/readyz');
    expect(ready).toMatchObject({ status: 200, body: { checks: { bus: { ok: true }, subscriptions: { ok: true, tables: 1, synced: 1 } } } });
  });

  // The datasource node dies: datasource calls fail fast with a Congress 503, policies still answer.
  await kill(ds);
  await eventually(async () => {
    const push = await request(pe1.url, 'PUT', '/v1/data-sources/pushds/tables/t/rows', [[9, 'nine']]);
    expect(push.status).toBe(503);
  }, 5000);
  for (const [method, path, body] of [
    ['PUT', '/v1/data-sources/pushds/tables/t/rows', [[9, 'nine']]],
    ['GET', '/v1/data-sources/pushds/status', undefined],
    ['GET', '/v1/data-sources/pushds/tables/t/rows', undefined],
    ['POST', '/v1/data-sources', { name: 'other', driver: 'push', config: { tables: { u: ['x'] } } }],
  ] as const) {
    const r = await request(pe1.url, method, path, body);
    expect({ path, status: r.status }).toEqual({ path, status: 503 });
    expect(r.ms).toBeLessThan(1000);
    expect(r.body).toEqual({ error: { message: expect.stringContaining('Service Unavailable') as unknown, error_code: 503, error_data: null } });
  }
  expect(await policyRows(pe1)).toEqual([[1, 'one'], [2, 'two']]);

  // A PE started while the datasource node is absent: ready (nothing to wait for), no rows yet.
  const pe2 = await start('--api', '--policy-engine', '--node-id', 'pe2');
  expect(await policyRows(pe2)).toEqual([]);
  expect((await request(pe2.url, 'GET', '/readyz')).status).toBe(200);

  // While the node is down, upstream loses row 1 (the persisted table is all there is upstream).
  await db.query("UPDATE dstabledata SET tabledata = ? WHERE tablename = 't'", [JSON.stringify([[2, 'two']])]);

  ds = await start('--datasources', '--node-id', 'ds');
  // Both PEs converge on exactly the restarted node's rows: nothing stale on PE1, nothing missing on PE2.
  await eventually(async () => {
    expect(await policyRows(pe1)).toEqual([[2, 'two']]);
    expect(await policyRows(pe2)).toEqual([[2, 'two']]);
  });

  // The restarted node's first updates reach both PEs (not dropped as old sequence numbers).
  expect((await request(pe2.url, 'PUT', '/v1/data-sources/pushds/tables/t/rows', [[2, 'two'], [3, 'three']])).status).toBe(200);
  await eventually(async () => {
    expect(await policyRows(pe1)).toEqual([[2, 'two'], [3, 'three']]);
    expect(await policyRows(pe2)).toEqual([[2, 'two'], [3, 'three']]);
  });
  expect((await request(pe1.url, 'PUT', '/v1/data-sources/pushds/tables/t/rows', [])).status).toBe(200);
  await eventually(async () => {
    expect(await policyRows(pe1)).toEqual([]);
    expect(await policyRows(pe2)).toEqual([]);
  });

  // A datasource created through PE1 after PE2 started: PE2 learns its policy from the bus
  // (the new service shows up in the datasource node's heartbeats) and follows what its rules use.
  expect((await request(pe1.url, 'POST', '/v1/data-sources', { name: 'later', driver: 'push', config: { tables: { u: ['x'] } } })).status).toBe(201);
  await eventually(async () => {
    const r = await request(pe2.url, 'POST', '/v1/policies', { name: 'beta', rules: [{ rule: 'q(x) :- later:u(x)' }] });
    expect(r.status).toBe(201);
  });
  expect((await request(pe2.url, 'PUT', '/v1/data-sources/later/tables/u/rows', [['k1'], ['k2']])).status).toBe(200);
  await eventually(async () => {
    const r = await request(pe2.url, 'GET', '/v1/policies/beta/tables/q/rows');
    expect((r.body as { results: { data: unknown[] }[] }).results.map((x) => x.data[0]).sort()).toEqual(['k1', 'k2']);
  });

  // A PE killed with SIGKILL comes back under its own id (the claim died with it) and resyncs.
  expect((await request(pe2.url, 'PUT', '/v1/data-sources/pushds/tables/t/rows', [[4, 'four']])).status).toBe(200);
  await eventually(async () => expect(await policyRows(pe1)).toEqual([[4, 'four']]));
  await kill(pe1);
  const pe1again = await start('--api', '--policy-engine', '--node-id', 'pe1');
  await eventually(async () => expect(await policyRows(pe1again)).toEqual([[4, 'four']]));

  // An integral float crosses the bus as a float: `1.0` matches `1.0` on every PE and not `1`,
  // and both the policy rows and the datasource rows (an RPC to the datasource node) show `1.0`.
  // So does an integer beyond 2^53, with every digit.
  const floats = await rawRequest(pe2.url, 'PUT', '/v1/data-sources/pushds/tables/t/rows', '[[1.0, "float"], [1, "int"], [2.5, "half"], [12345678901234567890, "big"]]');
  expect(floats.status).toBe(200);
  const gamma = ['f(y) :- pushds:t(1.0, y)', 'i(y) :- pushds:t(1, y)', 'b(y) :- pushds:t(12345678901234567890, y)'];
  expect((await request(pe1again.url, 'POST', '/v1/policies', { name: 'gamma', rules: gamma.map((rule) => ({ rule })) })).status).toBe(201);
  const numberRows = ['[1.0, "float"]', '[1, "int"]', '[2.5, "half"]', '[12345678901234567890, "big"]'];
  for (const pe of [pe1again, pe2]) {
    await eventually(async () => {
      expect((await rawRequest(pe.url, 'GET', '/v1/policies/gamma/tables/f/rows')).text).toBe('{"results": [{"data": ["float"]}]}\n');
      expect((await rawRequest(pe.url, 'GET', '/v1/policies/gamma/tables/i/rows')).text).toBe('{"results": [{"data": ["int"]}]}\n');
      expect((await rawRequest(pe.url, 'GET', '/v1/policies/gamma/tables/b/rows')).text).toBe('{"results": [{"data": ["big"]}]}\n');
    });
    const p = (await rawRequest(pe.url, 'GET', '/v1/policies/alpha/tables/p/rows')).text;
    for (const row of numberRows) expect(p).toContain(row);
    const pushed = (await rawRequest(pe.url, 'GET', '/v1/data-sources/pushds/tables/t/rows')).text;
    for (const row of numberRows) expect(pushed).toContain(row);
  }

  // Graceful stops exit 0.
  for (const p of [pe2, pe1again, ds]) {
    expect((await p.stop('SIGTERM')).code).toBe(0);
    running.delete(p);
  }
});

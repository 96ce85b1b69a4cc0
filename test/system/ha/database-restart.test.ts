/**
 * HA test 4 of the issue: the database server (a private MariaDB, so the machine's shared one is
 * left alone) restarts during a write load on two policy-engine nodes. Every write either
 * succeeds or gets a clear Congress error; after recovery both replicas agree with the database
 * and nothing acknowledged is lost.
 */
import { randomUUID } from 'node:crypto';
import { PrivateMariaDb } from '../../support/private-mariadb';
import { ensureRabbitMq, RABBIT_URL } from '../../support/rabbitmq';
import { configDirectory, runServer, startServer, type ServerProcess } from '../../support/server';
import { call } from '../replication/cluster';

jest.setTimeout(180_000);

let db: PrivateMariaDb | null = null;
let cfg: Awaited<ReturnType<typeof configDirectory>> | null = null;
const running: ServerProcess[] = [];

afterAll(async () => {
  for (const p of running) await p.stop('SIGTERM');
  await cfg?.remove();
  await db?.stop();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function rulesOn(base: string): Promise<string[] | null> {
  const r = await call(base, 'GET', '/v1/policies/classification/rules').catch(() => null);
  if (r === null || r.status !== 200) return null;
  return (r.body as { results: { rule: string }[] }).results.map((x) => x.rule).sort();
}

test('writes succeed or fail clearly across a database restart; afterwards the replicas agree with the database', async () => {
  await ensureRabbitMq();
  db = await PrivateMariaDb.start();
  await db.createDatabase('congress');
  cfg = await configDirectory({
    DEFAULT: { transport_url: RABBIT_URL, rpc_response_timeout: '10', datasource_sync_period: '60' },
    engine: { policy_sync_period: '2', revision_wait_timeout: '2' },
    database: { connection: db.url('congress') },
    dse: { bus_id: `dbr-${randomUUID().slice(0, 8)}`, heartbeat_interval: '0.2', peer_timeout: '1' },
  });
  expect((await runServer({ args: ['--config-file', cfg.configFile, '--db-upgrade'] })).code).toBe(0);
  const start = async (...args: string[]): Promise<ServerProcess> => {
    const p = await startServer({ args: ['--config-file', (cfg as NonNullable<typeof cfg>).configFile, ...args] });
    running.push(p);
    return p;
  };
  await start('--datasources', '--node-id', 'ds');
  const pe1 = await start('--api', '--policy-engine', '--node-id', 'pe1');
  const pe2 = await start('--api', '--policy-engine', '--node-id', 'pe2');

  // Bounded write load on both nodes; the database restarts after 1 s and is down for 1.5 s.
  const acknowledged: string[] = [];
  const failures: { status: number; message: string }[] = [];
  let n = 0;
  const stopAt = Date.now() + 10_000;
  const worker = async (base: string): Promise<void> => {
    while (n < 300 && Date.now() < stopAt) {
      const rule = `d${++n}(x) :- q(x)`;
      const r = await call(base, 'POST', '/v1/policies/classification/rules', { rule }).catch((err: unknown) => ({ status: 0, body: String(err), revision: NaN, headers: new Headers() }));
      if (r.status === 201) acknowledged.push(rule);
      else {
        const body = r.body as { error?: { message?: string } } | null;
        failures.push({ status: r.status, message: body?.error?.message ?? String(r.body) });
      }
      await sleep(20);
    }
  };
  const restart = (async () => {
    await sleep(1000);
    await (db as PrivateMariaDb).restart(1500);
  })();
  await Promise.all([worker(pe1.url), worker(pe2.url), restart]);
  console.log(`database restart under write load: ${acknowledged.length} acknowledged, ${failures.length} failed: ${JSON.stringify([...new Set(failures.map((f) => `${f.status} ${f.message}`))])}`);

  expect(acknowledged.length).toBeGreaterThan(10);
  // Every failure is a clear Congress error a client can retry, never a dropped connection or a 500.
  for (const f of failures) {
    expect(f.status).toBe(503);
    expect(f.message).toMatch(/^Service Unavailable::The database is unavailable \(.+\); retry the request$/);
  }

  // After recovery: both nodes answer, agree with each other, and hold every acknowledged write.
  const deadline = Date.now() + 30_000;
  let a: string[] | null = null;
  let b: string[] | null = null;
  for (;;) {
    a = await rulesOn(pe1.url);
    b = await rulesOn(pe2.url);
    if (a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b) && acknowledged.every((r) => a?.includes(r))) break;
    if (Date.now() > deadline) break;
    await sleep(300);
  }
  expect(a).not.toBeNull();
  expect(b).toEqual(a);
  for (const rule of acknowledged) expect(a).toContain(rule);
  // The engines agree with the database too: a rule written now is active on both.
  expect((await call(pe1.url, 'POST', '/v1/policies/classification/rules', { rule: 'q(7)' })).status).toBe(201);
  for (const pe of [pe1, pe2]) {
    let rows: unknown = null;
    for (let i = 0; i < 50; i++) {
      const r = await call(pe.url, 'GET', '/v1/policies/classification/tables/d1/rows');
      rows = r.body;
      if (r.status === 200 && JSON.stringify(r.body).includes('7')) break;
      await sleep(100);
    }
    if (acknowledged.includes('d1(x) :- q(x)')) expect(rows).toEqual({ results: [{ data: [7] }] });
  }
});

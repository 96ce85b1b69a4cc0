/**
 * A RabbitMQ restart (stop_app / start_app of a private broker node) in the middle of a stream of
 * pushes through a policy-engine node: after the broker is back, both policy-engine nodes hold
 * exactly the datasource node's table, whatever was lost in flight.
 */
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../support/mariadb';
import { PrivateBroker } from '../../support/rabbitmq';
import { configDirectory, runServer, startServer, type ServerProcess } from '../../support/server';
import { waitFor } from '../../support/wait';
import { call } from '../replication/cluster';

jest.setTimeout(180_000);

let broker: PrivateBroker | null = null;
let db: TestDatabase | null = null;
let cfg: Awaited<ReturnType<typeof configDirectory>> | null = null;
const running: ServerProcess[] = [];

afterAll(async () => {
  for (const p of running) await p.stop('SIGTERM');
  await cfg?.remove();
  await db?.drop();
  await broker?.stop();
});

const alarms = (n: number): unknown[] => Array.from({ length: n }, (_, i) => [`alarm-${i}`, i % 3 === 0 ? 'critical' : 'minor']);

test('every PE holds exactly the datasource table after a broker restart during a push stream', async () => {
  broker = await PrivateBroker.start();
  db = await createTestDatabase('congress_brk');
  cfg = await configDirectory({
    DEFAULT: { transport_url: broker.url, rpc_response_timeout: '5', datasource_sync_period: '60' },
    database: { connection: db.url },
    dse: { bus_id: `brk-${randomUUID().slice(0, 8)}`, heartbeat_interval: '0.2', peer_timeout: '1' },
  });
  const up = await runServer({ args: ['--config-file', cfg.configFile, '--db-upgrade'] });
  expect(up.code).toBe(0);
  const start = async (...args: string[]): Promise<ServerProcess> => {
    const p = await startServer({ args: ['--config-file', (cfg as NonNullable<typeof cfg>).configFile, ...args] });
    running.push(p);
    return p;
  };
  await start('--datasources', '--node-id', 'ds');
  const pe1 = await start('--api', '--policy-engine', '--node-id', 'pe1');
  const pe2 = await start('--api', '--policy-engine', '--node-id', 'pe2');

  await waitFor('push datasource created', 30_000, async () => {
    const r = await call(pe1.url, 'POST', '/v1/data-sources', { name: 'mon', driver: 'push', config: { tables: { alarms: ['id', 'severity'] } } });
    return r.status === 201 ? r : undefined;
  });
  expect((await call(pe1.url, 'POST', '/v1/policies/classification/rules', { rule: 'critical(id) :- mon:alarms(id, "critical")' })).status).toBe(201);

  // A bounded stream of pushes (each replaces the table); the broker restarts in the middle.
  let last = 0;
  const restart = (async () => {
    await new Promise((r) => setTimeout(r, 300));
    await (broker as PrivateBroker).restartApp(500);
  })();
  const deadline = Date.now() + 20_000;
  for (let n = 1; n <= 40 && Date.now() < deadline; n++) {
    const r = await call(pe1.url, 'PUT', '/v1/data-sources/mon/tables/alarms/rows', alarms(n)).catch(() => ({ status: 0, body: null, revision: NaN, headers: new Headers() }));
    if (r.status === 200) last = n;
    await new Promise((res) => setTimeout(res, 50));
  }
  await restart;
  // One more push once the broker is back: its contents are what every node must end up with.
  await waitFor('a push accepted after the restart', 30_000, async () => {
    const r = await call(pe1.url, 'PUT', '/v1/data-sources/mon/tables/alarms/rows', alarms(last + 5));
    return r.status === 200 ? r : undefined;
  });
  const want = alarms(last + 5).map((row) => JSON.stringify(row)).sort();
  const wantCritical = (alarms(last + 5) as [string, string][]).filter(([, s]) => s === 'critical').map(([id]) => JSON.stringify([id])).sort();
  for (const pe of [pe1, pe2]) {
    await waitFor(`${pe.url} to hold the datasource table`, 30_000, async () => {
      const ds = await call(pe.url, 'GET', '/v1/data-sources/mon/tables/alarms/rows');
      const pol = await call(pe.url, 'GET', '/v1/policies/classification/tables/critical/rows');
      if (ds.status !== 200 || pol.status !== 200) return undefined;
      const got = (ds.body as { results: { data: unknown[] }[] }).results.map((r) => JSON.stringify(r.data)).sort();
      const crit = (pol.body as { results: { data: unknown[] }[] }).results.map((r) => JSON.stringify(r.data)).sort();
      return JSON.stringify(got) === JSON.stringify(want) && JSON.stringify(crit) === JSON.stringify(wantCritical) ? true : undefined;
    });
  }
  expect(last).toBeGreaterThan(0);
});

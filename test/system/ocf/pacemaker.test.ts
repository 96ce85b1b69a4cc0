/**
 * The agent under a real Pacemaker: a one-node corosync + Pacemaker cluster on 127.0.0.1
 * (STONITH off, quorum ignored) runs the seed's `ds-node` primitive with a short monitor
 * interval. Pacemaker starts the datasource node, restarts it after a kill -9 (new PID,
 * healthy again), and stopping the resource stops the process. The daemons are started and
 * stopped by PID and the machine's cluster state is restored afterwards.
 *
 * A second scenario puts the warm-standby node in its real setting: the datasource node under
 * Pacemaker on MariaDB and RabbitMQ with two policy-engine nodes beside it; rows pushed through a
 * policy-engine node survive a kill -9 of the datasource node, and once Pacemaker has restarted
 * it both policy-engine nodes serve the same rows again.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  alive,
  dsNodeFixture,
  httpStatus,
  LoopbackCluster,
  readPid,
  ROOT,
  run,
  tail,
  type DsNodeFixture,
} from '../../support/pacemaker';
import { waitFor } from '../../support/wait';
import { createTestDatabase, type TestDatabase } from '../../support/mariadb';
import { ensureRabbitMq, RABBIT_URL } from '../../support/rabbitmq';
import { configDirectory, startServer, type ServerProcess } from '../../support/server';

jest.setTimeout(240_000);

let cluster: LoopbackCluster | null = null;
let ds: DsNodeFixture | undefined;

beforeAll(async () => {
  ds = await dsNodeFixture();
  cluster = await LoopbackCluster.start();
}, 1_200_000);

afterAll(async () => {
  const problems = cluster === null ? [] : await cluster.stop();
  await ds?.remove();
  if (cluster !== null) await cluster.remove();
  if (problems.length > 0) throw new Error(`teardown: ${problems.join('; ')}`);
}, 120_000);

function need(): LoopbackCluster {
  if (cluster === null) throw new Error('the test cluster did not start');
  return cluster;
}

function node(): DsNodeFixture {
  if (ds === undefined) throw new Error('the datasource node fixture was not created');
  return ds;
}

/** Context for a failure: cluster status, daemon logs, the server's log. */
async function context(): Promise<string> {
  const c = need();
  return `--- crm_mon ---\n${await c.status()}\n${c.logs()}\n--- server log ---\n${tail(node().logFile)}`;
}

async function expectEventually<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  try {
    return await waitFor(what, timeoutMs, check, 500);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${await context()}`);
  }
}

/** The datasource node's PID once Pacemaker reports ds-node Started and /livez answers. */
async function startedPid(except: number | null): Promise<number> {
  const c = need();
  return expectEventually(`ds-node Started with a healthy process${except === null ? '' : ` other than ${except}`}`, 60_000, async () => {
    const pid = readPid(node().pidFile);
    if (pid === null || pid === except || !alive(pid)) return undefined;
    if ((await httpStatus(node().livez)) !== 200) return undefined;
    const s = await c.status();
    return new RegExp(`ds-node\\s+\\(ocf:openstack:congress-datasource\\):\\s+Started ${c.nodeName}`).test(s) ? pid : undefined;
  });
}

test('Pacemaker runs the seed primitive, restarts a killed datasource node, and stops it', async () => {
  const c = need();
  await c.crm('configure', 'property', 'stonith-enabled=false');
  await c.crm('configure', 'property', 'no-quorum-policy=ignore');
  const { config, node_id, ...testOnly } = node().params;
  await c.crm(
    'configure',
    'primitive',
    'ds-node',
    'ocf:openstack:congress-datasource',
    'params',
    `config=${config}`,
    `node_id=${node_id}`,
    // Test-only locations (the machine's defaults are left untouched).
    ...Object.entries(testOnly).map(([k, v]) => `${k}=${v}`),
    'op',
    'monitor',
    'interval=2s',
    'timeout=30s',
  );

  const first = await startedPid(null);
  const cmdline = readFileSync(`/proc/${first}/cmdline`, 'utf8').split('\0');
  expect(cmdline).toEqual(expect.arrayContaining([`--config-file=${config}`, '--datasources', `--node-id=${node_id}`]));

  process.kill(first, 'SIGKILL');
  const second = await startedPid(first);
  expect(second).not.toBe(first);
  expect(await httpStatus(node().livez)).toBe(200);
  // The failure Pacemaker recovered from is on record, with the agent's exit reason.
  const status = await c.status();
  expect(status).toMatch(/ds-node.*monitor.*'not running'/);
  expect(status).toContain('stale pid file');

  await c.crm('resource', 'stop', 'ds-node');
  await expectEventually('ds-node stopped and its process gone', 60_000, async () => {
    if (alive(second) || readPid(node().pidFile) !== null) return undefined;
    return /ds-node\s+\(ocf:openstack:congress-datasource\):\s+Stopped/.test(await c.status()) ? true : undefined;
  });
  expect(await httpStatus(node().livez)).toBeNull();
});

test('config/pacemaker-ds.crm loads as it is (checked in a shadow CIB)', async () => {
  need();
  const shadow = `congress-ocf-test-${process.pid}`;
  const env = { ...process.env, CIB_shadow: shadow };
  const created = await run('crm_shadow', ['--batch', '--create', shadow], { timeoutMs: 30_000 });
  expect(created.code).toBe(0);
  try {
    // The live cluster already has a ds-node: start the shadow from an empty resource set.
    await run('crm', ['configure', 'delete', '--force', 'ds-node'], { env, timeoutMs: 30_000 });
    const loaded = await run('crm', ['configure', 'load', 'update', path.join(ROOT, 'config', 'pacemaker-ds.crm')], { env, timeoutMs: 60_000 });
    expect({ code: loaded.code, out: loaded.stdout + loaded.stderr }).toMatchObject({ code: 0 });
    const shown = await run('crm', ['configure', 'show', 'ds-node'], { env, timeoutMs: 30_000 });
    expect(shown.stdout).toMatch(/primitive ds-node ocf:openstack:congress-datasource/);
    expect(shown.stdout).toContain('config="/etc/congress/congress.conf"');
    expect(shown.stdout).toContain('node_id=datasource-node');
    expect(shown.stdout).toMatch(/op monitor interval=30s timeout=30s/);
  } finally {
    await run('crm_shadow', ['--batch', '--force', '--delete', shadow], { timeoutMs: 30_000 });
  }
});

test('after a kill -9 of the datasource node, Pacemaker restarts it and the policy-engine nodes serve the same rows', async () => {
  const c = need();
  await c.crm('configure', 'delete', '--force', 'ds-node');
  await ensureRabbitMq();
  const db: TestDatabase = await createTestDatabase('congress_pcmk');
  const shared = {
    DEFAULT: { transport_url: RABBIT_URL, rpc_response_timeout: '10', datasource_sync_period: '60' },
    database: { connection: db.url },
    dse: { bus_id: `pcmk-${randomUUID().slice(0, 8)}`, heartbeat_interval: '0.2', peer_timeout: '1' },
  };
  const ds2 = await dsNodeFixture({ nodeId: 'ds-ha', config: shared });
  const peCfg = await configDirectory(shared);
  let pe: ServerProcess | null = null;
  let pe2: ServerProcess | null = null;
  try {
    pe = await startServer({ args: ['--config-file', peCfg.configFile, '--api', '--policy-engine', '--node-id', 'pe1'] });
    pe2 = await startServer({ args: ['--config-file', peCfg.configFile, '--api', '--policy-engine', '--node-id', 'pe2'] });
    const base = pe.url;
    const call = async (method: string, p: string, body?: unknown, on = base): Promise<{ status: number; body: unknown }> => {
      const res = await fetch(on + p, { method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
    };
    const { config, node_id, ...testOnly } = ds2.params;
    await c.crm('configure', 'primitive', 'ds-node', 'ocf:openstack:congress-datasource', 'params', `config=${config}`, `node_id=${node_id}`,
      ...Object.entries(testOnly).map(([k, v]) => `${k}=${v}`), 'op', 'monitor', 'interval=2s', 'timeout=30s');
    const startedOn = async (except: number | null): Promise<number> =>
      expectEventually(`ds-node (MariaDB, RabbitMQ) started${except === null ? '' : ` other than ${except}`}`, 60_000, async () => {
        const pid = readPid(ds2.pidFile);
        if (pid === null || pid === except || !alive(pid) || (await httpStatus(ds2.livez)) !== 200) return undefined;
        return /ds-node\s+\(ocf:openstack:congress-datasource\):\s+Started/.test(await c.status()) ? pid : undefined;
      });
    const first = await startedOn(null);

    // Through the policy-engine node: a doctor datasource, pushed events, a rule over them.
    const created = await expectEventually('datasource created over the bus', 30_000, async () => {
      const r = await call('POST', '/v1/data-sources', { name: 'doc', driver: 'doctor', config: {} });
      return r.status === 201 ? r : undefined;
    });
    expect(created.status).toBe(201);
    const events = [
      { time: '2016-02-22T11:48:55Z', type: 'compute.host.down', details: { hostname: 'compute1', status: 'down', monitor: 'zabbix1', monitor_event_id: '111' } },
      { time: '2016-02-22T11:49:00Z', type: 'compute.host.down', details: { hostname: 'compute2', status: 'up', monitor: 'zabbix1', monitor_event_id: '112' } },
    ];
    expect((await call('PUT', '/v1/data-sources/doc/tables/events/rows', events)).status).toBe(200);
    expect((await call('POST', '/v1/policies/classification/rules', { rule: 'down_host(h) :- doc:events(hostname=h, status="down")' })).status).toBe(201);
    const rows = async (p: string, on = base): Promise<unknown> => {
      const r = await call('GET', p, undefined, on);
      return r.status === 200 ? (r.body as { results: { data: unknown[] }[] }).results.map((x) => x.data).sort() : `status ${r.status}`;
    };
    const pushedBefore = await expectEventually('pushed rows on the PE', 20_000, async () => {
      const r = await rows('/v1/data-sources/doc/tables/events/rows');
      return Array.isArray(r) && r.length === 2 ? r : undefined;
    });
    await expectEventually('down_host on the PE', 20_000, async () => {
      const r = await rows('/v1/policies/classification/tables/down_host/rows');
      return JSON.stringify(r) === JSON.stringify([['compute1']]) ? r : undefined;
    });

    // kill -9: Pacemaker restarts the node; the persisted pushed rows come back and the PE resyncs.
    process.kill(first, 'SIGKILL');
    const second = await startedOn(first);
    expect(second).not.toBe(first);
    await expectEventually('the same pushed rows after the restart', 30_000, async () => {
      const r = await rows('/v1/data-sources/doc/tables/events/rows');
      return JSON.stringify(r) === JSON.stringify(pushedBefore) ? r : undefined;
    });
    expect(await rows('/v1/policies/classification/tables/down_host/rows')).toEqual([['compute1']]);
    // The other policy-engine node serves the same rows too.
    const other = (pe2 as ServerProcess).url;
    await expectEventually('the same rows on pe2', 30_000, async () => {
      const r = await rows('/v1/policies/classification/tables/down_host/rows', other);
      return JSON.stringify(r) === JSON.stringify([['compute1']]) ? r : undefined;
    });
    expect(await rows('/v1/data-sources/doc/tables/events/rows', other)).toEqual(pushedBefore);

    await c.crm('resource', 'stop', 'ds-node');
    await expectEventually('ds-node stopped', 60_000, async () => (alive(second) ? undefined : true));
  } finally {
    await pe?.stop('SIGTERM');
    await pe2?.stop('SIGTERM');
    await c.crm('configure', 'delete', '--force', 'ds-node').catch(() => undefined);
    await ds2.remove();
    await peCfg.remove();
    await db.drop();
  }
});

/**
 * The agent under a real Pacemaker: a one-node corosync + Pacemaker cluster on 127.0.0.1
 * (STONITH off, quorum ignored) runs the seed's `ds-node` primitive with a short monitor
 * interval. Pacemaker starts the datasource node, restarts it after a kill -9 (new PID,
 * healthy again), and stopping the resource stops the process. The daemons are started and
 * stopped by PID and the machine's cluster state is restored afterwards.
 */
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
  waitFor,
  type DsNodeFixture,
} from '../../support/pacemaker';

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

/**
 * The OCF resource agent `ocf/congress-datasource` run directly with an OCF environment (no
 * cluster): the resource-agents test-plan cases (missing required parameter, normal and double
 * start and stop, monitor running / not running, unknown action), meta-data validity, probes,
 * stale and reused pid files, the health URL the monitor derives, and a hung (SIGSTOPped) node.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {
  OCF,
  RA_API_DTD,
  alive,
  dsNodeFixture,
  ensureAgentTools,
  freePort,
  httpStatus,
  processState,
  readPid,
  run,
  runAgent,
  tail,
  type DsNodeFixture,
  type Result,
} from '../../support/pacemaker';
import { waitFor } from '../../support/wait';

jest.setTimeout(120_000);

const PROBE = { OCF_RESKEY_CRM_meta_interval: '0' };
const RECURRING = { OCF_RESKEY_CRM_meta_interval: '30000' };

/** The exit reason the agent gave Pacemaker (ocf_exit_reason's stderr line). */
function reason(r: Result): string {
  const m = /ocf-exit-reason:(.*)/.exec(r.stderr);
  return m === null ? '' : m[1];
}

function show(r: Result): string {
  return `exit ${r.code ?? r.signal}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
}

let scratch: string;

beforeAll(async () => {
  await ensureAgentTools();
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-ocf-'));
}, 1_200_000);
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

describe('actions that need no server', () => {
  let configFile: string;
  let params: Record<string, string>;

  beforeAll(async () => {
    configFile = path.join(scratch, 'congress.conf');
    await fs.writeFile(configFile, `[DEFAULT]\nbind_host = 127.0.0.1\n\n[database]\nconnection = sqlite:///${scratch}/x.sqlite\n`);
    params = { config: configFile, binary: '/bin/true', pid: path.join(scratch, 'none.pid'), log_file: path.join(scratch, 'ds.log') };
  });

  test('meta-data works without parameters and validates against the OCF ra-api DTD', async () => {
    const r = await runAgent('meta-data', {}, { env: { OCF_RESOURCE_INSTANCE: '' } });
    expect(r.code).toBe(OCF.SUCCESS);
    const file = path.join(scratch, 'meta-data.xml');
    await fs.writeFile(file, r.stdout);
    // On standard input from the DTD's directory, as ocf-tester does, so that the DOCTYPE's
    // relative name resolves.
    const lint = await run('sh', ['-c', 'xmllint --noout --valid - < "$1"', 'lint', file], { cwd: path.dirname(RA_API_DTD) });
    expect({ code: lint.code, stderr: lint.stderr }).toEqual({ code: 0, stderr: '' });
    const xml = r.stdout;
    expect(xml).toMatch(/<parameter name="config" unique="0" required="1">/);
    for (const [name, def] of [
      ['node_id', 'datasource-node'],
      ['binary', '/usr/local/bin/congress-server'],
      ['user', 'root'],
      ['log_file', '/var/log/congress/datasource-node.log'],
    ]) {
      expect(xml).toMatch(new RegExp(`<parameter name="${name}"[^]*?default="${def}"`));
    }
    for (const name of ['additional_parameters', 'pid', 'health_url', 'health_timeout']) expect(xml).toContain(`<parameter name="${name}"`);
    for (const action of ['start', 'stop', 'monitor', 'status', 'validate-all', 'meta-data']) expect(xml).toMatch(new RegExp(`<action name="${action}"`));
    // Start waits for health: the advertised timeout must leave room for it (the original said 10 s).
    const start = /<action name="start"\s+timeout="(\d+)s"/.exec(xml);
    expect(Number(start?.[1])).toBeGreaterThanOrEqual(60);
  });

  test('usage and help succeed; an unknown action is OCF_ERR_UNIMPLEMENTED; no action is OCF_ERR_ARGS', async () => {
    for (const action of ['usage', 'help']) {
      const r = await runAgent(action, params);
      expect(r.code).toBe(OCF.SUCCESS);
      expect(r.stdout).toContain('usage:');
    }
    const unknown = await runAgent('frobnicate', params);
    expect(unknown.code).toBe(OCF.ERR_UNIMPLEMENTED);
    const none = await runAgent(null, params);
    expect(none.code).toBe(OCF.ERR_ARGS);
  });

  test('the required parameter config missing: OCF_ERR_CONFIGURED with an exit reason', async () => {
    const { config: _omitted, ...rest } = params;
    for (const action of ['validate-all', 'start', 'monitor']) {
      const r = await runAgent(action, rest);
      expect({ action, code: r.code }).toEqual({ action, code: OCF.ERR_CONFIGURED });
      expect(reason(r)).toContain("Required parameter 'config' is not set");
    }
  });

  test('bad parameter values and a configuration without [database] connection: OCF_ERR_CONFIGURED', async () => {
    const noDb = path.join(scratch, 'nodb.conf');
    await fs.writeFile(noDb, '[DEFAULT]\nbind_port = 1789\n');
    const cases: Array<[Record<string, string>, string]> = [
      [{ config: noDb }, 'sets no [database] connection'],
      [{ node_id: 'two words' }, 'node_id'],
      [{ health_url: 'ftp://127.0.0.1/' }, 'health_url'],
      [{ health_timeout: '0' }, 'health_timeout'],
    ];
    for (const [override, why] of cases) {
      const r = await runAgent('validate-all', { ...params, ...override });
      expect({ override, code: r.code }).toEqual({ override, code: OCF.ERR_CONFIGURED });
      expect(reason(r)).toContain(why);
    }
  });

  test('what this host lacks is OCF_ERR_INSTALLED, but a probe reports "not running" and stop succeeds', async () => {
    const missingConfig = { ...params, config: path.join(scratch, 'absent.conf') };
    const missingBinary = { ...params, binary: path.join(scratch, 'no-such-server') };
    for (const p of [missingConfig, missingBinary, { ...params, user: 'no-such-user-cds' }]) {
      const v = await runAgent('validate-all', p);
      expect(v.code).toBe(OCF.ERR_INSTALLED);
      expect(reason(v)).not.toBe('');
      const start = await runAgent('start', p);
      expect(start.code).toBe(OCF.ERR_INSTALLED);
      const probe = await runAgent('monitor', p, { env: PROBE });
      expect(probe.code).toBe(OCF.NOT_RUNNING);
      const stop = await runAgent('stop', p);
      expect(stop.code).toBe(OCF.SUCCESS);
    }
    expect(reason(await runAgent('validate-all', missingConfig))).toContain('does not exist on this host');
  });

  test('monitor and status on a never-started resource: OCF_NOT_RUNNING; stop succeeds', async () => {
    expect((await runAgent('monitor', params, { env: PROBE })).code).toBe(OCF.NOT_RUNNING);
    const recurring = await runAgent('monitor', params, { env: RECURRING });
    expect(recurring.code).toBe(OCF.NOT_RUNNING);
    expect(reason(recurring)).toContain('not running');
    expect((await runAgent('status', params)).code).toBe(OCF.NOT_RUNNING);
    expect((await runAgent('stop', params)).code).toBe(OCF.SUCCESS);
  });

  test('a stale pid file (process gone) is "not running" and stop removes it', async () => {
    const done = await run('sh', ['-c', 'echo $$']);
    const deadPid = Number(done.stdout.trim());
    expect(alive(deadPid)).toBe(false);
    const pidFile = path.join(scratch, 'stale.pid');
    await fs.writeFile(pidFile, `${deadPid}\n`);
    const p = { ...params, pid: pidFile };
    expect((await runAgent('monitor', p, { env: RECURRING })).code).toBe(OCF.NOT_RUNNING);
    expect((await runAgent('stop', p)).code).toBe(OCF.SUCCESS);
    expect(existsSync(pidFile)).toBe(false);
  });

  test('a pid file naming an unrelated live process (PID reused) is "not running", and stop leaves that process alone', async () => {
    const pidFile = path.join(scratch, 'reused.pid');
    await fs.writeFile(pidFile, `${process.pid}\n`);
    const p = { ...params, pid: pidFile };
    expect((await runAgent('monitor', p, { env: RECURRING })).code).toBe(OCF.NOT_RUNNING);
    expect((await runAgent('stop', p)).code).toBe(OCF.SUCCESS);
    expect(processState(process.pid)).not.toBeNull();
    expect(existsSync(pidFile)).toBe(false);
  });
});

describe('the health URL monitor probes', () => {
  const NODE_ID = 'ds-standin';
  let configFile: string;
  let apiPort: number;
  let standin: ChildProcess;
  let pidFile: string;
  let servers: http.Server[] = [];
  const hits: string[] = [];

  /** An HTTP server on 127.0.0.1:port answering 200 on every path, recording the paths. */
  async function listen(port: number): Promise<http.Server> {
    const srv = http.createServer((req, res) => {
      hits.push(`${port}${req.url ?? ''}`);
      res.end('{"status":"ok"}');
    });
    await new Promise<void>((resolve) => srv.listen(port, '127.0.0.1', resolve));
    servers.push(srv);
    return srv;
  }

  async function closeAll(): Promise<void> {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    servers = [];
  }

  beforeAll(async () => {
    apiPort = await freePort();
    configFile = path.join(scratch, 'standin.conf');
    await fs.writeFile(
      configFile,
      `[DEFAULT]\nbind_host = 0.0.0.0\nbind_port = ${apiPort}\n\n[database]\nconnection = sqlite:///${scratch}/s.sqlite\n`,
    );
    // A process whose command line looks like the agent's server: the monitor accepts it as
    // ours, and the health answers come from this test's HTTP servers.
    standin = spawn('sh', ['-c', 'while :; do sleep 1; done', 'cds-standin', `--config-file=${configFile}`, '--datasources', `--node-id=${NODE_ID}`], {
      stdio: 'ignore',
    });
    pidFile = path.join(scratch, 'standin.pid');
    await fs.writeFile(pidFile, `${standin.pid}\n`);
  });
  afterAll(async () => {
    await closeAll();
    if (standin.pid !== undefined && alive(standin.pid)) process.kill(standin.pid, 'SIGKILL');
  });
  afterEach(closeAll);

  const params = (extra: Record<string, string> = {}): Record<string, string> => ({
    config: configFile,
    node_id: NODE_ID,
    binary: '/bin/true',
    pid: pidFile,
    ...extra,
  });

  test('derived from [DEFAULT] bind_host and bind_port, a 0.0.0.0 bind_host probed on 127.0.0.1, path /livez', async () => {
    await listen(apiPort);
    hits.length = 0;
    const ok = await runAgent('monitor', params(), { env: RECURRING });
    expect(ok.code).toBe(OCF.SUCCESS);
    expect(hits).toEqual([`${apiPort}/livez`]);
    // The same listener whatever roles additional_parameters add.
    hits.length = 0;
    expect((await runAgent('monitor', params({ additional_parameters: '--api --policy-engine' }), { env: RECURRING })).code).toBe(OCF.SUCCESS);
    expect(hits).toEqual([`${apiPort}/livez`]);
  });

  test('an explicit health_url wins; health_url=none checks the process only', async () => {
    await listen(apiPort);
    hits.length = 0;
    const custom = await runAgent('monitor', params({ health_url: `http://127.0.0.1:${apiPort}/readyz` }), { env: RECURRING });
    expect(custom.code).toBe(OCF.SUCCESS);
    expect(hits).toEqual([`${apiPort}/readyz`]);
    await closeAll();
    const none = await runAgent('monitor', params({ health_url: 'none' }), { env: RECURRING });
    expect(none.code).toBe(OCF.SUCCESS);
  });

  test('a live process whose health endpoint does not answer: OCF_ERR_GENERIC naming the URL', async () => {
    const r = await runAgent('monitor', params({ health_timeout: '2' }), { env: RECURRING });
    expect(r.code).toBe(OCF.ERR_GENERIC);
    expect(reason(r)).toContain(`http://127.0.0.1:${apiPort}/livez does not answer`);
    // status is the process-only check.
    expect((await runAgent('status', params())).code).toBe(OCF.SUCCESS);
  });
});

describe('with a real congress-server behind the agent', () => {
  let ds: DsNodeFixture;

  beforeAll(async () => {
    ds = await dsNodeFixture();
  });
  afterAll(async () => {
    await runAgent('stop', ds.params);
    await ds.remove();
  });

  const serverLog = (): string => `--- server log ---\n${tail(ds.logFile)}`;

  test('start, double start, monitor, SIGSTOP, stop, double stop', async () => {
    expect((await runAgent('monitor', ds.params, { env: PROBE })).code).toBe(OCF.NOT_RUNNING);

    const started = await runAgent('start', ds.params, { env: { OCF_RESKEY_CRM_meta_timeout: '60000' } });
    if (started.code !== OCF.SUCCESS) throw new Error(`start failed: ${show(started)}\n${serverLog()}`);
    // Start returns only once the node is healthy.
    expect(await httpStatus(ds.livez)).toBe(200);
    const pid = readPid(ds.pidFile);
    expect(pid).not.toBeNull();
    const server = pid as number;
    const cmdline = (await fs.readFile(`/proc/${server}/cmdline`, 'utf8')).split('\0');
    expect(cmdline).toEqual(expect.arrayContaining([`--config-file=${ds.configFile}`, '--datasources', '--node-id=datasource-node']));
    // The datasource role alone, as Pacemaker runs it.
    const live = (await (await fetch(ds.livez)).json()) as { node_id: string; roles: string[] };
    expect(live).toMatchObject({ node_id: 'datasource-node', roles: ['datasources'] });

    expect((await runAgent('monitor', ds.params, { env: RECURRING })).code).toBe(OCF.SUCCESS);
    expect((await runAgent('monitor', ds.params, { env: PROBE })).code).toBe(OCF.SUCCESS);

    const again = await runAgent('start', ds.params);
    expect(again.code).toBe(OCF.SUCCESS);
    expect(readPid(ds.pidFile)).toBe(server);

    // A hung node: alive, but stopped. Pacemaker must see a failure, not "running".
    process.kill(server, 'SIGSTOP');
    await waitFor('the server to be in state T', 5000, () => (processState(server) === 'T' ? true : undefined));
    const hung = await runAgent('monitor', ds.params, { env: RECURRING });
    expect(hung.code).toBe(OCF.ERR_GENERIC);
    expect(reason(hung)).toContain('is stopped (state T)');

    // Stop copes with the stopped process (SIGTERM stays pending until SIGCONT).
    const t0 = Date.now();
    const stopped = await runAgent('stop', ds.params, { env: { OCF_RESKEY_CRM_meta_timeout: '30000' } });
    expect(stopped.code).toBe(OCF.SUCCESS);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(alive(server)).toBe(false);
    expect(existsSync(ds.pidFile)).toBe(false);
    expect(await httpStatus(ds.livez)).toBeNull();

    expect((await runAgent('stop', ds.params)).code).toBe(OCF.SUCCESS);
    expect((await runAgent('monitor', ds.params, { env: RECURRING })).code).toBe(OCF.NOT_RUNNING);
  });

  test('a killed node: monitor reports it not running, start brings up a new process', async () => {
    const first = await runAgent('start', ds.params);
    if (first.code !== OCF.SUCCESS) throw new Error(`start failed: ${show(first)}\n${serverLog()}`);
    const pid = readPid(ds.pidFile) as number;
    process.kill(pid, 'SIGKILL');
    await waitFor('the server to die', 10_000, () => (alive(pid) ? undefined : true));
    const after = await runAgent('monitor', ds.params, { env: RECURRING });
    expect(after.code).toBe(OCF.NOT_RUNNING);
    expect(reason(after)).toContain('stale pid file');

    const restarted = await runAgent('start', ds.params);
    if (restarted.code !== OCF.SUCCESS) throw new Error(`restart failed: ${show(restarted)}\n${serverLog()}`);
    const pid2 = readPid(ds.pidFile);
    expect(pid2).not.toBe(pid);
    expect(await httpStatus(ds.livez)).toBe(200);
    expect((await runAgent('stop', ds.params)).code).toBe(OCF.SUCCESS);
    expect(alive(pid2 as number)).toBe(false);
  });

  test('a server that exits during start fails the start at once, with its last log line as the reason', async () => {
    const conf = path.join(ds.dir, 'unmigrated.conf');
    const text = await fs.readFile(ds.configFile, 'utf8');
    await fs.writeFile(conf, text.replace(/connection = .*/, `connection = sqlite:///${ds.dir}/unmigrated.sqlite`));
    const t0 = Date.now();
    const r = await runAgent('start', { ...ds.params, config: conf }, { env: { OCF_RESKEY_CRM_meta_timeout: '60000' } });
    expect(r.code).toBe(OCF.ERR_GENERIC);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(reason(r)).toContain('exited during start');
    expect(reason(r)).toContain('database schema is not up to date');
    expect((await runAgent('monitor', { ...ds.params, config: conf }, { env: RECURRING })).code).toBe(OCF.NOT_RUNNING);
  });

  test('a node that never becomes healthy fails the start within the operation timeout; stop then cleans up', async () => {
    const closed = await freePort();
    const p = { ...ds.params, health_url: `http://127.0.0.1:${closed}/livez`, health_timeout: '1' };
    const t0 = Date.now();
    const r = await runAgent('start', p, { env: { OCF_RESKEY_CRM_meta_timeout: '8000' } });
    const took = Date.now() - t0;
    expect(r.code).toBe(OCF.ERR_GENERIC);
    expect(reason(r)).toContain('not healthy');
    expect(took).toBeLessThan(8000);
    const pid = readPid(ds.pidFile) as number;
    expect(alive(pid)).toBe(true);
    expect((await runAgent('stop', p)).code).toBe(OCF.SUCCESS);
    expect(alive(pid)).toBe(false);
  });

  test('after node_id changed, monitor no longer claims the old node, but stop still stops it', async () => {
    const started = await runAgent('start', ds.params);
    if (started.code !== OCF.SUCCESS) throw new Error(`start failed: ${show(started)}\n${serverLog()}`);
    const pid = readPid(ds.pidFile) as number;
    const changed = { ...ds.params, node_id: 'datasource-node-2' };
    expect((await runAgent('monitor', changed, { env: RECURRING })).code).toBe(OCF.NOT_RUNNING);
    // Pacemaker applies a parameter change as stop + start: the stop must not leave the old node running.
    expect((await runAgent('stop', changed)).code).toBe(OCF.SUCCESS);
    expect(alive(pid)).toBe(false);
  });

  test('user: the server runs as that user (through setpriv), the pid file still names it', async () => {
    // The node must be able to write its database and log: hand the fixture to nobody.
    const chown = await run('chown', ['-R', 'nobody', ds.dir]);
    expect(chown.code).toBe(0);
    const p = { ...ds.params, user: 'nobody' };
    const started = await runAgent('start', p);
    if (started.code !== OCF.SUCCESS) throw new Error(`start failed: ${show(started)}\n${serverLog()}`);
    const pid = readPid(ds.pidFile) as number;
    const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
    expect(/^Uid:\s+(\d+)/m.exec(status)?.[1]).toBe('65534');
    expect((await runAgent('monitor', p, { env: RECURRING })).code).toBe(OCF.SUCCESS);
    expect((await runAgent('stop', p)).code).toBe(OCF.SUCCESS);
    expect(alive(pid)).toBe(false);
  });
});

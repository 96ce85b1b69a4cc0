/**
 * Test support for the OCF resource agent `ocf/congress-datasource`: running the agent with an
 * OCF environment, a datasource-node fixture (config, migrated SQLite database, free loopback
 * ports), Debian package installation, and a single-node corosync + Pacemaker cluster on
 * 127.0.0.1 started and stopped by PID, leaving the machine's cluster state as it was.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { configDirectory, runServer } from './server';
import { GiveUp, waitFor } from './wait';

export const ROOT = path.resolve(__dirname, '../..');
/** The agent in this checkout. */
export const AGENT = path.join(ROOT, 'ocf', 'congress-datasource');
export const INSTALL_SCRIPT = path.join(ROOT, 'scripts', 'install-ocf.sh');
/** Where Pacemaker looks for agents (compiled into it). */
export const OCF_ROOT = '/usr/lib/ocf';
export const INSTALLED_AGENT = path.join(OCF_ROOT, 'resource.d', 'openstack', 'congress-datasource');
export const RA_API_DTD = '/usr/share/resource-agents/ra-api-1.dtd';

/** OCF exit codes. */
export const OCF = {
  SUCCESS: 0,
  ERR_GENERIC: 1,
  ERR_ARGS: 2,
  ERR_UNIMPLEMENTED: 3,
  ERR_PERM: 4,
  ERR_INSTALLED: 5,
  ERR_CONFIGURED: 6,
  NOT_RUNNING: 7,
} as const;

/** How a command ended, with its output. */
export interface Result {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion; SIGKILL (by its PID) after `timeoutMs`. */
export function run(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): Promise<Result> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise<Result>((resolve, reject) => {
    const child = spawn(command, [...args], { env: options.env ?? process.env, cwd: options.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${timeoutMs} ms]`;
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

let aptUpdated = false;

/** Serialises apt among concurrent jest workers (dpkg allows one at a time). */
const APT_LOCK = path.join(os.tmpdir(), 'congress-apt.lock');

/**
 * Installs the Debian packages whose marker file is missing (`apt-get update` once per
 * process). Quick when everything is there: only `existsSync` calls.
 */
export async function ensurePackages(wanted: ReadonlyArray<{ readonly file: string; readonly pkg: string }>): Promise<void> {
  const missingNow = (): string[] => [...new Set(wanted.filter((w) => !existsSync(w.file)).map((w) => w.pkg))];
  if (missingNow().length === 0) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Another worker may hold the lock to install the same packages: wait for it, then look again.
  const apt = (args: string[], timeoutMs: number): Promise<Result> =>
    run('flock', ['-w', '900', APT_LOCK, 'apt-get', '-o', 'DPkg::Lock::Timeout=300', ...args], { env, timeoutMs });
  if (!aptUpdated) {
    const update = await apt(['update', '-qq'], 600_000);
    if (update.code !== 0) throw new Error(`apt-get update failed (${update.code}):\n${update.stderr}`);
    aptUpdated = true;
  }
  const missing = missingNow();
  if (missing.length === 0) return;
  const install = await apt(['install', '-y', '-q', '--no-install-recommends', ...missing], 900_000);
  if (install.code !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed (${install.code}):\n${install.stderr || install.stdout}`);
  const still = wanted.filter((w) => !existsSync(w.file));
  if (still.length > 0) throw new Error(`installed ${missing.join(' ')} but still missing: ${still.map((w) => w.file).join(', ')}`);
}

/** resource-agents (ocf-shellfuncs, ocf-tester, the ra-api DTD) and xmllint. */
export function ensureAgentTools(): Promise<void> {
  return ensurePackages([
    { file: path.join(OCF_ROOT, 'lib', 'heartbeat', 'ocf-shellfuncs'), pkg: 'resource-agents' },
    { file: '/usr/sbin/ocf-tester', pkg: 'resource-agents' },
    { file: RA_API_DTD, pkg: 'resource-agents' },
    { file: '/usr/bin/xmllint', pkg: 'libxml2-utils' },
    { file: '/usr/bin/curl', pkg: 'curl' },
  ]);
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}


/** Scheduler state of a PID (`R`, `S`, `T`, `Z`, ...), or null when there is no such process. */
export function processState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return null;
  }
}

/** True while PID is a process that has not exited (zombies count as exited). */
export function alive(pid: number): boolean {
  const s = processState(pid);
  return s !== null && s !== 'Z' && s !== 'X';
}

/** Reads a pid file; null when absent or not a number. */
export function readPid(file: string): number | null {
  try {
    const n = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/** Runs the agent like Pacemaker does: action as the only argument, parameters as OCF_RESKEY_*. */
export function runAgent(
  action: string | null,
  params: Readonly<Record<string, string>>,
  options: { agent?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; instance?: string } = {},
): Promise<Result> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    OCF_ROOT,
    OCF_RA_VERSION_MAJOR: '1',
    OCF_RA_VERSION_MINOR: '0',
    OCF_RESOURCE_INSTANCE: options.instance ?? 'ds-test',
    // ocf_log writes to stderr and, without these, to syslog: keep test runs out of it.
    HA_LOGFACILITY: 'none',
    HA_LOGFILE: '',
    HA_DEBUGLOG: '',
    ...options.env,
  };
  for (const [k, v] of Object.entries(params)) env[`OCF_RESKEY_${k}`] = v;
  return run(options.agent ?? AGENT, action === null ? [] : [action], { env, timeoutMs: options.timeoutMs ?? 90_000 });
}

/** A configured, migrated datasource node that the agent can start. */
export interface DsNodeFixture {
  readonly dir: string;
  readonly configFile: string;
  /** `[DEFAULT] bind_port`, where the datasource node serves `/livez`. */
  readonly port: number;
  /** The agent's parameters for this node. */
  readonly params: Readonly<Record<string, string>>;
  readonly pidFile: string;
  readonly logFile: string;
  /** `http://127.0.0.1:<port>/livez`. */
  readonly livez: string;
  /** Kills (by the recorded PID, if still ours) whatever the agent left running, removes the directory. */
  remove(): Promise<void>;
}

/**
 * A temporary directory with congress.conf (SQLite, free loopback port, in-process bus),
 * the database migrated, and a `congress-server` wrapper that names node by absolute path
 * (Pacemaker runs agents with a PATH that may not contain it).
 */
export async function dsNodeFixture(
  options: { nodeId?: string; config?: Record<string, Record<string, string>> } = {},
): Promise<DsNodeFixture> {
  const port = await freePort();
  const extra = options.config ?? {};
  const cfg = await configDirectory({ ...extra, DEFAULT: { ...extra.DEFAULT, bind_port: String(port) } });
  // Pacemaker's daemons run agents as root but list them as hacluster: the directory must be searchable.
  await fs.chmod(cfg.dir, 0o755);
  const upgrade = await runServer({ args: ['--db-upgrade', '--config-file', cfg.configFile] });
  if (upgrade.code !== 0) throw new Error(`congress-server --db-upgrade failed (${upgrade.code}):\n${upgrade.stderr}`);
  const binary = path.join(cfg.dir, 'congress-server');
  await fs.writeFile(binary, `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'bin', 'congress-server')}" "$@"\n`, { mode: 0o755 });
  const pidFile = path.join(cfg.dir, 'run', 'ds.pid');
  const logFile = path.join(cfg.dir, 'log', 'ds.log');
  const params = {
    config: cfg.configFile,
    node_id: options.nodeId ?? 'datasource-node',
    binary,
    pid: pidFile,
    log_file: logFile,
  };
  return {
    dir: cfg.dir,
    configFile: cfg.configFile,
    port,
    params,
    pidFile,
    logFile,
    livez: `http://127.0.0.1:${port}/livez`,
    remove: async () => {
      const pid = readPid(pidFile);
      if (pid !== null && isOurServer(pid, cfg.configFile)) {
        process.kill(pid, 'SIGKILL');
        await waitFor(`pid ${pid} to exit`, 10_000, () => (alive(pid) ? undefined : true));
      }
      await cfg.remove();
    },
  };
}

/** True when PID is a congress-server started with this config file. */
export function isOurServer(pid: number, configFile: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(`--config-file=${configFile}`) && alive(pid);
  } catch {
    return false;
  }
}

/** GET url; the status, or null when nothing answered within 3 s. */
export async function httpStatus(url: string): Promise<number | null> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(3000) });
    await r.text();
    return r.status;
  } catch {
    return null;
  }
}

/** Last `lines` lines of a file, or a note that it cannot be read. */
export function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch (err) {
    return `(${file}: ${(err as Error).message})`;
  }
}

/** Pacemaker and corosync state a test cluster writes; restored to what it was afterwards. */
const CLUSTER_STATE_DIRS = ['/var/lib/pacemaker/cib', '/var/lib/pacemaker/pengine', '/var/lib/corosync'];

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** PIDs of the live processes whose parent is `ppid`. */
function childrenOf(ppid: number): number[] {
  const out: number[] = [];
  for (const name of listDir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === ppid && fields[0] !== 'Z') out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Live processes whose command name is one of `names` (to refuse to start next to a real cluster). */
function runningByName(names: readonly string[]): string[] {
  const found: string[] = [];
  for (const pid of listDir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (names.includes(comm) && alive(Number(pid))) found.push(`${comm} (pid ${pid})`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function stopPid(pid: number, graceMs: number): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (alive(pid)) {
    process.kill(pid, 'SIGKILL');
    await waitFor(`pid ${pid} to exit after SIGKILL`, 10_000, () => (alive(pid) ? undefined : true));
  }
}

/**
 * A one-node corosync + Pacemaker cluster on 127.0.0.1, with STONITH off and quorum ignored,
 * and this checkout's agent installed as ocf:openstack:congress-datasource. Started with
 * `LoopbackCluster.start()`, torn down with `stop()` (daemons by PID, state files restored).
 */
export class LoopbackCluster {
  readonly nodeName = os.hostname();
  private corosyncPid: number | null = null;
  private pacemakerdPid: number | null = null;
  private readonly exits = new Map<string, Promise<number | null>>();
  private readonly stateBefore = new Map<string, Set<string>>();
  private agentBefore: Buffer | null = null;
  private providerDirCreated = false;

  private constructor(readonly dir: string) {}

  get corosyncLog(): string {
    return path.join(this.dir, 'corosync.log');
  }

  get pacemakerLog(): string {
    return path.join(this.dir, 'pacemaker.log');
  }

  /** Installs what is missing, then starts the cluster and waits until this node is its DC. */
  static async start(): Promise<LoopbackCluster> {
    await ensurePackages([
      { file: '/usr/sbin/corosync', pkg: 'corosync' },
      { file: '/usr/sbin/pacemakerd', pkg: 'pacemaker' },
      { file: '/usr/sbin/crm_mon', pkg: 'pacemaker-cli-utils' },
      { file: '/usr/sbin/crm', pkg: 'crmsh' },
      { file: path.join(OCF_ROOT, 'lib', 'heartbeat', 'ocf-shellfuncs'), pkg: 'resource-agents' },
    ]);
    const already = runningByName(['corosync', 'pacemakerd']);
    if (already.length > 0) {
      throw new Error(`a cluster stack is already running on this machine (${already.join(', ')}): the test cluster would join or disturb it; stop it first`);
    }
    const cluster = new LoopbackCluster(await fs.mkdtemp(path.join(os.tmpdir(), 'congress-pcmk-')));
    try {
      await cluster.saveState();
      await cluster.installAgent();
      await cluster.startCorosync();
      await cluster.startPacemaker();
    } catch (err) {
      const problems = await cluster.stop();
      const message = `${(err as Error).message}${problems.length > 0 ? `\nteardown: ${problems.join('; ')}` : ''}\n${cluster.logs()}`;
      await cluster.remove();
      throw new Error(message);
    }
    return cluster;
  }

  /** The daemons' log tails, for failure messages. */
  logs(): string {
    return `--- corosync log ---\n${tail(this.corosyncLog)}\n--- corosync stderr ---\n${tail(path.join(this.dir, 'corosync.out'), 20)}\n--- pacemaker log ---\n${tail(this.pacemakerLog, 60)}\n--- pacemakerd stderr ---\n${tail(path.join(this.dir, 'pacemakerd.out'), 20)}`;
  }

  /** Runs `crm ARGS...`; throws with its output when it fails. */
  async crm(...args: string[]): Promise<string> {
    const r = await run('crm', args, { timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(`crm ${args.join(' ')} failed (${r.code ?? r.signal}):\n${r.stdout}${r.stderr}`);
    return r.stdout;
  }

  /** `crm_mon -1` (one-shot status, failures included). */
  async status(): Promise<string> {
    const r = await run('crm_mon', ['-1', '-r'], { timeoutMs: 30_000 });
    return r.stdout + r.stderr;
  }

  private async saveState(): Promise<void> {
    const backup = path.join(this.dir, 'state-backup');
    for (const dir of CLUSTER_STATE_DIRS) {
      const files = listDir(dir);
      this.stateBefore.set(dir, new Set(files));
      // A CIB left by an earlier cluster would be loaded: park it for the test's duration.
      if (dir.endsWith('/cib') && files.length > 0) {
        await fs.mkdir(backup, { recursive: true });
        for (const f of files) await fs.rename(path.join(dir, f), path.join(backup, f));
        this.stateBefore.set(dir, new Set());
      }
    }
  }

  private async restoreState(): Promise<void> {
    for (const dir of CLUSTER_STATE_DIRS) {
      const before = this.stateBefore.get(dir);
      if (before === undefined) continue;
      for (const f of listDir(dir)) if (!before.has(f)) await fs.rm(path.join(dir, f), { recursive: true, force: true });
    }
    const backup = path.join(this.dir, 'state-backup');
    for (const f of listDir(backup)) await fs.rename(path.join(backup, f), path.join('/var/lib/pacemaker/cib', f));
  }

  private async installAgent(): Promise<void> {
    const providerDir = path.dirname(INSTALLED_AGENT);
    this.providerDirCreated = !existsSync(providerDir);
    this.agentBefore = existsSync(INSTALLED_AGENT) ? await fs.readFile(INSTALLED_AGENT) : null;
    const r = await run('sh', [INSTALL_SCRIPT, '--no-wrapper'], { timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(`scripts/install-ocf.sh failed (${r.code}):\n${r.stdout}${r.stderr}`);
  }

  private async uninstallAgent(): Promise<void> {
    if (this.agentBefore !== null) {
      await fs.writeFile(INSTALLED_AGENT, this.agentBefore, { mode: 0o755 });
      return;
    }
    await fs.rm(INSTALLED_AGENT, { force: true });
    if (this.providerDirCreated) await fs.rm(path.dirname(INSTALLED_AGENT), { recursive: true, force: true });
  }

  private daemon(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): number {
    const out = path.join(this.dir, `${name}.out`);
    const fd = openSync(out, 'a');
    const child = spawn(command, args, { env, stdio: ['ignore', fd, fd], cwd: this.dir });
    closeSync(fd);
    if (child.pid === undefined) throw new Error(`${command} could not be spawned`);
    this.exits.set(name, new Promise((resolve) => child.once('exit', (code) => resolve(code))));
    child.once('error', () => undefined);
    return child.pid;
  }

  private async startCorosync(): Promise<void> {
    const conf = path.join(this.dir, 'corosync.conf');
    // One node on loopback, quorate on its own vote: no two_node, no wait_for_all.
    await fs.writeFile(
      conf,
      `totem {
    version: 2
    cluster_name: congress-test
    transport: knet
    crypto_cipher: none
    crypto_hash: none
    token: 3000
}
nodelist {
    node {
        ring0_addr: 127.0.0.1
        name: ${this.nodeName}
        nodeid: 1
    }
}
quorum {
    provider: corosync_votequorum
    expected_votes: 1
    two_node: 0
    wait_for_all: 0
}
logging {
    to_logfile: yes
    logfile: ${this.corosyncLog}
    to_syslog: no
    to_stderr: no
    timestamp: on
}
`,
    );
    const check = await run('corosync', ['-t', '-c', conf], { timeoutMs: 10_000 });
    if (check.code !== 0) throw new Error(`corosync rejects its configuration:\n${check.stdout}${check.stderr}`);
    const pid = this.daemon('corosync', 'corosync', ['-f', '-c', conf], process.env);
    this.corosyncPid = pid;
    await waitFor('corosync to be quorate', 30_000, async () => {
      if (!alive(pid)) throw new GiveUp(`corosync (pid ${pid}) exited`);
      const q = await run('corosync-quorumtool', ['-s'], { timeoutMs: 5000 });
      return /Quorate:\s+Yes/.test(q.stdout) ? true : undefined;
    });
  }

  private async startPacemaker(): Promise<void> {
    const env = { ...process.env, PCMK_logfile: this.pacemakerLog, PCMK_debug: 'no' };
    const pid = this.daemon('pacemakerd', 'pacemakerd', [], env);
    this.pacemakerdPid = pid;
    // A fresh node waits dc-deadtime (20 s) for another DC before electing itself.
    await waitFor('Pacemaker to elect this node DC', 90_000, async () => {
      if (!alive(pid)) throw new GiveUp(`pacemakerd (pid ${pid}) exited`);
      const s = await this.status();
      return s.includes(`Current DC: ${this.nodeName}`) && new RegExp(`Online: \\[ ${this.nodeName} \\]`).test(s) ? true : undefined;
    }, 1000);
  }

  /** Stops the daemons by PID (SIGTERM, then SIGKILL), restores state files; returns what went wrong. */
  async stop(): Promise<string[]> {
    const problems: string[] = [];
    const attempt = async (what: string, f: () => Promise<void>): Promise<void> => {
      try {
        await f();
      } catch (err) {
        problems.push(`${what}: ${(err as Error).message}`);
      }
    };
    const pcmk = this.pacemakerdPid;
    if (pcmk !== null) {
      // Its subdaemons are ours too: remember them in case pacemakerd must be killed.
      const subdaemons = childrenOf(pcmk);
      await attempt('stopping pacemakerd', () => stopPid(pcmk, 60_000));
      for (const p of subdaemons) await attempt(`stopping pacemaker subdaemon ${p}`, () => stopPid(p, 5000));
      this.pacemakerdPid = null;
    }
    const coro = this.corosyncPid;
    if (coro !== null) {
      await attempt('stopping corosync', () => stopPid(coro, 20_000));
      this.corosyncPid = null;
    }
    await attempt('restoring cluster state files', () => this.restoreState());
    await attempt('removing the installed agent', () => this.uninstallAgent());
    return problems;
  }

  /** Removes the cluster's temporary directory (logs included). */
  remove(): Promise<void> {
    return fs.rm(this.dir, { recursive: true, force: true });
  }
}

/** HAProxy from the distribution, installed if missing (the HA tests run the shipped config). */
export function ensureHaproxy(): Promise<void> {
  return ensurePackages([{ file: '/usr/sbin/haproxy', pkg: 'haproxy' }]);
}

/**
 * A real `congress-server` process for end-to-end tests: started from the built `dist/` on a
 * free loopback port (port 0, read back from the line it prints), stopped by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The repository root, from the sources (test/support) or from a build (dist/test/support). */
const ROOT = path.basename(path.resolve(__dirname, '../..')) === 'dist' ? path.resolve(__dirname, '../../..') : path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'congress-server');
const MAIN = path.join(ROOT, 'dist', 'src', 'server', 'main.js');

/** How a process ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A started server. */
export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  output(): { stdout: string; stderr: string };
  /** Sends `signal` to the PID and waits for the exit; SIGKILL after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit>;
}

/** Options of `runServer` / `startServer`. */
export interface RunOptions {
  readonly args?: readonly string[];
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

function requireBuild(): void {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first with 'npm run build' (npx tsc -p tsconfig.json)`);
}

function launch(args: readonly string[], cwd: string | undefined): { child: ChildProcess; out: { stdout: string; stderr: string }; exited: Promise<Exit> } {
  requireBuild();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, out, exited };
}

/** Starts a server and waits until it prints where it listens. */
export async function startServer(options: RunOptions = {}): Promise<ServerProcess> {
  const { child, out, exited } = launch(options.args ?? [], options.cwd);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      reject(new Error(`congress-server did not start within ${timeoutMs} ms\n${out.stderr}`));
    }, timeoutMs);
    const onData = (): void => {
      const m = /listening on (https?:\/\/\S+)/.exec(out.stdout);
      if (m === null) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve(m[1]);
    };
    child.stdout?.on('data', onData);
    void exited.then((e) => {
      clearTimeout(timer);
      reject(new Error(`congress-server exited (${e.code ?? e.signal}) before listening\n${out.stderr}`));
    });
  });
  const pid = child.pid as number;
  return {
    url,
    pid,
    child,
    exited,
    output: () => ({ ...out }),
    stop: async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20_000) => {
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, signal);
      let timer: NodeJS.Timeout | undefined;
      const killed = new Promise<Exit>((resolve) => {
        timer = setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
          void exited.then(resolve);
        }, timeoutMs);
      });
      const e = await Promise.race([exited, killed]);
      clearTimeout(timer);
      return e;
    },
  };
}

/** Runs `congress-server` to completion (e.g. `--db-upgrade`, or a start that must fail). */
export async function runServer(options: RunOptions = {}): Promise<Exit & { stdout: string; stderr: string }> {
  const { child, out, exited } = launch(options.args ?? [], options.cwd);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const timer = setTimeout(() => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), timeoutMs);
  const e = await exited;
  clearTimeout(timer);
  return { ...e, ...out };
}

/** A temporary directory with a congress.conf in it (SQLite, port 0, noauth, empty library). */
export async function configDirectory(extra: Record<string, Record<string, string>> = {}): Promise<{ dir: string; configFile: string; remove(): Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-server-'));
  await fs.mkdir(path.join(dir, 'library'));
  const sections: Record<string, Record<string, string>> = {
    DEFAULT: {
      bind_host: '127.0.0.1',
      bind_port: '0',
      auth_strategy: 'noauth',
      policy_library_path: path.join(dir, 'library'),
      encryption_key_path: path.join(dir, 'keys'),
      ...extra.DEFAULT,
    },
    database: { connection: `sqlite:///${path.join(dir, 'congress.sqlite')}`, ...extra.database },
  };
  for (const [name, values] of Object.entries(extra)) if (!(name in sections)) sections[name] = values;
  const text = Object.entries(sections)
    .map(([name, values]) => `[${name}]\n` + Object.entries(values).map(([k, v]) => `${k} = ${v}`).join('\n'))
    .join('\n\n');
  const configFile = path.join(dir, 'congress.conf');
  await fs.writeFile(configFile, text + '\n');
  return { dir, configFile, remove: () => fs.rm(dir, { recursive: true, force: true }) };
}

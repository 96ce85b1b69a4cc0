/**
 * wrk, a load generator written in C, driven from the API benchmark. On this 2-vCPU machine the
 * client shares the CPUs with the server (and with MariaDB): autocannon, in JavaScript, takes
 * much of a core for its own parsing and bookkeeping, so what it reports at 32 clients is partly
 * its own cost. wrk with one thread leaves the server most of the machine and reports latency
 * percentiles to the microsecond.
 *
 * Debian packages it (`apt-get install -y wrk`); `ensureWrk` installs it when the benchmark runs
 * as root on a machine without it, and otherwise says what to do.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One wrk measurement. Latencies in milliseconds. */
export interface WrkFigures {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  /** Socket errors plus answers outside 2xx/3xx. */
  readonly errors: number;
  /**
   * wrk's own CPU time (user and system) over the measured time, in cores, when the shell's
   * `time` reported it. Near 1 the client, not the server, limits the figures: one thread cannot
   * take in more.
   */
  readonly clientCpu?: number;
}

export interface WrkLoad {
  readonly url: string;
  readonly connections: number;
  readonly seconds: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** POST bodies: `before`, a number unique to the request in this process, then `after`. */
  readonly postBody?: { readonly before: string; readonly after: string };
}

function onPath(): boolean {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** Makes sure `wrk` runs; installs Debian's package as root, else throws what to do. */
export function ensureWrk(): void {
  if (onPath()) return;
  if (process.getuid?.() === 0) {
    // A fresh machine has no package lists yet: read them when the first attempt fails.
    for (const refresh of [false, true]) {
      if (refresh) spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
      spawnSync('apt-get', ['install', '-y', '-qq', 'wrk'], { stdio: 'ignore' });
      if (onPath()) return;
    }
  }
  throw new Error('the API benchmark needs wrk: install it with `apt-get install -y wrk` (Debian/Ubuntu)');
}

const UNIT_MS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** A wrk duration such as `306.00us`, `4.22ms` or `1.01s`, in milliseconds. */
export function durationMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (m === null) throw new Error(`wrk printed a duration it does not document: ${text}`);
  return Number(m[1]) * UNIT_MS[m[2]];
}

/** The figures of wrk's `--latency` report. */
export function parseWrkReport(report: string): WrkFigures {
  const percentile = (p: string): number => {
    const m = new RegExp(`^\\s*${p}%\\s+(\\S+)\\s*$`, 'm').exec(report);
    if (m === null) throw new Error(`wrk's report has no ${p}% line:\n${report}`);
    return durationMs(m[1]);
  };
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(report);
  if (rps === null) throw new Error(`wrk's report has no Requests/sec line:\n${report}`);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(report);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(report);
  const socketErrors = socket === null ? 0 : socket.slice(1).reduce((sum, n) => sum + Number(n), 0);
  return { rps: Number(rps[1]), p50: percentile('50'), p99: percentile('99'), errors: socketErrors + Number(non2xx?.[1] ?? 0) };
}

const RUN_SPAN = 100_000_000;
let runs = 0;

function luaString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The Lua script for a load: fixed headers, and per-request bodies for POST. */
function script(load: WrkLoad): string | null {
  if (load.postBody === undefined && load.headers === undefined) return null;
  const headers = Object.entries(load.headers ?? {}).map(([k, v]) => `wrk.headers[${luaString(k)}] = ${luaString(v)}`);
  if (load.postBody === undefined) return headers.join('\n');
  return [
    ...headers,
    // One thread (-t1), so one Lua state and one counter; each run starts past the last one's
    // numbers (a run sends far fewer than RUN_SPAN requests), so no body repeats an earlier one.
    `local n = ${(runs += 1) * RUN_SPAN}`,
    'request = function()',
    '  n = n + 1',
    `  return wrk.format("POST", nil, nil, ${luaString(load.postBody.before)} .. n .. ${luaString(load.postBody.after)})`,
    'end',
  ].join('\n');
}

/** Runs wrk with one thread for `seconds` and returns its figures. */
export async function wrkLoad(load: WrkLoad): Promise<WrkFigures> {
  const dir = mkdtempSync(path.join(tmpdir(), 'congress-bench-wrk-'));
  try {
    const args = ['-t1', `-c${load.connections}`, `-d${load.seconds}s`, '--latency', '--timeout', '10s'];
    const lua = script(load);
    if (lua !== null) {
      const file = path.join(dir, 'load.lua');
      writeFileSync(file, `${lua}\n`);
      args.push('-s', file);
    }
    if (load.postBody !== undefined) args.push('-H', 'Content-Type: application/json');
    // Under bash's `time`, which reports wrk's own CPU time on stderr as "user system".
    const timed = 'TIMEFORMAT="%U %S"; time wrk "$@"';
    const { stdout, stderr } = await run('bash', ['-c', timed, 'wrk', ...args, load.url], { timeout: (load.seconds + 30) * 1000 });
    const cpu = /(\d+\.\d+) (\d+\.\d+)\s*$/.exec(stderr);
    const figures = parseWrkReport(stdout);
    return cpu === null ? figures : { ...figures, clientCpu: (Number(cpu[1]) + Number(cpu[2])) / load.seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

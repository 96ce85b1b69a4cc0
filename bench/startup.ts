/**
 * Start-up benchmark (`npm run bench:startup`): how long a `congress-server` process takes from
 * spawn to its first answer, which is what a Pacemaker restart or an operator's `systemctl
 * restart` waits for. Cases: `--help`; the embedded default (first start, which creates the
 * database, then a restart); an `--api --policy-engine` node on
 * MariaDB and RabbitMQ. Each start is a fresh process on loopback (the embedded default on its
 * 127.0.0.1:1789, the node on a free port); every run is bounded. Prints Markdown.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createTestDatabase } from '../test/support/mariadb';
import { ensureRabbitMq, RABBIT_URL } from '../test/support/rabbitmq';
import { configDirectory, runServer, startServer } from '../test/support/server';

const RUNS = Math.max(1, Math.min(20, Number(process.env.BENCH_STARTUP_RUNS ?? 5)));

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function row(name: string, xs: readonly number[]): string {
  return `| ${name} | ${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)} | ${Math.max(...xs).toFixed(0)} | ${xs.length} |`;
}

/** Milliseconds from spawn to the first answer of `GET /v1/`; the process is stopped after. */
async function timeToFirstAnswer(args: readonly string[], cwd?: string): Promise<number> {
  const t0 = performance.now();
  const server = await startServer({ args, cwd, timeoutMs: 30_000 });
  try {
    const res = await fetch(`${server.url}/v1/`, { signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET /v1/ answered ${res.status}`);
    return performance.now() - t0;
  } finally {
    const exit = await server.stop();
    if (exit.code !== 0) throw new Error(`congress-server exited with ${exit.code ?? exit.signal} after SIGTERM`);
  }
}

async function main(): Promise<void> {
  console.log(`# Start-up benchmark (${new Date().toISOString()}, node ${process.version}, ${RUNS} runs per case)\n`);
  console.log('| case | median ms | min ms | max ms | runs |');
  console.log('| --- | --- | --- | --- | --- |');

  const help: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = await runServer({ args: ['--help'], timeoutMs: 10_000 });
    if (r.code !== 0) throw new Error(`--help exited with ${r.code ?? r.signal}`);
    help.push(performance.now() - t0);
  }
  console.log(row('`congress-server --help`', help));

  // The embedded default (no configuration, so 127.0.0.1:1789) in an empty directory.
  const embeddedFirst: number[] = [];
  const embeddedRestart: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-bench-startup-'));
    try {
      embeddedFirst.push(await timeToFirstAnswer([], dir));
      embeddedRestart.push(await timeToFirstAnswer([], dir));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
  console.log(row('embedded default (all roles, SQLite, in-process bus): first start, which creates the database', embeddedFirst));
  console.log(row('embedded default: restart', embeddedRestart));

  await ensureRabbitMq();
  const db = await createTestDatabase('congress_bench_startup');
  const cfg = await configDirectory({ DEFAULT: { transport_url: RABBIT_URL }, database: { connection: db.url } });
  try {
    const upgrade = await runServer({ args: ['--config-file', cfg.configFile, '--db-upgrade'], timeoutMs: 60_000 });
    if (upgrade.code !== 0) throw new Error(`--db-upgrade failed: ${upgrade.stderr}`);
    const pe: number[] = [];
    for (let i = 0; i < RUNS; i++) pe.push(await timeToFirstAnswer(['--config-file', cfg.configFile, '--api', '--policy-engine', '--node-id', 'bench-pe']));
    console.log(row('`--api --policy-engine`, MariaDB, RabbitMQ (includes one heartbeat period listening for peers)', pe));
  } finally {
    await cfg.remove();
    await db.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * HA benchmark (`npm run bench:ha`): two `--api --policy-engine` nodes and a `--datasources` node
 * on MariaDB and RabbitMQ, HAProxy in front (the shipped config/haproxy.cfg), all on loopback.
 * Measures replica lag at three write rates, throughput through HAProxy against one node,
 * a kill -9 of a node under load, the restart of that node, and how soon a new datasource is
 * usable on the other node. Every load is bounded in time. Prints Markdown.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { createTestDatabase } from '../test/support/mariadb';
import { ensureHaproxy, freePort } from '../test/support/pacemaker';
import { ensureRabbitMq, RABBIT_URL } from '../test/support/rabbitmq';
import { configDirectory, runServer, startServer, type ServerProcess } from '../test/support/server';

const root = path.resolve(__dirname, '..', '..');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function call(base: string, method: string, p: string, body?: unknown): Promise<{ status: number; body: unknown; servedBy: string | null }> {
  const res = await fetch(base + p, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown), servedBy: res.headers.get('x-served-by') };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function until(timeoutMs: number, probe: () => Promise<boolean>): Promise<number> {
  const t0 = performance.now();
  while (!(await probe())) {
    if (performance.now() - t0 > timeoutMs) return NaN;
    await sleep(2);
  }
  return performance.now() - t0;
}

async function main(): Promise<void> {
  await ensureHaproxy();
  await ensureRabbitMq();
  const db = await createTestDatabase('congress_bench_ha');
  const shared = {
    DEFAULT: { transport_url: RABBIT_URL, rpc_response_timeout: '10', datasource_sync_period: '60' },
    engine: { policy_sync_period: '60' },
    database: { connection: db.url },
    dse: { bus_id: `bench-ha-${randomUUID().slice(0, 8)}`, heartbeat_interval: '0.2', peer_timeout: '1' },
  };
  const cfg = await configDirectory(shared);
  // Fixed ports for the policy-engine nodes: HAProxy must find a restarted node where it was.
  const peConfig = new Map<string, Awaited<ReturnType<typeof configDirectory>>>();
  for (const name of ['pe1', 'pe2']) peConfig.set(name, await configDirectory({ ...shared, DEFAULT: { ...shared.DEFAULT, bind_port: String(await freePort()) } }));
  const running: ServerProcess[] = [];
  let haproxy: ChildProcess | null = null;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-bench-ha-'));
  try {
    if ((await runServer({ args: ['--config-file', cfg.configFile, '--db-upgrade'] })).code !== 0) throw new Error('db upgrade failed');
    const start = async (...args: string[]): Promise<ServerProcess> => {
      const node = args[args.indexOf('--node-id') + 1];
      const p = await startServer({ args: ['--config-file', (peConfig.get(node) ?? cfg).configFile, ...args] });
      running.push(p);
      return p;
    };
    await start('--datasources', '--node-id', 'ds');
    const pe1 = await start('--api', '--policy-engine', '--node-id', 'pe1');
    const pe2 = await start('--api', '--policy-engine', '--node-id', 'pe2');
    const port = await freePort();
    const statsPort = await freePort();
    const lb = `http://127.0.0.1:${port}`;
    /** HAProxy's view of a server: UP, DOWN, ... (its stats page as CSV). */
    const lbStatus = async (server: string): Promise<string> => {
      const csv = await (await fetch(`http://127.0.0.1:${statsPort}/stats;csv`)).text();
      const row = csv.split('\n').find((l) => l.startsWith(`congress_nodes,${server},`));
      return row?.split(',')[17] ?? 'unknown';
    };
    const conf = readFileSync(path.join(root, 'config', 'haproxy.cfg'), 'utf8')
      .replace('127.0.0.1:1789', `127.0.0.1:${port}`)
      .replace('127.0.0.1:4001', new URL(pe1.url).host)
      .replace('127.0.0.1:4002', new URL(pe2.url).host)
      .replace('log stdout format raw local0', '')
      .replace('backend congress_nodes', 'backend congress_nodes\n    http-response set-header X-Served-By %s')
      .concat(`\nlisten stats\n    bind 127.0.0.1:${statsPort}\n    stats enable\n    stats uri /stats\n`);
    await fs.writeFile(path.join(dir, 'haproxy.cfg'), conf);
    haproxy = spawn('/usr/sbin/haproxy', ['-db', '-f', path.join(dir, 'haproxy.cfg')], { stdio: 'ignore' });
    await until(30_000, async () => (await call(lb, 'GET', '/v1/policies').catch(() => ({ status: 0 }))).status === 200);
    await sleep(2500);

    console.log(`# HA benchmark (${new Date().toISOString()}, node ${process.version})\n`);
    // 1. Replica lag: a rule written on pe1 until its derived row answers on pe2, at three rates.
    await call(pe1.url, 'POST', '/v1/policies', { name: 'lag' });
    await call(pe1.url, 'POST', '/v1/policies/lag/rules', { rule: 'seed(1)' });
    console.log('| writes/min | writes | lag p50 ms | lag p99 ms | max ms |');
    console.log('| --- | --- | --- | --- | --- |');
    let n = 0;
    for (const [rate, count] of [
      [0, 10],
      [100, 15],
      [1000, 40],
    ] as const) {
      const lags: number[] = [];
      const gap = rate === 0 ? 1000 : 60_000 / rate;
      for (let i = 0; i < count; i++) {
        const t0 = performance.now();
        const table = `lag${++n}`;
        await call(pe1.url, 'POST', '/v1/policies/lag/rules', { rule: `${table}(x) :- seed(x)` });
        const lag = await until(5000, async () => {
          const r = await call(pe2.url, 'GET', `/v1/policies/lag/tables/${table}/rows`);
          return r.status === 200 && (r.body as { results: unknown[] }).results.length === 1;
        });
        lags.push(lag);
        const rest = gap - (performance.now() - t0);
        if (rest > 0) await sleep(rest);
      }
      console.log(`| ${rate === 0 ? 'idle (1 per s)' : rate} | ${count} | ${pct(lags, 50).toFixed(1)} | ${pct(lags, 99).toFixed(1)} | ${Math.max(...lags).toFixed(1)} |`);
    }

    // 2. A new datasource usable in rules on the other node.
    const t0 = performance.now();
    await call(pe1.url, 'POST', '/v1/data-sources', { name: 'inv', driver: 'push', config: { tables: { hosts: ['id', 'zone'] } } });
    const created = performance.now() - t0;
    const usable = await until(10_000, async () => (await call(pe2.url, 'POST', '/v1/policies/lag/rules', { rule: 'inv_host(h) :- inv:hosts(id=h)' })).status === 201);
    console.log(`\nNew datasource: created through pe1 in ${created.toFixed(0)} ms; a column-reference rule over it accepted on pe2 ${usable.toFixed(0)} ms later.`);

    // 3. Throughput: one node directly vs the two nodes through HAProxy (GET a policy, 32 clients, 5 s).
    const load = async (url: string, seconds: number): Promise<autocannon.Result> => autocannon({ url, connections: 32, duration: seconds });
    const one = await load(`${pe1.url}/v1/policies/lag`, 5);
    const two = await load(`${lb}/v1/policies/lag`, 5);
    console.log('\n| target | requests/s | p50 ms | p99 ms | errors |');
    console.log('| --- | --- | --- | --- | --- |');
    console.log(`| pe1 directly | ${one.requests.average.toFixed(0)} | ${one.latency.p50} | ${one.latency.p99} | ${one.errors + one.non2xx} |`);
    console.log(`| pe1 + pe2 through HAProxy | ${two.requests.average.toFixed(0)} | ${two.latency.p50} | ${two.latency.p99} | ${two.errors + two.non2xx} |`);

    // 4. kill -9 of the node serving the load balancer's traffic, under load.
    const victimName = (await call(lb, 'GET', '/v1/policies')).servedBy;
    const victim = victimName === 'pe1' ? pe1 : pe2;
    const during = load(`${lb}/v1/policies/lag`, 8);
    await sleep(3000);
    process.kill(victim.pid, 'SIGKILL');
    const r = await during;
    console.log(`| through HAProxy, ${victimName} killed after 3 s of 8 | ${r.requests.average.toFixed(0)} | ${r.latency.p50} | ${r.latency.p99} (max ${r.latency.max}) | ${r.errors + r.non2xx} |`);

    // 5. The killed node restarts under its id: time to listen and serve directly, then through HAProxy.
    const tr = performance.now();
    let restarted: ServerProcess | null = null;
    while (restarted === null && performance.now() - tr < 30_000) {
      restarted = await start('--api', '--policy-engine', '--node-id', String(victimName)).catch(async () => {
        await sleep(200);
        return null;
      });
    }
    if (restarted === null) throw new Error('the killed node did not restart');
    const serving = performance.now() - tr;
    const viaLb = await until(30_000, async () => (await lbStatus(String(victimName))).startsWith('UP'));
    console.log(`\nRestart of ${victimName} (its id expired from the bus first): serving directly after ${serving.toFixed(0)} ms, back in HAProxy's rotation (UP) after ${(serving + viaLb).toFixed(0)} ms (health checks every 0.5 s while down, rise 2).`);
  } finally {
    if (haproxy !== null && haproxy.exitCode === null) {
      haproxy.kill('SIGTERM');
      await new Promise((res) => haproxy?.once('exit', res));
    }
    for (const p of running) if (p.child.exitCode === null && p.child.signalCode === null) await p.stop('SIGTERM');
    await cfg.remove();
    for (const c of peConfig.values()) await c.remove();
    await db.drop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

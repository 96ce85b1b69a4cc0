/**
 * REST API benchmark (`npm run bench:api`): a real congress-server process on loopback, loaded
 * for a bounded time per measurement by autocannon and by wrk (see wrk.ts for why both). Measures
 * GET rows of a 10,000-row table, GET a policy, and POST a rule, with 1 and 32 concurrent
 * clients, on SQLite and on MariaDB. Prints Markdown tables.
 *
 * Options (environment): BENCH_API_SECONDS=5  BENCH_API_DB=sqlite,mariadb  BENCH_API_WARMUP_MS=3000
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { createTestDatabase, ensureMariaDb, type TestDatabase } from '../test/support/mariadb';
import { startNginx } from './nginx-ceiling';
import { ensureWrk, wrkLoad, type WrkLoad } from './wrk';

const root = path.resolve(__dirname, '..', '..');
const seconds = Number(process.env.BENCH_API_SECONDS ?? 5);
const databases = (process.env.BENCH_API_DB ?? 'sqlite,mariadb').split(',');

interface Server {
  readonly url: string;
  readonly child: ChildProcess;
}

async function startServer(configFile: string, logFile: string): Promise<Server> {
  const bin = path.join(root, 'bin', 'congress-server');
  const upgrade = spawn(process.execPath, [bin, '--config-file', configFile, '--db-upgrade'], { stdio: 'ignore' });
  await new Promise((resolve) => upgrade.once('exit', resolve));
  return startListening([bin, '--config-file', configFile], logFile);
}

/**
 * Starts `node ARGS` and waits for the line on its standard output that says where it listens.
 * Its log (standard error) goes to `logFile`, as an operator's goes to a file or the journal:
 * read by the load generator, every request's log line would wake this process, which also
 * times the sequential exchanges, and cost it CPU the server then shares.
 */
async function startListening(args: readonly string[], logFile: string): Promise<Server> {
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', log] });
  closeSync(log);
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}${readFileSync(logFile, 'utf8').slice(-2000)}`)), 30_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
  });
  return { url, child };
}

async function call(url: string, method: string, body?: unknown): Promise<unknown> {
  const res = await fetch(url, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return text === '' ? null : JSON.parse(text);
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Share of the machine's CPU time the hypervisor took away during the measurement, or null. */
  stolen: number | null;
  /** The load generator's own CPU time over the measured time, in cores (wrk only), or null. */
  clientCpu: number | null;
}

/** Total and stolen CPU ticks of the machine (Linux `/proc/stat`), or null elsewhere. */
function cpuTicks(): { total: number; steal: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { total: fields.reduce((a, b) => a + b, 0), steal: fields[7] ?? 0 };
  } catch {
    return null;
  }
}

/**
 * One load measurement: a second of the same load first, not counted (a server runs warm, and the
 * first second of a fresh process is mostly the JIT compiling the request path), then `seconds`.
 */
async function measured(run: (duration: number) => Promise<Omit<Figures, 'stolen' | 'clientCpu'> & { clientCpu?: number }>): Promise<Figures> {
  await run(1);
  // On a shared virtual machine the figures mean little when the host takes CPU time away.
  const before = cpuTicks();
  const r = await run(seconds);
  const after = cpuTicks();
  const stolen = before === null || after === null || after.total === before.total ? null : (after.steal - before.steal) / (after.total - before.total);
  return { ...r, stolen, clientCpu: r.clientCpu ?? null };
}

function load(opts: autocannon.Options): Promise<Figures> {
  return measured(async (duration) => {
    const r = await autocannon({ ...opts, duration });
    return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
  });
}

function loadWrk(opts: Omit<WrkLoad, 'seconds'>): Promise<Figures> {
  return measured((duration) => wrkLoad({ ...opts, seconds: duration }));
}

function stolenText(f: Figures): string {
  return f.stolen === null ? '-' : `${(f.stolen * 100).toFixed(0)}%`;
}

function clientCpuText(f: Figures): string {
  return f.clientCpu === null ? '-' : f.clientCpu.toFixed(2);
}

/** Sub-millisecond percentiles of one kind of request. */
interface Precise {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
}

/** How long the sequential measurements warm the server up before timing. */
const WARMUP_MS = Number(process.env.BENCH_API_WARMUP_MS ?? 3000);

/**
 * Sequential requests on one keep-alive connection, each timed with the monotonic clock around
 * the whole exchange (so client work is included). autocannon reports whole milliseconds, and the
 * targets are below one. Bounded by `count` and by `maxMs`.
 */
async function preciseLatency(url: string, count: number, maxMs: number, body?: () => string): Promise<Precise> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const exchange = (): Promise<number> => {
    const payload = body?.();
    return new Promise<number>((resolve, reject) => {
      const req = request(url, { agent, method: payload === undefined ? 'GET' : 'POST', headers: payload === undefined ? {} : { 'Content-Type': 'application/json' } }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  };
  const times: number[] = [];
  const deadline = Date.now() + maxMs;
  try {
    // The first thousands of exchanges of a fresh server run through the JIT compiler: warm up,
    // uncounted, as the load rows do with their first seconds (at most `count` exchanges). After
    // 200 exchanges, as before, GET rows measured p50 0.58-0.63 ms; after 3 s, 0.37-0.41 ms.
    const warmEnd = Math.min(deadline, Date.now() + WARMUP_MS);
    for (let i = 0; i < count && Date.now() < warmEnd; i++) await exchange();
    for (let i = 0; i < count && Date.now() < deadline; i++) {
      const start = process.hrtime.bigint();
      const status = await exchange();
      if (status >= 400) throw new Error(`${url}: status ${status}`);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  } finally {
    agent.destroy();
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { count: times.length, p50: at(0.5), p99: at(0.99) };
}

/**
 * Bare `node:http` sending the bytes `url` answers (see bytes-floor.ts): its sequential latency,
 * and wrk's figures for it with 32 clients, the floor of the rows rows at that load; then nginx
 * sending the same bytes to the same wrk (see nginx-ceiling.ts), the client's ceiling.
 */
async function bytesFloor(url: string, dir: string): Promise<{ sequential: Precise; loaded: Figures; ceiling: Figures }> {
  const www = path.join(dir, 'www');
  mkdirSync(www);
  const file = path.join(www, 'rows-answer.json');
  writeFileSync(file, Buffer.from(await (await fetch(url)).arrayBuffer()));
  const floor = await startListening([path.join(__dirname, 'bytes-floor.js'), file], path.join(dir, 'floor.log'));
  let sequential: Precise;
  let loaded: Figures;
  try {
    sequential = await preciseLatency(floor.url, 2000, 10_000);
    loaded = await loadWrk({ url: floor.url, connections: 32 });
  } finally {
    floor.child.kill('SIGTERM');
    await new Promise((r) => floor.child.once('exit', r));
  }
  const nginx = await startNginx(dir, file);
  try {
    return { sequential, loaded, ceiling: await loadWrk({ url: nginx.url, connections: 32 }) };
  } finally {
    await nginx.stop();
  }
}

async function benchDatabase(kind: string): Promise<{ lines: string[]; precise: string[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'congress-bench-api-'));
  let db: TestDatabase | null = null;
  let server: Server | null = null;
  try {
    let connection = `sqlite:///${path.join(dir, 'congress.sqlite')}`;
    if (kind === 'mariadb') {
      await ensureMariaDb();
      db = await createTestDatabase('congress_bench');
      connection = db.url;
    }
    const conf = path.join(dir, 'congress.conf');
    writeFileSync(
      conf,
      `[DEFAULT]\nbind_host = 127.0.0.1\nbind_port = 0\nauth_strategy = noauth\npolicy_library_path = ${dir}\nencryption_key_path = ${path.join(dir, 'keys')}\n\n[database]\nconnection = ${connection}\n`,
    );
    server = await startServer(conf, path.join(dir, 'congress-server.log'));
    const base = server.url;
    // A push datasource with a 10,000-row table, and a policy reading it.
    await call(`${base}/v1/data-sources`, 'POST', { name: 'inventory', driver: 'push', config: { tables: { hosts: ['id', 'zone'] } } });
    const rows = Array.from({ length: 10_000 }, (_, i) => [`h${i}`, `z${i % 10}`]);
    await call(`${base}/v1/data-sources/inventory/tables/hosts/rows`, 'PUT', rows);
    await call(`${base}/v1/policies`, 'POST', { name: 'bench' });
    await call(`${base}/v1/policies/bench/rules`, 'POST', { rule: 'host(id, z) :- inventory:hosts(id, z)' });
    for (let i = 0; i < 200 && ((await call(`${base}/v1/policies/bench/tables/host/rows`, 'GET')) as { results: unknown[] }).results.length < 10_000; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const lines: string[] = [];
    const row = (what: string, c: number, f: Figures, tool = 'autocannon', db = kind): void => {
      lines.push(`| ${db} | ${what} | ${tool} | ${c} | ${f.rps.toFixed(0)} | ${f.p50.toFixed(2)} | ${f.p99.toFixed(2)} | ${f.errors} | ${stolenText(f)} | ${clientCpuText(f)} |`);
    };
    let n = 0;
    const precise: string[] = [];
    const exact = (what: string, f: Precise, db = kind): void => {
      precise.push(`| ${db} | ${what} | ${f.count} | ${f.p50.toFixed(3)} | ${f.p99.toFixed(3)} |`);
    };
    // Sequential first: a client process that has just driven autocannon carries its garbage,
    // and its collections landed in the tail of these sub-millisecond timings.
    const rowsUrl = `${base}/v1/policies/bench/tables/host/rows`;
    exact('GET rows (10,000)', await preciseLatency(rowsUrl, 2000, 10_000));
    if (kind === databases[0]) {
      const floor = await bytesFloor(rowsUrl, dir);
      exact('the same rows answer from bare node:http (floor)', floor.sequential, '(none)');
      row('the same rows answer from bare node:http (floor)', 32, floor.loaded, 'wrk', '(none)');
      row('the same rows answer from nginx with sendfile (client ceiling)', 32, floor.ceiling, 'wrk', '(none)');
    }
    exact('GET policy', await preciseLatency(`${base}/v1/policies/bench`, 2000, 10_000));
    exact('POST rule', await preciseLatency(`${base}/v1/policies/bench/rules`, 1000, 15_000, () => JSON.stringify({ rule: `p${++n}(x) :- host(x, "z1")` })));
    for (const c of [1, 32]) row('GET rows (10,000)', c, await load({ url: rowsUrl, connections: c }));
    // What the official client (python-requests) sends by default: the answer comes compressed.
    const gzip = { 'Accept-Encoding': 'gzip, deflate' };
    for (const c of [1, 32]) row('GET rows (10,000), gzip', c, await load({ url: rowsUrl, connections: c, headers: gzip }));
    for (const c of [1, 32]) row('GET policy', c, await load({ url: `${base}/v1/policies/bench`, connections: c }));
    for (const c of [1, 32]) row('GET rows (10,000)', c, await loadWrk({ url: rowsUrl, connections: c }), 'wrk');
    for (const c of [1, 32]) row('GET rows (10,000), gzip', c, await loadWrk({ url: rowsUrl, connections: c, headers: gzip }), 'wrk');
    for (const c of [1, 32]) row('GET policy', c, await loadWrk({ url: `${base}/v1/policies/bench`, connections: c }), 'wrk');
    for (const c of [1, 32]) {
      row('POST rule', c, await loadWrk({ url: `${base}/v1/policies/bench/rules`, connections: c, postBody: { before: '{"rule": "w', after: '(x) :- host(x, \\"z1\\")"}' } }), 'wrk');
    }
    for (const c of [1, 32]) {
      row('POST rule', c, await load({
        url: `${base}/v1/policies/bench/rules`,
        connections: c,
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        setupClient: (client) => {
          client.setBody(JSON.stringify({ rule: `r${++n}(x) :- host(x, "z1")` }));
        },
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => ({ ...req, body: JSON.stringify({ rule: `r${++n}(x) :- host(x, "z1")` }) }),
          },
        ],
      }));
    }
    return { lines, precise };
  } finally {
    server?.child.kill('SIGTERM');
    if (server !== null) await new Promise((r) => server?.child.once('exit', r));
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`# REST API benchmark (${new Date().toISOString()}, node ${process.version}, ${seconds} s per row)\n`);
  ensureWrk();
  console.log('| database | request | load tool | clients | requests/s | p50 ms | p99 ms | errors | CPU stolen | load tool CPU (cores) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const precise: string[] = [];
  for (const kind of databases) {
    const r = await benchDatabase(kind);
    for (const line of r.lines) console.log(line);
    precise.push(...r.precise);
  }
  // The same load on an empty express application: the most an express server reaches here,
  // served by express itself and as congress-server serves the API (src/api/serve.ts).
  const floorDir = mkdtempSync(path.join(tmpdir(), 'congress-bench-floor-'));
  for (const [how, args] of [['app.listen', []], ['served as the API', ['served']]] as const) {
    const floor = await startListening([path.join(__dirname, 'express-floor.js'), ...args], path.join(floorDir, 'floor.log'));
    try {
      for (const c of [1, 32]) {
        for (const [tool, f] of [['autocannon', await load({ url: `${floor.url}/v1/policies/bench`, connections: c })], ['wrk', await loadWrk({ url: `${floor.url}/v1/policies/bench`, connections: c })]] as const) {
          console.log(`| (none) | empty express app, ${how} (floor) | ${tool} | ${c} | ${f.rps.toFixed(0)} | ${f.p50.toFixed(2)} | ${f.p99.toFixed(2)} | ${f.errors} | ${stolenText(f)} | ${clientCpuText(f)} |`);
        }
      }
    } finally {
      floor.child.kill('SIGTERM');
      await new Promise((r) => floor.child.once('exit', r));
    }
  }
  console.log('\nSequential, one keep-alive connection, each exchange timed to the microsecond:\n');
  console.log('| database | request | requests | p50 ms | p99 ms |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const line of precise) console.log(line);
  rmSync(floorDir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

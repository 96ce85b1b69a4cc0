/**
 * The congress-server process: command line, schema refusal and `--db-upgrade`, health
 * endpoints, graceful shutdown with exit code 0, and state surviving a restart.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { configDirectory, runServer, startServer, type ServerProcess } from '../../support/server';

jest.setTimeout(120_000);

let cfg: Awaited<ReturnType<typeof configDirectory>>;
let server: ServerProcess | null = null;

beforeAll(async () => {
  cfg = await configDirectory();
});
afterAll(async () => {
  if (server !== null) await server.stop();
  await cfg.remove();
});

async function json(url: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  const r = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await r.text();
  return { status: r.status, body: text === '' ? null : JSON.parse(text) };
}

const post = (url: string, body: unknown): Promise<{ status: number; body: unknown }> =>
  json(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('--help and --version', async () => {
  const help = await runServer({ args: ['--help'] });
  expect(help.code).toBe(0);
  for (const flag of ['--config-file', '--config-dir', '--api', '--policy-engine', '--datasources', '--node-id', '--log-format', '--db-upgrade', '--debug', '--log-file', '--use-syslog']) {
    expect(help.stdout).toContain(flag);
  }
  const version = await runServer({ args: ['--version'] });
  expect(version.code).toBe(0);
  expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
});

test('an unknown option and a bad configuration are refused', async () => {
  const bad = await runServer({ args: ['--no-such-flag'] });
  expect(bad.code).not.toBe(0);
  const missing = await runServer({ args: ['--config-file', `${cfg.dir}/missing.conf`] });
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('config file not found');
});

test("the original's logging flags work on a real process: --debug --log-file", async () => {
  const log = `${cfg.dir}/flags.log`;
  const flagged = await configDirectory({ database: { connection: 'sqlite://' } });
  try {
    const s = await startServer({ args: ['--config-file', flagged.configFile, '--debug', '--log-file', log] });
    expect((await s.stop()).code).toBe(0);
    const text = await fs.readFile(log, 'utf8');
    // --debug: the effective options are logged at DEBUG, as the original's launcher did.
    expect(text).toMatch(/ DEBUG bind_port = 0\n/);
    expect(text).toMatch(/lifecycle .* -> stopped/);
    expect(s.output().stderr).not.toMatch(/ INFO /);
  } finally {
    await flagged.remove();
  }
});

test('a SIGTERM sent the moment the listening line appears is handled: exit 0 every time', async () => {
  // Supervisors and tests stop a server as soon as it says it listens. Eight at once on two
  // CPUs: a process preempted between printing the line and handling signals died of the
  // SIGTERM itself (code null) in 2 to 7 of 12 such starts before the fix.
  const memory = await configDirectory({ database: { connection: 'sqlite://' } });
  try {
    const bin = path.resolve(__dirname, '..', '..', '..', 'bin', 'congress-server');
    const once = (): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [bin, '--config-file', memory.configFile], { stdio: ['ignore', 'pipe', 'ignore'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('listening on') && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
        });
        child.once('exit', (code, signal) => resolve({ code, signal }));
      });
    const exits = await Promise.all(Array.from({ length: 8 }, once));
    expect(exits).toEqual(Array.from({ length: 8 }, () => ({ code: 0, signal: null })));
  } finally {
    await memory.remove();
  }
});

test('a database without the current schema is refused until --db-upgrade', async () => {
  const refused = await runServer({ args: ['--config-file', cfg.configFile] });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('database schema is not up to date');
  expect(refused.stderr).toContain(`congress-server --db-upgrade --config-file ${cfg.configFile}`);
  const upgrade = await runServer({ args: ['--db-upgrade', '--config-file', cfg.configFile] });
  expect(upgrade.code).toBe(0);
  expect(upgrade.stdout).toContain('was empty; applied');
  const again = await runServer({ args: ['--db-upgrade', '--config-file', cfg.configFile] });
  expect(again.stdout).toContain('nothing to apply');
});

test('role combinations that cannot work are refused with a reason', async () => {
  const engineOnly = await runServer({ args: ['--config-file', cfg.configFile, '--policy-engine'] });
  expect(engineOnly.code).toBe(1);
  expect(engineOnly.stderr).toContain('the api and policy-engine roles run together');
  const noBus = await runServer({ args: ['--config-file', cfg.configFile, '--api', '--policy-engine'] });
  expect(noBus.code).toBe(1);
  expect(noBus.stderr).toContain('set [DEFAULT] transport_url');
});

test('health, writes, SIGTERM with exit 0, and a restart that keeps everything', async () => {
  server = await startServer({ args: ['--config-file', cfg.configFile, '--node-id', 'node-a', '--log-format', 'json'] });
  expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const live = await json(`${server.url}/livez`);
  expect(live).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok', node_id: 'node-a', state: 'running' }) });
  const ready = await json(`${server.url}/readyz`);
  expect(ready.status).toBe(200);
  // Synced to the latest revision in the database.
  const checks = (ready.body as { checks: { database: { revision: number }; engine: { ok: boolean; revision: number } } }).checks;
  expect(checks.engine).toEqual({ ok: true, revision: checks.database.revision });

  expect((await post(`${server.url}/v1/policies`, { name: 'keep', description: 'survives' })).status).toBe(201);
  for (const rule of ['q(1)', 'q(2.0)', 'q("héllo wörld ✓")', 'p(x) :- q(x)']) {
    expect((await post(`${server.url}/v1/policies/keep/rules`, { rule, comment: `c ${rule}` })).status).toBe(201);
  }
  const rows = await json(`${server.url}/v1/policies/keep/tables/p/rows`);
  const rules = await json(`${server.url}/v1/policies/keep/rules`);

  // Requests in flight when SIGTERM arrives still get their answers.
  const inFlight = Array.from({ length: 10 }, () => json(`${server!.url}/v1/policies/keep/tables/p/rows`));
  const exit = await server.stop('SIGTERM');
  expect(exit).toEqual({ code: 0, signal: null });
  for (const r of await Promise.allSettled(inFlight)) {
    if (r.status === 'fulfilled') expect(r.value.status).toBe(200);
  }
  const logLines = server.output().stderr.trim().split('\n').map((l) => JSON.parse(l) as { message: string; node_id?: string });
  expect(logLines.map((l) => l.message)).toEqual(expect.arrayContaining(['lifecycle draining -> stopped']));
  expect(logLines.every((l) => l.node_id === 'node-a')).toBe(true);

  server = await startServer({ args: ['--config-file', cfg.configFile] });
  expect(await json(`${server.url}/v1/policies/keep`)).toEqual({ status: 200, body: expect.objectContaining({ description: 'survives' }) });
  const rowsAfter = await json(`${server.url}/v1/policies/keep/tables/p/rows`);
  expect((rowsAfter.body as { results: unknown[] }).results).toEqual(expect.arrayContaining((rows.body as { results: unknown[] }).results));
  expect((rowsAfter.body as { results: unknown[] }).results).toHaveLength(3);
  // The float stays a float across the restart (Python number semantics end to end).
  expect(await (await fetch(`${server.url}/v1/policies/keep/tables/q/rows`)).text()).toContain('[2.0]');
  expect(await json(`${server.url}/v1/policies/keep/rules`)).toEqual(rules);

  const exit2 = await server.stop('SIGINT');
  expect(exit2).toEqual({ code: 0, signal: null });
  server = null;
});

test('keeps serving when the reader of its output goes away, and still stops with exit 0', async () => {
  const s = await startServer({ args: ['--config-file', cfg.configFile] });
  server = s;
  // As `congress-server 2>&1 | head`: nobody reads stdout or stderr any more.
  s.child.stdout?.destroy();
  s.child.stderr?.destroy();
  // Every request writes a log line into the closed pipe.
  for (let i = 0; i < 5; i++) expect((await json(`${s.url}/v1/policies`)).status).toBe(200);
  expect(s.child.exitCode).toBeNull();
  expect(await s.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  server = null;
});

/**
 * `bin/congress` against a real congress-server: the python-congressclient-style subcommands
 * print tables and JSON, errors come out as the python client prints them with exit code 1,
 * usage errors exit 2, an unreachable server exits 3; `congress test` runs example directories.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { congress, type CliRun } from '../../support/cli';
import { configDirectory, runServer, startServer, type ServerProcess } from '../../support/server';

jest.setTimeout(90_000);

const ROOT = path.resolve(__dirname, '..', '..', '..');

type Run = CliRun;

/** Polls a command until its output satisfies `ok` (bounded: pushed rows reach the engine asynchronously). */
async function eventually(args: readonly string[], env: NodeJS.ProcessEnv, ok: (r: Run) => boolean, timeoutMs = 15_000): Promise<Run> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await congress(args, env);
    if (ok(r) || Date.now() > end) return r;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('congress client against congress-server', () => {
  let server: ServerProcess | undefined;
  let cfg: Awaited<ReturnType<typeof configDirectory>>;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    cfg = await configDirectory();
    const upgrade = await runServer({ args: ['--config-file', cfg.configFile, '--db-upgrade'] });
    if (upgrade.code !== 0) throw new Error(`--db-upgrade failed: ${upgrade.stderr}`);
    server = await startServer({ args: ['--config-file', cfg.configFile] });
    env = { CONGRESS_URL: server.url };
  });

  afterAll(async () => {
    await server?.stop('SIGTERM');
    await cfg?.remove();
  });

  it('manages a policy and its rules, with tables by default and JSON on request', async () => {
    const created = await congress(['policy', 'create', 'alice', '--description', 'test policy'], env);
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/^\| name +\| alice +\|$/m);
    const list = await congress(['policy', 'list'], env);
    expect(list.out.split('\n')[1]).toMatch(/^\| id +\| name +\| owner_id \| kind +\| description +\|$/);
    expect(list.out).toMatch(/\| alice +\| user +\| nonrecursive \| test policy +\|/);
    const json = JSON.parse((await congress(['policy', 'list', '--json'], env)).out) as { name: string }[];
    expect(json.map((p) => p.name).sort()).toEqual(['action', 'alice', 'classification']);

    const rule = await congress(['policy', 'rule', 'create', 'alice', 'p(x) :- q(x), not r(x)', '--name', 'rule1', '--comment', 'first rule', '-f', 'json'], env);
    expect(JSON.parse(rule.out)).toMatchObject({ name: 'rule1', comment: 'first rule', rule: 'p(x) :-\n  q(x),\n  not r(x)' });
    for (const fact of ['q(1)', 'q(2)', 'r(2)']) expect((await congress(['policy', 'rule', 'create', 'alice', fact], env)).code).toBe(0);

    const rows = await congress(['policy', 'row', 'list', 'alice', 'p', '--trace'], env);
    expect(rows.out).toContain('alice : Found answer [p(1)]\n');
    expect(rows.out).toContain('+------+\n| Col0 |\n+------+\n| 1    |\n+------+\n');
    expect(JSON.parse((await congress(['policy', 'row', 'list', 'alice', 'p', '--json'], env)).out)).toEqual([{ Col0: 1 }]);
    expect((await congress(['policy', 'table', 'list', 'alice'], env)).out).toMatch(/\| p +\|\n\| q +\|\n\| r +\|/);
    expect((await congress(['policy', 'rule', 'list', 'alice'], env)).out).toMatch(/^\/\/ ID: \S+\n\/\/ Name: rule1\n\/\/ first rule\np\(x\) :- q\(x\), not r\(x\)\n\n/);

    const sim = await congress(['policy', 'simulate', 'alice', 'p(x)', 'q+(5) r+(1)', 'action', '--delta'], env);
    expect(sim).toMatchObject({ code: 0 });
    expect(sim.out.trim().split('\n').sort()).toEqual(['p+(5)', 'p-(1)']);

    expect((await congress(['policy', 'rule', 'show', 'alice', 'rule1'], env)).out).toMatch(/\| comment \| first rule/);
    expect((await congress(['policy', 'rule', 'delete', 'alice', 'rule1'], env)).code).toBe(0);
    expect((await congress(['policy', 'row', 'list', 'alice', 'p'], env)).out).toBe('');
    expect((await congress(['policy', 'delete', 'alice'], env)).code).toBe(0);
  });

  it('prints API errors as python-congressclient does and exits 1', async () => {
    expect((await congress(['policy', 'create', 'bob'], env)).code).toBe(0);
    expect((await congress(['policy', 'rule', 'create', 'bob', 'q(1)'], env)).code).toBe(0);
    const dup = await congress(['policy', 'rule', 'create', 'bob', 'q(1)'], env);
    expect(dup.code).toBe(1);
    expect(dup.out).toBe('');
    expect(dup.err).toMatch(/^Rule already exists::\(1008\) Rule already exists \(HTTP 409\) \(Request-ID: req-[0-9a-f-]+\)\n$/);
    const syntax = await congress(['policy', 'rule', 'create', 'bob', 'p(x'], env);
    expect(syntax.code).toBe(1);
    expect(syntax.err).toMatch(/^Syntax error for rule::Parse failure\./);
    expect(syntax.err).toContain('(HTTP 400)');
    const system = await congress(['policy', 'delete', 'classification'], env);
    expect(system.err).toMatch(/^Cannot delete system-maintained policy classification \(HTTP 400\)/);
    const missing = await congress(['policy', 'show', 'nosuch'], env);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('(HTTP 404)');
    const noRule = await congress(['policy', 'rule', 'delete', 'bob', 'nosuchrule'], env);
    expect(noRule).toMatchObject({ code: 1, err: 'Resource nosuchrule not found\n' });
  });

  it('exits 2 on usage errors and 3 when no server answers', async () => {
    const usage = await congress(['policy', 'rule', 'create', 'bob'], env);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/^congress: Not enough non-option arguments/);
    const port = await closedPort();
    const refused = await congress(['policy', 'list'], { CONGRESS_URL: `http://127.0.0.1:${port}` });
    expect(refused.code).toBe(3);
    expect(refused.err).toBe(`congress: cannot connect to Congress at http://127.0.0.1:${port}: connection refused (is congress-server running? set --os-url or CONGRESS_URL)\n`);
    const flag = await congress(['driver', 'list', '--os-url', `http://127.0.0.1:${port}`], env);
    expect(flag.code).toBe(3);
  });

  it('creates a push datasource, pushes rows and reads them back, also through a policy', async () => {
    const ds = await congress(['datasource', 'create', 'push', 'alarms', '--description', 'pushed alarms', '--config-json', '{"tables": {"alarms": ["id", "severity"]}}', '--json'], env);
    expect(ds.code).toBe(0);
    expect(JSON.parse(ds.out)).toMatchObject({ name: 'alarms', driver: 'push', description: 'pushed alarms', config: { tables: { alarms: ['id', 'severity'] } } });
    expect((await congress(['datasource', 'list'], env)).out).toMatch(/\| alarms \| True +\| push +\|/);
    expect((await congress(['driver', 'list'], env)).out).toMatch(/^\| push +\| Datasource driver that allows external systems to push data\. +\|$/m);
    expect((await congress(['datasource', 'row', 'update', 'alarms', 'alarms', '[["a1", "high"], ["a2", "low"]]'], env)).code).toBe(0);

    const rows = await congress(['datasource', 'row', 'list', 'alarms', 'alarms'], env);
    expect(rows.out).toBe('+----+----------+\n| id | severity |\n+----+----------+\n| a1 | high     |\n| a2 | low      |\n+----+----------+\n');
    expect((await congress(['datasource', 'table', 'list', 'alarms'], env)).out).toContain('| alarms |');
    expect((await congress(['datasource', 'table', 'schema', 'show', 'alarms', 'alarms'], env)).out).toMatch(/\| id +\| None +\|\n\| severity \| None +\|/);
    const status = JSON.parse((await congress(['datasource', 'status', 'show', 'alarms', '--json'], env)).out) as { initialized: unknown };
    expect(String(status.initialized)).toMatch(/^true$/i);

    expect((await congress(['policy', 'rule', 'create', 'classification', 'severe(id) :- alarms:alarms(id=id, severity="high")'], env)).code).toBe(0);
    const severe = await eventually(['policy', 'row', 'list', 'classification', 'severe', '--json'], env, (r) => r.out.includes('a1'));
    expect(JSON.parse(severe.out)).toEqual([{ Col0: 'a1' }]);

    // A float pushed as 1.0 stays a float through the server and prints as 1.0, as the python client prints it.
    expect((await congress(['datasource', 'row', 'update', 'alarms', 'alarms', '[["a1", 1.0], ["a2", 2]]'], env)).code).toBe(0);
    const floats = await congress(['datasource', 'row', 'list', 'alarms', 'alarms'], env);
    expect(floats.out).toBe('+----+----------+\n| id | severity |\n+----+----------+\n| a1 | 1.0      |\n| a2 | 2        |\n+----+----------+\n');
    expect((await congress(['datasource', 'row', 'list', 'alarms', 'alarms', '--json'], env)).out).toContain('"severity": 1.0');

    const bad = await congress(['datasource', 'row', 'update', 'alarms', 'nosuch', '[]'], env);
    expect(bad).toMatchObject({ code: 1 });
    expect(bad.err).toMatch(/\(HTTP 400\)/);
    expect((await congress(['datasource', 'delete', 'alarms'], env)).code).toBe(0);
    const gone = await congress(['datasource', 'delete', 'alarms'], env);
    expect(gone.code).toBe(1);
    expect(gone.err).toMatch(/^Datasource not found alarms \(HTTP 404\)/);
  });

  it('keeps policies in the library', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'congress-cli-'));
    try {
      const file = path.join(dir, 'lib.yaml');
      writeFileSync(file, 'name: mylib\ndescription: a library policy\nrules:\n  - rule: "p(x) :- q(x)"\n  - rule: "q(1)"\n');
      const made = await congress(['policy', 'library', 'create', file], env);
      expect(made.code).toBe(0);
      expect(made.out).toMatch(/\| rules +\| p\(x\) :- q\(x\) +\|\n\| +\| q\(1\) +\|/);
      expect((await congress(['policy', 'library', 'list'], env)).out).toMatch(/\| mylib \| nonrecursive \| a library policy \|/);
      const shown = JSON.parse((await congress(['policy', 'library', 'show', 'mylib', '--json'], env)).out) as { rules: { rule: string }[] };
      expect(shown.rules.map((r) => r.rule).sort()).toEqual(['p(x) :- q(x)', 'q(1)']);
      expect((await congress(['policy', 'create-from-file', file], env)).code).toBe(0);
      expect(JSON.parse((await congress(['policy', 'row', 'list', 'mylib', 'p', '--json'], env)).out)).toEqual([{ Col0: 1 }]);
      expect((await congress(['policy', 'library', 'delete', 'mylib'], env)).code).toBe(0);
      expect((await congress(['policy', 'library', 'show', 'mylib'], env)).code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('congress test', () => {
  const example = path.join(ROOT, 'docs', 'examples', 'policy-tests');

  it('passes the example directory with exit code 0', async () => {
    const r = await congress(['test', example]);
    expect(r.code).toBe(0);
    expect(r.out.match(/^PASS /gm)).toHaveLength(5);
    expect(r.out.trim().split('\n').pop()).toBe('5 tests: 5 passed, 0 failed');
  });

  it('fails a directory with a wrong expectation with exit code 1 and a diff', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'congress-test-'));
    try {
      cpSync(example, dir, { recursive: true });
      writeFileSync(
        path.join(dir, 'extra_test.json'),
        JSON.stringify({ tests: [{ name: 'wrong quota', facts: { classification: { usage: [['p1', 1]], quota: [['p1', 0]] } }, expect: [{ query: 'over_quota(p)', answers: [] }] }] }),
      );
      const r = await congress(['test', dir]);
      expect(r.code).toBe(1);
      expect(r.out).toContain('FAIL extra_test.json: wrong quota\n  query over_quota(p) in classification:\n    unexpected: over_quota("p1")\n');
      expect(r.out.trim().split('\n').pop()).toBe('6 tests: 5 passed, 1 failed');
      expect((await congress(['test', path.join(dir, 'nosuch')])).code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

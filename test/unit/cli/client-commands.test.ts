/**
 * Client subcommands: arguments become the right requests (method, path, query, body, token),
 * answers become output, and failures become the exit codes scripts rely on. The server is a
 * loopback stub that records requests and answers from a script.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { main } from '../../../src/cli/main';
import { datasourceConfig } from '../../../src/cli/commands/datasource';
import { idFromName } from '../../../src/cli/commands/command';
import { ruleListing } from '../../../src/cli/commands/policy';

interface Seen {
  method: string;
  url: string;
  token: string | undefined;
  body: unknown;
  text: string;
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

let server: http.Server;
let url = '';
const seen: Seen[] = [];
let replies: ((s: Seen) => Reply)[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      const s: Seen = { method: req.method ?? '', url: req.url ?? '', token: req.headers['x-auth-token'] as string | undefined, body: text === '' ? undefined : JSON.parse(text), text };
      seen.push(s);
      const r: Reply = (replies.shift() ?? ((): Reply => ({ status: 200, body: {} })))(s);
      res.writeHead(r.status, { 'Content-Type': 'application/json', ...r.headers });
      res.end(r.body === undefined ? '' : JSON.stringify(r.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen.length = 0;
  replies = [];
});

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { env: { CONGRESS_URL: url, ...env }, stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

const policy = { id: 'id-1', name: 'alice', owner_id: 'user', kind: 'nonrecursive', description: 'd', abbreviation: 'alice' };

describe('congress client subcommands', () => {
  it('lists policies as a table with the python client columns', async () => {
    replies = [() => ({ status: 200, body: { results: [policy] } })];
    const r = await run(['policy', 'list']);
    expect(r.code).toBe(0);
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/v1/policies' });
    expect(r.out.split('\n')[1]).toMatch(/^\| id +\| name +\| owner_id \| kind +\| description \|$/);
    expect(r.out).toContain('| id-1 | alice | user     | nonrecursive | d           |');
  });

  it('creates a rule with its name and comment and prints it as JSON with --json or -f json', async () => {
    const rule = { id: 'r1', rule: 'p(x) :- q(x)', name: 'n', comment: 'c' };
    replies = [() => ({ status: 201, body: rule }), () => ({ status: 201, body: rule })];
    const a = await run(['policy', 'rule', 'create', 'alice', 'p(x) :- q(x)', '--name', 'n', '--comment', 'c', '--json']);
    const b = await run(['policy', 'rule', 'create', 'alice', 'p(x) :- q(x)', '-f', 'json']);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/policies/alice/rules', body: { rule: 'p(x) :- q(x)', name: 'n', comment: 'c' } });
    expect(seen[1].body).toEqual({ rule: 'p(x) :- q(x)' });
    expect(JSON.parse(a.out)).toEqual(rule);
    expect(JSON.parse(b.out)).toEqual(rule);
  });

  it('keeps numeric-looking arguments as text', async () => {
    replies = [() => ({ status: 201, body: policy })];
    await run(['policy', 'create', '007', '--description', '12']);
    expect(seen[0].body).toEqual({ name: '007', description: '12', abbreviation: null, kind: null });
  });

  it('sends simulate flags in the query as the python client does', async () => {
    replies = [() => ({ status: 200, body: { result: ['p+(5)'], trace: 'T' } })];
    const r = await run(['policy', 'simulate', 'alice', 'p(x)', 'q+(5)', 'action', '--delta', '--trace']);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/policies/alice?action=simulate&trace=True&delta=True', body: { query: 'p(x)', sequence: 'q+(5)', action_policy: 'action' } });
    expect(r.out).toBe('p+(5)\nT\n');
  });

  it('finds a rule by name before showing or deleting it', async () => {
    const rules = { results: [{ id: 'r1', name: 'first', rule: 'q(1)', comment: '' }] };
    replies = [() => ({ status: 200, body: rules }), () => ({ status: 200, body: rules.results[0] })];
    const r = await run(['policy', 'rule', 'delete', 'alice', 'first']);
    expect(r.code).toBe(0);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /v1/policies/alice/rules', 'DELETE /v1/policies/alice/rules/r1']);
    replies = [() => ({ status: 200, body: rules })];
    const missing = await run(['policy', 'rule', 'show', 'alice', 'second']);
    expect(missing).toMatchObject({ code: 1, err: 'Resource second not found\n' });
  });

  it('prints the trace before the rows, with columns Col0..', async () => {
    replies = [() => ({ status: 200, body: { results: [{ data: [1, 'a'] }], trace: 'alice : Call: p(x0)' } })];
    const r = await run(['policy', 'row', 'list', 'alice', 'p', '--trace']);
    expect(seen[0].url).toBe('/v1/policies/alice/tables/p/rows?trace=True');
    expect(r.out.startsWith('alice : Call: p(x0)\n+------+------+\n| Col0 | Col1 |')).toBe(true);
  });

  it('pushes rows and builds datasource configs from KEY=VALUE and --config-json', async () => {
    replies = [() => ({ status: 200 })];
    expect((await run(['datasource', 'row', 'update', 'ds', 'alarms', '[["a", 1]]'])).code).toBe(0);
    expect(seen[0]).toMatchObject({ method: 'PUT', url: '/v1/data-sources/ds/tables/alarms/rows', body: [['a', 1]] });
    // The rows go as written: `1.0` is a float for the policies that read them, not the integer 1.
    replies = [() => ({ status: 200 })];
    expect((await run(['datasource', 'row', 'update', 'ds', 'alarms', '[["a", 1.0]]'])).code).toBe(0);
    expect(seen[1].text).toBe('[["a", 1.0]]');
    expect(datasourceConfig(['poll_time=5', 'a=b=c'], '{"tables": {"t": ["c"]}}')).toEqual({ tables: { t: ['c'] }, poll_time: '5', a: 'b=c' });
    expect(() => datasourceConfig(['novalue'], undefined)).toThrow('KEY=VALUE');
    const bad = await run(['datasource', 'row', 'update', 'ds', 'alarms', '[oops']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('rows must be JSON');
  });

  it('names datasource row columns from the table schema', async () => {
    replies = [() => ({ status: 200, body: { results: [{ data: ['a1', 'high'] }] } }), () => ({ status: 200, body: { table_id: 'alarms', columns: [{ name: 'id' }, { name: 'severity' }] } })];
    const r = await run(['datasource', 'row', 'list', 'ds', 'alarms']);
    expect(r.out).toContain('| id | severity |');
    expect(seen[1].url).toBe('/v1/data-sources/ds/tables/alarms/spec');
  });

  it('sends the token from --os-token or OS_TOKEN and uses --os-url over CONGRESS_URL', async () => {
    replies = [() => ({ status: 200, body: { results: [] } }), () => ({ status: 200, body: { results: [] } })];
    await run(['driver', 'list', '--os-token', 'tok1']);
    await run(['driver', 'list', '--os-url', url + '/v1/'], { CONGRESS_URL: 'http://127.0.0.1:9', OS_TOKEN: 'tok2' });
    expect(seen.map((s) => [s.url, s.token])).toEqual([
      ['/v1/system/drivers', 'tok1'],
      ['/v1/system/drivers', 'tok2'],
    ]);
  });

  it('prints API errors as the python client does and exits 1', async () => {
    replies = [() => ({ status: 409, body: { error: { message: 'Rule already exists::(1008) Rule already exists', error_code: 1008, error_data: null } }, headers: { 'X-Openstack-Request-Id': 'req-1' } })];
    const r = await run(['policy', 'rule', 'create', 'alice', 'q(1)']);
    expect(r).toEqual({ code: 1, out: '', err: 'Rule already exists::(1008) Rule already exists (HTTP 409) (Request-ID: req-1)\n' });
  });

  it('exits 2 on usage errors without calling the server', async () => {
    for (const args of [['policy'], ['policy', 'nosuch'], ['policy', 'rule', 'create', 'alice'], ['policy', 'create', 'x', '--kind', 'z9'], ['nosuch']]) {
      const r = await run(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.err).toMatch(/^congress: /);
    }
    expect(seen).toEqual([]);
  });

  it('exits 3 with a clear message when nothing listens', async () => {
    const closed = await closedPort();
    const r = await run(['policy', 'list', '--os-url', `http://127.0.0.1:${closed}`]);
    expect(r.code).toBe(3);
    expect(r.err).toBe(`congress: cannot connect to Congress at http://127.0.0.1:${closed}: connection refused (is congress-server running? set --os-url or CONGRESS_URL)\n`);
  });

  it('formats rule listings and resolves names like python-congressclient', () => {
    expect(ruleListing([{ id: 'a', name: null, comment: '', rule: 'q(1)' }, { id: 'b', name: 'n', comment: 'why', rule: 'p(1)' }])).toBe(
      '// ID: a\n// Name: None\nq(1)\n\n// ID: b\n// Name: n\n// why\np(1)\n\n',
    );
    const items = [
      { id: 'i1', name: 'x' },
      { id: 'i2', name: 'x' },
      { id: 'i3', name: 'y' },
    ];
    expect(idFromName('y', items)).toBe('i3');
    expect(idFromName('i1', items)).toBe('i1');
    expect(() => idFromName('x', items)).toThrow('Multiple resources have this name x. Please specify id.');
  });
});

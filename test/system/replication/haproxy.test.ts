/**
 * Replicated engines behind HAProxy with round-robin and no stickiness at all (the harshest
 * balancing for a client): a client that sends back the `X-Congress-Revision` of its last
 * answer as `X-Congress-Min-Revision` reads every one of its writes, whichever node HAProxy
 * picks for the write and for the read. HAProxy runs in the foreground and is stopped by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureHaproxy, freePort } from '../../support/pacemaker';
import { call, startCluster, type Cluster } from './cluster';

jest.setTimeout(180_000);

let cluster: Cluster;
let haproxy: ChildProcess;
let lb: string;
let dir: string;

function hostPort(url: string): string {
  return new URL(url).host;
}

beforeAll(async () => {
  await ensureHaproxy();
  cluster = await startCluster('2');
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-haproxy-'));
  const port = await freePort();
  lb = `http://127.0.0.1:${port}`;
  const cfg = path.join(dir, 'haproxy.cfg');
  await fs.writeFile(
    cfg,
    [
      'global',
      '    maxconn 256',
      'defaults',
      '    mode http',
      '    timeout connect 2s',
      '    timeout client 30s',
      '    timeout server 30s',
      'frontend congress_api',
      `    bind 127.0.0.1:${port}`,
      '    default_backend congress_nodes',
      'backend congress_nodes',
      '    balance roundrobin',
      '    option httpchk GET /readyz',
      '    http-check expect status 200',
      // Says which node answered, so the test can tell that reads really crossed nodes.
      '    http-response set-header X-Served-By %s',
      `    server pe1 ${hostPort(cluster.pe1.url)} check inter 500ms`,
      `    server pe2 ${hostPort(cluster.pe2.url)} check inter 500ms`,
      '',
    ].join('\n'),
  );
  haproxy = spawn('/usr/sbin/haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  haproxy.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  // Ready when both servers pass their health check and answer through the proxy.
  const deadline = Date.now() + 20_000;
  const seen = new Set<string>();
  while (seen.size < 2) {
    if (Date.now() > deadline || haproxy.exitCode !== null) throw new Error(`HAProxy did not serve both nodes: ${stderr}`);
    try {
      const r = await call(lb, 'GET', '/v1/policies');
      if (r.status === 200) seen.add(r.headers.get('x-served-by') ?? '');
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});

afterAll(async () => {
  if (haproxy?.pid !== undefined && haproxy.exitCode === null) {
    const exited = new Promise((resolve) => haproxy.once('exit', resolve));
    process.kill(haproxy.pid, 'SIGTERM');
    await exited;
  }
  await cluster?.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

test('round-robin without stickiness: every write is read back through the proxy with the min-revision header', async () => {
  const created = await call(lb, 'POST', '/v1/policies', { name: 'lb' });
  expect(created.status).toBe(201);
  let revision = created.revision;
  const crossed = { writes: new Map<string, number>(), reads: new Map<string, number>(), across: 0 };
  for (let i = 0; i < 40; i++) {
    // Strict round-robin would send every write to one node and every read to the other: shift the phase now and then.
    if (i % 3 === 0) expect((await call(lb, 'GET', '/v1/policies')).status).toBe(200);
    const w = await call(lb, 'POST', '/v1/policies/lb/rules', { rule: `v${i}(${i})` }, { 'X-Congress-Min-Revision': String(revision) });
    expect(w.status).toBe(201);
    expect(w.revision).toBeGreaterThan(revision);
    revision = w.revision;
    const r = await call(lb, 'GET', `/v1/policies/lb/tables/v${i}/rows`, undefined, { 'X-Congress-Min-Revision': String(revision) });
    expect({ i, status: r.status, body: r.body }).toEqual({ i, status: 200, body: { results: [{ data: [i] }] } });
    expect(r.revision).toBeGreaterThanOrEqual(revision);
    const wBy = w.headers.get('x-served-by') ?? '?';
    const rBy = r.headers.get('x-served-by') ?? '?';
    crossed.writes.set(wBy, (crossed.writes.get(wBy) ?? 0) + 1);
    crossed.reads.set(rBy, (crossed.reads.get(rBy) ?? 0) + 1);
    if (wBy !== rBy) crossed.across++;
  }
  // Both nodes took writes and reads, and many reads went to the node that did not write.
  expect([...crossed.writes.keys()].sort()).toEqual(['pe1', 'pe2']);
  expect([...crossed.reads.keys()].sort()).toEqual(['pe1', 'pe2']);
  expect(crossed.across).toBeGreaterThanOrEqual(10);
});

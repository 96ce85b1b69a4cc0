/**
 * test/system/ha-demo.sh brings up the whole topology (MariaDB, RabbitMQ, a datasource node,
 * two policy-engine nodes, HAProxy) and takes it down again by PID: a rule written through
 * HAProxy is visible on the second node, and nothing the script started is left running.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

jest.setTimeout(180_000);

const SCRIPT = path.resolve(__dirname, '..', 'ha-demo.sh');

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('the demo topology serves through HAProxy, replicates, and stops cleanly', async () => {
  const child = spawn('bash', [SCRIPT], { env: { ...process.env, HA_DEMO_SECONDS: '20', HA_DEMO_PORT: '18789' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await until('the demo to be running', 120_000, async () => (out.includes('ha-demo: running') ? true : undefined));
    const pids = (/\(pids: ([\d ]+)\)/.exec(out)?.[1] ?? '').trim().split(/\s+/).map(Number);
    expect(pids).toHaveLength(4);
    const write = await fetch('http://127.0.0.1:18789/v1/policies/classification/rules', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ rule: 'demo(x) :- q(x)' }),
    });
    expect(write.status).toBe(201);
    expect(Number(write.headers.get('x-congress-revision'))).toBeGreaterThan(0);
    const rules = await until('the rule on pe2', 5_000, async () => {
      const r = (await (await fetch('http://127.0.0.1:14002/v1/policies/classification/rules')).json()) as { results: { rule: string }[] };
      return r.results.some((x) => x.rule === 'demo(x) :- q(x)') ? r : undefined;
    });
    expect(rules.results.length).toBeGreaterThan(0);
    expect(await exited).toBe(0);
    expect(out).toContain('ha-demo: stopped');
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
});

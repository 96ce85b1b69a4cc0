/**
 * The audit log: one JSON line per write request (operation, path, status, resulting revision)
 * in `[DEFAULT] audit_log_file`; reads and simulate are not recorded.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configDirectory, runServer, startServer } from '../../support/server';

jest.setTimeout(60_000);

test('writes are audited with their outcome and revision, reads are not', async () => {
  const base = await configDirectory();
  const file = path.join(base.dir, 'audit.log');
  const cfg = await configDirectory({ DEFAULT: { audit_log_file: file } });
  try {
    expect((await runServer({ args: ['--config-file', cfg.configFile, '--db-upgrade'] })).code).toBe(0);
    const server = await startServer({ args: ['--config-file', cfg.configFile] });
    const post = (p: string, body: unknown): Promise<Response> =>
      fetch(server.url + p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    try {
      expect((await post('/v1/policies', { name: 'audited' })).status).toBe(201);
      expect((await post('/v1/policies/audited/rules', { rule: 'p(x) :- q(x)' })).status).toBe(201);
      expect((await post('/v1/policies/audited/rules', { rule: 'p(x' })).status).toBe(400);
      expect((await fetch(`${server.url}/v1/policies/audited/rules`)).status).toBe(200);
      expect((await post('/v1/policies/audited?action=simulate', { query: 'p(x)', sequence: 'q+(1)', action_policy: 'action' })).status).toBe(200);
      expect((await fetch(`${server.url}/v1/policies/audited`, { method: 'DELETE' })).status).toBe(200);
    } finally {
      expect((await server.stop('SIGTERM')).code).toBe(0);
    }
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.operation, l.status])).toEqual([
      ['create_policies', 201],
      ['create_rules', 201],
      ['create_rules', 400],
      ['delete_policies', 200],
    ]);
    for (const l of lines) {
      expect(l).toMatchObject({ audit: true, type: 'write', method: expect.any(String), path: expect.stringMatching(/^\/v1\/policies/) });
      expect(typeof l.request_id).toBe('string');
    }
    expect(Number(lines[1].revision)).toBeGreaterThan(Number(lines[0].revision));
  } finally {
    await cfg.remove();
    await base.remove();
  }
});

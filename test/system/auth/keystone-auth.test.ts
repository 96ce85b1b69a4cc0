/**
 * auth_strategy = keystone end to end: a real congress-server validating tokens against the
 * fake Keystone, enforcing the default admin-only policy and an operator's policy file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { keystoneProtectedServerForSuite } from '../../support/keystone-server';
import { configDirectory, runServer } from '../../support/server';

jest.setTimeout(60_000);

async function call(url: string, method: string, token?: string, body?: unknown): Promise<{ status: number; body: unknown; headers: Headers }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token !== undefined) headers['X-Auth-Token'] = token;
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // /metrics and empty bodies are not JSON.
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

describe('congress-server with auth_strategy = keystone', () => {
  const ks = keystoneProtectedServerForSuite();

  it('refuses requests without a token, or with an unknown or expired one, with 401 and the challenge', async () => {
    for (const token of [undefined, 'no-such-token', ks.keystone.issue('admin', -60_000)]) {
      const res = await call(`${ks.server.url}/v1/policies`, 'GET', token);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { message: 'The request you have made requires authentication.', error_code: 401, error_data: null } });
      expect(res.headers.get('www-authenticate')).toBe(`Keystone uri="${ks.keystone.origin}/identity"`);
    }
  });

  it('serves an admin and validates the token once within the cache time', async () => {
    const admin = ks.keystone.issue('admin');
    for (let i = 0; i < 3; i++) expect((await call(`${ks.server.url}/v1/policies`, 'GET', admin)).status).toBe(200);
    expect(ks.keystone.validationsOf(admin)).toBe(1);
    const made = await call(`${ks.server.url}/v1/policies`, 'POST', admin, { name: 'authz_alpha' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ name: 'authz_alpha' });
  });

  it('refuses a member a write (and, by default, a read) with the JSON 403', async () => {
    const demo = ks.keystone.issue('demo');
    const write = await call(`${ks.server.url}/v1/policies`, 'POST', demo, { name: 'authz_beta' });
    expect(write.status).toBe(403);
    expect(write.body).toEqual({ error: { message: "Policy doesn't allow create_policies to be performed.", error_code: 403, error_data: null } });
    expect((await call(`${ks.server.url}/v1/policies/authz_alpha/rules`, 'GET', demo)).status).toBe(403);
  });

  it('keeps health and version documents open and metrics for admins', async () => {
    expect((await call(`${ks.server.url}/livez`, 'GET')).status).toBe(200);
    expect((await call(`${ks.server.url}/readyz`, 'GET')).status).toBe(200);
    expect((await call(`${ks.server.url}/`, 'GET')).status).toBe(200);
    expect((await call(`${ks.server.url}/v2/anything`, 'GET')).status).toBe(300);
    expect((await call(`${ks.server.url}/v1`, 'GET')).status).toBe(200);
    expect((await call(`${ks.server.url}/metrics`, 'GET')).status).toBe(401);
    expect((await call(`${ks.server.url}/metrics`, 'GET', ks.keystone.issue('demo'))).status).toBe(403);
    const scraped = await call(`${ks.server.url}/metrics`, 'GET', ks.keystone.issue('admin'));
    expect(scraped.status).toBe(200);
    expect(String(scraped.body)).toContain('congress_http_requests_total{method="GET",route="/v1/policies",status="401"}');
  });
});

describe('congress-server with a policy file', () => {
  const ks = keystoneProtectedServerForSuite((dir) => {
    // Next to congress.conf under the default name, as operators install it.
    fs.writeFileSync(path.join(dir, 'policy.json'), JSON.stringify({ reader: 'role:reader or rule:admin_only', get_policies: 'rule:reader', create_policies: 'role:member' }));
  });

  it('applies the overrides and keeps the admin-only default for the rest', async () => {
    const demo = ks.keystone.issue('demo');
    expect((await call(`${ks.server.url}/v1/policies`, 'GET', demo)).status).toBe(200);
    expect((await call(`${ks.server.url}/v1/policies`, 'POST', demo, { name: 'by_member' })).status).toBe(201);
    const del = await call(`${ks.server.url}/v1/policies/by_member`, 'DELETE', demo);
    expect(del.status).toBe(403);
    expect(del.body).toMatchObject({ error: { message: "Policy doesn't allow delete_policies to be performed." } });
    expect((await call(`${ks.server.url}/v1/policies/by_member`, 'DELETE', ks.keystone.issue('admin'))).status).toBe(200);
  });
});

describe('congress-server with an incomplete keystone set-up', () => {
  it('refuses to start, naming the missing option or the broken policy file', async () => {
    const dir = await configDirectory({ DEFAULT: { auth_strategy: 'keystone' }, keystone_authtoken: { auth_url: 'http://127.0.0.1:9/identity/v3', username: 'congress' } });
    try {
      const missing = await runServer({ args: ['--config-file', dir.configFile] });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('auth_strategy = keystone needs [keystone_authtoken] password');
      fs.appendFileSync(dir.configFile, '\n[keystone_authtoken]\npassword = x\nproject_name = service\n[oslo_policy]\npolicy_file = strict.json\n');
      fs.writeFileSync(path.join(dir.dir, 'strict.json'), '{"get_policies": "role:admin and"}');
      const broken = await runServer({ args: ['--config-file', dir.configFile] });
      expect(broken.code).toBe(1);
      expect(broken.stderr).toMatch(/policy file .*strict\.json: .*rule get_policies/);
    } finally {
      await dir.remove();
    }
  });
});

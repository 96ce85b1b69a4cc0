/** The Keystone guard against the fake Keystone: 401s, 403s, open paths, the cache, Keystone down. */
import express, { type Express } from 'express';
import request from 'supertest';
import { CachingTokenValidator, keystoneAuth, KeystoneTokenValidator, PolicyEnforcer, UNAUTHORIZED_MESSAGE } from '../../../src/api/auth';
import type { Route } from '../../../src/api/routing';
import { FakeKeystoneAuth } from '../../fixtures/keystone-auth';

const routes: Route[] = [
  { kind: 'collection', path: '/v1/policies' },
  { kind: 'element', path: '/v1/policies/:policy' },
];
const quiet = { info: (): void => undefined, error: (): void => undefined };

function appWith(validatorUrl: string, enforcer = new PolicyEnforcer(), service = { username: 'congress', password: 'service-secret', projectName: 'service' }): { app: Express } {
  const validator = new KeystoneTokenValidator({ authUrl: validatorUrl, ...service, userDomainName: 'Default', projectDomainName: 'Default' }, 2_000);
  const auth = keystoneAuth({
    validator: new CachingTokenValidator(validator, { ttlMs: 300_000, maxEntries: 100 }),
    enforcer,
    wwwAuthenticateUri: 'http://keystone.example/identity',
    logger: quiet,
  });
  const app = express();
  app.use(auth.guard(routes));
  app.use((req, res) => void res.status(req.method === 'POST' ? 201 : 200).json({ reached: req.path }));
  return { app };
}

describe('keystone guard', () => {
  let keystone: FakeKeystoneAuth;
  let app: Express;
  beforeAll(async () => {
    keystone = await FakeKeystoneAuth.start();
    app = appWith(keystone.authUrl).app;
  });
  afterAll(() => keystone.stop());

  it('answers 401 with Congress\'s body and the Keystone challenge without a token', async () => {
    const res = await request(app).get('/v1/policies');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { message: UNAUTHORIZED_MESSAGE, error_code: 401, error_data: null } });
    expect(res.headers['www-authenticate']).toBe('Keystone uri="http://keystone.example/identity"');
  });

  it('answers 401 for unknown and expired tokens', async () => {
    expect((await request(app).get('/v1/policies').set('X-Auth-Token', 'nosuch')).status).toBe(401);
    const expired = keystone.issue('admin', -1000);
    const res = await request(app).get('/v1/policies').set('X-Auth-Token', expired);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Keystone uri=/);
  });

  it('lets an admin through and a member not, with the operation in the 403', async () => {
    const admin = keystone.issue('admin');
    const demo = keystone.issue('demo');
    expect((await request(app).post('/v1/policies').set('X-Auth-Token', admin)).status).toBe(201);
    const denied = await request(app).post('/v1/policies').set('X-Auth-Token', demo);
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ error: { message: "Policy doesn't allow create_policies to be performed.", error_code: 403, error_data: null } });
  });

  it('ignores role headers a client sends', async () => {
    const demo = keystone.issue('demo');
    const res = await request(app).delete('/v1/policies/x').set('X-Auth-Token', demo).set('X-Roles', 'admin').set('X-Identity-Status', 'Confirmed');
    expect(res.status).toBe(403);
  });

  it('leaves version documents, health and preflights open and guards /metrics', async () => {
    for (const path of ['/', '/v1', '/v1/', '/livez', '/readyz', '/v2/x']) expect((await request(app).get(path)).status).toBe(200);
    expect((await request(app).options('/v1/policies')).status).toBe(200);
    expect((await request(app).get('/metrics')).status).toBe(401);
    expect((await request(app).get('/metrics').set('X-Auth-Token', keystone.issue('demo'))).status).toBe(403);
    expect((await request(app).get('/metrics').set('X-Auth-Token', keystone.issue('admin'))).status).toBe(200);
  });

  it('validates a token once within the cache time', async () => {
    const admin = keystone.issue('admin');
    for (let i = 0; i < 3; i++) expect((await request(app).get('/v1/policies').set('X-Auth-Token', admin)).status).toBe(200);
    expect(keystone.validationsOf(admin)).toBe(1);
  });

  it('authorises with the policy file rules', async () => {
    const open = appWith(keystone.authUrl, new PolicyEnforcer({ get_policies: 'role:member' })).app;
    const demo = keystone.issue('demo');
    expect((await request(open).get('/v1/policies').set('X-Auth-Token', demo)).status).toBe(200);
    expect((await request(open).get('/v1/policies/alpha').set('X-Auth-Token', demo)).status).toBe(200);
    expect((await request(open).delete('/v1/policies/alpha').set('X-Auth-Token', demo)).status).toBe(403);
  });

  it('serves /metrics without a token only when the policy file opens get_metrics', async () => {
    const open = appWith(keystone.authUrl, new PolicyEnforcer({ get_metrics: '@', get_policies: '@' })).app;
    expect((await request(open).get('/metrics')).status).toBe(200);
    // An open API rule still needs a valid token: authentication comes before policy.
    expect((await request(open).get('/v1/policies')).status).toBe(401);
    const restricted = appWith(keystone.authUrl, new PolicyEnforcer({ get_metrics: 'role:member or @' })).app;
    expect((await request(restricted).get('/metrics')).status).toBe(401);
  });

  it('answers 503 when Keystone cannot be reached', async () => {
    const down = appWith('http://127.0.0.1:9/identity/v3').app;
    const res = await request(down).get('/v1/policies').set('X-Auth-Token', 'whatever');
    expect(res.status).toBe(503);
    expect(res.body.error.error_code).toBe(503);
  });

  it('answers 503, not 401, when Congress\'s own service user may not validate tokens', async () => {
    const weak = appWith(keystone.authUrl, new PolicyEnforcer(), { username: 'demo', password: 'demo-secret', projectName: 'demo' }).app;
    expect((await request(weak).get('/v1/policies').set('X-Auth-Token', keystone.issue('admin'))).status).toBe(503);
    const wrong = appWith(keystone.authUrl, new PolicyEnforcer(), { username: 'congress', password: 'wrong', projectName: 'service' }).app;
    expect((await request(wrong).get('/v1/policies').set('X-Auth-Token', keystone.issue('admin'))).status).toBe(503);
  });

  it('gets a new service token when Keystone stops accepting the old one', async () => {
    const fresh = appWith(keystone.authUrl).app;
    const before = keystone.passwordLogins;
    expect((await request(fresh).get('/v1/policies').set('X-Auth-Token', keystone.issue('admin'))).status).toBe(200);
    expect(keystone.passwordLogins).toBe(before + 1);
    keystone.revokeUser('congress');
    expect((await request(fresh).get('/v1/policies').set('X-Auth-Token', keystone.issue('admin'))).status).toBe(200);
    expect(keystone.passwordLogins).toBe(before + 2);
  });
});

// The `keystone` driver (Keystone v2.0) against the fake Keystone's v2.0 API: the token request
// keystoneclient's v2.0 client sent, exact tables, the original's schema and driver info, deltas,
// the action catalogue, and a Keystone without the v2.0 API.
import { FakeCloud } from '../../fixtures/openstack';
import { DriverRegistry, type Driver } from '../../../src/services/datasources';
import { KEYSTONE_V2_ACTIONS, keystoneDriver } from '../../../src/services/datasources/drivers/keystone';
import { congress, openstackConfigMarkers, startDriver, startPolled, tablesOf } from './support';

const ADMIN = '3ec3164f750146be97f21559ee4d9c51';
const DEMO = '5b5f2e3d9a1c4d7e8f0a1b2c3d4e5f60';
const ADMIN_TENANT = '8538a3f13f9541b28c2620eb19065e45';
const DEMO_TENANT = 'c4e2a4b1d3f54a3f9b7e0c6a1d2e3f40';
const MEMBER_ROLE = '9fe2ff9ee4384b1894a90878d3e92bab';

let cloud: FakeCloud;
let driver: Driver | undefined;
beforeEach(async () => {
  cloud = await FakeCloud.start();
});
afterEach(async () => {
  await driver?.stop();
  driver = undefined;
  await cloud.close();
});

/** A v2.0 datasource config: the auth URL is the v2.0 root, the scope `tenant_name`. */
function v2Config(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return cloud.config({ auth_url: `${cloud.origin}/identity/v2.0`, tenant_name: 'admin', ...extra });
}

async function polled(extra: Record<string, unknown> = {}): Promise<Driver> {
  driver = (await startPolled(keystoneDriver, v2Config(extra))).driver;
  return driver;
}

const keystoneCalls = (): string[] => cloud.requests.filter((r) => r.service === 'keystone').map((r) => `${r.method} ${r.path}`);

describe('polling', () => {
  it('authenticates as keystoneclient v2.0 did and reads users, roles and tenants from the admin endpoint', async () => {
    const d = await polled();
    expect(d.status([]).last_error).toBe('None');
    expect(keystoneCalls()).toEqual(['POST /identity/v2.0/tokens', 'GET /identity/v2.0/users', 'GET /identity/v2.0/OS-KSADM/roles', 'GET /identity/v2.0/tenants']);
    const [auth] = cloud.requestsTo('POST', '/identity/v2.0/tokens');
    expect(auth.body).toEqual({ auth: { passwordCredentials: { username: 'admin', password: 'secret' }, tenantName: 'admin' } });
    expect(cloud.requests.filter((r) => r.method === 'GET').every((r) => typeof r.headers['x-auth-token'] === 'string')).toBe(true);
  });

  it('produces exactly the expected rows, absent fields as None', async () => {
    const d = await polled();
    expect(tablesOf(d)).toEqual({
      users: congress([
        ['admin', 'admin', true, null, ADMIN, null],
        ['demo', 'demo', true, DEMO_TENANT, DEMO, 'demo@example.com'],
      ]),
      roles: congress(cloud.keystone.roles.list().map((r) => [String(r.id), String(r.name)])),
      tenants: congress(cloud.keystone.projects.list().map((p) => [p.enabled as boolean, p.description as string, String(p.name), String(p.id)])),
    });
    expect(tablesOf(d).roles.length).toBeGreaterThanOrEqual(2);
  });

  it('scopes the token to tenant_name, and to project_name when there is none', async () => {
    await polled({ tenant_name: 'demo', project_name: 'admin' });
    expect(cloud.requestsTo('POST', '/identity/v2.0/tokens').map((r) => (r.body as { auth: { tenantName: string } }).auth.tenantName)).toEqual(['demo']);
    await driver?.stop();
    cloud.requests.length = 0;
    const config = v2Config();
    delete config.tenant_name;
    driver = (await startPolled(keystoneDriver, config)).driver;
    expect(cloud.requestsTo('POST', '/identity/v2.0/tokens').map((r) => (r.body as { auth: { tenantName: string } }).auth.tenantName)).toEqual(['admin']);
  });

  it('publishes the difference after a change', async () => {
    const started = await startDriver(keystoneDriver, v2Config());
    driver = started.driver;
    await driver.refreshAndWait();
    started.sink.take();
    cloud.keystone.users.remove(DEMO);
    await driver.refreshAndWait();
    expect(started.sink.take()).toEqual({ users: { add: [], del: congress([['demo', 'demo', true, DEMO_TENANT, DEMO, 'demo@example.com']]) } });
  });

  it('reports a wrong password and a Keystone without the v2.0 API, keeping nothing stale', async () => {
    const wrong = await polled({ password: 'nope' });
    expect(wrong.status([]).last_error).toMatch(/^The request you have made requires authentication\. \(HTTP 401\) from Keystone at POST http:\/\/127\.0\.0\.1:\d+\/identity\/v2\.0\/tokens$/);
    await driver?.stop();
    cloud.keystone.v2Enabled = false;
    const gone = await polled();
    expect(gone.status([]).last_error).toMatch(/^Keystone POST http:\/\/127\.0\.0\.1:\d+\/identity\/v2\.0\/tokens returned HTTP 404/);
    expect(tablesOf(gone)).toEqual({ users: [], roles: [], tenants: [] });
  });
});

// Recorded from the original (GET /v1/system/drivers/keystone of Congress 85243abf run from
// Debian's Python): no column descriptions, get_openstack_required_config() plus lazy_tables.
const ORIGINAL_TABLES = [
  { table_id: 'users', columns: ['username', 'name', 'enabled', 'tenantId', 'id', 'email'].map((name) => ({ name, description: null })) },
  { table_id: 'roles', columns: ['id', 'name'].map((name) => ({ name, description: null })) },
  { table_id: 'tenants', columns: ['enabled', 'description', 'name', 'id'].map((name) => ({ name, description: null })) },
];

describe('schema and driver info', () => {
  it('answers GET /v1/system/drivers/keystone as the original', () => {
    const info = new DriverRegistry([keystoneDriver]).info('keystone');
    expect({ id: info?.id, description: info?.description, config: info?.config, secret: info?.secret, tables: info?.tables }).toEqual({
      id: 'keystone',
      description: 'Datasource driver that interfaces with keystone.',
      config: openstackConfigMarkers(),
      secret: ['password'],
      tables: ORIGINAL_TABLES,
    });
    expect(Object.keys(info?.config ?? {})).toEqual(Object.keys(openstackConfigMarkers()));
  });
});

describe('actions', () => {
  async function started(): Promise<Driver> {
    driver = (await startDriver(keystoneDriver, v2Config())).driver;
    return driver;
  }
  const call = (d: Driver, name: string, positional: unknown[], named: Record<string, unknown> = {}) => d.execute(name, { positional, named });
  const writes = () => cloud.requests.filter((r) => r.service === 'keystone' && r.method !== 'GET' && !r.path.endsWith('/tokens')).map((r) => [r.method, r.path, r.body ?? null]);

  it("lists keystoneclient v2.0's method names", async () => {
    const d = await started();
    expect(d.actions().map((a) => [a.name, a.args.map((x) => x.name)])).toEqual([
      ['roles.remove_user_role', ['user', 'role', 'tenant']],
      ['tenants.delete', ['tenant']],
      ['users.delete', ['user']],
      ['users.update_enabled', ['user', 'enabled']],
    ]);
    expect(KEYSTONE_V2_ACTIONS).toHaveLength(4);
  });

  it('sends the v2.0 admin API requests and sees their effect at the next poll', async () => {
    const d = await started();
    await call(d, 'users.update_enabled', [DEMO, 'False']);
    await call(d, 'roles.remove_user_role', [], { user: DEMO, role: MEMBER_ROLE, tenant: DEMO_TENANT });
    await call(d, 'tenants.delete', [DEMO_TENANT]);
    expect(writes()).toEqual([
      ['PUT', `/identity/v2.0/users/${DEMO}/OS-KSADM/enabled`, { user: { enabled: false } }],
      ['DELETE', `/identity/v2.0/tenants/${DEMO_TENANT}/users/${DEMO}/roles/OS-KSADM/${MEMBER_ROLE}`, null],
      ['DELETE', `/identity/v2.0/tenants/${DEMO_TENANT}`, null],
    ]);
    await d.refreshAndWait();
    expect(tablesOf(d).users).toContainEqual(congress([['demo', 'demo', false, DEMO_TENANT, DEMO, 'demo@example.com']])[0]);
    expect(tablesOf(d).tenants.map((r) => r[3])).toEqual([ADMIN_TENANT]);
  });

  it('users.delete of an unknown user fails with Keystone\'s answer, and a missing argument before any request', async () => {
    const d = await started();
    await expect(call(d, 'users.delete', ['nobody'])).rejects.toThrow(/returned HTTP 404/);
    await expect(call(d, 'users.delete', [])).rejects.toThrow('missing argument user');
    expect(writes()).toEqual([['DELETE', '/identity/v2.0/users/nobody', null]]);
  });
});

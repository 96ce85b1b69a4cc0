// The cloudfoundryv2 driver against a fake Cloud Foundry (v2 API and UAA) serving the original
// driver test's objects: that test's expected rows, the requests python-cloudfoundryclient sent
// (login included), paging, token renewal, deltas, the driver info recorded from the original,
// and upstream failures.
import { FakeCloudFoundry } from '../../fixtures/cloudfoundry';
import { CF_EXPECTED, CF_IDS } from '../../fixtures/cloudfoundry-data';
import { DriverRegistry, type Driver } from '../../../src/services/datasources';
import { checkConfigKeys } from '../../../src/services/datasources/framework/config';
import { cloudfoundryv2Driver } from '../../../src/services/datasources/drivers/cloudfoundryv2';
import { congress, startDriver, startPolled, tablesOf, type RecordingSink } from './support';

let cf: FakeCloudFoundry;
let driver: Driver | undefined;
beforeEach(async () => {
  cf = await FakeCloudFoundry.start();
});
afterEach(async () => {
  await driver?.stop();
  driver = undefined;
  await cf.close();
});

async function polled(extra: Record<string, unknown> = {}): Promise<{ driver: Driver; sink: RecordingSink }> {
  const started = await startPolled(cloudfoundryv2Driver, cf.config(extra));
  driver = started.driver;
  return started;
}

const EXPECTED_TABLES = Object.fromEntries(Object.entries(CF_EXPECTED).map(([table, rows]) => [table, congress(rows)]));

describe('polling', () => {
  it("gives exactly the rows the original's unit test expects", async () => {
    const { driver: d } = await polled();
    expect(d.status([]).last_error).toBe('None');
    expect(tablesOf(d)).toEqual(EXPECTED_TABLES);
  });

  it('logs in at the UAA named by /v2/info and walks the API as cloudfoundryclient did, bindings in one listing', async () => {
    await polled();
    expect(cf.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v2/info',
      'POST /uaa/oauth/token',
      'GET /v2/organizations',
      'GET /v2/service_bindings',
      `GET /v2/organizations/${CF_IDS.org}/spaces`,
      `GET /v2/spaces/${CF_IDS.space1}/apps`,
      `GET /v2/spaces/${CF_IDS.space1}/summary`,
      `GET /v2/spaces/${CF_IDS.space2}/apps`,
      `GET /v2/spaces/${CF_IDS.space2}/summary`,
    ]);
    const login = cf.requests[1];
    expect(login.headers.authorization).toBe('Basic Y2Y6');
    expect(login.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(login.body))).toEqual({ grant_type: 'password', password: 'secret', scope: '', username: 'admin' });
    expect(cf.requests.slice(2).every((r) => r.headers.authorization === 'bearer cf-token-1')).toBe(true);
  });

  it('sends a password with form-special characters intact', async () => {
    cf.users.set('ops@example.com', 'p&ss=w0rd+%');
    const { driver: d } = await polled({ username: 'ops@example.com', password: 'p&ss=w0rd+%' });
    expect(d.status([]).last_error).toBe('None');
    expect(tablesOf(d).organizations).toEqual(EXPECTED_TABLES.organizations);
  });

  it('follows next_url through every page of every listing', async () => {
    cf.pageSize = 1;
    const { driver: d } = await polled();
    expect(tablesOf(d)).toEqual(EXPECTED_TABLES);
    expect(cf.requestsTo(`/v2/organizations/${CF_IDS.org}/spaces`).map((r) => r.query.page ?? '1')).toEqual(['1', '2']);
    expect(cf.requestsTo(`/v2/spaces/${CF_IDS.space1}/apps`)).toHaveLength(2);
    cf.bindings[CF_IDS.app1] = [CF_IDS.service, 'b0b0b0b0-0000-4000-8000-00000000000b'];
    cf.bindings[CF_IDS.app2] = [CF_IDS.service];
    await d.refreshAndWait();
    expect(tablesOf(d).service_bindings).toEqual(congress([[CF_IDS.app1, CF_IDS.service], [CF_IDS.app1, 'b0b0b0b0-0000-4000-8000-00000000000b'], [CF_IDS.app2, CF_IDS.service]]));
    expect(cf.requestsTo('/v2/service_bindings').filter((r) => r.query.page !== undefined)).toHaveLength(2);
  });

  it('fills service_bindings from each app\'s bindings, and publishes only what changed', async () => {
    const { driver: d, sink } = await polled();
    sink.take();
    cf.bindings[CF_IDS.app1] = [CF_IDS.service, 'b0b0b0b0-0000-4000-8000-00000000000b'];
    cf.apps[CF_IDS.space1] = cf.apps[CF_IDS.space1].filter((a) => a.metadata.guid !== CF_IDS.app2);
    await d.refreshAndWait();
    expect(tablesOf(d).service_bindings).toEqual(congress([[CF_IDS.app1, CF_IDS.service], [CF_IDS.app1, 'b0b0b0b0-0000-4000-8000-00000000000b']]));
    const delta = sink.take();
    expect(Object.keys(delta).sort()).toEqual(['apps', 'service_bindings']);
    expect(delta.apps).toEqual({ add: [], del: congress([CF_EXPECTED.apps[1]]) });
    expect(delta.service_bindings.add).toHaveLength(2);
  });

  it("keeps an app's environment_json object as Python prints it, as the original's str() of an unhashable value did", async () => {
    cf.apps[CF_IDS.space1][0].entity.environment_json = { RAILS_ENV: 'production', WORKERS: 4 };
    const { driver: d } = await polled();
    expect(d.status([]).last_error).toBe('None');
    const row = tablesOf(d).apps.find((r) => r[1] === CF_IDS.app1);
    expect(row?.[10]).toBe("{'RAILS_ENV': 'production', 'WORKERS': 4}");
  });

  it('keeps a service without a plan (a user-provided instance), its plan name None', async () => {
    cf.services[CF_IDS.space2] = [{ bound_app_count: 1, guid: 'u1', name: 'my-ups', last_operation: { type: 'create', state: 'succeeded' } }];
    const { driver: d } = await polled();
    expect(d.status([]).last_error).toBe('None');
    expect(tablesOf(d).services).toContainEqual(congress([['u1', CF_IDS.space2, 'my-ups', 1, "{'type': 'create', 'state': 'succeeded'}", null]])[0]);
  });
});

describe('authentication', () => {
  it('logs in again once when the token is refused, and goes on', async () => {
    const { driver: d } = await polled();
    cf.revokeTokens();
    await d.refreshAndWait();
    expect(d.status([]).last_error).toBe('None');
    expect(cf.requestsTo('/uaa/oauth/token')).toHaveLength(2);
    expect(cf.requestsTo('/v2/info')).toHaveLength(2);
    expect(tablesOf(d)).toEqual(EXPECTED_TABLES);
  });

  it('reports a refused login in the status, without the password, and publishes nothing', async () => {
    const { driver: d, sink } = await polled({ password: 'wrong-secret' });
    const error = d.status([]).last_error;
    expect(error).toMatch(/Cloud Foundry login as admin at POST http:\/\/127\.0\.0\.1:\d+\/uaa\/oauth\/token failed with HTTP 401: .*Bad credentials/);
    expect(error).not.toContain('wrong-secret');
    expect(sink.take()).toEqual({});
    expect(cf.requestsTo('/v2/organizations')).toEqual([]);
  });

  it('does not loop when a fresh token is refused too', async () => {
    const { driver: d } = await polled();
    cf.fail('/v2/organizations', 401, 5);
    await d.refreshAndWait();
    expect(d.status([]).last_error).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/v2\/organizations returned HTTP 401/);
    // One call in the first poll, then the refused one and its single retry with a new token.
    expect(cf.requests.filter((r) => r.path === '/v2/organizations').map((r) => r.headers.authorization)).toEqual(['bearer cf-token-1', 'bearer cf-token-1', 'bearer cf-token-2']);
  });
});

describe('failures', () => {
  it('keeps every table when one call of the walk fails, and says which', async () => {
    const { driver: d } = await polled();
    cf.apps[CF_IDS.space1] = [];
    cf.fail(`/v2/spaces/${CF_IDS.space2}/summary`, 500, 10);
    await d.refreshAndWait();
    expect(d.status([]).last_error).toMatch(new RegExp(`/v2/spaces/${CF_IDS.space2}/summary returned HTTP 500`));
    expect(tablesOf(d)).toEqual(EXPECTED_TABLES);
  });

  it('reports a resource without a guid, naming it, and keeps the tables', async () => {
    const { driver: d } = await polled();
    cf.spaces[CF_IDS.org].push({ metadata: { url: '/v2/spaces/x' }, entity: { name: 'odd' } } as unknown as (typeof cf.spaces)[string][number]);
    await d.refreshAndWait();
    expect(d.status([]).last_error).toMatch(/a Cloud Foundry resource without metadata\.guid: .*"name":"odd"/);
    expect(tablesOf(d)).toEqual(EXPECTED_TABLES);
  });

  it('reports an API without a token endpoint', async () => {
    const { driver: d } = await polled({ auth_url: `${cf.origin}/nothing-here` });
    expect(d.status([]).last_error).toMatch(/nothing-here\/v2\/info returned HTTP 404/);
  });

  it('refuses a config without auth_url, or with an option the driver does not have', async () => {
    expect(() => checkConfigKeys(cloudfoundryv2Driver.options, { username: 'a', password: 'b' })).toThrow(/auth_url/);
    expect(() => checkConfigKeys(cloudfoundryv2Driver.options, cf.config({ project_name: 'x' }))).toThrow(/project_name/);
    expect(() => checkConfigKeys(cloudfoundryv2Driver.options, cf.config({ request_timeout: 5 }))).not.toThrow();
    await expect(startDriver(cloudfoundryv2Driver, cf.config({ poll_time: 'often' }))).rejects.toThrow(/poll_time must be a non-negative integer/);
  });
});

describe('driver info', () => {
  // Recorded from the original (get_datasource_info and api_utils.create_table_dict over get_schema
  // of Congress 85243abf, cloudfoundryclient stubbed as in its unit test).
  it('answers GET /v1/system/drivers/cloudfoundryv2 as the original', () => {
    const info = new DriverRegistry([cloudfoundryv2Driver]).info('cloudfoundryv2');
    expect({ id: info?.id, description: info?.description, config: info?.config, secret: info?.secret, tables: info?.tables }).toEqual({
      id: 'cloudfoundryv2',
      description: 'Datasource driver that interfaces with cloudfoundry',
      config: { username: 'required', password: 'required', poll_time: '(optional)', auth_url: 'required' },
      secret: ['password'],
      tables: [
      ['organizations', ['guid', 'name', 'created_at', 'updated_at']],
      ['service_bindings', ['app_guid', 'service_instance_guid']],
      ['apps', ['space_guid', 'guid', 'buildpack', 'command', 'console', 'debug', 'detected_buildpack', 'detected_start_command', 'disk_quota', 'docker_image', 'environment_json', 'health_check_timeout', 'instances', 'memory', 'name', 'package_state', 'package_updated_at', 'production', 'staging_failed_reason', 'staging_task_id', 'state', 'version', 'created_at', 'updated_at']],
      ['spaces', ['guid', 'name', 'created_at', 'updated_at']],
      ['services', ['guid', 'space_guid', 'name', 'bound_app_count', 'last_operation', 'service_plan_name']],
      ].map(([table_id, columns]) => ({ table_id, columns: (columns as string[]).map((name) => ({ name, description: null })) })),
    });
  });

  it('offers no actions, as the original listed none', async () => {
    const { driver: d } = await polled();
    expect(d.actions()).toEqual([]);
    await expect(d.execute('get_organizations', { positional: [], named: {} })).rejects.toThrow(/get_organizations/);
  });
});

// The `neutronv2_qos` driver against the fake cloud's Neutron QoS extension: exact tables, the
// original's schema and driver info (recorded from the original's code), deltas, paging, faults,
// and the absence of actions, as in the original.
import { FakeCloud } from '../../fixtures/openstack';
import type { FakeRequest, FakeResponse } from '../../fixtures/openstack/http-types';
import { QOS } from '../../fixtures/openstack/neutron';
import { DriverRegistry } from '../../../src/services/datasources';
import { NEUTRON_QOS_TRANSLATORS, neutronQosDriver } from '../../../src/services/datasources/drivers/neutronv2-qos';
import { congress, startDriver, tablesOf, openstackConfigMarkers, startPolled } from './support';

let cloud: FakeCloud;
beforeEach(async () => {
  cloud = await FakeCloud.start();
});
afterEach(async () => {
  await cloud.close();
});

const pollOnce = (extra: Record<string, unknown> = {}): ReturnType<typeof startPolled> => startPolled(neutronQosDriver, cloud.config(extra));

/** A call on the fake Neutron as an admin client would make it. */
function neutron(method: string, path: string, body?: unknown): FakeResponse {
  const req: FakeRequest = { method, path, query: new URLSearchParams(), headers: {}, body, projectId: QOS.tenant, origin: cloud.origin };
  return cloud.neutron.handle(req);
}

const OTHER_PORT = 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f';

/** The fake's initial state as the original translates it. */
const EXPECTED = {
  ports: [[QOS.boundPort], [OTHER_PORT]],
  // Neutron reports a port's policy as `qos_policy_id`; the original read only `qos_policies`
  // (always empty against a real Neutron), here the scalar binds the port too.
  qos_policy_port_bindings: [[QOS.boundPort, QOS.gold]],
  policies: [
    [QOS.gold, QOS.tenant, 'gold', 'Guaranteed bandwidth for tenant VMs', false],
    [QOS.publicLimit, QOS.tenant, 'public-limit', '', true],
  ],
  rules: [
    [QOS.gold, QOS.goldBandwidth, null, 'egress', 'bandwidth_limit', null, 8000, 10000],
    [QOS.gold, QOS.goldDscp, null, null, 'dscp_marking', 26, null, null],
    [QOS.gold, QOS.goldMinimum, 1000, 'egress', 'minimum_bandwidth', null, null, null],
    // A rule type the original predates: only the columns it shares with the others are filled.
    [QOS.publicLimit, QOS.publicPacketRate, null, 'any', 'minimum_packet_rate', null, null, null],
  ],
} as const;

describe('neutronv2_qos polling', () => {
  it('reads ports and QoS policies with their rules into exactly the expected tables', async () => {
    const { driver } = await pollOnce();
    const tables = tablesOf(driver);
    expect(Object.keys(tables)).toEqual(['qos_policy_port_bindings', 'ports', 'rules', 'policies']);
    for (const [table, rows] of Object.entries(EXPECTED)) expect([table, tables[table]]).toEqual([table, congress(rows)]);
    expect(driver.status([]).last_error).toBe('None');
    expect(driver.status([]).row_counts).toEqual({ qos_policy_port_bindings: 1, ports: 2, rules: 4, policies: 2 });
    await driver.stop();
  });

  it('calls neutronclient\'s paths on the catalog\'s network service, with the token', async () => {
    const { driver } = await pollOnce();
    const gets = cloud.requests.filter((r) => r.service === 'neutron').map((r) => [r.method, r.path, r.query]);
    expect(gets).toEqual([
      ['GET', '/networking/v2.0/ports', {}],
      ['GET', '/networking/v2.0/qos/policies', {}],
    ]);
    const [policies] = cloud.requestsTo('GET', '/networking/v2.0/qos/policies');
    expect(policies.headers['x-auth-token']).toMatch(/^[0-9a-f]{32}$/);
    await driver.stop();
  });

  it('translates the original\'s own sample data to the original\'s expected state', async () => {
    // `mock_ports` (trimmed to the fields that matter) and `mock_qos_policies` of the original's
    // test_neutronv2_qos_driver.py, with its `expected_state`.
    const policy = 'be50b732-4508-4a94-9c3c-8dc4b96a2b43';
    const tenant = 'feee0a965cc34274917fb753623dd57d';
    const port = (id: string, extra: Record<string, unknown> = {}) => ({ id, admin_state_up: true, status: 'DOWN', tenant_id: '', security_groups: [], ...extra });
    cloud.neutron.ports.replace([
      port('04627c85-3553-436c-a7c5-0a64f5b87bb9'),
      port('87f8933a-9582-48d8-ad16-9abf6e545002'),
      port('c58c3246-6c2e-490a-b4d9-3b8d5191b465'),
      port('eb50003b-a081-4533-92aa-1cbd97f526a8', { qos_policies: [policy], security_groups: ['e0239062-4243-4798-865f-7055f03786d6'] }),
    ]);
    cloud.neutron.qosPolicies.replace([
      {
        name: 'ysm',
        rules: [
          { max_kbps: 100, direction: 'egress', qos_policy_id: policy, type: 'bandwidth_limit', id: '9daaa87a-5441-49ef-8f25-2810d37c3a60', max_burst_kbps: 500 },
          { dscp_mark: 10, type: 'dscp_marking', id: '6be91937-b9ec-4209-a430-0c2694df1095', qos_policy_id: policy },
          { id: '015f3dc8-7d3e-4598-8996-0597328c4db5', direction: 'egress', type: 'minimum_bandwidth', qos_policy_id: policy, min_kbps: 100 },
        ],
        tenant_id: tenant,
        is_default: false,
        shared: false,
        project_id: tenant,
        id: policy,
        description: '',
      },
    ]);
    const { driver } = await pollOnce();
    expect(tablesOf(driver)).toEqual({
      ports: congress([['04627c85-3553-436c-a7c5-0a64f5b87bb9'], ['87f8933a-9582-48d8-ad16-9abf6e545002'], ['c58c3246-6c2e-490a-b4d9-3b8d5191b465'], ['eb50003b-a081-4533-92aa-1cbd97f526a8']]),
      qos_policy_port_bindings: congress([['eb50003b-a081-4533-92aa-1cbd97f526a8', policy]]),
      policies: congress([[policy, tenant, 'ysm', '', false]]),
      rules: congress([
        [policy, '015f3dc8-7d3e-4598-8996-0597328c4db5', 100, 'egress', 'minimum_bandwidth', null, null, null],
        [policy, '6be91937-b9ec-4209-a430-0c2694df1095', null, null, 'dscp_marking', 10, null, null],
        [policy, '9daaa87a-5441-49ef-8f25-2810d37c3a60', null, 'egress', 'bandwidth_limit', null, 500, 100],
      ]),
    });
    await driver.stop();
  });

  it('publishes what changed between two polls, and nothing when nothing did', async () => {
    const { driver, sink } = await pollOnce();
    sink.take();
    expect(neutron('DELETE', `/v2.0/qos/policies/${QOS.gold}/dscp_marking_rules/${QOS.goldDscp}`).status).toBe(204);
    expect(neutron('PUT', `/v2.0/qos/policies/${QOS.gold}/bandwidth_limit_rules/${QOS.goldBandwidth}`, { bandwidth_limit_rule: { max_kbps: 20000 } }).status).toBe(200);
    expect(neutron('PUT', `/v2.0/qos/policies/${QOS.publicLimit}`, { policy: { name: 'public', shared: false } }).status).toBe(200);
    const created = neutron('POST', '/v2.0/qos/policies', { policy: { name: 'bronze', description: 'best effort' } });
    expect(created.status).toBe(201);
    const bronze = String((created.body as { policy: { id: string } }).policy.id);
    const rule = neutron('POST', `/v2.0/qos/policies/${bronze}/bandwidth_limit_rules`, { bandwidth_limit_rule: { max_kbps: 1000, direction: 'ingress' } });
    expect(rule.status).toBe(201);
    const ruleId = String((rule.body as { bandwidth_limit_rule: { id: string } }).bandwidth_limit_rule.id);
    cloud.neutron.ports.remove(OTHER_PORT);
    // A port that lists its policies the way the original expects them.
    cloud.neutron.ports.update(QOS.boundPort, { qos_policies: [QOS.gold, bronze] });

    await driver.refreshAndWait();
    expect(sink.take()).toEqual({
      ports: { add: [], del: [[OTHER_PORT]] },
      // The list, where a port has one, wins over the scalar: gold stays, bronze is added.
      qos_policy_port_bindings: { add: congress([[QOS.boundPort, bronze]]), del: [] },
      rules: {
        add: congress([
          [QOS.gold, QOS.goldBandwidth, null, 'egress', 'bandwidth_limit', null, 8000, 20000],
          [bronze, ruleId, null, 'ingress', 'bandwidth_limit', null, 0, 1000],
        ]),
        del: congress([
          [QOS.gold, QOS.goldBandwidth, null, 'egress', 'bandwidth_limit', null, 8000, 10000],
          [QOS.gold, QOS.goldDscp, null, null, 'dscp_marking', 26, null, null],
        ]),
      },
      policies: {
        add: congress([
          [QOS.publicLimit, QOS.tenant, 'public', '', false],
          [bronze, QOS.tenant, 'bronze', 'best effort', false],
        ]),
        del: congress([[QOS.publicLimit, QOS.tenant, 'public-limit', '', true]]),
      },
    });

    // Fields the tables do not read (revision numbers, timestamps) change nothing.
    cloud.neutron.qosPolicies.update(QOS.gold, { revision_number: 42, updated_at: '2026-11-21T00:00:00Z' });
    await driver.refreshAndWait();
    expect(sink.take()).toEqual({});
    await driver.stop();
  });

  it('follows the policies_links next pages as neutronclient does', async () => {
    cloud.neutron.pageSize = 1;
    const { driver } = await pollOnce();
    expect(tablesOf(driver).policies).toEqual(congress(EXPECTED.policies));
    expect(tablesOf(driver).rules).toEqual(congress(EXPECTED.rules));
    expect(cloud.requestsTo('GET', '/networking/v2.0/qos/policies').map((r) => r.query)).toEqual([{}, { marker: QOS.gold }]);
    await driver.stop();
  });

  it('an upstream 500 keeps the last good QoS tables, shows in the status, and recovers', async () => {
    const { driver, sink } = await pollOnce();
    sink.take();
    const remove = cloud.addFault({ service: 'neutron', path: '/v2.0/qos/policies', status: 500 });
    neutron('DELETE', `/v2.0/qos/policies/${QOS.publicLimit}`);
    cloud.neutron.ports.remove(OTHER_PORT);
    await driver.refreshAndWait();
    const status = driver.status([]);
    expect(status.last_error).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/networking\/v2\.0\/qos\/policies returned HTTP 500: /);
    expect(Object.keys(status.table_errors)).toEqual(['policies']);
    // Ports were refreshed; policies and rules kept their last good rows.
    expect(sink.take()).toEqual({ ports: { add: [], del: [[OTHER_PORT]] } });
    expect(tablesOf(driver).policies).toEqual(congress(EXPECTED.policies));
    expect(tablesOf(driver).rules).toEqual(congress(EXPECTED.rules));

    remove();
    await driver.refreshAndWait();
    expect(driver.status([]).last_error).toBe('None');
    expect(tablesOf(driver).policies).toEqual(congress([EXPECTED.policies[0]]));
    expect(tablesOf(driver).rules).toEqual(congress(EXPECTED.rules.slice(0, 3)));
    await driver.stop();
  });

  it('fetches a lazy root only once a subscriber wants one of its tables', async () => {
    const { driver } = await pollOnce({ lazy_tables: ['policies'] });
    expect(cloud.requestsTo('GET', '/qos/policies')).toHaveLength(0);
    expect(() => driver.rows('rules')).toThrow(/lazy/i);
    expect(driver.status([]).lazy_tables).toEqual(['policies']);
    driver.activateLazyTables(['rules']);
    await driver.refreshAndWait();
    expect(tablesOf(driver).rules).toEqual(congress(EXPECTED.rules));
    await driver.stop();
  });

  it('refuses lazy tables that are not its root tables', async () => {
    await expect(startDriver(neutronQosDriver, cloud.config({ lazy_tables: ['rules'] }))).rejects.toThrow(
      'Invalid lazy tables: ["rules"]. Accepted tables for datasource neutronv2_qos are ["ports","policies"]',
    );
  });
});

describe('neutronv2_qos actions', () => {
  it('has none, as the original (not an execution driver), and refuses any by name', async () => {
    const { driver } = await startDriver(neutronQosDriver, cloud.config());
    expect(driver.actions()).toEqual([]);
    await expect(driver.execute('delete_qos_policy', { positional: [QOS.publicLimit], named: {} })).rejects.toThrow(
      'Action delete_qos_policy is not an executable method of this datasource',
    );
    expect(cloud.neutron.qosPolicies.get(QOS.publicLimit)).toBeDefined();
    expect(cloud.requests.filter((r) => r.service === 'neutron')).toEqual([]);
    await driver.stop();
  });
});

describe('neutronv2_qos fake QoS API', () => {
  it('answers the API reference\'s shapes and refuses what Neutron refuses', () => {
    const listed = neutron('GET', `/v2.0/qos/policies/${QOS.gold}/minimum_bandwidth_rules`);
    expect(listed).toEqual({ status: 200, body: { minimum_bandwidth_rules: [{ id: QOS.goldMinimum, min_kbps: 1000, direction: 'egress' }] }, headers: undefined });
    expect(neutron('GET', '/v2.0/qos/rule-types').body).toEqual({
      rule_types: [{ type: 'bandwidth_limit' }, { type: 'dscp_marking' }, { type: 'minimum_bandwidth' }, { type: 'packet_rate_limit' }, { type: 'minimum_packet_rate' }],
    });
    expect(neutron('DELETE', `/v2.0/qos/policies/${QOS.gold}`)).toMatchObject({ status: 409, body: { NeutronError: { type: 'QosPolicyInUse' } } });
    expect(neutron('POST', `/v2.0/qos/policies/${QOS.gold}/bandwidth_limit_rules`, { bandwidth_limit_rule: { max_kbps: 5 } }).status).toBe(409);
    expect(neutron('POST', `/v2.0/qos/policies/${QOS.gold}/dscp_marking_rules`, { dscp_marking_rule: { dscp_mark: 11 } }).status).toBe(400);
    expect(neutron('POST', `/v2.0/qos/policies/${QOS.publicLimit}/minimum_bandwidth_rules`, { minimum_bandwidth_rule: { min_kbps: 'fast' } }).status).toBe(400);
    expect(neutron('POST', '/v2.0/qos/policies', { policy: { name: 'x', color: 'red' } }).status).toBe(400);
    expect(neutron('GET', '/v2.0/qos/policies/nope')).toMatchObject({ status: 404, body: { NeutronError: { type: 'QosPolicyNotFound' } } });
    // Unbinding the port frees the policy.
    expect(neutron('PUT', `/v2.0/ports/${QOS.boundPort}`, { port: { qos_policy_id: null } }).status).toBe(200);
    expect(neutron('DELETE', `/v2.0/qos/policies/${QOS.gold}`).status).toBe(204);
    expect(cloud.neutron.qosPolicies.size).toBe(1);
  });
});

describe('neutronv2_qos schema and driver info', () => {
  it('lists the original\'s tables and columns in the original\'s order', () => {
    expect(neutronQosDriver.schema().map((t) => [t.name, t.columns.map((c) => c.name)])).toEqual([
      ['qos_policy_port_bindings', ['port_id', 'qos_policy_id']],
      ['ports', ['id']],
      ['rules', ['qos_policy_id', 'id', 'min_kbps', 'direction', 'type', 'dscp_mark', 'max_burst_kbps', 'max_kbps']],
      ['policies', ['id', 'tenant_id', 'name', 'description', 'shared']],
    ]);
    expect(NEUTRON_QOS_TRANSLATORS.map((t) => t['table-name'])).toEqual(['ports', 'policies']);
  });

  it('describes itself exactly as the original\'s GET /v1/system/drivers/neutronv2_qos', () => {
    const info = new DriverRegistry([neutronQosDriver]).info('neutronv2_qos');
    if (info === null) throw new Error('neutronv2_qos is not registered');
    const { config_schema: configSchema, ...original } = info;
    // Recorded from the original (get_datasource_info, get_schema, api_utils.create_table_dict).
    expect(original).toEqual({
      id: 'neutronv2_qos',
      description: 'Datasource driver that interfaces with QoS extension of OpenStack Networking aka Neutron.',
      config: openstackConfigMarkers(),
      secret: ['password'],
      tables: [
        {
          table_id: 'qos_policy_port_bindings',
          columns: [
            { name: 'port_id', description: 'UUID of port' },
            { name: 'qos_policy_id', description: 'UUID of qos policy' },
          ],
        },
        { table_id: 'ports', columns: [{ name: 'id', description: 'UUID of port' }] },
        {
          table_id: 'rules',
          columns: [
            { name: 'qos_policy_id', description: 'uuid of qos policy' },
            { name: 'id', description: 'The UUID for the QoS minimumbandwidth rule translator' },
            { name: 'min_kbps', description: 'min_kbps bandwidth limit rule' },
            { name: 'direction', description: 'minimum bandwidth rule direction' },
            { name: 'type', description: 'type of qos rule' },
            { name: 'dscp_mark', description: 'mark of the dscp rule' },
            { name: 'max_burst_kbps', description: 'max_burst_kps limit' },
            { name: 'max_kbps', description: 'max_kps bandwidth limit' },
          ],
        },
        {
          table_id: 'policies',
          columns: [
            { name: 'id', description: 'The UUID for the qos policy' },
            { name: 'tenant_id', description: 'Tenant ID' },
            { name: 'name', description: 'The qos policy name' },
            { name: 'description', description: 'qos policy description' },
            { name: 'shared', description: 'The qos policy share' },
          ],
        },
      ],
    });
    expect(Object.keys(original.config)).toEqual([
      'auth_url',
      'endpoint',
      'region',
      'username',
      'password',
      'user_domain_name',
      'project_domain_name',
      'tenant_name',
      'project_name',
      'poll_time',
      'lazy_tables',
    ]);
    // The addition beyond the original: request_timeout is accepted but not listed in `config`.
    expect(Object.keys(configSchema)).toContain('request_timeout');
    expect(configSchema.password).toMatchObject({ required: true, secret: true });
  });
});

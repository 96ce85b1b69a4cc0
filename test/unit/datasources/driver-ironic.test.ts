// The `ironic` driver against the fake bare metal API: exact tables, the requests ironicclient
// would send (paths, microversion, pagination), the original's schema and driver info (recorded
// from the original Congress), deltas between polls, the action catalogue, and upstream faults.
import { FakeCloud } from '../../fixtures/openstack';
import {
  CHASSIS_RACK1,
  CHASSIS_RACK2,
  INSTANCE_WEB,
  NODE_BROKEN,
  NODE_SPARE,
  NODE_WEB,
  VIF_WEB,
} from '../../fixtures/openstack/ironic';
import { DriverRegistry, type Driver } from '../../../src/services/datasources';
import { IRONIC_ACTIONS, IRONIC_TRANSLATORS, ironicDriver } from '../../../src/services/datasources/drivers/ironic';
import { toCongress } from '../../../src/services/datasources/translation/values';
import { congress, startDriver, tablesOf, openstackConfigMarkers } from './support';

const PORT_WEB = '43190aae-d5fe-444f-9d50-155fca4bad82';
const PORT_SPARE = '49f3205a-db1e-4497-9371-6011ef572981';
const PORT_BROKEN = '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b';

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

async function pollOnce(extra: Record<string, unknown> = {}) {
  const started = await startDriver(ironicDriver, cloud.config(extra));
  driver = started.driver;
  await started.driver.refreshAndWait();
  return started;
}

const EXPECTED = {
  chassises: congress([
    [CHASSIS_RACK1, '2026-11-01T08:00:00+00:00', '2026-11-02T09:30:00+00:00'],
    [CHASSIS_RACK2, '2026-11-01T08:05:00+00:00', null],
  ]),
  node_properties: congress([
    [NODE_WEB, 65536, 'x86_64', 480, 16],
    [NODE_SPARE, '32768', 'x86_64', '240', '8'],
    [NODE_BROKEN, null, 'aarch64', null, null],
  ]),
  nodes: congress([
    [NODE_WEB, CHASSIS_RACK1, 'power on', false, 'ipmi', INSTANCE_WEB, '2026-11-01T08:10:00+00:00', '2026-11-03T12:00:00+00:00', '2026-11-03T12:00:05+00:00'],
    [NODE_SPARE, CHASSIS_RACK1, 'power off', false, 'ipmi', null, '2026-11-01T08:12:00+00:00', '2026-11-02T10:00:00+00:00', '2026-11-02T10:00:01+00:00'],
    [NODE_BROKEN, null, null, true, 'redfish', null, '2026-11-04T07:00:00+00:00', null, null],
  ]),
  ports: congress([
    [PORT_WEB, NODE_WEB, '52:54:00:7f:e7:2e', VIF_WEB, '2026-11-01T08:11:00+00:00', '2026-11-03T11:59:00+00:00'],
    [PORT_SPARE, NODE_SPARE, '52:54:00:98:f2:4e', '', '2026-11-01T08:13:00+00:00', null],
    [PORT_BROKEN, NODE_BROKEN, '52:54:00:11:22:33', '', '2026-11-04T07:01:00+00:00', null],
  ]),
  active_hosts: congress([
    ['ipmi', 'conductor-1'],
    ['ipmi', 'conductor-2'],
    ['redfish', 'conductor-1'],
  ]),
  drivers: congress([['ipmi'], ['redfish'], ['fake-hardware']]),
};

/** The Ironic requests of the fake's log, as `METHOD path?query`. */
function ironicCalls(): string[] {
  return cloud.requests.filter((r) => r.service === 'ironic').map((r) => `${r.method} ${r.path}${Object.keys(r.query).length > 0 ? '?' + new URLSearchParams(r.query).toString() : ''}`);
}

describe('polling', () => {
  it('produces exactly the expected rows in every table', async () => {
    const { driver: d } = await pollOnce();
    expect(tablesOf(d)).toEqual(EXPECTED);
    expect(d.status([]).last_error).toBe('None');
  });

  it('calls the paths ironicclient calls, at its default microversion, without a limit', async () => {
    await pollOnce();
    expect(ironicCalls()).toEqual(['GET /baremetal/v1/chassis/detail', 'GET /baremetal/v1/nodes/detail', 'GET /baremetal/v1/ports/detail', 'GET /baremetal/v1/drivers']);
    const ironic = cloud.requests.filter((r) => r.service === 'ironic');
    expect(ironic.map((r) => r.headers['x-openstack-ironic-api-version'])).toEqual(['1.9', '1.9', '1.9', '1.9']);
    expect(ironic.every((r) => typeof r.headers['x-auth-token'] === 'string')).toBe(true);
  });

  it('follows next links to the end, below an endpoint given with its /v1 suffix', async () => {
    cloud.ironic.maxLimit = 1;
    const { driver: d } = await pollOnce({ endpoint: `${cloud.origin}/baremetal/v1/` });
    expect(tablesOf(d)).toEqual(EXPECTED);
    const nodeCalls = ironicCalls().filter((c) => c.includes('/nodes/'));
    expect(nodeCalls).toEqual([
      'GET /baremetal/v1/nodes/detail',
      `GET /baremetal/v1/nodes/detail?sort_key=id&sort_dir=asc&limit=1&marker=${NODE_WEB}`,
      `GET /baremetal/v1/nodes/detail?sort_key=id&sort_dir=asc&limit=1&marker=${NODE_SPARE}`,
      `GET /baremetal/v1/nodes/detail?sort_key=id&sort_dir=asc&limit=1&marker=${NODE_BROKEN}`,
    ]);
    // The drivers list is not paginated.
    expect(ironicCalls().filter((c) => c.includes('/drivers'))).toEqual(['GET /baremetal/v1/drivers']);
  });

  it('translates the original test suite\'s sample API data into its expected state', async () => {
    cloud.ironic.chassis = [
      { uuid: '89a15e07-5c80-48a4-b440-9c61ddb7e652', extra: {}, created_at: '2015-01-13T06:52:01+00:00', updated_at: null, description: 'ironic test chassis' },
    ];
    const props = { memory_mb: '512', cpu_arch: 'x86_64', local_gb: '10', cpus: '1' };
    cloud.ironic.nodes = [
      {
        instance_uuid: '2520745f-b4da-4e10-9d32-84451cfa8b33',
        uuid: '9cf035f0-351c-43d5-8968-f9fe2c41787b',
        chassis_uuid: '89a15e07-5c80-48a4-b440-9c61ddb7e652',
        properties: props,
        driver: 'pxe_ssh',
        maintenance: false,
        console_enabled: false,
        created_at: '2015-01-13T06:52:02+00:00',
        updated_at: '2015-02-10T07:55:23+00:00',
        provision_updated_at: '2015-01-13T07:55:24+00:00',
        provision_state: 'active',
        power_state: 'power on',
      },
      {
        instance_uuid: null,
        uuid: '7a95ebf5-f213-4427-b669-010438f43e87',
        chassis_uuid: '89a15e07-5c80-48a4-b440-9c61ddb7e652',
        properties: props,
        driver: 'pxe_ssh',
        maintenance: false,
        console_enabled: false,
        created_at: '2015-01-13T06:52:04+00:00',
        updated_at: '2015-02-10T07:55:24+00:00',
        provision_updated_at: null,
        provision_state: null,
        power_state: 'power off',
      },
    ];
    cloud.ironic.ports = [
      {
        uuid: '43190aae-d5fe-444f-9d50-155fca4bad82',
        node_uuid: '9cf035f0-351c-43d5-8968-f9fe2c41787b',
        extra: { vif_port_id: '9175f72b-5783-4cea-8ae0-55df69fee568' },
        created_at: '2015-01-13T06:52:03+00:00',
        updated_at: '2015-01-30T03:17:23+00:00',
        address: '52:54:00:7f:e7:2e',
      },
      {
        uuid: '49f3205a-db1e-4497-9371-6011ef572981',
        node_uuid: '7a95ebf5-f213-4427-b669-010438f43e87',
        extra: {},
        created_at: '2015-01-13T06:52:05+00:00',
        updated_at: null,
        address: '52:54:00:98:f2:4e',
      },
    ];
    cloud.ironic.drivers = [
      { hosts: ['localhost'], name: 'pxe_ssh' },
      { hosts: ['localhost'], name: 'pxe_ipmitool' },
      { hosts: ['localhost'], name: 'fake' },
    ];
    const { driver: d } = await pollOnce();
    expect(tablesOf(d)).toEqual({
      drivers: congress([['pxe_ipmitool'], ['fake'], ['pxe_ssh']]),
      node_properties: congress([
        ['7a95ebf5-f213-4427-b669-010438f43e87', '512', 'x86_64', '10', '1'],
        ['9cf035f0-351c-43d5-8968-f9fe2c41787b', '512', 'x86_64', '10', '1'],
      ]),
      chassises: congress([['89a15e07-5c80-48a4-b440-9c61ddb7e652', '2015-01-13T06:52:01+00:00', null]]),
      active_hosts: congress([
        ['pxe_ipmitool', 'localhost'],
        ['pxe_ssh', 'localhost'],
        ['fake', 'localhost'],
      ]),
      nodes: congress([
        [
          '9cf035f0-351c-43d5-8968-f9fe2c41787b',
          '89a15e07-5c80-48a4-b440-9c61ddb7e652',
          'power on',
          false,
          'pxe_ssh',
          '2520745f-b4da-4e10-9d32-84451cfa8b33',
          '2015-01-13T06:52:02+00:00',
          '2015-01-13T07:55:24+00:00',
          '2015-02-10T07:55:23+00:00',
        ],
        ['7a95ebf5-f213-4427-b669-010438f43e87', '89a15e07-5c80-48a4-b440-9c61ddb7e652', 'power off', false, 'pxe_ssh', null, '2015-01-13T06:52:04+00:00', null, '2015-02-10T07:55:24+00:00'],
      ]),
      ports: congress([
        ['49f3205a-db1e-4497-9371-6011ef572981', '7a95ebf5-f213-4427-b669-010438f43e87', '52:54:00:98:f2:4e', '', '2015-01-13T06:52:05+00:00', null],
        ['43190aae-d5fe-444f-9d50-155fca4bad82', '9cf035f0-351c-43d5-8968-f9fe2c41787b', '52:54:00:7f:e7:2e', '9175f72b-5783-4cea-8ae0-55df69fee568', '2015-01-13T06:52:03+00:00', '2015-01-30T03:17:23+00:00'],
      ]),
    });
  });

  it('publishes only what changed between two polls', async () => {
    const { driver: d, sink } = await pollOnce();
    sink.take();
    const spare = cloud.ironic.node(NODE_SPARE);
    Object.assign(spare ?? {}, { power_state: 'power on', properties: { memory_mb: '65536', cpu_arch: 'x86_64', local_gb: '240', cpus: '8' }, updated_at: '2026-11-23T09:00:00+00:00' });
    cloud.ironic.chassis = cloud.ironic.chassis.filter((c) => c.uuid !== CHASSIS_RACK2);
    cloud.ironic.ports.push({ uuid: 'd1e2f3a4-b5c6-4789-8abc-def012345678', node_uuid: NODE_SPARE, address: '52:54:00:aa:bb:cc', extra: { vif_port_id: 'f00dfeed-0000-4000-8000-000000000001' }, created_at: '2026-11-23T09:00:00+00:00', updated_at: null });
    cloud.ironic.drivers[1] = { name: 'redfish', hosts: ['conductor-3'] };
    await d.refreshAndWait();
    expect(sink.take()).toEqual({
      chassises: { add: [], del: congress([[CHASSIS_RACK2, '2026-11-01T08:05:00+00:00', null]]) },
      nodes: {
        add: congress([[NODE_SPARE, CHASSIS_RACK1, 'power on', false, 'ipmi', null, '2026-11-01T08:12:00+00:00', '2026-11-02T10:00:00+00:00', '2026-11-23T09:00:00+00:00']]),
        del: congress([[NODE_SPARE, CHASSIS_RACK1, 'power off', false, 'ipmi', null, '2026-11-01T08:12:00+00:00', '2026-11-02T10:00:00+00:00', '2026-11-02T10:00:01+00:00']]),
      },
      node_properties: { add: congress([[NODE_SPARE, '65536', 'x86_64', '240', '8']]), del: congress([[NODE_SPARE, '32768', 'x86_64', '240', '8']]) },
      ports: { add: congress([['d1e2f3a4-b5c6-4789-8abc-def012345678', NODE_SPARE, '52:54:00:aa:bb:cc', 'f00dfeed-0000-4000-8000-000000000001', '2026-11-23T09:00:00+00:00', null]]), del: [] },
      active_hosts: { add: congress([['redfish', 'conductor-3']]), del: congress([['redfish', 'conductor-1']]) },
    });
  });

  it('keeps the last good tables of a failing root and reports the failure, then recovers', async () => {
    const { driver: d } = await pollOnce();
    const remove = cloud.addFault({ service: 'ironic', path: '/v1/nodes/detail', status: 500 });
    Object.assign(cloud.ironic.node(NODE_WEB) ?? {}, { power_state: 'power off' });
    cloud.ironic.drivers.pop();
    await d.refreshAndWait();
    const status = d.status([]);
    expect(status.last_error).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/baremetal\/v1\/nodes\/detail returned HTTP 500: /);
    expect(Object.keys(status.table_errors)).toEqual(['nodes']);
    const t = tablesOf(d);
    expect(t.nodes).toEqual(EXPECTED.nodes);
    expect(t.node_properties).toEqual(EXPECTED.node_properties);
    // The other roots were refreshed all the same.
    expect(t.drivers).toEqual(congress([['ipmi'], ['redfish']]));
    remove();
    await d.refreshAndWait();
    expect(d.status([]).last_error).toBe('None');
    expect(tablesOf(d).nodes.find((r) => r[0] === NODE_WEB)?.[2]).toBe('power off');
  });

  it('refuses a body without the collection key and keeps the rows', async () => {
    const { driver: d } = await pollOnce();
    cloud.addFault({ service: 'ironic', path: '/v1/ports/detail', malformed: 'wrong-key', times: 1 });
    cloud.ironic.ports = [];
    await d.refreshAndWait();
    expect(d.status([]).last_error).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/baremetal\/v1\/ports\/detail: expected a list under "ports", got: \{"nets":\[/);
    expect(tablesOf(d).ports).toEqual(EXPECTED.ports);
  });

  it('leaves a lazy table unfetched until a subscriber wants it', async () => {
    const { driver: d } = await pollOnce({ lazy_tables: ['ports'] });
    expect(ironicCalls().some((c) => c.includes('/ports'))).toBe(false);
    expect(() => d.rows('ports')).toThrow();
    d.activateLazyTables(['ports']);
    await d.refreshAndWait();
    expect(tablesOf(d).ports).toEqual(EXPECTED.ports);
  });
});

// Recorded from the original (congress.datasources.ironic_driver.IronicDriver.get_schema() and
// get_datasource_info() as GET /v1/system/drivers/ironic assembles them).
const ORIGINAL_TABLES = [
  { table_id: 'chassises', columns: ['id', 'created_at', 'updated_at'].map((name) => ({ name, description: null })) },
  { table_id: 'node_properties', columns: ['properties', 'memory_mb', 'cpu_arch', 'local_gb', 'cpus'].map((name) => ({ name, description: null })) },
  {
    table_id: 'nodes',
    columns: [
      { name: 'id', description: '' },
      { name: 'owner_chassis', description: '' },
      { name: 'power_state', description: '' },
      { name: 'maintenance', description: '' },
      ...['driver', 'running_instance', 'created_at', 'provision_updated_at', 'updated_at'].map((name) => ({ name, description: null })),
    ],
  },
  { table_id: 'ports', columns: ['id', 'owner_node', 'mac_address', 'vif_port_id', 'created_at', 'updated_at'].map((name) => ({ name, description: null })) },
  { table_id: 'active_hosts', columns: ['name', 'hosts'].map((name) => ({ name, description: null })) },
  { table_id: 'drivers', columns: [{ name: 'name', description: null }] },
];

const ORIGINAL_INFO = {
  id: 'ironic',
  description: 'Datasource driver that interfaces with OpenStack bare metal aka ironic.',
  config: openstackConfigMarkers(),
  secret: ['password'],
  tables: ORIGINAL_TABLES,
};

describe('schema and driver info', () => {
  it('lists the original\'s tables and columns in the original\'s order', () => {
    expect(ironicDriver.schema().map((t) => [t.name, t.columns.map((c) => c.name)])).toEqual(ORIGINAL_TABLES.map((t) => [t.table_id, t.columns.map((c) => c.name)]));
  });

  it('answers GET /v1/system/drivers/ironic as the original', () => {
    const info = new DriverRegistry([ironicDriver]).info('ironic');
    expect(info).not.toBeNull();
    expect({ id: info?.id, description: info?.description, config: info?.config, secret: info?.secret, tables: info?.tables }).toEqual(ORIGINAL_INFO);
    expect(Object.keys(info?.config ?? {})).toEqual(Object.keys(ORIGINAL_INFO.config));
    expect(new DriverRegistry([ironicDriver]).list()).toEqual([{ id: 'ironic', description: ORIGINAL_INFO.description }]);
  });

  it('declares the nested tables as the original: properties by node id, hosts by driver name', () => {
    const nodes = IRONIC_TRANSLATORS.find((t) => t['table-name'] === 'nodes');
    const props = nodes?.['translation-type'] === 'HDICT' ? nodes['field-translators'].find((f) => f.fieldname === 'properties')?.translator : undefined;
    expect(props).toMatchObject({ 'table-name': 'node_properties', 'parent-key': 'id', 'parent-col-name': 'properties', 'in-list': false });
  });
});

describe('actions', () => {
  async function started(): Promise<Driver> {
    const s = await startDriver(ironicDriver, cloud.config());
    driver = s.driver;
    return s.driver;
  }
  const call = (d: Driver, name: string, positional: unknown[], named: Record<string, unknown> = {}) => d.execute(name, { positional, named });
  const puts = () => cloud.requests.filter((r) => r.service === 'ironic' && r.method !== 'GET');

  it('lists the catalogue with ironicclient\'s names and argument names', async () => {
    const d = await started();
    expect(d.actions().map((a) => [a.name, a.args.map((x) => x.name)])).toEqual([
      ['node.set_maintenance', ['node_id', 'state', 'maint_reason']],
      ['node.set_power_state', ['node_id', 'state', 'soft', 'timeout']],
      ['node.set_provision_state', ['node_uuid', 'state']],
    ]);
    expect(IRONIC_ACTIONS).toHaveLength(3);
  });

  it('node.set_power_state powers a node on, by UUID or by name', async () => {
    const d = await started();
    await call(d, 'node.set_power_state', [NODE_SPARE, 'on']);
    expect(cloud.ironic.node(NODE_SPARE)?.power_state).toBe('power on');
    expect(puts().map((r) => [r.method, r.path, r.body, r.headers['x-openstack-ironic-api-version']])).toEqual([['PUT', `/baremetal/v1/nodes/${NODE_SPARE}/states/power`, { target: 'power on' }, '1.9']]);
    await call(d, 'node.set_power_state', [], { node_id: 'spare-01', state: 'off' });
    expect(cloud.ironic.node(NODE_SPARE)?.power_state).toBe('power off');
    expect(cloud.ironic.node(NODE_SPARE)?.updated_at).toBe('2026-11-23T12:00:00+00:00');
  });

  it('node.set_power_state sends a soft target and a timeout at the microversion that accepts them', async () => {
    const d = await started();
    await call(d, 'node.set_power_state', [NODE_WEB, 'off', 'True', '30']);
    expect(cloud.ironic.node(NODE_WEB)?.power_state).toBe('power off');
    expect(puts().map((r) => [r.body, r.headers['x-openstack-ironic-api-version']])).toEqual([[{ target: 'soft power off', timeout: 30 }, '1.27']]);
  });

  it('node.set_power_state refuses a bad state, soft power-on and a bad timeout before calling Ironic', async () => {
    const d = await started();
    await expect(call(d, 'node.set_power_state', [NODE_SPARE, 'sideways'])).rejects.toThrow("Argument 'state': 'sideways' is not a power state; use 'on', 'off' or 'reboot'");
    await expect(call(d, 'node.set_power_state', [NODE_SPARE, 'on', 'True'])).rejects.toThrow("'soft' option is invalid for the power-state 'on'");
    await expect(call(d, 'node.set_power_state', [NODE_SPARE, 'off', 'False', '0'])).rejects.toThrow("'timeout' option for setting power state must have positive integer value (> 0)");
    await expect(call(d, 'node.set_power_state', [NODE_SPARE, 'off', 'perhaps'])).rejects.toThrow("Argument 'soft': Unrecognized value 'perhaps'");
    await expect(call(d, 'node.set_power_state', [])).rejects.toThrow('missing argument node_id');
    await expect(call(d, 'node.set_power_state', [NODE_SPARE])).rejects.toThrow('missing argument state');
    expect(puts()).toEqual([]);
    expect(cloud.ironic.node(NODE_SPARE)?.power_state).toBe('power off');
    expect(d.actionHistory().map((h) => h.ok)).toEqual([false, false, false, false, false, false]);
  });

  it('node.set_maintenance puts a node into maintenance with a reason, and takes it out', async () => {
    const d = await started();
    await call(d, 'node.set_maintenance', [NODE_SPARE, 'True', 'firmware upgrade']);
    expect(cloud.ironic.node(NODE_SPARE)).toMatchObject({ maintenance: true, maintenance_reason: 'firmware upgrade' });
    await call(d, 'node.set_maintenance', [NODE_BROKEN, 'off']);
    expect(cloud.ironic.node(NODE_BROKEN)).toMatchObject({ maintenance: false, maintenance_reason: null });
    expect(puts().map((r) => [r.method, r.path, r.body ?? null])).toEqual([
      ['PUT', `/baremetal/v1/nodes/${NODE_SPARE}/maintenance`, { reason: 'firmware upgrade' }],
      ['DELETE', `/baremetal/v1/nodes/${NODE_BROKEN}/maintenance`, null],
    ]);
    await d.refreshAndWait();
    expect(tablesOf(d).nodes.filter((r) => r[3] === toCongress(true)).map((r) => r[0])).toEqual([NODE_SPARE]);
  });

  it('node.set_maintenance sends a null reason when none is given, and refuses a state that is no boolean', async () => {
    const d = await started();
    await call(d, 'node.set_maintenance', [NODE_WEB, 'yes']);
    expect(puts().map((r) => r.body)).toEqual([{ reason: null }]);
    expect(cloud.ironic.node(NODE_WEB)?.maintenance).toBe(true);
    await expect(call(d, 'node.set_maintenance', [NODE_SPARE, 'maybe'])).rejects.toThrow(
      "Argument 'state': Unrecognized value 'maybe', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'",
    );
    expect(puts()).toHaveLength(1);
  });

  it('node.set_provision_state moves a node through manage and provide, and undeploys one', async () => {
    const d = await started();
    await call(d, 'node.set_provision_state', [NODE_SPARE, 'manage']);
    expect(cloud.ironic.node(NODE_SPARE)?.provision_state).toBe('manageable');
    await call(d, 'node.set_provision_state', [], { node_uuid: NODE_SPARE, state: 'provide' });
    expect(cloud.ironic.node(NODE_SPARE)?.provision_state).toBe('available');
    await call(d, 'node.set_provision_state', [NODE_WEB, 'deleted']);
    expect(cloud.ironic.node(NODE_WEB)).toMatchObject({ provision_state: 'available', instance_uuid: null, provision_updated_at: '2026-11-23T12:00:00+00:00' });
    expect(puts().map((r) => [r.path, r.body])).toEqual([
      [`/baremetal/v1/nodes/${NODE_SPARE}/states/provision`, { target: 'manage' }],
      [`/baremetal/v1/nodes/${NODE_SPARE}/states/provision`, { target: 'provide' }],
      [`/baremetal/v1/nodes/${NODE_WEB}/states/provision`, { target: 'deleted' }],
    ]);
  });

  it('node.set_provision_state refuses an unknown target locally and reports Ironic\'s refusals', async () => {
    const d = await started();
    await expect(call(d, 'node.set_provision_state', [NODE_SPARE, 'explode'])).rejects.toThrow(
      "Argument 'state': 'explode' is not a provision state; use one of active, deleted, rebuild, manage, provide, inspect",
    );
    expect(puts()).toEqual([]);
    await expect(call(d, 'node.set_provision_state', [NODE_SPARE, 'rebuild'])).rejects.toThrow(/returned HTTP 400: .*can not be performed on node/);
    expect(cloud.ironic.node(NODE_SPARE)?.provision_state).toBe('available');
    await expect(call(d, 'node.set_power_state', ['no-such-node', 'on'])).rejects.toThrow(/\/baremetal\/v1\/nodes\/no-such-node\/states\/power returned HTTP 404: .*Node no-such-node could not be found/);
    expect(d.actionHistory().map((h) => [h.action, h.ok])).toEqual([
      ['node.set_provision_state', false],
      ['node.set_provision_state', false],
      ['node.set_power_state', false],
    ]);
  });

  it('refuses an action that is not in the catalogue', async () => {
    const d = await started();
    await expect(call(d, 'node.delete', [NODE_SPARE])).rejects.toThrow(/node\.delete/);
    expect(puts()).toEqual([]);
  });
});

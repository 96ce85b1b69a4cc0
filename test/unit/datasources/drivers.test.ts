// Each OpenStack driver against the fake cloud serving the spec's worked data set (§10): exact
// tables, schema order, upstream calls (paths, query, headers) and driver info.
import { FakeCloud } from '../../fixtures/openstack';
import { BUILTIN_DRIVERS, DriverRegistry } from '../../../src/services/datasources';
import { aodhDriver } from '../../../src/services/datasources/drivers/aodh';
import { cinderDriver } from '../../../src/services/datasources/drivers/cinder';
import { glancev2Driver } from '../../../src/services/datasources/drivers/glancev2';
import { heatDriver } from '../../../src/services/datasources/drivers/heat';
import { monascaDriver } from '../../../src/services/datasources/drivers/monasca';
import { keystonev3Driver } from '../../../src/services/datasources/drivers/keystonev3';
import { neutronv2Driver } from '../../../src/services/datasources/drivers/neutronv2';
import { novaDriver } from '../../../src/services/datasources/drivers/nova';
import { swiftDriver } from '../../../src/services/datasources/drivers/swift';
import type { DriverDefinition } from '../../../src/services/datasources';
import { EXPECTED } from './expected-state';
import { congress, startDriver, tablesOf, startPolled, openstackConfigMarkers } from './support';

let cloud: FakeCloud;
beforeEach(async () => {
  cloud = await FakeCloud.start();
});
afterEach(async () => {
  await cloud.close();
});

const pollOnce = (def: DriverDefinition, extra: Record<string, unknown> = {}): ReturnType<typeof startPolled> => startPolled(def, cloud.config(extra));

describe.each([
  [novaDriver, ['servers.addresses', 'tags', 'servers', 'flavors', 'services', 'hypervisors', 'availability_zones']],
  [
    neutronv2Driver,
    [
      'networks',
      'fixed_ips',
      'security_group_port_bindings',
      'ports',
      'allocation_pools',
      'dns_nameservers',
      'host_routes',
      'subnets',
      'external_fixed_ips',
      'external_gateway_infos',
      'routers',
      'security_group_rules',
      'security_groups',
      'floating_ips',
    ],
  ],
  [keystonev3Driver, ['users', 'roles', 'projects', 'domains']],
  [cinderDriver, ['attachments', 'volumes', 'snapshots', 'services']],
  [glancev2Driver, ['tags', 'images']],
] as const)('driver on the worked data set (%#)', (def, order) => {
  it('produces exactly the expected tables', async () => {
    const { driver } = await pollOnce(def);
    const expected = EXPECTED[def.id];
    const actual = tablesOf(driver);
    for (const table of Object.keys(expected)) expect([table, actual[table]]).toEqual([table, congress(expected[table])]);
    // No table beyond the expected ones has rows.
    for (const table of Object.keys(actual)) if (expected[table] === undefined) expect([table, actual[table]]).toEqual([table, []]);
    expect(driver.status([]).last_error).toBe('None');
    await driver.stop();
  });

  it('lists its tables in the original schema order', () => {
    expect(def.schema().map((t) => t.name)).toEqual(order);
  });
});

describe('upstream calls', () => {
  it('nova sends all_tenants=1 and the microversion headers', async () => {
    const { driver } = await pollOnce(novaDriver, { api_version: '2.26' });
    const [list] = cloud.requestsTo('GET', '/compute/v2.1/servers/detail');
    expect(list.query).toEqual({ all_tenants: '1' });
    expect(list.headers['x-openstack-nova-api-version']).toBe('2.26');
    expect(list.headers['openstack-api-version']).toBe('compute 2.26');
    expect(list.headers['x-auth-token']).toMatch(/^[0-9a-f]{32}$/);
    // One token for the whole poll.
    expect(cloud.requestsTo('POST', '/auth/tokens')).toHaveLength(1);
    await driver.stop();
  });

  it('keystone authenticates with the password and the project scope from the config', async () => {
    const { driver } = await pollOnce(keystonev3Driver);
    const [auth] = cloud.requestsTo('POST', '/identity/v3/auth/tokens');
    expect(auth.body).toEqual({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password: 'secret' } } },
        scope: { project: { name: 'admin', domain: { name: 'Default' } } },
      },
    });
    await driver.stop();
  });

  it('cinder uses v3 when the catalog has it, else v2', async () => {
    const v3 = await pollOnce(cinderDriver);
    expect(cloud.requestsTo('GET', '/volume/v3/').map((r) => r.path)).toContain('/volume/v3/8538a3f13f9541b28c2620eb19065e45/volumes/detail');
    expect(cloud.requestsTo('GET', '/volume/v2/')).toHaveLength(0);
    await v3.driver.stop();
    cloud.keystone.cinderTypes = ['volumev2'];
    const v2 = await pollOnce(cinderDriver);
    expect(cloud.requestsTo('GET', '/volume/v2/').length).toBeGreaterThan(0);
    expect(tablesOf(v2.driver).volumes).toEqual(congress(EXPECTED.cinder.volumes));
    await v2.driver.stop();
  });

  it('glance fetches the schema once and pages through 25 images 20 at a time', async () => {
    const base = cloud.glance.images.list()[0];
    cloud.glance.images.replace(Array.from({ length: 25 }, (_, i) => ({ ...base, id: `img-${String(i).padStart(2, '0')}`, tags: [] })));
    const { driver } = await pollOnce(glancev2Driver);
    expect(driver.rows('images')).toHaveLength(25);
    const lists = cloud.requestsTo('GET', '/image/v2/images');
    expect(lists.map((r) => r.query)).toEqual([{ limit: '20' }, { marker: 'img-19', limit: '20' }]);
    await driver.refreshAndWait();
    expect(cloud.glance.schemaFetches).toBe(1);
    await driver.stop();
  });

  it('neutron follows <collection>_links next pages', async () => {
    cloud.neutron.pageSize = 1;
    const { driver } = await pollOnce(neutronv2Driver);
    expect(tablesOf(driver).ports).toEqual(congress(EXPECTED.neutronv2.ports));
    expect(cloud.requestsTo('GET', '/networking/v2.0/ports')).toHaveLength(2);
    await driver.stop();
  });

  it('an endpoint override skips the catalog; region filters it', async () => {
    const override = await pollOnce(glancev2Driver, { endpoint: `${cloud.origin}/image` });
    expect(override.driver.rows('images')).toHaveLength(1);
    await override.driver.stop();
    const wrongRegion = await pollOnce(glancev2Driver, { region: 'Elsewhere' });
    expect(wrongRegion.driver.status([]).last_error).toBe('public endpoint for image service in Elsewhere region not found');
    await wrongRegion.driver.stop();
  });

  it('keystonev3 falls back to the public interface when there is no admin endpoint', async () => {
    const catalog = (cloud.keystone as unknown as { catalog(origin: string): { type: string; endpoints: { interface: string }[] }[] }).catalog.bind(cloud.keystone);
    (cloud.keystone as unknown as { catalog: (o: string) => unknown }).catalog = (o: string) =>
      catalog(o).map((s) => ({ ...s, endpoints: s.endpoints.filter((e) => e.interface !== 'admin') }));
    const { driver } = await pollOnce(keystonev3Driver);
    expect(tablesOf(driver).roles).toEqual(congress(EXPECTED.keystonev3.roles));
    await driver.stop();
  });
});

describe('aodh', () => {
  const USER = 'c96c887c216949acbdfbd8b494863567';
  const PROJECT = '8538a3f13f9541b28c2620eb19065e45';

  it('reads the alarms from the catalog\'s alarming endpoint into the original\'s fifteen columns', async () => {
    const { driver } = await pollOnce(aodhDriver);
    expect(cloud.requestsTo('GET', '/alarming/v2/alarms')).toHaveLength(1);
    expect(aodhDriver.schema().map((t) => [t.name, t.columns.length])).toEqual([['alarms', 15]]);
    expect(tablesOf(driver).alarms).toEqual(
      congress([
        [
          'd4e5b7a1-2c2e-4c5b-9d0f-1f3b6a9c0e11',
          'cpu_high',
          'alarm',
          true,
          'threshold',
          'CPU above 90%',
          "[{'name': 'office', 'start': '0 9 * * 1-5', 'duration': 36000, 'timezone': 'Europe/Paris', 'description': 'weekdays'}]",
          USER,
          PROJECT,
          "['http://127.0.0.1:8000/alarm']",
          '[]',
          '[]',
          false,
          '2026-11-20T10:00:00.000000',
          '2026-11-21T08:30:00.000000',
        ],
        [
          '7b2f0c3e-8f4d-4e7a-b1c2-5d6e7f8a9b01',
          'disk_full',
          'insufficient data',
          false,
          'event',
          '',
          '[]',
          USER,
          PROJECT,
          '[]',
          "['http://127.0.0.1:8000/ok']",
          '[]',
          false,
          '2026-11-20T10:00:00.000000',
          '2026-11-20T10:00:00.000000',
        ],
      ]),
    );
    expect(driver.status([]).last_error).toBe('None');
    await driver.stop();
  });

  it('reports an answer that is not a list and keeps the last good rows', async () => {
    const { driver } = await pollOnce(aodhDriver);
    cloud.addFault({ service: 'aodh', path: '/v2/alarms', malformed: 'wrong-key' });
    cloud.aodh.alarms = [];
    await driver.refreshAndWait();
    expect(driver.status([]).last_error).not.toBe('None');
    expect(tablesOf(driver).alarms).toHaveLength(2);
    await driver.stop();
  });

  it('deletes an alarm and sets its state', async () => {
    const { driver } = await startDriver(aodhDriver, cloud.config());
    const pos = (...positional: unknown[]) => ({ positional, named: {} });
    await driver.execute('alarm.set_state', pos('7b2f0c3e-8f4d-4e7a-b1c2-5d6e7f8a9b01', 'ok'));
    expect(cloud.aodh.alarms.find((a) => a.name === 'disk_full')?.state).toBe('ok');
    await expect(driver.execute('alarm.set_state', pos('7b2f0c3e-8f4d-4e7a-b1c2-5d6e7f8a9b01', 'sideways'))).rejects.toThrow(/400/);
    await driver.execute('alarm.delete', pos('d4e5b7a1-2c2e-4c5b-9d0f-1f3b6a9c0e11'));
    expect(cloud.aodh.alarms.map((a) => a.name)).toEqual(['disk_full']);
    await expect(driver.execute('alarm.delete', pos('nosuch'))).rejects.toThrow(/404/);
    await driver.stop();
  });
});

describe('swift', () => {
  it('reads containers and their objects from the account URL of the catalog', async () => {
    const { driver } = await pollOnce(swiftDriver);
    expect(swiftDriver.schema().map((t) => [t.name, t.columns.map((c) => c.name)])).toEqual([
      ['containers', ['count', 'bytes', 'name']],
      ['objects', ['bytes', 'last_modified', 'hash', 'name', 'content_type', 'container_name']],
    ]);
    const tables = tablesOf(driver);
    expect(tables.containers).toEqual(congress([[2, 2098576, 'backups'], [0, 0, 'empty'], [1, 512, 'www']]));
    expect(tables.objects).toEqual(
      congress([
        [1048576, '2026-11-20T02:00:00.000000', '9e107d9d372bb6826bd81d3542a419d6', 'db/2026-11-20.sql.gz', 'application/gzip', 'backups'],
        [1050000, '2026-11-21T02:00:00.000000', 'e4d909c290d0fb1ca068ffaddf22cbd0', 'db/2026-11-21.sql.gz', 'application/gzip', 'backups'],
        [512, '2026-11-19T12:00:00.000000', 'd41d8cd98f00b204e9800998ecf8427e', 'index.html', 'text/html', 'www'],
      ]),
    );
    const [list] = cloud.requestsTo('GET', '/object-store/v1/AUTH_8538a3f13f9541b28c2620eb19065e45');
    expect(list.query).toEqual({ format: 'json', limit: '10000' });
    expect(driver.status([]).last_error).toBe('None');
    await driver.stop();
  });

  it('pages through a listing longer than 10,000 entries with the last name as marker', async () => {
    const many = Array.from({ length: 10_001 }, (_, i) => ({ name: `o${String(i).padStart(5, '0')}`, bytes: 1, hash: 'h', last_modified: 't', content_type: 'text/plain' }));
    cloud.swift.containers = new Map([['big', many]]);
    const { driver } = await pollOnce(swiftDriver);
    expect(tablesOf(driver).objects).toHaveLength(10_001);
    const pages = cloud.requestsTo('GET', '/object-store/v1/AUTH_8538a3f13f9541b28c2620eb19065e45/big').map((r) => r.query.marker ?? null);
    expect(pages).toEqual([null, 'o09999']);
    await driver.stop();
  });

  it('deletes an object, then the emptied container; a container with objects is refused', async () => {
    const { driver } = await startDriver(swiftDriver, cloud.config());
    const pos = (...positional: unknown[]) => ({ positional, named: {} });
    await expect(driver.execute('delete', pos('www'))).rejects.toThrow(/409/);
    await driver.execute('delete', pos('www', 'index.html'));
    await driver.execute('delete', pos('www'));
    expect([...cloud.swift.containers.keys()]).toEqual(['backups', 'empty']);
    await driver.stop();
  });
});

describe('heat', () => {
  const STACK = '3095aefc-09fb-4bc7-b1f0-f21a304e864c';
  const SERVER = '9168b536-cd40-4630-b43f-b259807c6e87';

  it('reads stacks, deployments and each stack\'s resources and events, with their links', async () => {
    const { driver } = await pollOnce(heatDriver);
    const t = tablesOf(driver);
    expect(t.stacks).toEqual(
      congress([[STACK, 'web', 'web tier', '2026-11-20T10:00:00Z', null, 'CREATE_COMPLETE', 'Stack CREATE completed successfully', 'admin', null]]),
    );
    const base = `${cloud.origin}/heat-api/v1/8538a3f13f9541b28c2620eb19065e45`;
    expect(t.stacks_links).toEqual(congress([[STACK, `${base}/stacks/web/${STACK}`, 'self']]));
    expect(t.resources).toEqual(
      congress([[SERVER, 'web_server', STACK, 'web_server', 'OS::Nova::Server', '2026-11-20T10:00:01Z', '2026-11-20T10:00:05Z', 'CREATE_COMPLETE', 'state changed']]),
    );
    expect(t.resources_links).toEqual(congress([[SERVER, `${base}/stacks/web/${STACK}/resources/web_server`, 'self']]));
    expect(t.events.map((r) => [r[0], r[3], r[5]])).toEqual([['474bfdf0-a450-46ec-a78a-0c7faa404073', STACK, '2026-11-20T10:00:05Z']]);
    expect(t.events_links).toHaveLength(1);
    expect(t.deployments).toEqual(
      congress([['COMPLETE', SERVER, '8da95794-2ad9-4979-8ae5-739ce314c5cd', 'CREATE', 'Outputs received', 'ef422fa5-719a-419e-a10c-72e3a367b0b8']]),
    );
    expect(t.deployment_output_values).toEqual(congress([['ef422fa5-719a-419e-a10c-72e3a367b0b8', 'done', '', 0, 'ok']]));
    expect(driver.status([]).last_error).toBe('None');
    await driver.stop();
  });

  it('lists its tables as the original does', () => {
    expect(heatDriver.schema().map((t) => [t.name, t.columns.map((c) => c.name)])).toEqual([
      ['stacks_links', ['parent_key', 'href', 'rel']],
      ['stacks', ['id', 'stack_name', 'description', 'creation_time', 'updated_time', 'stack_status', 'stack_status_reason', 'stack_owner', 'parent']],
      ['deployment_output_values', ['parent_key', 'deploy_stdout', 'deploy_stderr', 'deploy_status_code', 'result']],
      ['deployments', ['status', 'server_id', 'config_id', 'action', 'status_reason', 'id']],
      ['resources_links', ['parent_key', 'href', 'rel']],
      [
        'resources',
        ['physical_resource_id', 'logical_resource_id', 'stack_id', 'resource_name', 'resource_type', 'creation_time', 'updated_time', 'resource_status', 'resource_status_reason'],
      ],
      ['events_links', ['parent_key', 'href', 'rel']],
      ['events', ['id', 'physical_resource_id', 'logical_resource_id', 'stack_id', 'resource_name', 'event_time', 'resource_status', 'resource_status_reason']],
    ]);
  });

  it('deletes a stack', async () => {
    const { driver } = await startDriver(heatDriver, cloud.config());
    await driver.execute('stacks.delete', { positional: [STACK], named: {} });
    expect(cloud.heat.stacks).toEqual([]);
    await expect(driver.execute('stacks.delete', { positional: [STACK], named: {} })).rejects.toThrow(/404/);
    await driver.stop();
  });
});

describe('monasca', () => {
  it('reads metrics with their dimensions and the last day\'s averages of every metric name', async () => {
    const { driver } = await pollOnce(monascaDriver);
    const t = tablesOf(driver);
    expect(t.metrics.map((r) => [r[0], r[1]])).toEqual([
      ['0', 'cpu.idle_perc'],
      ['1', 'cpu.idle_perc'],
      ['2', 'mem.free_mb'],
    ]);
    // Each metric's dimensions column holds the id of its rows in `dimensions`.
    const dims = new Map(t.metrics.map((r) => [r[0], r[2]]));
    expect(t.dimensions.filter((r) => r[0] === dims.get('2')).map((r) => [r[1], r[2]])).toEqual([['hostname', 'compute1']]);
    expect(t.dimensions).toHaveLength(5);
    expect(t.statistics).toHaveLength(2);
    expect(t['statistics.data'].map((r) => r[1]).sort()).toEqual(["['2026-11-23T01:00:00Z', 2048]", "['2026-11-23T01:00:00Z', 97.5]", "['2026-11-23T02:00:00Z', 95.25]"]);
    const asked = cloud.requestsTo('GET', '/monitoring/v2.0/metrics/statistics').map((r) => r.query);
    expect(asked.map((q) => [q.name, q.statistics, q.period, q.merge_metrics])).toEqual([
      ['cpu.idle_perc', 'avg', '3600', 'true'],
      ['mem.free_mb', 'avg', '3600', 'true'],
    ]);
    expect(driver.status([]).last_error).toBe('None');
    await driver.stop();
  });

  it('reads the API under a catalog URL with or without its version, as monascaclient did', async () => {
    for (const catalogPath of ['/monitoring/v2.0', '/monitoring']) {
      cloud.keystone.monitoringPath = catalogPath;
      const { driver } = await pollOnce(monascaDriver);
      expect([catalogPath, tablesOf(driver).metrics.length, driver.status([]).last_error]).toEqual([catalogPath, 3, 'None']);
      await driver.stop();
    }
    // Never the version twice.
    expect(cloud.requestsTo('GET', '/monitoring/v2.0/v2.0/metrics')).toEqual([]);
  });

  it('lists its tables as the original does', () => {
    expect(monascaDriver.schema().map((t) => [t.name, t.columns.map((c) => c.name)])).toEqual([
      ['dimensions', ['id', 'key', 'value']],
      ['metrics', ['id', 'name', 'dimensions']],
      ['statistics.data', ['name', 'value_col']],
      ['statistics', ['name', 'statistics']],
    ]);
  });
});

describe('driver info', () => {
  const registry = new DriverRegistry();

  it('lists the drivers sorted by id', () => {
    expect(registry.list().map((d) => d.id)).toEqual([
      'aodh', 'cinder', 'cloudfoundryv2', 'doctor', 'glancev2', 'heat', 'ironic', 'json_rest', 'keystone', 'keystonev3', 'mistral', 'monasca', 'monasca_webhook', 'murano', 'neutronv2', 'neutronv2_qos', 'nova', 'push', 'swift', 'tacker', 'vcenter', 'vitrage',
    ]);
  });

  it('describes nova as the original: config markers, secret, tables with descriptions', () => {
    const info = registry.info('nova');
    expect(info?.config).toEqual(openstackConfigMarkers({ apiVersion: true }));
    expect(Object.keys(info?.config ?? {})).toEqual(['auth_url', 'endpoint', 'region', 'username', 'password', 'user_domain_name', 'project_domain_name', 'tenant_name', 'project_name', 'poll_time', 'api_version', 'lazy_tables']);
    expect(info?.secret).toEqual(['password']);
    expect(info?.config_schema.request_timeout).toEqual({ required: false, secret: false, type: 'number', default: 30, description: 'seconds before an upstream request is abandoned' });
    expect(info?.tables[0]).toEqual({
      table_id: 'servers.addresses',
      columns: [
        { name: 'server_id', description: 'UUID of server' },
        { name: 'network_name', description: 'Name of attached network to server' },
        { name: 'address', description: 'IP address of the server' },
        { name: 'version', description: 'Internet Protocol Version of network' },
        { name: 'mac_address', description: 'MAC address associated to the IP of the server' },
        { name: 'address_type', description: 'IP address type' },
      ],
    });
    expect(info?.tables[2].columns.map((c) => c.name)).toEqual(['id', 'name', 'host_id', 'status', 'tenant_id', 'user_id', 'image_id', 'flavor_id', 'zone', 'host_name', 'created_at']);
  });

  it.each([
    ['aodh', 'Datasource driver that interfaces with aodh.', ['alarms']],
    ['swift', 'Datasource driver that interfaces with swift.', ['containers', 'objects']],
    ['monasca', 'Datasource driver that interfaces with monasca.', ['dimensions', 'metrics', 'statistics.data', 'statistics']],
    [
      'heat',
      'Datasource driver that interfaces with OpenStack orchestration aka heat.',
      ['stacks_links', 'stacks', 'deployment_output_values', 'deployments', 'resources_links', 'resources', 'events_links', 'events'],
    ],
  ])('describes %s as the original: the common OpenStack options, the password secret', (id, description, tables) => {
    const info = registry.info(id);
    expect(info?.description).toBe(description);
    expect(Object.keys(info?.config ?? {})).toEqual(['auth_url', 'endpoint', 'region', 'username', 'password', 'user_domain_name', 'project_domain_name', 'tenant_name', 'project_name', 'poll_time', 'lazy_tables']);
    expect(info?.secret).toEqual(['password']);
    expect(info?.tables.map((t) => t.table_id)).toEqual(tables);
  });

  it('describes doctor completely, without a secret key', () => {
    const info = registry.info('doctor');
    expect(info).toEqual({
      id: 'doctor',
      description: 'Datasource driver that allows external systems to push data in accordance with OPNFV Doctor Inspector southbound interface specification.',
      config: { persist_data: '(optional)' },
      config_schema: { persist_data: { required: false, secret: false, type: 'boolean', default: true } },
      tables: [
        {
          table_id: 'events',
          columns: ['time', 'type', 'hostname', 'status', 'monitor', 'monitor_event_id'].map((name) => ({ name, description: null })),
        },
      ],
    });
  });

  it('knows nothing of unknown or disabled drivers', () => {
    expect(registry.info('nosuch')).toBeNull();
    expect(new DriverRegistry(undefined, ['nova']).info('nova')).toBeNull();
  });

  it('keeps the typed columns of the schema (neutron subnets)', () => {
    const subnets = neutronv2Driver.schema().find((t) => t.name === 'subnets');
    expect(subnets?.columns.map((c) => c.type)).toEqual(['Str', 'Str', 'Str', 'Str', 'IPv4IPv6', 'IPNetwork', 'IPAddress', 'Bool', 'Str', 'Str']);
    const fixed = neutronv2Driver.schema().find((t) => t.name === 'fixed_ips');
    expect(fixed?.columns[0]).toEqual({ name: 'port_id', desc: 'UUID of Port', type: 'Str' });
  });
});

describe('disabled_drivers', () => {
  it('leaves a driver out of lookups, the listing and the info, but keeps its secrets known for masking', () => {
    const registry = new DriverRegistry(BUILTIN_DRIVERS, ['nova', 'no-such-driver']);
    expect(registry.get('nova')).toBeUndefined();
    expect(registry.info('nova')).toBeNull();
    expect(registry.list().map((d) => d.id)).not.toContain('nova');
    expect(registry.list()).toHaveLength(BUILTIN_DRIVERS.length - 1);
    expect(registry.get('neutronv2')).toBeDefined();
    expect(registry.secrets('nova')).toEqual(new DriverRegistry().secrets('nova'));
    expect(registry.secrets('nova')).toContain('password');
  });
});

// The `murano` driver against the fake Murano serving the original's unit-test sample data: the
// original test's expected rows, complete tables, package paging, the driver info, deltas, the
// object action, and upstream failures.
import { FakeCloud } from '../../fixtures/openstack';
import { MURANO_EXPECTED } from '../../fixtures/openstack/murano-data';
import { DriverRegistry, type Driver } from '../../../src/services/datasources';
import { muranoDriver } from '../../../src/services/datasources/drivers/murano';
import { congress, openstackConfigMarkers, startDriver, startPolled, tablesOf } from './support';

const ENV = 'ad9762b2d82f44ca8b8a6ce4a19dd1cc';
const TENANT = '610c6afc1fc54d23a58d316bf76e5f42';
const MYSQL = '769af50c-9629-4694-b623-e9b392941279';
const MYSQL_VM = '76b9ca88-c668-4e37-a830-5845adc10b0e';
const NETWORK = 'a2be8265b01743c0bdf645772d632bf0';

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

async function polled(): Promise<Driver> {
  driver = (await startPolled(muranoDriver, cloud.config())).driver;
  return driver;
}

/** The original test's expected rows of these lists, as published rows. */
const expected = (...lists: string[]) => congress(lists.flatMap((l) => MURANO_EXPECTED[l]));

describe('polling', () => {
  it("holds every row the original's unit test expects", async () => {
    const d = await polled();
    expect(d.status([]).last_error).toBe('None');
    const tables = tablesOf(d);
    const contains = (table: string, lists: string[]) => {
      for (const row of expected(...lists)) expect(tables[table]).toContainEqual(row);
    };
    contains('states', ['expected_states']);
    contains('parent_types', ['expected_environment_parent_types', 'expected_service_parent_types', 'expected_deployment_parent_types']);
    contains('properties', ['expected_env_properties', 'expected_service_properties', 'expected_package_properties', 'expected_deployment_properties']);
    contains('objects', ['expected_service_objects', 'expected_package_objects', 'expected_deployment_objects']);
    contains('relationships', ['expected_service_relationships']);
    contains('connected', ['expected_connected']);
  });

  it('produces exactly these objects, states, relationships and closure', async () => {
    const tables = tablesOf(await polled());
    // The original test's lists plus the environment itself (its own test checked that apart).
    expect(tables.objects).toEqual(congress([...MURANO_EXPECTED.expected_service_objects, ...MURANO_EXPECTED.expected_package_objects, ...MURANO_EXPECTED.expected_deployment_objects, [ENV, TENANT, 'io.murano.Environment']]));
    expect(tables.states).toEqual(expected('expected_states'));
    // The deployment's default network relates to the environment too, and so joins the closure.
    expect(tables.relationships).toEqual(congress([...MURANO_EXPECTED.expected_service_relationships, [ENV, NETWORK, 'defaultNetworks']]));
    expect(tables.connected).toEqual(congress([...MURANO_EXPECTED.expected_connected, [ENV, NETWORK]]));
    // Applications get Object and Application above their class; a library package's class is no application.
    expect(tables.parent_types.filter((r) => r[0] === MYSQL)).toEqual(congress([[MYSQL, 'io.murano.Object'], [MYSQL, 'io.murano.Application'], [MYSQL, 'io.murano.databases.MySql']]));
    expect(tables.parent_types.filter((r) => r[0] === MYSQL_VM)).toHaveLength(4);
    // Properties: None, '' and empty lists are left out; nested keys are dotted.
    const vm = tables.properties.filter((r) => r[0] === MYSQL_VM).map((r) => r[1]);
    expect(vm).toContain('networks.useFlatNetwork');
    expect(vm).not.toContain('keyname');
    expect(vm).not.toContain('securityGroupName');
    expect(vm).not.toContain('sharedIps');
    expect(tables.properties.filter((r) => r[0] === NETWORK)).toEqual(expected('expected_deployment_properties'));
  });

  it('calls the application catalog as muranoclient did, following package pages', async () => {
    cloud.murano.pageSize = 4;
    const d = await polled();
    const calls = cloud.requests.filter((r) => r.service === 'murano').map((r) => `${r.method} ${r.path}${r.query.marker !== undefined ? `?marker=${r.query.marker}` : ''}`);
    expect(calls).toEqual([
      'GET /application-catalog/v1/catalog/packages',
      'GET /application-catalog/v1/catalog/packages?marker=9f7c9e2ed8f9462a8f9037032ab64755',
      'GET /application-catalog/v1/environments',
      `GET /application-catalog/v1/environments/${ENV}/services`,
      `GET /application-catalog/v1/environments/${ENV}/deployments`,
    ]);
    expect(tablesOf(d).objects.filter((r) => r[2] === 'io.murano.Application' || r[2] === 'Library')).toHaveLength(6);
  });

  it('publishes the difference when a service goes away, and keeps the tables when Murano fails', async () => {
    const started = await startDriver(muranoDriver, cloud.config());
    driver = started.driver;
    await driver.refreshAndWait();
    started.sink.take();
    cloud.murano.services.set(ENV, cloud.murano.services.get(ENV)!.filter((s) => (s['?'] as { id: string }).id !== MYSQL));
    await driver.refreshAndWait();
    const delta = started.sink.take();
    expect(delta.objects.del).toEqual(congress([[MYSQL, ENV, 'io.murano.databases.MySql'], [MYSQL_VM, MYSQL, 'io.murano.resources.LinuxMuranoInstance']]));
    expect(delta.objects.add).toEqual([]);
    const before = tablesOf(driver);
    cloud.addFault({ service: 'murano', path: '/environments', status: 500 });
    await driver.refreshAndWait();
    expect(driver.status([]).last_error).toMatch(/environments returned HTTP 500/);
    expect(tablesOf(driver)).toEqual(before);
  });
});

describe('schema and driver info', () => {
  // Recorded from the original (GET /v1/system/drivers/murano of Congress 85243abf run from Debian's Python).
  it('answers GET /v1/system/drivers/murano as the original', () => {
    const info = new DriverRegistry([muranoDriver]).info('murano');
    const config: Record<string, string> = openstackConfigMarkers();
    delete config.lazy_tables;
    expect({ id: info?.id, description: info?.description, config: info?.config, secret: info?.secret, tables: info?.tables }).toEqual({
      id: 'murano',
      description: 'Datasource driver that interfaces with murano',
      config,
      secret: ['password'],
      tables: [
        ['objects', ['object_id', 'owner_id', 'type']],
        ['parent_types', ['id', 'parent_type']],
        ['properties', ['owner_id', 'name', 'value']],
        ['relationships', ['source_id', 'target_id', 'name']],
        ['connected', ['source_id', 'target_id']],
        ['states', ['id', 'state']],
      ].map(([table_id, columns]) => ({ table_id, columns: (columns as string[]).map((name) => ({ name, description: 'None' })) })),
    });
  });
});

describe('actions', () => {
  const ACTION_ID = '74f5b2d2-1f8d-4b1a-8238-4155ce2cadb2_restartVM';

  it("runs an enabled action of an object by its name, under any action name, as the original's test", async () => {
    const d = await polled();
    expect(d.actions().map((a) => [a.name, a.args.map((x) => x.name)])).toEqual([['object_action', ['environment_id', 'object_id', 'action_name']]]);
    await expect(d.execute('muranoaction', { positional: [ENV, MYSQL, 'restartVM'], named: {} })).resolves.toEqual({ task_id: 'task-1' });
    expect(cloud.murano.actionCalls).toEqual([{ env: ENV, action: ACTION_ID }]);
    expect(cloud.requestsTo('POST', `/environments/${ENV}/actions/`)[0].body).toEqual({});
  });

  it('refuses an action the object does not have, naming it, and calls nothing', async () => {
    const d = await polled();
    await expect(d.execute('object_action', { positional: [ENV, MYSQL, 'scaleOut'], named: {} })).rejects.toThrow(`no enabled action scaleOut of object ${MYSQL} in environment ${ENV}`);
    await expect(d.execute('object_action', { positional: [ENV], named: {} })).rejects.toThrow('missing argument object_id');
    expect(cloud.murano.actionCalls).toEqual([]);
  });
});

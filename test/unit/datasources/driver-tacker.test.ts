// The tacker driver against the fake Tacker: the original's tables and rows (expected rows were
// checked by running the original translator on the same objects), its driver info (recorded from
// the original's `get_datasource_info`/`get_schema`), the requests tackerclient sends, deltas
// between polls, the action catalogue, and upstream failures.
import { FakeCloud } from '../../fixtures/openstack';
import { TACKER_IDS as ID } from '../../fixtures/openstack/tacker';
import { DriverRegistry } from '../../../src/services/datasources';
import { TACKER_ACTIONS, TACKER_TRANSLATORS, tackerDriver } from '../../../src/services/datasources/drivers/tacker';
import { RootTranslator } from '../../../src/services/datasources/translation/translate';
import { congress, startDriver, tablesOf, openstackConfigMarkers, startPolled } from './support';

let cloud: FakeCloud;
beforeEach(async () => {
  cloud = await FakeCloud.start();
});
afterEach(async () => {
  await cloud.close();
});

const pollOnce = (extra: Record<string, unknown> = {}): ReturnType<typeof startPolled> => startPolled(tackerDriver, cloud.config(extra));

const TENANT = ID.tenant;
const VIM = ID.vim;

/** Rows the original gives for the fake's objects (after tackerclient's clipping). */
const EXPECTED = {
  vnfds: [
    [ID.vnfdHello, 'vnfd-hello', 'Demo example', 'onboarded', 'a9d8315792db4007b4ef2495ad88757a', '2018-09-11 06:12:03', null],
    [ID.vnfdFirewall, 'vnfd-firewall', 'Stateful firewall with a ...', 'inline', TENANT, '2018-10-02 11:40:19', '2018-10-03 08:00:00'],
  ],
  vnfs: [
    [ID.vnfScale, 'sampleScalevnf123', 'ACTIVE', 'sample-tosca-vnfd-scaling', ID.vnfdHello, VIM, TENANT, '0be0b3b3-2da4-4e27-99a0-3bbf89fb1e4c', '2018-10-12 05:47:03', null, null],
    [
      ID.vnfBroken,
      'vnf-broken',
      'ERROR',
      'hello VNF whose stack failed',
      ID.vnfdHello,
      VIM,
      TENANT,
      null,
      '2018-10-12 06:02:44',
      '2018-10-12 06:03:10',
      'Resource CREATE failed: ResourceInError: resources.VDU1: Went to status ERROR due to "Message: No va...',
    ],
    [ID.vnfFirewall, 'firewall-1', 'ACTIVE', 'edge firewall', ID.vnfdFirewall, VIM, TENANT, '5b9e7c1d-33f0-4a26-8e4b-9d1c0f2a7b64', '2018-10-13 09:15:00', '2018-10-13 09:20:31', null],
  ],
  'vnfs.instances': [
    [ID.vnfScale, 'VDU1', '192.168.120.22'],
    [ID.vnfScale, 'VDU2', '192.168.120.1'],
    [ID.vnfFirewall, 'VDU1', "['10.10.0.5', '192.168.120.30']"],
  ],
} as const;

/** `GET /v1/system/drivers/tacker` as the original answers it (printed by its driver_model code). */
const ORIGINAL_DRIVER_INFO = {
  id: 'tacker',
  description: 'Datasource driver that interfaces with OpenStack tacker.',
  config: openstackConfigMarkers({ apiVersion: true }),
  secret: ['password'],
  tables: [
    {
      table_id: 'vnfds',
      columns: ['id', 'name', 'description', 'template_source', 'tenant_id', 'created_at', 'updated_at'].map((name) => ({ name, description: null })),
    },
    {
      table_id: 'vnfs.instances',
      columns: [
        { name: 'vnf_id', description: 'None' },
        { name: 'key', description: 'None' },
        { name: 'value', description: 'None' },
      ],
    },
    {
      table_id: 'vnfs',
      columns: ['id', 'name', 'status', 'description', 'vnfd_id', 'vim_id', 'tenant_id', 'instance_id', 'created_at', 'updated_at', 'error_reason'].map((name) => ({
        name,
        description: null,
      })),
    },
  ],
};

describe('tacker polling', () => {
  it('gives exactly the original rows in every table, from the paths tackerclient requests', async () => {
    const { driver } = await pollOnce({ api_version: '1' });
    expect(tablesOf(driver)).toEqual({
      vnfds: congress(EXPECTED.vnfds),
      'vnfs.instances': congress(EXPECTED['vnfs.instances']),
      vnfs: congress(EXPECTED.vnfs),
    });
    const calls = cloud.requests.filter((r) => r.service === 'tacker');
    expect(calls.map((r) => [r.method, r.path, r.query])).toEqual([
      ['GET', '/nfv/v1.0/vnfds.json', {}],
      ['GET', '/nfv/v1.0/vnfs.json', {}],
    ]);
    expect(calls.every((r) => typeof r.headers['x-auth-token'] === 'string')).toBe(true);
    expect(driver.status([]).last_error).toBe('None');
    await driver.stop();
  });

  it('follows the next links of a paginated listing on the same path', async () => {
    cloud.tacker.pageSize = 2;
    const { driver } = await pollOnce();
    expect(tablesOf(driver).vnfs).toEqual(congress(EXPECTED.vnfs));
    expect(tablesOf(driver).vnfds).toEqual(congress(EXPECTED.vnfds));
    expect(cloud.requestsTo('GET', '/nfv/v1.0/vnfs').map((r) => [r.path, r.query])).toEqual([
      ['/nfv/v1.0/vnfs.json', {}],
      ['/nfv/v1.0/vnfs.json', { limit: '2', marker: ID.vnfBroken }],
    ]);
    await driver.stop();
  });

  it('publishes only what changed between two polls', async () => {
    const { driver, sink } = await pollOnce();
    sink.take();
    cloud.tacker.vnfs.remove(ID.vnfBroken);
    cloud.tacker.vnfs.update(ID.vnfFirewall, { mgmt_url: '{"VDU1": "10.10.0.5"}', updated_at: '2018-10-14 07:00:00' });
    cloud.tacker.vnfds.update(ID.vnfdHello, { description: 'Demo example, second edition' });
    await driver.refreshAndWait();
    const firewall = EXPECTED.vnfs[2];
    expect(sink.take()).toEqual({
      vnfds: {
        add: congress([[ID.vnfdHello, 'vnfd-hello', 'Demo example, second edit...', 'onboarded', 'a9d8315792db4007b4ef2495ad88757a', '2018-09-11 06:12:03', null]]),
        del: congress([EXPECTED.vnfds[0]]),
      },
      vnfs: {
        add: congress([[...firewall.slice(0, 9), '2018-10-14 07:00:00', null]]),
        del: congress([EXPECTED.vnfs[1], firewall]),
      },
      'vnfs.instances': {
        add: congress([[ID.vnfFirewall, 'VDU1', '10.10.0.5']]),
        del: congress([[ID.vnfFirewall, 'VDU1', "['10.10.0.5', '192.168.120.30']"]]),
      },
    });
    // Nothing changed: nothing is published.
    await driver.refreshAndWait();
    expect(sink.take()).toEqual({});
    await driver.stop();
  });

  it('keeps the last good rows of a failing root, refreshes the others, and reports the error', async () => {
    const { driver } = await pollOnce();
    const remove = cloud.addFault({ service: 'tacker', path: '/nfv/v1.0/vnfs', status: 500 });
    cloud.tacker.vnfs.remove(ID.vnfScale);
    cloud.tacker.vnfds.remove(ID.vnfdFirewall);
    await driver.refreshAndWait();
    const t = tablesOf(driver);
    expect(t.vnfs).toEqual(congress(EXPECTED.vnfs));
    expect(t['vnfs.instances']).toEqual(congress(EXPECTED['vnfs.instances']));
    expect(t.vnfds).toEqual(congress([EXPECTED.vnfds[0]]));
    expect(driver.status([]).last_error).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/nfv\/v1\.0\/vnfs\.json returned HTTP 500/);
    remove();
    await driver.refreshAndWait();
    expect(tablesOf(driver).vnfs.map((r) => r[0])).toEqual([ID.vnfBroken, ID.vnfFirewall]);
    expect(tablesOf(driver)['vnfs.instances']).toEqual(congress([EXPECTED['vnfs.instances'][2]]));
    expect(driver.status([]).last_error).toBe('None');
    await driver.stop();
  });

  it('skips a VNF whose mgmt_url is not JSON, keeping the others', async () => {
    cloud.tacker.vnfs.update(ID.vnfScale, { mgmt_url: 'VDU1=192.168.120.22' });
    const { driver } = await pollOnce();
    expect(tablesOf(driver).vnfs.map((r) => r[0])).toEqual([ID.vnfBroken, ID.vnfFirewall]);
    expect(tablesOf(driver)['vnfs.instances']).toEqual(congress([EXPECTED['vnfs.instances'][2]]));
    expect(driver.status([]).skipped_objects).toBe(1);
    await driver.stop();
  });

  it('translates the original unit test\'s sample into the original\'s expected state', () => {
    // Objects and expected rows of congress/tests/datasources/test_tacker_driver.py (templates cut).
    const vnfs = new RootTranslator(TACKER_TRANSLATORS[1]).convert(
      [
        {
          status: 'ACTIVE',
          description: 'sample-tosca-vnfd-scaling',
          vnfd_id: 'b9a9f468-7966-422f-a6ff-b1931eea6af5',
          tenant_id: '49577ebc4eaa4d30abc9ecfd9bf23757',
          created_at: '2018-10-12 05:47:03',
          updated_at: null,
          instance_id: '0be0b3b3-2da4-4e27-99a0-3bbf89fb1e4c',
          mgmt_url: '{"VDU1": "192.168.120.22", "VDU2": "192.168.120.1"}',
          vim_id: '856057ac-97d9-4eb7-881e-4530af24b187',
          placement_attr: { vim_name: 'hellovim' },
          error_reason: null,
          attributes: { heat_template: 'heat_template_version: 2013-05-23\n' },
          id: 'd40ebb81-4cd2-4854-8665-77114d7c25e5',
          name: 'sampleScalevnf123',
        },
      ],
      'strict',
    );
    expect(Object.fromEntries(vnfs.tables)).toEqual({
      vnfs: [
        [
          'd40ebb81-4cd2-4854-8665-77114d7c25e5',
          'sampleScalevnf123',
          'ACTIVE',
          'sample-tosca-vnfd-scaling',
          'b9a9f468-7966-422f-a6ff-b1931eea6af5',
          '856057ac-97d9-4eb7-881e-4530af24b187',
          '49577ebc4eaa4d30abc9ecfd9bf23757',
          '0be0b3b3-2da4-4e27-99a0-3bbf89fb1e4c',
          '2018-10-12 05:47:03',
          null,
          null,
        ],
      ],
      'vnfs.instances': [
        ['d40ebb81-4cd2-4854-8665-77114d7c25e5', 'VDU1', '192.168.120.22'],
        ['d40ebb81-4cd2-4854-8665-77114d7c25e5', 'VDU2', '192.168.120.1'],
      ],
    });
  });
});

describe('tacker schema and driver info', () => {
  it('lists the original tables and columns in the original order', () => {
    expect(tackerDriver.schema().map((t) => [t.name, t.columns.map((c) => c.name)])).toEqual([
      ['vnfds', ['id', 'name', 'description', 'template_source', 'tenant_id', 'created_at', 'updated_at']],
      ['vnfs.instances', ['vnf_id', 'key', 'value']],
      ['vnfs', ['id', 'name', 'status', 'description', 'vnfd_id', 'vim_id', 'tenant_id', 'instance_id', 'created_at', 'updated_at', 'error_reason']],
    ]);
  });

  it('answers the driver info the original answers', () => {
    const info = new DriverRegistry([tackerDriver]).info('tacker');
    if (info === null) throw new Error('tacker is not registered');
    const { config_schema: configSchema, ...rest } = info;
    expect(rest).toEqual(ORIGINAL_DRIVER_INFO);
    expect(Object.keys(info.config)).toEqual(Object.keys(ORIGINAL_DRIVER_INFO.config));
    // Additions: described, not listed. api_version has no default (it is never used).
    expect(configSchema.api_version).toEqual({ required: false, secret: false, type: 'string', description: 'accepted for compatibility; Tacker v1.0 is always used' });
    expect(configSchema.request_timeout?.default).toBe(30);
    expect(new DriverRegistry([tackerDriver]).list()).toEqual([{ id: 'tacker', description: 'Datasource driver that interfaces with OpenStack tacker.' }]);
  });
});

describe('tacker actions', () => {
  it('lists the catalogue sorted by name with its arguments', async () => {
    const { driver } = await startDriver(tackerDriver, cloud.config());
    expect(driver.actions().map((a) => [a.name, a.args.map((x) => x.name)])).toEqual([
      ['delete_vnf', ['vnf', 'body']],
      ['delete_vnfd', ['vnfd']],
      ['scale_vnf', ['vnf', 'body']],
    ]);
    expect(TACKER_ACTIONS).toHaveLength(3);
    await driver.stop();
  });

  it('delete_vnf: DELETE /v1.0/vnfs/<id>.json, the VNF goes PENDING_DELETE, then disappears', async () => {
    const { driver } = await startDriver(tackerDriver, cloud.config());
    await driver.execute('delete_vnf', { positional: [ID.vnfBroken], named: {} });
    const sent = cloud.requestsTo('DELETE', '/nfv/v1.0/vnfs/');
    expect(sent.map((r) => [r.path, r.body])).toEqual([[`/nfv/v1.0/vnfs/${ID.vnfBroken}.json`, undefined]]);
    expect(cloud.tacker.vnfs.get(ID.vnfBroken)?.status).toBe('PENDING_DELETE');
    await driver.refreshAndWait();
    expect(tablesOf(driver).vnfs.find((r) => r[0] === ID.vnfBroken)?.[2]).toBe('PENDING_DELETE');
    // Tacker refuses a second delete while the first is running.
    await expect(driver.execute('delete_vnf', { positional: [ID.vnfBroken], named: {} })).rejects.toThrow(/HTTP 409.*VNFInUse/);
    cloud.tacker.settle();
    expect(cloud.tacker.vnfs.get(ID.vnfBroken)).toBeUndefined();
    await expect(driver.execute('delete_vnf', { positional: [ID.vnfBroken], named: {} })).rejects.toThrow(/HTTP 404.*VNFNotFound/);
    await driver.stop();
  });

  it('delete_vnf: sends the optional force body, given as JSON text by a policy', async () => {
    const { driver } = await startDriver(tackerDriver, cloud.config());
    await driver.execute('delete_vnf', { positional: [ID.vnfFirewall, '{"vnf": {"attributes": {"force": true}}}'], named: {} });
    expect(cloud.requestsTo('DELETE', '/nfv/v1.0/vnfs/').map((r) => r.body)).toEqual([{ vnf: { attributes: { force: true } } }]);
    expect(cloud.tacker.vnfs.get(ID.vnfFirewall)?.status).toBe('PENDING_DELETE');
    await driver.stop();
  });

  it('scale_vnf: POST /v1.0/vnfs/<id>/actions.json; the scaled VNF shows its new address after Tacker finishes', async () => {
    const { driver, sink } = await pollOnce();
    sink.take();
    await driver.execute('scale_vnf', { positional: [ID.vnfScale, '{"scale": {"type": "out", "policy": "SP1"}}'], named: {} });
    expect(cloud.requestsTo('POST', '/nfv/v1.0/vnfs/').map((r) => [r.path, r.body])).toEqual([
      [`/nfv/v1.0/vnfs/${ID.vnfScale}/actions.json`, { scale: { type: 'out', policy: 'SP1' } }],
    ]);
    expect(cloud.tacker.vnfs.get(ID.vnfScale)?.status).toBe('PENDING_SCALE_OUT');
    // A scaling VNF is not ACTIVE: Tacker refuses another scaling.
    await expect(driver.execute('scale_vnf', { positional: [], named: { vnf: ID.vnfScale, body: { scale: { type: 'in', policy: 'SP1' } } } })).rejects.toThrow(/HTTP 409/);
    cloud.tacker.settle();
    await driver.refreshAndWait();
    expect(sink.take()['vnfs.instances']).toEqual({
      add: congress([[ID.vnfScale, 'VDU1', "['192.168.120.22', '192.168.120.40']"]]),
      del: congress([[ID.vnfScale, 'VDU1', '192.168.120.22']]),
    });
    expect(tablesOf(driver).vnfs.find((r) => r[0] === ID.vnfScale)?.[2]).toBe('ACTIVE');
    // Scaling in with the named form of the arguments gives the address back.
    await driver.execute('scale_vnf', { positional: [], named: { vnf: ID.vnfScale, body: { scale: { type: 'in', policy: 'SP1' } } } });
    cloud.tacker.settle();
    await driver.refreshAndWait();
    expect(tablesOf(driver)['vnfs.instances'].filter((r) => r[0] === ID.vnfScale)).toEqual(congress(EXPECTED['vnfs.instances'].slice(0, 2)));
    await driver.stop();
  });

  it('scale_vnf: an unknown policy is Tacker\'s 404', async () => {
    const { driver } = await startDriver(tackerDriver, cloud.config());
    await expect(driver.execute('scale_vnf', { positional: [ID.vnfScale, { scale: { type: 'out', policy: 'SP9' } }], named: {} })).rejects.toThrow(/HTTP 404.*VnfPolicyNotFound/);
    expect(cloud.tacker.vnfs.get(ID.vnfScale)?.status).toBe('ACTIVE');
    await driver.stop();
  });

  it('delete_vnfd: refused while a VNF uses the descriptor, done once none does', async () => {
    const { driver } = await startDriver(tackerDriver, cloud.config());
    await expect(driver.execute('delete_vnfd', { positional: [ID.vnfdFirewall], named: {} })).rejects.toThrow(/HTTP 409.*VNFDInUse/);
    expect(cloud.tacker.vnfds.get(ID.vnfdFirewall)).toBeDefined();
    await driver.execute('delete_vnf', { positional: [ID.vnfFirewall], named: {} });
    cloud.tacker.settle();
    await driver.execute('delete_vnfd', { positional: [ID.vnfdFirewall], named: {} });
    expect(cloud.requestsTo('DELETE', '/nfv/v1.0/vnfds/').map((r) => r.path)).toEqual([`/nfv/v1.0/vnfds/${ID.vnfdFirewall}.json`, `/nfv/v1.0/vnfds/${ID.vnfdFirewall}.json`]);
    expect(cloud.tacker.vnfds.get(ID.vnfdFirewall)).toBeUndefined();
    await driver.stop();
  });

  it.each([
    ['scale_vnf', [ID.vnfScale, '{"scale": {"type": "up", "policy": "SP1"}}'], /scale type must be "in" or "out", got "up"/],
    ['scale_vnf', [ID.vnfScale, 'scale out please'], /body must be a JSON object, got: scale out please/],
    ['scale_vnf', [ID.vnfScale, '["out"]'], /body must be a JSON object, got: \["out"\]/],
    ['scale_vnf', [ID.vnfScale, { scale: { type: 'out' } }], /scale policy must be the name of a scaling policy/],
    ['scale_vnf', [ID.vnfScale, { type: 'out', policy: 'SP1' }], /body must be \{"scale": \{"type"/],
    ['scale_vnf', [ID.vnfScale], /missing argument body/],
    ['delete_vnf', [], /missing argument vnf/],
    ['delete_vnfd', [], /missing argument vnfd/],
  ])('%s refuses bad arguments %j without calling Tacker', async (action, positional, message) => {
    const { driver } = await startDriver(tackerDriver, cloud.config());
    await expect(driver.execute(action, { positional, named: {} })).rejects.toThrow(message);
    expect(cloud.requests.filter((r) => r.service === 'tacker')).toEqual([]);
    expect(driver.actionHistory().map((h) => [h.action, h.ok])).toEqual([[action, false]]);
    await driver.stop();
  });

  it('refuses an action outside the catalogue', async () => {
    const { driver } = await startDriver(tackerDriver, cloud.config());
    await expect(driver.execute('create_vnf', { positional: [], named: {} })).rejects.toThrow(/create_vnf/);
    await driver.stop();
  });
});

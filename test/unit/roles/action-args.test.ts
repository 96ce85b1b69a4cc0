// Action arguments keep their Python types from the engine to the upstream request: an engine's
// request crosses the bus to a datasource service hosting a real neutronv2 driver, which sends
// its PUT to the fake cloud. The bus's plain JSON alone would send the FLOAT 1500.0 as 1500 and
// round an integer beyond 2^53.
import { DseNode, InProcessBroker } from '../../../src/bus';
import { Float } from '../../../src/datalog/value';
import { actionArgsFields } from '../../../src/services/common/action-args';
import { DatasourceService, silentLogger } from '../../../src/services/datasources';
import { neutronv2Driver } from '../../../src/services/datasources/drivers/neutronv2';
import { type ActionOutcome, BusActionSink } from '../../../src/services/engine/bus-actions';
import { FakeCloud } from '../../fixtures/openstack';
import { eventually } from '../bus/support/eventually';
import { FAST_HTTP } from '../datasources/support';

const timing = { heartbeatIntervalMs: 50, peerTimeoutMs: 200, discoveryMs: 20, callTimeoutMs: 2000 };
const PORT = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';

let cloud: FakeCloud;
let nodes: DseNode[];
let service: DatasourceService | undefined;

beforeEach(async () => {
  cloud = await FakeCloud.start();
  nodes = [];
});

afterEach(async () => {
  await service?.stop();
  for (const n of nodes) await n.stop();
  await cloud.close();
});

test('a FLOAT and a big integer reach the upstream body as the original sends them', async () => {
  const broker = new InProcessBroker();
  const ds = new DseNode({ nodeId: 'ds', busId: 'b', transport: broker.transport(), ...timing });
  const pe = new DseNode({ nodeId: 'pe', busId: 'b', transport: broker.transport(), ...timing });
  for (const n of [ds, pe]) {
    await n.start();
    nodes.push(n);
  }
  const driver = neutronv2Driver.create({ name: 'neutronv2', id: '00000000-0000-4000-8000-000000000002', config: cloud.config(), logger: silentLogger, http: FAST_HTTP });
  await driver.init();
  service = await DatasourceService.start(ds, 'neutronv2', '00000000-0000-4000-8000-000000000002', driver, silentLogger);
  await eventually(() => expect(pe.serviceHosts().neutronv2).toEqual(['ds']));

  const outcomes: ActionOutcome[] = [];
  const sink = new BusActionSink(pe, { timeoutMs: 2000, onOutcome: (o) => outcomes.push(o) });
  sink.request({
    service: 'neutronv2',
    action: 'update_resource_attrs',
    positional: ['port', PORT, 'mtu', new Float(1500), 'tag', 12345678901234567890n, 'weight', 2.5],
    named: {},
    explicit: true,
  });
  await eventually(() => expect(cloud.requestsTo('PUT', `/v2.0/ports/${PORT}`)).toHaveLength(1));
  expect(cloud.requestsTo('PUT', `/v2.0/ports/${PORT}`)[0]?.text).toBe('{"port":{"mtu":1500.0,"tag":12345678901234567890,"weight":2.5}}');
  await eventually(() => expect(outcomes).toMatchObject([{ outcome: 'accepted' }]));
});

test('the plain form, for older datasource nodes, holds numbers at any depth (never a boxed float)', () => {
  const fields = actionArgsFields([[new Float(1), 2n], 'x'], { body: { ratio: new Float(2.5) } });
  expect(fields.action_args).toEqual({ positional: [[1, 2], 'x'], named: { body: { ratio: 2.5 } } });
  expect(fields.action_args_json).toBe('{"positional": [[1.0, 2], "x"], "named": {"body": {"ratio": 2.5}}}');
});

// ha.md §2.7 regressions at the engine level on real RabbitMQ: the engine's policies (not just a
// replica table) recover from a lost delta, from the datasource leaving and coming back with
// other rows, and fill a table subscribed to while its publisher was absent.
import { randomUUID } from 'node:crypto';
import { createTransport, DseNode, type LocalService, type Row } from '../../../src/bus';
import { dataQueue, exchanges, tableKey } from '../../../src/bus/amqp/topology';
import { Runtime } from '../../../src/datalog/runtime/runtime';
import type { DatasourceRecord } from '../../../src/db';
import { DatasourceLink } from '../../../src/services/engine/datasource-link';
import { deleteBusExchanges, ensureRabbitMq, RABBIT_URL, removeBindings } from '../../support/rabbitmq';
import { eventually } from '../../unit/bus/support/eventually';

jest.setTimeout(60_000);

const timing = { heartbeatIntervalMs: 100, peerTimeoutMs: 600, discoveryMs: 150, callTimeoutMs: 5000, snapshotTimeoutMs: 2000, resyncMaxDelayMs: 300 };
const SCHEMA = { tables: [{ table_id: 'servers', columns: [{ name: 'id', description: null }, { name: 'host', description: null }] }] };

let busId: string;
const nodes: DseNode[] = [];
const links: DatasourceLink[] = [];

async function node(nodeId: string): Promise<DseNode> {
  const n = new DseNode({ nodeId, busId, transport: createTransport(RABBIT_URL, { reconnect: { initialMs: 50, maxMs: 500 }, openTimeoutMs: 10_000 }), ...timing });
  nodes.push(n);
  await n.start();
  return n;
}

/** A datasource node hosting `nova` with the schema method, as the datasource manager would. */
async function novaNode(nodeId: string): Promise<{ node: DseNode; nova: LocalService }> {
  const n = await node(nodeId);
  const nova = await n.register({ id: 'nova', methods: { get_datasource_schema: () => SCHEMA } });
  return { node: n, nova };
}

/** A policy engine following `nova`, with `alpha: p(x, h) :- nova:servers(x, h)`. */
async function engine(nodeId: string): Promise<{ node: DseNode; runtime: Runtime; link: DatasourceLink }> {
  const n = await node(nodeId);
  const runtime = new Runtime();
  runtime.createPolicy('alpha');
  const row: DatasourceRecord = { id: 'nova-id', name: 'nova', driver: 'nova', description: null, enabled: true, config: null, encryptedFields: [], revision: 1 };
  const link = new DatasourceLink({ listDatasources: async () => [row] }, runtime, n, { syncPeriodMs: 0 });
  links.push(link);
  await link.start();
  runtime.insert('p(x, h) :- nova:servers(x, h)', 'alpha');
  await link.update();
  return { node: n, runtime, link };
}

function servers(...ids: number[]): Row[] {
  return ids.map((i) => [`s${i}`, `h${i % 2}`]);
}

function policyRows(rt: Runtime): string[] {
  return rt.rows('alpha', 'p').map((r) => String(r[0])).sort();
}

beforeAll(async () => {
  await ensureRabbitMq();
});

beforeEach(() => {
  busId = `roles-test-${randomUUID().slice(0, 8)}`;
});

afterEach(async () => {
  for (const l of links.splice(0)) await l.stop();
  for (const n of nodes.splice(0)) await n.stop().catch(() => undefined);
  await deleteBusExchanges(busId);
});

test('a lost last delta is repaired from heartbeats; later deltas apply normally', async () => {
  const { nova } = await novaNode('ds');
  await nova.publish('servers', servers(1, 2));
  const pe = await engine('pe');
  await eventually(() => expect(policyRows(pe.runtime)).toEqual(['s1', 's2']));
  await removeBindings([{ exchange: exchanges(busId).tables, queue: dataQueue(busId, 'pe'), routingKey: tableKey('nova', 'servers') }]);
  await nova.publish('servers', servers(2, 3)); // lost on its way to the engine
  await eventually(() => expect(policyRows(pe.runtime)).toEqual(['s2', 's3']), 5000);
  await nova.publish('servers', servers(3, 4));
  await eventually(() => expect(policyRows(pe.runtime)).toEqual(['s3', 's4']));
  expect(pe.link.status()).toMatchObject({ tables: 1, synced: 1, pending: [] });
});

test('a datasource node replaced while rows changed upstream: no stale rows, first updates kept', async () => {
  const first = await novaNode('ds');
  await first.nova.publish('servers', servers(1, 2, 3));
  const pe = await engine('pe');
  await eventually(() => expect(policyRows(pe.runtime)).toEqual(['s1', 's2', 's3']));
  await first.node.stop();
  // The new incarnation starts with fewer rows and publishes before anyone asks for a snapshot.
  const second = await novaNode('ds');
  await second.nova.publish('servers', servers(3));
  await second.nova.publish('servers', servers(3, 5));
  await eventually(() => expect(policyRows(pe.runtime)).toEqual(['s3', 's5']), 5000);
});

test('an engine subscribed while the datasource is absent fills when it appears', async () => {
  const pe = await engine('pe');
  await eventually(() => expect(pe.link.status()).toMatchObject({ tables: 1, waitingForPublisher: 1 }));
  expect(pe.runtime.getPolicy('nova')?.schemaSet).toBe(false);
  const { nova } = await novaNode('ds');
  await nova.publish('servers', servers(7));
  await eventually(() => expect(policyRows(pe.runtime)).toEqual(['s7']), 5000);
  // The schema arrives with the datasource service (peer change), not with the next periodic pass.
  await eventually(() => expect(pe.runtime.getPolicy('nova')?.schemaSet).toBe(true), 5000);
  await nova.publishDelta('servers', { add: servers(8), del: servers(7) });
  await eventually(() => expect(policyRows(pe.runtime)).toEqual(['s8']));
});

// The engine's datasource link over the in-process bus: datasource policies from stored rows and
// the schema RPC, subscriptions to exactly the tables rules read, snapshots and deltas applied,
// a datasource service that appears late.
import { randomUUID } from 'node:crypto';
import { DseNode, InProcessBroker, type LocalService } from '../../../src/bus';
import { Runtime } from '../../../src/datalog/runtime/runtime';
import type { DatasourceRecord } from '../../../src/db';
import { DatasourceLink } from '../../../src/services/engine/datasource-link';
import { parseSchema } from '../../../src/services/engine/datasource-policies';
import { usedDatasourceTables } from '../../../src/services/engine/subscriptions';
import { insertRulePersistent } from '../../../src/datalog/runtime/persistent';
import { eventually } from '../bus/support/eventually';

const timing = { heartbeatIntervalMs: 50, peerTimeoutMs: 200, discoveryMs: 20 };

function record(name: string): DatasourceRecord {
  return { id: randomUUID(), name, driver: 'push', description: null, enabled: true, config: null, encryptedFields: [], revision: 1 };
}

interface World {
  broker: InProcessBroker;
  pe: DseNode;
  runtime: Runtime;
  link: DatasourceLink;
  rows: Map<string, DatasourceRecord>;
  nodes: DseNode[];
}

const worlds: World[] = [];

async function world(): Promise<World> {
  const broker = new InProcessBroker();
  const pe = new DseNode({ nodeId: 'pe', transport: broker.transport(), busId: 'b', ...timing });
  await pe.start();
  const runtime = new Runtime();
  runtime.createPolicy('alpha');
  const rows = new Map<string, DatasourceRecord>();
  const link = new DatasourceLink({ listDatasources: async () => [...rows.values()] }, runtime, pe, { syncPeriodMs: 0 });
  const w = { broker, pe, runtime, link, rows, nodes: [pe] };
  worlds.push(w);
  return w;
}

/** A datasource node hosting a push-style service `name` with one table `t(a, b)`. */
async function datasourceNode(w: World, name: string, nodeId = 'ds'): Promise<{ node: DseNode; service: LocalService }> {
  const node = new DseNode({ nodeId, transport: w.broker.transport(), busId: 'b', ...timing });
  const service = await node.register({
    id: name,
    methods: {
      get_datasource_schema: () => ({ tables: [{ table_id: 't', columns: [{ name: 'a', description: '' }, { name: 'b', description: '' }] }] }),
    },
  });
  await node.start();
  w.nodes.push(node);
  return { node, service };
}

/** A world whose policy alpha derives p from the push datasource `pushds`, already holding row a. */
async function worldFollowingPushds(): Promise<World> {
  const w = await world();
  const { service } = await datasourceNode(w, 'pushds');
  await service.publish('t', [['a', 1]]);
  w.rows.set('pushds', record('pushds'));
  await w.link.update();
  w.runtime.insert('p(x) :- pushds:t(x, y)', 'alpha');
  await w.link.update();
  await eventually(() => expect(w.runtime.rows('alpha', 'p')).toEqual([['a']]));
  return w;
}

function sorted(rows: readonly (readonly unknown[])[]): unknown[][] {
  return rows.map((r) => [...r]).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
}

afterEach(async () => {
  for (const w of worlds.splice(0)) {
    await w.link.stop();
    for (const n of w.nodes) await n.stop();
  }
});

describe('tables the rules use', () => {
  test('only body literals naming a datasource policy count', () => {
    const rt = new Runtime();
    rt.createPolicy('nova', { kind: 'datasource', mirror: true });
    rt.createPolicy('other');
    rt.createPolicy('alpha');
    rt.insert('p(x) :- nova:servers(x, y), other:q(y), nova:flavors(y)', 'alpha');
    rt.insert('r(x) :- nova:servers(x, y)', 'alpha');
    expect(usedDatasourceTables(rt)).toEqual([
      { datasource: 'nova', table: 'flavors' },
      { datasource: 'nova', table: 'servers' },
    ]);
  });

  test('a table stops counting when its last reading rule goes, and a rejected rule never counts', () => {
    const rt = new Runtime();
    rt.createPolicy('nova', { kind: 'datasource', mirror: true });
    rt.createPolicy('alpha');
    rt.createPolicy('beta');
    rt.insert('p(x) :- nova:servers(x, y)', 'alpha');
    rt.insert('q(x) :- nova:servers(x, y), not nova:ports(x)', 'alpha');
    rt.insert('s(x) :- nova:ports(x)', 'beta');
    expect(() => rt.insert('p(x) :- p(x), nova:images(x)', 'alpha')).toThrow('Rules are recursive');
    expect(usedDatasourceTables(rt).map((t) => t.table)).toEqual(['ports', 'servers']);
    rt.delete('q(x) :- nova:servers(x, y), not nova:ports(x)', 'alpha');
    expect(usedDatasourceTables(rt).map((t) => t.table)).toEqual(['ports', 'servers']);
    rt.deletePolicy('beta');
    expect(usedDatasourceTables(rt).map((t) => t.table)).toEqual(['servers']);
    rt.delete('p(x) :- nova:servers(x, y)', 'alpha');
    expect(usedDatasourceTables(rt)).toEqual([]);
  });

  test('schemas come in the API shape; anything else is refused', () => {
    expect(parseSchema({ tables: [{ table_id: 't', columns: ['a', { name: 'b', description: 'B' }] }] })).toEqual({ t: ['a', { name: 'b', desc: 'B' }] });
    expect(parseSchema({ tables: [{ columns: [] }] })).toBeNull();
    expect(parseSchema([])).toBeNull();
  });
});

describe('a stored policy of kind datasource', () => {
  test('is no datasource mirror: the sync keeps it, it takes rules, its tables are not followed', async () => {
    const w = await world();
    w.runtime.createPolicy('userds', { kind: 'datasource' });
    expect(insertRulePersistent(w.runtime, 'userds', 't(1)').insert).toBe(true);
    w.runtime.insert('p(x) :- userds:t(x)', 'alpha');
    await w.link.update();
    expect(w.runtime.getPolicy('userds')).toMatchObject({ kind: 'datasource', mirror: false });
    expect(w.link.subscriptions.tables()).toEqual([]);
    expect(w.runtime.rows('alpha', 'p')).toEqual([[1]]);
  });
});

describe('the engine follows datasource tables over the bus', () => {
  test('subscribes on a rule, applies snapshot and deltas, unsubscribes when the rule goes', async () => {
    const w = await world();
    const { service } = await datasourceNode(w, 'pushds');
    await service.publish('t', [[1, 'x'], [2, 'y']]);
    await service.publish('u', [['never']]);
    w.rows.set('pushds', record('pushds'));
    await w.link.update();
    expect(w.runtime.getPolicy('pushds')).toMatchObject({ kind: 'datasource', schemaSet: true });
    expect(w.link.subscriptions.tables()).toEqual([]);

    w.runtime.insert('p(x) :- pushds:t(x, y)', 'alpha');
    await w.link.update();
    expect(w.link.subscriptions.tables()).toEqual(['pushds:t']);
    await w.link.subscriptions.synced(2000);
    expect(sorted(w.runtime.rows('alpha', 'p'))).toEqual([[1], [2]]);

    await service.publishDelta('t', { add: [[3, 'z']], del: [[1, 'x']] });
    await eventually(() => expect(sorted(w.runtime.rows('alpha', 'p'))).toEqual([[2], [3]]));
    expect(w.link.status()).toEqual({ tables: 1, synced: 1, waitingForPublisher: 0, pending: [] });

    w.runtime.delete('p(x) :- pushds:t(x, y)', 'alpha');
    await w.link.update();
    expect(w.link.subscriptions.tables()).toEqual([]);
    expect(w.pe.status().subscriptions).toBe(0);
  });

  test('a rule change re-checks the subscriptions without reading the stored datasources; a datasource change reads them', async () => {
    const w = await world();
    const { service } = await datasourceNode(w, 'pushds');
    await service.publish('t', [[1, 'x']]);
    w.rows.set('pushds', record('pushds'));
    let reads = 0;
    const counted = new DatasourceLink({ listDatasources: async () => (reads++, [...w.rows.values()]) }, w.runtime, w.pe, { syncPeriodMs: 0 });
    worlds.push({ ...w, link: counted, nodes: [] });
    await counted.update();
    expect(reads).toBe(1);
    w.runtime.insert('p(x) :- pushds:t(x, y)', 'alpha');
    counted.rulesChanged();
    counted.rulesChanged();
    await counted.settled();
    expect(reads).toBe(1);
    expect(counted.subscriptions.tables()).toEqual(['pushds:t']);
    counted.changed();
    await counted.settled();
    expect(reads).toBe(2);
    // A datasource change asked for while a rules-only pass runs is not lost.
    counted.rulesChanged();
    counted.changed();
    await counted.settled();
    expect(reads).toBe(3);
  });

  test('a datasource absent at first: its policy exists, the table fills once its service appears', async () => {
    const w = await world();
    w.rows.set('late', record('late'));
    await w.link.start();
    expect(w.runtime.getPolicy('late')).toMatchObject({ kind: 'datasource', schemaSet: false });
    w.runtime.insert('p(x) :- late:t(x, y)', 'alpha');
    await w.link.update();
    await eventually(() => expect(w.link.status()).toMatchObject({ tables: 1, waitingForPublisher: 1 }));

    const { service } = await datasourceNode(w, 'late');
    await service.publish('t', [['a', 1]]);
    await eventually(() => expect(w.runtime.rows('alpha', 'p')).toEqual([['a']]), 3000);
    await eventually(() => expect(w.runtime.getPolicy('late')?.schemaSet).toBe(true), 3000);
    expect(w.link.status()).toMatchObject({ synced: 1 });
  });

  test('a restarted datasource service replaces the rows: nothing stale, nothing lost', async () => {
    const w = await world();
    w.rows.set('pushds', record('pushds'));
    const first = await datasourceNode(w, 'pushds', 'ds1');
    await first.service.publish('t', [['old', 1], ['kept', 2]]);
    await w.link.start();
    w.runtime.insert('p(x) :- pushds:t(x, y)', 'alpha');
    await w.link.update();
    await eventually(() => expect(sorted(w.runtime.rows('alpha', 'p'))).toEqual([['kept'], ['old']]));

    await first.node.stop();
    const second = await datasourceNode(w, 'pushds', 'ds2');
    // The new incarnation's first publication must not be dropped as "old", nor keep `old`.
    await second.service.publish('t', [['kept', 2], ['new', 3]]);
    await eventually(() => expect(sorted(w.runtime.rows('alpha', 'p'))).toEqual([['kept'], ['new']]), 3000);
  });

  test('a datasource created again under its name gets a new policy filled from a new snapshot', async () => {
    const w = await worldFollowingPushds();
    const again = record('pushds');
    w.rows.set('pushds', again);
    await w.link.update();
    expect(w.runtime.getPolicy('pushds')?.id).toBe(again.id);
    await eventually(() => expect(w.runtime.rows('alpha', 'p')).toEqual([['a']]));
    expect(w.link.status()).toMatchObject({ tables: 1, synced: 1 });
  });

  test('a datasource deleted from the store loses its policy and its subscriptions', async () => {
    const w = await worldFollowingPushds();
    w.rows.delete('pushds');
    await w.link.update();
    expect(w.runtime.hasPolicy('pushds')).toBe(false);
    expect(w.link.subscriptions.tables()).toEqual([]);
  });
});

describe('bus names', () => {
  test('the engine calls the methods datasource services serve', async () => {
    const { DATASOURCE_METHODS } = await import('../../../src/services/datasources');
    const { DS_SERVICE_METHODS } = await import('../../../src/services/engine/datasource-rpc');
    expect(DS_SERVICE_METHODS.getSchema).toBe(DATASOURCE_METHODS.getSchema);
    expect(DS_SERVICE_METHODS.requestExecute).toBe(DATASOURCE_METHODS.requestExecute);
  });
});

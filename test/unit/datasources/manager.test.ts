// The datasource manager and the API directory over an in-process bus and a SQLite store:
// validation before storing, services on the bus answering RPCs, snapshot-then-delta to a
// subscriber, secrets masked, deletion with pushed data, restore after a restart, and sync.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DseNode, InProcessBroker, TableReplica } from '../../../src/bus';
import { openPolicyStore, type PolicyStore } from '../../../src/db';
import { DatasourceDirectory, DatasourceError, DatasourceManager, MANAGER_SERVICE } from '../../../src/services/datasources';
import { FakeCloud } from '../../fixtures/openstack';
import { FAST_HTTP, sortRows } from './support';

const EVENT = {
  time: '2016-02-22T11:48:55Z',
  type: 'compute.host.down',
  details: { hostname: 'compute1', status: 'down', monitor: 'zabbix1', monitor_event_id: '111' },
};

let dir: string;
let store: PolicyStore;
let broker: InProcessBroker;
let nodes: DseNode[];
let managers: DatasourceManager[];
let cloud: FakeCloud;

async function node(id: string): Promise<DseNode> {
  const n = new DseNode({ nodeId: id, transport: broker.transport(), heartbeatIntervalMs: 50, discoveryMs: 10 });
  await n.start();
  nodes.push(n);
  return n;
}

async function manager(n: DseNode): Promise<DatasourceManager> {
  const m = new DatasourceManager({ node: n, store, http: FAST_HTTP, syncPeriodMs: 0 });
  await m.start();
  managers.push(m);
  return m;
}

async function rejection(p: Promise<unknown>): Promise<DatasourceError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(DatasourceError);
    return error as DatasourceError;
  }
  throw new Error('expected a rejection');
}

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-ds-'));
  store = await openPolicyStore({ connection: `sqlite:///${path.join(dir, 'c.sqlite')}`, encryptionKeyPath: path.join(dir, 'keys'), migrate: true });
  broker = new InProcessBroker();
  nodes = [];
  managers = [];
  cloud = await FakeCloud.start();
});

afterEach(async () => {
  for (const m of managers) await m.stop();
  for (const n of nodes) await n.stop();
  await store.close();
  await cloud.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('creating datasources', () => {
  it('validates before storing: bad name, driver, options and values leave no row', async () => {
    const n = await node('ds');
    await manager(n);
    const api = new DatasourceDirectory(n, store);
    const cases: [unknown, number, string][] = [
      [{ name: '_x', driver: 'doctor' }, 400, 'Datasource name _x is invalid. Cannot be empty or start with underscore.  Must be valid in policy language'],
      [{ name: 'd', driver: 'nosuch' }, 400, 'Invalid driver: nosuch'],
      [{ name: 'd', driver: 'doctor', config: { bogus: 1 } }, 400, "Invalid driver options: {'bogus'}"],
      [{ name: 'n', driver: 'nova', config: { auth_url: 'x', username: 'u', password: 'p' } }, 400, 'Missing required config options: project_name'],
      [{ name: 'n', driver: 'nova', config: cloud.config({ poll_time: 'x' }) }, 400, 'poll_time must be a non-negative integer number of seconds, got "x"'],
      [{ name: 'n', driver: 'nova', config: cloud.config({ lazy_tables: ['nope'] }) }, 400, expect.stringContaining('Invalid lazy tables') as unknown as string],
      [{ name: 'd', driver: 'doctor', config: { persist_data: 'perhaps' } }, 400, expect.stringContaining('persist_data must be a boolean') as unknown as string],
    ];
    for (const [body, status, message] of cases) {
      const e = await rejection(api.createDatasource(body));
      expect([e.status, e.message]).toEqual([status, message]);
    }
    expect(await store.listDatasources()).toEqual([]);
  });

  it('creates a nova datasource whose secrets never show, and answers RPCs for it', async () => {
    const n = await node('ds');
    await manager(n);
    const api = new DatasourceDirectory(n, store);
    const created = await api.createDatasource({ name: 'nova', driver: 'nova', config: cloud.config() });
    expect(created.config?.password).toBe('<hidden>');
    expect(created).toMatchObject({ name: 'nova', driver: 'nova', type: null, enabled: true, description: null });
    expect((await api.listDatasources())[0].config?.password).toBe('<hidden>');
    expect((await api.getDatasource(created.id))?.config?.password).toBe('<hidden>');
    // The secret is encrypted at rest, and in clear text for the driver.
    expect((await store.getDatasource('nova'))?.encryptedFields).toEqual(['password']);
    const dup = await rejection(api.createDatasource({ name: 'nova', driver: 'nova', config: cloud.config() }));
    expect([dup.status, dup.message]).toEqual([409, 'Datasource already in use with name nova']);

    const svc = await api.service(created.id);
    expect(svc).not.toBeNull();
    await svc?.refresh(true);
    expect(await svc?.tables()).toEqual(['servers.addresses', 'tags', 'servers', 'flavors', 'services', 'hypervisors', 'availability_zones']);
    // Nova sends `"rxtx_factor": 1.0`: a float (not the integer 1), in its row-cell form.
    expect(sortRows((await svc?.rows('flavors')) ?? [])).toEqual([
      ['1', 'm1.tiny', 1, 512, 1, 0, { $float: '1.0' }],
      ['2', 'm1.small', 1, 2048, 20, 0, { $float: '1.0' }],
    ]);
    const status = await svc?.status();
    expect(status).toMatchObject({ last_error: 'None', number_of_updates: '1', initialized: 'True', subscriptions: [], subscribers: [] });
    expect(JSON.stringify(status)).not.toContain('secret');
    expect((await svc?.tableSchema('flavors'))?.table_id).toBe('flavors');
    const noSchema = await rejection(svc?.tableSchema('nope') ?? Promise.resolve());
    expect([noSchema.status, noSchema.message]).toEqual([404, "Table 'nope' for datasource 'nova' has no schema "]);
    const noTable = await rejection(svc?.rows('nope') ?? Promise.resolve());
    expect(noTable.status).toBe(404);
    const notPush = await rejection(svc?.replaceRows('servers', []) ?? Promise.resolve());
    expect([notPush.status, notPush.message]).toEqual([400, 'Method replace_entire_table_data not supported for datasource nova']);

    await svc?.execute('servers.pause', { positional: ['9168b536-cd40-4630-b43f-b259807c6e87'], named: {} }, true);
    expect(cloud.nova.servers.get('9168b536-cd40-4630-b43f-b259807c6e87')?.status).toBe('PAUSED');
    // Fire and forget: answered at once, executed shortly after.
    await svc?.execute('servers.unpause', { positional: ['9168b536-cd40-4630-b43f-b259807c6e87'], named: {} });
    await eventually(() => cloud.nova.servers.get('9168b536-cd40-4630-b43f-b259807c6e87')?.status === 'ACTIVE');
    // The history entry is written when the driver has the cloud's answer, a moment after the cloud changed.
    await eventually(async () => (await svc?.actionHistory())?.length === 2);
    expect((await svc?.actionHistory())?.map((o) => o.action)).toEqual(['servers.pause', 'servers.unpause']);
  });

  it("keeps a client's id, as the original does, and answers a taken id as a name in use", async () => {
    const n = await node('ds');
    await manager(n);
    const api = new DatasourceDirectory(n, store);
    const made = await api.createDatasource({ name: 'doc9', driver: 'doctor', id: 'abc', type: 'x' });
    expect(made).toMatchObject({ id: 'abc', name: 'doc9', type: null });
    expect((await api.getDatasource('abc'))?.name).toBe('doc9');
    const taken = await rejection(api.createDatasource({ name: 'doc10', driver: 'doctor', id: 'abc' }));
    expect([taken.status, taken.message]).toEqual([409, 'Datasource already in use with name doc10']);
    const generated = await api.createDatasource({ name: 'doc11', driver: 'doctor', id: '' });
    expect(generated.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await store.listDatasources()).map((d) => d.name).sort()).toEqual(['doc11', 'doc9']);
  });

  it('a datasource whose service cannot start is removed again (creation fails cleanly)', async () => {
    const n = await node('ds');
    const m = await manager(n);
    // Someone else already hosts a service of that name on this node.
    await n.register({ id: 'taken' });
    const e = await rejection(m.createDatasource({ name: 'taken', driver: 'doctor' }));
    expect([e.status, e.message]).toEqual([400, 'Datasource service: taken creation fails.']);
    expect(await store.getDatasource('taken')).toBeNull();
  });

  it('answers 503 when no datasource manager is on the bus, and unknown services are null', async () => {
    const api = new DatasourceDirectory(await node('api'), store);
    const e = await rejection(api.createDatasource({ name: 'd', driver: 'doctor' }));
    expect([e.status, e.message]).toEqual([503, `service '${MANAGER_SERVICE}' could not be found`]);
    expect(await api.service('nosuch')).toBeNull();
  });
});

describe('push datasources across nodes', () => {
  it('publishes a snapshot then deltas to a subscriber on another node, and restores after a restart', async () => {
    const dsNode = await node('ds');
    await manager(dsNode);
    const apiNode = await node('api');
    const api = new DatasourceDirectory(apiNode, store);
    await eventually(() => apiNode.serviceHosts()[MANAGER_SERVICE] !== undefined);
    const created = await api.createDatasource({ name: 'doc', driver: 'doctor', config: {} });
    await eventually(() => apiNode.serviceHosts().doc !== undefined);
    const svc = await api.service('doc');
    await svc?.replaceRows('events', [EVENT]);

    const replica = new TableReplica();
    const sub = await apiNode.subscribe({ subscriber: '__engine', publisher: 'doc', table: 'events', onUpdate: (u) => replica.apply(u) });
    await sub.synced(3000);
    expect(replica.rows()).toEqual([['2016-02-22T11:48:55Z', 'compute.host.down', 'compute1', 'down', 'zabbix1', '111']]);
    await svc?.replaceRows('events', [EVENT, { ...EVENT, details: { ...EVENT.details, hostname: 'compute2' } }]);
    await eventually(() => replica.size === 2);
    await eventually(async () => ((await svc?.status())?.subscribers ?? []).length === 1);
    expect((await svc?.status())?.subscribers).toEqual(['__engine']);
    const bad = await rejection(svc?.replaceRows('events', [{ time: 'x' }]) ?? Promise.resolve());
    expect([bad.status, bad.message]).toEqual([400, 'row 0 lacks field details']);
    await sub.unsubscribe();

    // A restart of the datasource node: a new manager on the same database restores the rows.
    await managers[0].stop();
    managers.shift();
    const restarted = await manager(dsNode);
    expect(restarted.running()).toEqual(['doc']);
    expect(sortRows(restarted.service('doc')?.driver.rows('events') ?? [])).toHaveLength(2);

    // Deleting removes the row, the pushed data and the service. The api node must first have
    // seen the heartbeats of the restart (the old manager leaving, the new one arriving).
    await new Promise((r) => setTimeout(r, 250));
    await eventually(() => apiNode.serviceHosts()[MANAGER_SERVICE] !== undefined);
    const deleted = await api.deleteDatasource(created.id);
    expect(deleted?.name).toBe('doc');
    expect(await store.getDatasource('doc')).toBeNull();
    expect((await store.listTableData(created.id)).size).toBe(0);
    expect(restarted.running()).toEqual([]);
    expect(await api.deleteDatasource('doc')).toBeNull();
  });

  it('the synchronizer starts stored datasources, stops deleted or disabled ones, and reports failures', async () => {
    const n = await node('ds');
    const m = await manager(n);
    await store.createDatasource({ name: 'doc1', driver: 'doctor', config: {} });
    await store.createDatasource({ name: 'broken', driver: 'nova', config: { auth_url: 'x' } });
    const report = await m.synchronize();
    expect(report.started).toEqual(['doc1']);
    expect(report.failed).toEqual({ broken: 'Missing required config options: username, password, project_name' });
    const doc1 = await store.getDatasource('doc1');
    await store.updateDatasource(doc1?.id ?? '', { enabled: false });
    expect((await m.synchronize()).stopped).toEqual(['doc1']);
    expect(m.running()).toEqual([]);
  });
});

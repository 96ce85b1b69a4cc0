/**
 * Announcements over the (in-process) bus: a write committed on one engine is cast to every
 * policy-engine node, which syncs at once — no periodic sync runs here — and a lost
 * announcement is covered by the periodic sync.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DseNode, InProcessBroker } from '../../../src/bus';
import { openPolicyStore, type PolicyStore } from '../../../src/db';
import { PolicyEngineService, silentLogger } from '../../../src/services/engine';
import { ENGINE_SYNC_SERVICE, REVISION_CHANGED, RevisionAnnouncer } from '../../../src/services/engine/revision-announcer';
import { eventually, sleep } from '../bus/support/eventually';

jest.setTimeout(30_000);

const timing = { heartbeatIntervalMs: 50, peerTimeoutMs: 200, discoveryMs: 20, callTimeoutMs: 2000 };

interface Peer {
  readonly node: DseNode;
  readonly store: PolicyStore;
  readonly engine: PolicyEngineService;
  readonly heard: number[];
}

let dir: string;
let broker: InProcessBroker;
let peers: Peer[];

async function peer(id: string, announce = true): Promise<Peer> {
  const store = await openPolicyStore({ connection: `sqlite:///${path.join(dir, 'c.sqlite')}`, encryptionKeyPath: path.join(dir, 'keys'), migrate: true });
  const node = new DseNode({ nodeId: id, busId: 'b', transport: broker.transport(), ...timing });
  await node.start();
  const heard: number[] = [];
  // Heard before the engine exists: nothing to sync yet.
  const late: { engine?: PolicyEngineService } = {};
  const announcer = await RevisionAnnouncer.join(node, (revision) => {
    heard.push(revision);
    late.engine?.replica.syncSoon(revision);
  });
  const engine = (
    await PolicyEngineService.start(store, { logger: silentLogger, onCommitted: announce ? (r) => announcer.announce(r) : undefined })
  ).engine;
  late.engine = engine;
  const p = { node, store, engine, heard };
  peers.push(p);
  return p;
}

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-announce-'));
  broker = new InProcessBroker();
  peers = [];
});

afterEach(async () => {
  for (const p of peers) {
    await p.engine.replica.stop();
    await p.node.stop();
    await p.store.close();
  }
  await fs.rm(dir, { recursive: true, force: true });
});

test('a write on A is announced and visible on B and C without any periodic sync', async () => {
  const a = await peer('a');
  const b = await peer('b');
  const c = await peer('c');
  await a.engine.createPolicyWithRules({ name: 'alpha' }, [{ rule: 'q(1)' }, { rule: 'p(x) :- q(x)' }]);
  const revision = a.engine.revision();
  for (const other of [b, c]) {
    await eventually(async () => expect((await other.engine.rows('alpha', 'p', false)).rows).toEqual([[1]]), 2000);
    expect(other.heard).toContain(revision);
    expect(other.engine.revision()).toBe(revision);
  }
  // Deletes travel the same way.
  await a.engine.deletePolicy('alpha');
  await eventually(() => expect(b.engine.runtime.hasPolicy('alpha')).toBe(false), 2000);
  await eventually(() => expect(c.engine.runtime.hasPolicy('alpha')).toBe(false), 2000);
});

test('writes on both nodes interleave and both converge to the same revision and rows', async () => {
  const a = await peer('a');
  const b = await peer('b');
  await a.engine.createPolicy({ name: 'shared' });
  await eventually(() => expect(b.engine.runtime.hasPolicy('shared')).toBe(true), 2000);
  await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).engine.insertRule('shared', { rule: `n(${i})` })));
  const expected = Array.from({ length: 10 }, (_, i) => [i]);
  for (const p of [a, b]) {
    const sorted = async (): Promise<number[][]> => (await p.engine.rows('shared', 'n', false)).rows.map((r) => [Number(r[0])]).sort((x, y) => x[0] - y[0]);
    await eventually(async () => expect(await sorted()).toEqual(expected), 2000);
  }
  expect(a.engine.revision()).toBe(b.engine.revision());
  expect(a.engine.revision()).toBe(await a.store.currentRevision());
});

test('an announcement that is not a revision is refused; one already reflected triggers no sync', async () => {
  const a = await peer('a');
  const b = await peer('b');
  await expect(a.node.call(ENGINE_SYNC_SERVICE, REVISION_CHANGED, { revision: 'x' }, { node: 'b' })).rejects.toThrow(/needs \{revision: integer\}/);
  const spy = jest.spyOn(b.engine.replica, 'sync');
  await a.node.call(ENGINE_SYNC_SERVICE, REVISION_CHANGED, { revision: b.engine.revision() }, { node: 'b' });
  expect(spy).not.toHaveBeenCalled();
});

test('without announcements, the periodic sync still brings B up to date', async () => {
  const a = await peer('a', false);
  const b = await peer('b');
  await a.engine.createPolicy({ name: 'quiet' });
  await sleep(200);
  expect(b.engine.runtime.hasPolicy('quiet')).toBe(false);
  b.engine.replica.startPeriodic(100);
  await eventually(() => expect(b.engine.runtime.hasPolicy('quiet')).toBe(true), 2000);
});

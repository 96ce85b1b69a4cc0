/**
 * Two engine services on one database (a SQLite file opened twice, as two nodes would): what
 * one writes the other reflects after a sync, clashing writes are refused on whichever node
 * comes second, and a replica behind a pruned change log reloads from a snapshot.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PolicyError } from '../../../src/datalog/errors';
import { openPolicyStore, type PolicyStore } from '../../../src/db';
import { PolicyEngineService, type EngineLogger } from '../../../src/services/engine';
import { ChangeLogPruner } from '../../../src/services/engine/change-log-pruner';

jest.setTimeout(30_000);

interface Node {
  readonly engine: PolicyEngineService;
  readonly store: PolicyStore;
  readonly errors: string[];
}

let dir: string;
let a: Node;
let b: Node;

async function node(wrap: (s: PolicyStore) => PolicyStore = (s) => s): Promise<Node> {
  const store = await openPolicyStore({ connection: `sqlite:///${path.join(dir, 'c.sqlite')}`, encryptionKeyPath: path.join(dir, 'keys'), migrate: true });
  const errors: string[] = [];
  const logger: EngineLogger = { info: () => undefined, warn: (m) => errors.push(m), error: (m) => errors.push(m) };
  const { engine } = await PolicyEngineService.start(wrap(store), { logger });
  return { engine, store, errors };
}

async function rows(n: Node, policy: string, table: string): Promise<unknown[]> {
  return (await n.engine.rows(policy, table, false)).rows.map((r) => [...r]);
}

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-repl-'));
  a = await node();
  b = await node();
});

afterEach(async () => {
  await a.engine.replica.stop();
  await b.engine.replica.stop();
  await a.store.close();
  await b.store.close();
  await fs.rm(dir, { recursive: true, force: true });
});

test('both nodes start at the same revision, with the system policies created once', async () => {
  expect(a.engine.revision()).toBeGreaterThan(0);
  await a.engine.replica.sync();
  expect(b.engine.revision()).toBe(a.engine.revision());
  expect((await a.store.listPolicies()).map((p) => p.name).sort()).toEqual(['action', 'classification']);
  expect(b.engine.runtime.getPolicy('classification')?.id).toBe(a.engine.runtime.getPolicy('classification')?.id);
});

test('a policy with rules, and a rule added later, written on A are visible on B after a sync', async () => {
  await a.engine.createPolicyWithRules({ name: 'alpha' }, [{ rule: 'q(1)' }, { rule: 'p(x) :- q(x)' }]);
  await a.engine.insertRule('alpha', { rule: 'q(2)' });
  expect(b.engine.runtime.hasPolicy('alpha')).toBe(false);
  const report = await b.engine.replica.sync();
  expect(report).toMatchObject({ reloaded: false, applied: 4, rulesChanged: true });
  expect(b.engine.revision()).toBe(a.engine.revision());
  expect(await rows(b, 'alpha', 'p')).toEqual([[1], [2]]);
  expect(b.engine.runtime.getPolicy('alpha')?.id).toBe(a.engine.runtime.getPolicy('alpha')?.id);
});

test('a node recognises its own writes in the log and does not apply them twice', async () => {
  const before = a.engine.revision();
  await a.engine.createPolicy({ name: 'mine' });
  await a.engine.insertRule('mine', { rule: 'm(1)' });
  // Each write reads itself back: the revision already includes it.
  expect(a.engine.revision()).toBe(before + 2);
  expect(await a.engine.replica.sync()).toMatchObject({ applied: 0, from: before + 2, to: before + 2 });
  expect(await rows(a, 'mine', 'm')).toEqual([[1]]);
});

test('rule and policy deletes on A reach B', async () => {
  await a.engine.createPolicyWithRules({ name: 'alpha' }, [{ rule: 'q(1)' }, { rule: 'q(2)' }]);
  await b.engine.replica.sync();
  const q1 = (await a.engine.listRules('alpha')).find((r) => r.rule === 'q(1)');
  await a.engine.deleteRule('alpha', q1?.id ?? '');
  await b.engine.replica.sync();
  expect(await rows(b, 'alpha', 'q')).toEqual([[2]]);
  await a.engine.deletePolicy('alpha');
  await b.engine.replica.sync();
  expect(b.engine.runtime.hasPolicy('alpha')).toBe(false);
  expect(b.engine.revision()).toBe(a.engine.revision());
});

test('a write on B first catches up with A: the same policy name is refused, both keep the winner', async () => {
  const winner = await a.engine.createPolicy({ name: 'dup' });
  // B has not synced: it learns of A's policy inside its own write, under the table lock.
  await expect(b.engine.createPolicy({ name: 'dup' })).rejects.toMatchObject({ code: 'policy_exists' });
  expect(b.engine.runtime.getPolicy('dup')?.id).toBe(winner.id);
  expect((await b.store.listPolicies()).filter((p) => p.name === 'dup')).toHaveLength(1);
});

test('the same policy created on both at once: exactly one wins and both agree', async () => {
  const results = await Promise.allSettled([a.engine.createPolicy({ name: 'race' }), b.engine.createPolicy({ name: 'race' })]);
  const won = results.filter((r) => r.status === 'fulfilled');
  const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(won).toHaveLength(1);
  expect(lost).toHaveLength(1);
  expect(lost[0].reason).toBeInstanceOf(PolicyError);
  await a.engine.replica.sync();
  await b.engine.replica.sync();
  const stored = (await a.store.listPolicies()).filter((p) => p.name === 'race');
  expect(stored).toHaveLength(1);
  expect(a.engine.runtime.getPolicy('race')?.id).toBe(stored[0].id);
  expect(b.engine.runtime.getPolicy('race')?.id).toBe(stored[0].id);
});

test('a rule clashing with one written on the other node is refused where it arrives second', async () => {
  await a.engine.createPolicy({ name: 'shared' });
  await b.engine.replica.sync();
  await a.engine.insertRule('shared', { rule: 'p(1)' });
  // B has not seen p/1 yet; it does inside its write and refuses p with another arity.
  await expect(b.engine.insertRule('shared', { rule: 'p(1, 2)' })).rejects.toBeInstanceOf(PolicyError);
  await a.engine.replica.sync();
  expect((await a.store.listRules('shared')).map((r) => r.rule)).toEqual(['p(1)']);
  expect(await rows(a, 'shared', 'p')).toEqual([[1]]);
  expect(await rows(b, 'shared', 'p')).toEqual([[1]]);
  expect(b.engine.revision()).toBe(a.engine.revision());
});

test('a stored rule the engine refuses is logged and skipped; later changes still apply', async () => {
  await a.engine.createPolicyWithRules({ name: 'alpha' }, [{ rule: 'q(1)' }]);
  // Written behind the engines' backs (an older release, a hand edit): q has arity 1 in the engine.
  await a.store.withTableLock((tx) => tx.createRule('alpha', { rule: 'q(1, 2)' }));
  await a.store.withTableLock((tx) => tx.createRule('alpha', { rule: 'r(3)' }));
  const report = await b.engine.replica.sync();
  expect(report.to).toBe(await a.store.currentRevision());
  expect(b.errors.join('\n')).toMatch(/refused by the engine, skipped/);
  expect(await rows(b, 'alpha', 'q')).toEqual([[1]]);
  expect(await rows(b, 'alpha', 'r')).toEqual([[3]]);
});

test('behind a pruned change log, a replica reloads from a snapshot and keeps what did not change', async () => {
  await a.engine.createPolicyWithRules({ name: 'kept' }, [{ rule: 'k(1)' }]);
  await a.engine.createPolicyWithRules({ name: 'gone' }, [{ rule: 'g(1)' }]);
  await a.engine.createPolicyWithRules({ name: 'edited' }, [{ rule: 'e(1)' }]);
  await b.engine.replica.sync();
  const keptBefore = b.engine.runtime.getPolicy('kept');
  await a.engine.deletePolicy('gone');
  await a.engine.insertRule('edited', { rule: 'e(2)' });
  await a.engine.createPolicyWithRules({ name: 'fresh' }, [{ rule: 'f(1)' }]);
  await a.store.pruneChanges(await a.store.currentRevision());
  const report = await b.engine.replica.sync();
  expect(report).toMatchObject({ reloaded: true, to: await a.store.currentRevision() });
  expect(b.engine.runtime.hasPolicy('gone')).toBe(false);
  expect(await rows(b, 'edited', 'e')).toEqual([[1], [2]]);
  expect(await rows(b, 'fresh', 'f')).toEqual([[1]]);
  // Untouched policies are not rebuilt.
  expect(b.engine.runtime.getPolicy('kept')).toBe(keptBefore);
  expect(await rows(b, 'kept', 'k')).toEqual([[1]]);
  // And it continues incrementally afterwards.
  await a.engine.insertRule('kept', { rule: 'k(2)' });
  expect(await b.engine.replica.sync()).toMatchObject({ reloaded: false });
  expect(await rows(b, 'kept', 'k')).toEqual([[1], [2]]);
});

test('the change log pruner drops only entries older than its age; a replica further behind reloads', async () => {
  const logged: string[] = [];
  const logger: EngineLogger = { info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m) };
  const pruner = new ChangeLogPruner(a.store, { keepSeconds: 3600, logger });
  await a.engine.createPolicyWithRules({ name: 'early' }, [{ rule: 'x(1)' }]);
  await b.engine.replica.sync();
  await a.engine.insertRule('early', { rule: 'x(2)' });
  // Within the age nothing goes, and the replica catches up from the log.
  expect(await pruner.pruneOnce()).toBe(0);
  expect(await b.engine.replica.sync()).toMatchObject({ reloaded: false });
  await a.engine.insertRule('early', { rule: 'x(3)' });
  // Two hours later everything is past the age.
  expect(await pruner.pruneOnce(new Date(Date.now() + 7_200_000))).toBeGreaterThanOrEqual(1);
  expect(logged.join('\n')).toMatch(/dropped \d+ entries older than 3600 s/);
  expect(await b.engine.replica.sync()).toMatchObject({ reloaded: true });
  expect(await rows(b, 'early', 'x')).toEqual([[1], [2], [3]]);
  expect(new ChangeLogPruner(a.store, { keepSeconds: 0, logger }).periodMs).toBe(60_000);
  expect(pruner.periodMs).toBe(900_000);
  expect(await new ChangeLogPruner(a.store, { keepSeconds: 0, logger }).pruneOnce(new Date(Date.now() + 7_200_000))).toBe(0);
});

test('a failing prune pass is logged, not thrown', async () => {
  const warned: string[] = [];
  const logger: EngineLogger = { info: () => undefined, warn: (m) => warned.push(m), error: () => undefined };
  const broken = { pruneChangesOlderThan: () => Promise.reject(new Error('database gone')) };
  expect(await new ChangeLogPruner(broken, { keepSeconds: 60, logger }).pruneOnce()).toBe(0);
  expect(warned).toEqual(['change log pruning failed: database gone']);
});

test('a node takes its own write from what it wrote, not by reading the log back', async () => {
  let reads = 0;
  const c = await node((s) => ({ ...s, changesSince: (from) => (reads++, s.changesSince(from)) }));
  try {
    reads = 0;
    await c.engine.createPolicyWithRules({ name: 'own' }, [{ rule: 'o(1)' }]);
    await c.engine.insertRule('own', { rule: 'o(2)' });
    expect(reads).toBe(0);
    expect(c.engine.revision()).toBe(await c.store.currentRevision());
    // The replica's index has the own rules: deleting one through another node removes it here.
    const stored = await c.store.listRules('own');
    await a.engine.deleteRule('own', stored.find((r) => r.rule === 'o(2)')?.id ?? '');
    await c.engine.replica.sync();
    expect(await rows(c, 'own', 'o')).toEqual([[1]]);
  } finally {
    await c.engine.replica.stop();
    await c.store.close();
  }
});

test('reach waits for a revision written elsewhere, and gives up after its bound', async () => {
  await a.engine.createPolicy({ name: 'later' });
  expect(await b.engine.replica.reach(a.engine.revision(), 2000)).toBe(true);
  expect(b.engine.runtime.hasPolicy('later')).toBe(true);
  const t0 = Date.now();
  expect(await b.engine.replica.reach(a.engine.revision() + 100, 150)).toBe(false);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  expect(Date.now() - t0).toBeLessThan(1000);
});

test('a write that does not commit takes back only its own change, not what it caught up with', async () => {
  const failing = { on: false };
  // Runs the write's work, then fails as a lost connection at COMMIT would: the transaction rolls back.
  const c = await node((s) => ({
    ...s,
    withTableLock: (fn) =>
      s.withTableLock(async (tx) => {
        const value = await fn(tx);
        if (failing.on) throw new Error('commit failed');
        return value;
      }),
  }));
  try {
    await a.engine.createPolicyWithRules({ name: 'theirs' }, [{ rule: 't(1)' }]);
    failing.on = true;
    await expect(c.engine.createPolicyWithRules({ name: 'mine' }, [{ rule: 'm(1)' }])).rejects.toThrow('commit failed');
    await expect(c.engine.insertRule('theirs', { rule: 't(2)' })).rejects.toThrow('commit failed');
    expect(c.engine.runtime.hasPolicy('mine')).toBe(false);
    expect(await rows(c, 'theirs', 't')).toEqual([[1]]);
    expect(c.engine.revision()).toBe(await a.store.currentRevision());
    failing.on = false;
    await c.engine.insertRule('theirs', { rule: 't(2)' });
    await a.engine.replica.sync();
    expect(await rows(a, 'theirs', 't')).toEqual([[1], [2]]);
  } finally {
    await c.engine.replica.stop();
    await c.store.close();
  }
});

/**
 * Replicated engines on MariaDB, where writers really serialise on `LOCK TABLES`: clashing
 * writes sent to two engines at the same time are refused on whichever gets the lock second,
 * many concurrent writes on both converge to one state, and a replica behind a pruned change
 * log reloads inside the locked transaction of its next write (reading through that
 * transaction's own connection, the only one MySQL lets read the locked tables).
 */
import { openPolicyStore, type PolicyStore } from '../../../src/db';
import { PolicyEngineService, silentLogger } from '../../../src/services/engine';
import { createTestDatabase, type TestDatabase } from '../../support/mariadb';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

jest.setTimeout(60_000);

let db: TestDatabase;
let keys: string;
const stores: PolicyStore[] = [];
const engines: PolicyEngineService[] = [];
const warnings: string[] = [];

async function replica(): Promise<PolicyEngineService> {
  const store = await openPolicyStore({ connection: db.url, encryptionKeyPath: keys, migrate: true });
  stores.push(store);
  const { engine } = await PolicyEngineService.start(store, { logger: { ...silentLogger, warn: (m) => warnings.push(m) } });
  engines.push(engine);
  return engine;
}

async function sortedRows(e: PolicyEngineService, policy: string, table: string): Promise<string[]> {
  return (await e.rows(policy, table, false)).rows.map((r) => JSON.stringify(r)).sort();
}

beforeEach(async () => {
  db = await createTestDatabase('congress_repl');
  keys = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-repl-keys-'));
});

afterEach(async () => {
  for (const e of engines.splice(0)) await e.replica.stop();
  for (const s of stores.splice(0)) await s.close();
  await db.drop();
  await fs.rm(keys, { recursive: true, force: true });
});

test('clashing arities sent to both engines at once: exactly one is accepted, both engines agree', async () => {
  const a = await replica();
  const b = await replica();
  await a.createPolicy({ name: 'shared' });
  await b.replica.sync();
  for (let i = 0; i < 10; i++) {
    const results = await Promise.allSettled([a.insertRule('shared', { rule: `t${i}(1)` }), b.insertRule('shared', { rule: `t${i}(1, 2)` })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    await a.replica.sync();
    await b.replica.sync();
    const stored = (await stores[0].listRules('shared')).filter((r) => r.rule.startsWith(`t${i}(`));
    expect(stored).toHaveLength(1);
    const width = stored[0].rule === `t${i}(1)` ? 1 : 2;
    for (const e of [a, b]) expect((await e.rows('shared', `t${i}`, false)).rows.map((r) => r.length)).toEqual([width]);
  }
  expect(a.revision()).toBe(b.revision());
});

test('40 concurrent writes spread over three engines converge to one state', async () => {
  const nodes = [await replica(), await replica(), await replica()];
  await nodes[0].createPolicyWithRules({ name: 'load' }, [{ rule: 'seen(x) :- w(x)' }]);
  await Promise.all(nodes.map((n) => n.replica.sync()));
  const answers = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => nodes[i % 3].insertRule('load', { rule: `w(${i})` })));
  expect(answers.filter((r) => r.status === 'rejected')).toEqual([]);
  await Promise.all(nodes.map((n) => n.replica.sync()));
  const expected = Array.from({ length: 40 }, (_, i) => JSON.stringify([i])).sort();
  for (const n of nodes) {
    expect(await sortedRows(n, 'load', 'seen')).toEqual(expected);
    expect(n.revision()).toBe(await stores[0].currentRevision());
  }
});

test('behind a pruned log, the next write reloads inside its locked transaction and still succeeds', async () => {
  const a = await replica();
  const b = await replica();
  await a.createPolicyWithRules({ name: 'alpha' }, [{ rule: 'q(1)' }]);
  await a.createPolicyWithRules({ name: 'beta' }, [{ rule: 'b(1)' }]);
  await b.replica.sync();
  await a.deletePolicy('beta');
  await a.insertRule('alpha', { rule: 'q(2)' });
  await stores[0].pruneChanges(await stores[0].currentRevision());
  // No sync first: the write itself finds the log incomplete under LOCK TABLES.
  warnings.length = 0;
  await b.insertRule('alpha', { rule: 'q(3)' });
  expect(warnings.join('\n')).toMatch(/engine reloaded from a snapshot at revision \d+/);
  expect(await sortedRows(b, 'alpha', 'q')).toEqual(['[1]', '[2]', '[3]']);
  expect(b.runtime.hasPolicy('beta')).toBe(false);
  await a.replica.sync();
  expect(await sortedRows(a, 'alpha', 'q')).toEqual(['[1]', '[2]', '[3]']);
  expect(a.revision()).toBe(b.revision());
});

/**
 * The one conformance suite of `PolicyStore`, run unchanged against SQLite (unit project) and
 * MariaDB (integration project). A harness provides a migrated database; every test names its
 * objects uniquely, so tests share that database without depending on each other.
 */
import crypto from 'node:crypto';
import {
  DuplicateError,
  KeyFileCipher,
  LockTimeoutError,
  SecretError,
  StoreUsageError,
  createPolicyStore,
  type PolicyStore,
} from '../../../src/db';
import type { DataSource } from 'typeorm';

/** What a dialect provides to the suite. */
export interface StoreHarness {
  /** A new, initialised DataSource on the suite's (migrated) database: a separate connection. */
  connect(): Promise<DataSource>;
  /** SQL straight to the database, bypassing the store. */
  raw(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Directory for encryption keys. */
  keyDir: string;
  /** Releases everything the harness created. */
  teardown(): Promise<void>;
}

function unique(prefix: string): string {
  return `${prefix}_${crypto.randomBytes(4).toString('hex')}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Registers the suite under `title`; `setUp` is called once for the whole suite. */
export function describeStoreSuite(title: string, setUp: () => Promise<StoreHarness>): void {
  describe(title, () => {
    let harness: StoreHarness;
    let store: PolicyStore;
    const extraSources: DataSource[] = [];

    async function openStore(keyDir?: string, lockWaitTimeout?: number): Promise<PolicyStore> {
      const dataSource = await harness.connect();
      extraSources.push(dataSource);
      return createPolicyStore(dataSource, {
        cipher: new KeyFileCipher(keyDir ?? harness.keyDir),
        lockWaitTimeout,
        ownsDataSource: false,
      });
    }

    beforeAll(async () => {
      harness = await setUp();
      store = await openStore();
    });

    afterAll(async () => {
      for (const ds of extraSources) if (ds.isInitialized) await ds.destroy();
      await harness?.teardown();
    });

    describe('policies', () => {
      it('creates a policy with the original defaults and finds it by id and by name', async () => {
        const name = unique('alpha');
        const created = await store.createPolicy({ name });
        expect(created).toMatchObject({
          name,
          abbreviation: name.slice(0, 5),
          description: '',
          ownerId: 'user',
          kind: 'nonrecursive',
        });
        expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(await store.getPolicy(created.id)).toEqual(created);
        expect(await store.getPolicy(name)).toEqual(created);
        expect(await store.getPolicyByName(name)).toEqual(created);
        expect(await store.getPolicyById(created.id)).toEqual(created);
        expect((await store.listPolicies()).map((p) => p.id)).toContain(created.id);
      });

      it('keeps the given fields', async () => {
        const name = unique('given');
        const created = await store.createPolicy({
          name,
          abbreviation: 'gv',
          description: 'a description with ünïcode',
          kind: 'action',
          ownerId: 'someone',
        });
        const read = await store.getPolicy(name);
        expect(read).toMatchObject({ abbreviation: 'gv', description: 'a description with ünïcode', kind: 'action', ownerId: 'someone' });
        expect(read?.id).toBe(created.id);
      });

      it('looks a policy up by id before name', async () => {
        const first = await store.createPolicy({ name: unique('first') });
        // A second policy whose *name* is the first one's id: the id must win.
        const second = await store.createPolicy({ name: first.id });
        expect((await store.getPolicy(first.id))?.id).toBe(first.id);
        expect((await store.getPolicyByName(first.id))?.id).toBe(second.id);
        expect(await store.getPolicy(unique('nosuch'))).toBeNull();
      });

      it('refuses a second live policy with the same name', async () => {
        const name = unique('dup');
        await store.createPolicy({ name });
        const error = await store.createPolicy({ name }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DuplicateError);
        expect(error).toMatchObject({ kind: 'policy', field: 'name', value: name });
      });

      it('refuses a caller-supplied id that is taken', async () => {
        const first = await store.createPolicy({ name: unique('idclash') });
        const error = await store.createPolicy({ id: first.id, name: unique('other') }).catch((e: unknown) => e);
        expect(error).toMatchObject({ kind: 'policy', field: 'id', value: first.id });
      });

      it('deletes the original way: rules soft-deleted, row moved to policiesdeleted, name reusable', async () => {
        const name = unique('gone');
        const policy = await store.createPolicy({ name });
        const rule = await store.createRule(name, { rule: 'p(1)' });
        const deleted = await store.deletePolicy(name);
        expect(deleted?.id).toBe(policy.id);
        expect(await store.getPolicy(policy.id)).toBeNull();
        expect(await store.getPolicy(name)).toBeNull();
        expect(await store.listRules(name)).toEqual([]);
        expect(await harness.raw('SELECT id FROM policies WHERE id = ?', [policy.id])).toEqual([]);
        const moved = await harness.raw('SELECT deleted, deleted_at FROM policiesdeleted WHERE id = ?', [policy.id]);
        expect(moved).toHaveLength(1);
        expect(moved[0].deleted).toBe(policy.id);
        expect(moved[0].deleted_at).not.toBeNull();
        const ruleRow = await harness.raw('SELECT deleted, deleted_at FROM policy_rules WHERE id = ?', [rule.id]);
        expect(ruleRow[0].deleted).toBe(rule.id);
        expect(ruleRow[0].deleted_at).not.toBeNull();
        // The name is free again at once, under a new id.
        const again = await store.createPolicy({ name });
        expect(again.id).not.toBe(policy.id);
        expect(await store.deletePolicy(policy.id)).toBeNull();
      });

      it('answers null when deleting an unknown policy', async () => {
        expect(await store.deletePolicy(unique('unknown'))).toBeNull();
      });
    });

    describe('rules', () => {
      it('creates, lists, gets and soft-deletes rules of a policy', async () => {
        const name = unique('rules');
        const policy = await store.createPolicy({ name });
        const text = 'p(x) :-\n    q(x),  lt(x, 2)';
        const r1 = await store.createRule(name, { rule: text, comment: 'c1', name: 'r1' });
        const r2 = await store.createRule(name, { rule: 'q(1)', comment: null });
        expect(r1).toMatchObject({ policyName: name, policyId: policy.id, rule: text, comment: 'c1', name: 'r1' });
        expect(r2).toMatchObject({ comment: '', name: null, policyId: policy.id });
        // A caller that knows the policy's id (the engine, under the lock) has it stored as given.
        const r3 = await store.createRule(name, { rule: 'q(3)', policyId: policy.id });
        expect(await store.getRule(r3.id, name)).toMatchObject({ policyId: policy.id });
        expect(await store.deleteRule(r3.id, name)).not.toBeNull();
        expect((await store.listRules(name)).map((r) => r.id).sort()).toEqual([r1.id, r2.id].sort());
        expect((await store.listRules()).map((r) => r.id)).toEqual(expect.arrayContaining([r1.id, r2.id]));
        expect(await store.getRule(r1.id, name)).toEqual(r1);
        expect(await store.getRule(r1.id)).toEqual(r1);
        expect(await store.getRule(r1.id, unique('other'))).toBeNull();

        expect(await store.deleteRule(r1.id, unique('other'))).toBeNull();
        const deleted = await store.deleteRule(r1.id, name);
        expect(deleted?.id).toBe(r1.id);
        expect(await store.getRule(r1.id)).toBeNull();
        expect((await store.listRules(name)).map((r) => r.id)).toEqual([r2.id]);
        expect(await store.deleteRule(r1.id)).toBeNull();
        const row = await harness.raw('SELECT deleted FROM policy_rules WHERE id = ?', [r1.id]);
        expect(row[0].deleted).toBe(r1.id);
      });

      it('stores rule text and unicode exactly', async () => {
        const name = unique('exact');
        await store.createPolicy({ name });
        const text = '  p("ünï ✓") :- q(x) ,\tr(x)  ';
        const rule = await store.createRule(name, { rule: text, comment: 'kommentar ✓', name: 'námé' });
        expect(await store.getRule(rule.id)).toMatchObject({ rule: text, comment: 'kommentar ✓', name: 'námé' });
      });
    });

    describe('datasources', () => {
      it('creates, finds by name or id, lists, updates and deletes datasources', async () => {
        const name = unique('nova');
        const created = await store.createDatasource({
          name,
          driver: 'nova',
          description: 'compute',
          config: { username: 'admin', password: 's3cret', auth_url: 'http://127.0.0.1:5000/v3', poll_time: 10 },
          secretFields: ['password'],
        });
        expect(created).toMatchObject({
          name,
          driver: 'nova',
          description: 'compute',
          enabled: true,
          config: { username: 'admin', password: 's3cret', auth_url: 'http://127.0.0.1:5000/v3', poll_time: 10 },
          encryptedFields: ['password'],
        });
        expect(await store.getDatasource(name)).toEqual(created);
        expect(await store.getDatasource(created.id)).toEqual(created);
        expect((await store.listDatasources()).map((d) => d.id)).toContain(created.id);

        const disabled = await store.updateDatasource(created.id, { enabled: false, description: null });
        expect(disabled).toMatchObject({ enabled: false, description: null, config: created.config });
        expect(await store.getDatasource(name)).toMatchObject({ enabled: false, description: null });
        expect(await store.updateDatasource(unique('nosuch'), { enabled: true })).toBeNull();

        await store.putTableData(created.id, 'servers', [['a', 1]]);
        const deleted = await store.deleteDatasource(name);
        expect(deleted?.id).toBe(created.id);
        expect(await store.getDatasource(created.id)).toBeNull();
        expect(await store.getTableData(created.id, 'servers')).toBeNull();
        expect(await store.deleteDatasource(name)).toBeNull();
      });

      it('stores a datasource without config as null', async () => {
        const created = await store.createDatasource({ name: unique('bare'), driver: 'doctor' });
        expect(created.config).toBeNull();
        const row = await harness.raw('SELECT config, enabled FROM datasources WHERE id = ?', [created.id]);
        expect(row[0].config).toBe('null');
        expect(Number(row[0].enabled)).toBe(1);
      });

      it('refuses a duplicate datasource name', async () => {
        const name = unique('ds');
        await store.createDatasource({ name, driver: 'doctor' });
        await expect(store.createDatasource({ name, driver: 'doctor' })).rejects.toMatchObject({
          kind: 'datasource',
          field: 'name',
        });
      });

      it('encrypts secrets at rest and decrypts them on read, also on another node', async () => {
        const name = unique('secret');
        const created = await store.createDatasource({
          name,
          driver: 'nova',
          config: { username: 'admin', password: 'pässwörd-in-clear' },
          secretFields: ['password', 'absent_secret'],
        });
        const row = await harness.raw('SELECT config FROM datasources WHERE id = ?', [created.id]);
        const rawConfig = String(row[0].config);
        expect(rawConfig).not.toContain('pässwörd-in-clear');
        const stored = JSON.parse(rawConfig) as Record<string, unknown>;
        expect(stored.username).toBe('admin');
        expect(stored.__encrypted_fields).toEqual(['password']);
        expect(typeof stored.password).toBe('string');

        // Another store with the same key file reads it back.
        const sameKey = await openStore(harness.keyDir);
        expect((await sameKey.getDatasource(name))?.config).toEqual({ username: 'admin', password: 'pässwörd-in-clear' });

        // A node with another key cannot, and says so.
        const otherKey = await openStore(`${harness.keyDir}-other-${crypto.randomBytes(3).toString('hex')}`);
        await expect(otherKey.getDatasource(name)).rejects.toBeInstanceOf(SecretError);
      });
    });

    describe('pushed table data', () => {
      it('round-trips, replaces, lists and deletes tables', async () => {
        const ds = (await store.createDatasource({ name: unique('push'), driver: 'doctor' })).id;
        expect(await store.getTableData(ds, 'events')).toBeNull();
        const rows = [
          ['id-1', 'compute.host.down', 3, 1.5, null, true],
          ['id-2', 'ünïcode ✓', -7, 0, 'x', false],
        ];
        await store.putTableData(ds, 'events', rows);
        expect(await store.getTableData(ds, 'events')).toEqual(rows);
        await store.putTableData(ds, 'events', [['only']]);
        expect(await store.getTableData(ds, 'events')).toEqual([['only']]);
        await store.putTableData(ds, 'hosts', []);
        const all = await store.listTableData(ds);
        expect([...all.keys()]).toEqual(['events', 'hosts']);
        expect(all.get('hosts')).toEqual([]);
        expect(await store.deleteTableData(ds, 'events')).toBe(1);
        expect(await store.getTableData(ds, 'events')).toBeNull();
        expect(await store.deleteTableData(ds)).toBe(1);
        expect((await store.listTableData(ds)).size).toBe(0);
      });

      it('stores a large table', async () => {
        const ds = unique('bigds');
        const rows = Array.from({ length: 5000 }, (_, i) => [`row-${i}`, i, 'x'.repeat(50)]);
        await store.putTableData(ds, 'big', rows);
        expect(await store.getTableData(ds, 'big')).toEqual(rows);
      });
    });

    describe('library policies', () => {
      it('creates, finds, replaces and deletes library policies', async () => {
        const name = unique('lib');
        const rules = [{ rule: 'x(1)', name: 'r1', comment: 'c1' }, { rule: 'y(a) :- x(a)' }, { rule: 'not even datalog (' }];
        const created = await store.createLibraryPolicy({ name, description: 'library one', rules });
        expect(created).toMatchObject({ name, abbreviation: name.slice(0, 5), description: 'library one', kind: 'nonrecursive' });
        expect(created.rules).toEqual(rules);
        // Exactly the keys given: no `name`/`comment` keys appear on the second rule.
        expect(Object.keys((await store.getLibraryPolicy(created.id))?.rules[1] ?? {})).toEqual(['rule']);
        expect(await store.getLibraryPolicyByName(name)).toEqual(created);
        expect((await store.listLibraryPolicies()).map((p) => p.id)).toContain(created.id);
        await expect(store.createLibraryPolicy({ name, rules: [] })).rejects.toMatchObject({ kind: 'library_policy' });

        const replaced = await store.replaceLibraryPolicy(created.id, { name: `${name}_v2`, kind: 'action', rules: [{ rule: 'z(2)' }] });
        expect(replaced).toMatchObject({ id: created.id, name: `${name}_v2`, kind: 'action', rules: [{ rule: 'z(2)' }] });
        expect(await store.getLibraryPolicyByName(name)).toBeNull();
        expect(await store.replaceLibraryPolicy(unique('nosuch'), { name: unique('n'), rules: [] })).toBeNull();

        expect((await store.deleteLibraryPolicy(created.id))?.name).toBe(`${name}_v2`);
        expect(await store.getLibraryPolicy(created.id)).toBeNull();
        expect(await store.deleteLibraryPolicy(created.id)).toBeNull();
      });
    });

    describe('revisions', () => {
      it('bumps the revision once per write and logs every change in order', async () => {
        const start = await store.currentRevision();
        const name = unique('rev');
        const policy = await store.createPolicy({ name });
        expect(policy.revision).toBe(start + 1);
        const rule = await store.createRule(name, { rule: 'a(1)' });
        expect(rule.revision).toBe(start + 2);
        const ds = await store.createDatasource({ name: unique('revds'), driver: 'doctor', config: { password: 'pw' }, secretFields: ['password'] });
        await store.deleteRule(rule.id);
        await store.deletePolicy(name);
        const end = await store.currentRevision();
        expect(end).toBe(start + 5);

        const set = await store.changesSince(start);
        expect(set).toMatchObject({ fromRevision: start, toRevision: end, complete: true });
        const mine = set.changes.filter((c) =>
          ('policy' in c && c.policy.id === policy.id) ||
          ('rule' in c && c.rule.id === rule.id) ||
          ('datasource' in c && c.datasource.id === ds.id),
        );
        expect(mine.map((c) => [c.type, c.revision])).toEqual([
          ['policy.created', start + 1],
          ['rule.created', start + 2],
          ['datasource.created', start + 3],
          ['rule.deleted', start + 4],
          ['policy.deleted', start + 5],
        ]);
        const dsChange = mine[2];
        expect(dsChange.type === 'datasource.created' && dsChange.datasource.config).toEqual({ password: 'pw' });
        const revisions = set.changes.map((c) => c.revision);
        expect([...revisions].sort((a, b) => a - b)).toEqual(revisions);

        const later = await store.changesSince(end);
        expect(later).toMatchObject({ complete: true, changes: [] });
        expect((await store.changesSince(end + 100)).complete).toBe(false);
      });

      it('gives all writes of one transaction one revision', async () => {
        const start = await store.currentRevision();
        const name = unique('txrev');
        const [p, r] = await store.transaction(async (tx) => {
          const created = await tx.createPolicy({ name });
          const added = await tx.createRule(name, { rule: 'b(1)' });
          expect(await tx.currentRevision()).toBe(start + 1);
          return [created, added];
        });
        expect(p.revision).toBe(start + 1);
        expect(r.revision).toBe(start + 1);
        expect(await store.currentRevision()).toBe(start + 1);
      });

      it('does not bump the revision for reads or pushed data', async () => {
        const start = await store.currentRevision();
        await store.listPolicies();
        await store.putTableData(unique('ds'), 't', [[1]]);
        await store.transaction(async (tx) => tx.listRules());
        expect(await store.currentRevision()).toBe(start);
      });

      it('hands out distinct revisions to concurrent writers on two connections', async () => {
        const other = await openStore();
        const start = await store.currentRevision();
        const created = await Promise.all(
          Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? store : other).createPolicy({ name: unique('conc') })),
        );
        const revisions = created.map((p) => p.revision).sort((a, b) => a - b);
        expect(new Set(revisions).size).toBe(10);
        expect(revisions[0]).toBeGreaterThan(start);
        expect(await store.currentRevision()).toBe(start + 10);
      });

      it('tells a transaction the changes it wrote exactly as the log returns them after the commit', async () => {
        const start = await store.currentRevision();
        const name = unique('written');
        const written = await store.withTableLock(async (tx) => {
          expect(await tx.changesWritten()).toEqual([]);
          await tx.createPolicy({ name });
          await tx.createRule(name, { rule: 'w(1)', name: 'first', comment: 'c' });
          return tx.changesWritten();
        });
        expect(written.map((c) => c.type)).toEqual(['policy.created', 'rule.created']);
        expect((await store.changesSince(start)).changes).toEqual(written);
        expect(await store.changesWritten()).toEqual([]);
      });

      it('reports an incomplete change set once the log is pruned', async () => {
        const start = await store.currentRevision();
        await store.createPolicy({ name: unique('prune') });
        await store.createPolicy({ name: unique('prune') });
        const end = await store.currentRevision();
        expect(await store.pruneChanges(start + 1)).toBeGreaterThanOrEqual(1);
        expect((await store.changesSince(start)).complete).toBe(false);
        const tail = await store.changesSince(start + 1);
        expect(tail.complete).toBe(true);
        expect(tail.changes.map((c) => c.revision)).toEqual([end]);
      });

      it('never moves the pruned mark back', async () => {
        const start = await store.currentRevision();
        await store.createPolicy({ name: unique('prune') });
        await store.createPolicy({ name: unique('prune') });
        const end = await store.currentRevision();
        await store.pruneChanges(end);
        // A second pruner that read an older revision finishes later.
        expect(await store.pruneChanges(start + 1)).toBe(0);
        expect((await store.changesSince(start + 1)).complete).toBe(false);
        expect((await store.changesSince(end)).complete).toBe(true);
      });

      it('prunes by age: changes newer than the age stay', async () => {
        const start = await store.currentRevision();
        await store.createPolicy({ name: unique('age') });
        const end = await store.currentRevision();
        expect(await store.pruneChangesOlderThan(3600)).toBe(0);
        expect((await store.changesSince(start)).changes.map((c) => c.revision)).toEqual([end]);
        // Seen from two hours on, everything logged so far is older than an hour.
        expect(await store.pruneChangesOlderThan(3600, new Date(Date.now() + 7_200_000))).toBeGreaterThanOrEqual(1);
        expect((await store.changesSince(start)).complete).toBe(false);
        expect((await store.changesSince(end)).complete).toBe(true);
      });

      it('takes a consistent snapshot', async () => {
        const name = unique('snap');
        await store.createPolicy({ name });
        await store.createRule(name, { rule: 's(1)' });
        const snapshot = await store.snapshot();
        expect(snapshot.revision).toBe(await store.currentRevision());
        expect(snapshot.policies.map((p) => p.name)).toContain(name);
        expect(snapshot.rules.filter((r) => r.policyName === name)).toHaveLength(1);
        expect(Array.isArray(snapshot.datasources)).toBe(true);
      });
    });

    describe('transactions', () => {
      it('rolls everything back when the function throws', async () => {
        const start = await store.currentRevision();
        const name = unique('rollback');
        await expect(
          store.transaction(async (tx) => {
            await tx.createPolicy({ name });
            await tx.createRule(name, { rule: 'r(1)' });
            await tx.createDatasource({ name: `${name}_ds`, driver: 'doctor' });
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect(await store.getPolicy(name)).toBeNull();
        expect(await store.listRules(name)).toEqual([]);
        expect(await store.getDatasource(`${name}_ds`)).toBeNull();
        expect(await store.currentRevision()).toBe(start);
        expect((await store.changesSince(start)).changes).toEqual([]);
      });

      it('rolls back earlier writes when a later write fails', async () => {
        const taken = unique('taken');
        await store.createPolicy({ name: taken });
        const fresh = unique('fresh');
        await expect(
          store.transaction(async (tx) => {
            await tx.createPolicy({ name: fresh });
            await tx.createPolicy({ name: taken });
          }),
        ).rejects.toBeInstanceOf(DuplicateError);
        expect(await store.getPolicy(fresh)).toBeNull();
      });

      it('sees its own writes inside the transaction', async () => {
        const name = unique('own');
        await store.transaction(async (tx) => {
          await tx.createPolicy({ name });
          expect((await tx.getPolicy(name))?.name).toBe(name);
        });
      });

      it('reads the change log it has written inside the transaction', async () => {
        const start = await store.currentRevision();
        const name = unique('logread');
        await store.transaction(async (tx) => {
          await tx.createPolicy({ name });
          const seen = await tx.changesSince(start);
          expect(seen.changes.map((c) => [c.type, 'policy' in c ? c.policy.name : null])).toEqual([['policy.created', name]]);
        });
      });

      // The change log goes with the COMMIT (one round trip on MySQL): when it cannot be written
      // the commit fails and the whole transaction, revision bump included, is undone.
      for (const how of ['transaction', 'withTableLock'] as const) {
        it(`rolls back when its change log entry cannot be written (${how})`, async () => {
          const start = await store.currentRevision();
          // Occupies the log entry the next write will try to make.
          await harness.raw(
            "INSERT INTO congress_changes (revision, seq, object_type, action, object_id, object_name, payload, created_at) VALUES (?, 1, 'policy', 'created', 'x', 'x', '{}', '2026-01-01 00:00:00')",
            [start + 1],
          );
          const name = unique('logfail');
          try {
            await expect(store[how]((tx) => tx.createPolicy({ name }))).rejects.toThrow();
            expect(await store.getPolicy(name)).toBeNull();
            expect(await store.currentRevision()).toBe(start);
            // The connection is usable afterwards (and, after the table lock, unlocked).
            await harness.raw('DELETE FROM congress_changes WHERE revision = ?', [start + 1]);
            const after = unique('afterfail');
            await store[how]((tx) => tx.createPolicy({ name: after }));
            expect((await store.getPolicy(after))?.name).toBe(after);
          } finally {
            await harness.raw("DELETE FROM congress_changes WHERE revision = ? AND object_id = 'x'", [start + 1]);
          }
        });
      }

      it('refuses a transaction handle used after the transaction', async () => {
        let leaked: { listPolicies(): Promise<unknown> } | null = null;
        await store.transaction(async (tx) => {
          leaked = tx;
        });
        expect(() => leaked?.listPolicies()).toThrow(StoreUsageError);
      });
    });

    describe('exclusive transactions', () => {
      it('serialise writers from their start without blocking readers', async () => {
        const other = await openStore();
        const reader = await openStore();
        const name = unique('excl');
        const events: string[] = [];
        let entered!: () => void;
        const inside = new Promise<void>((resolve) => (entered = resolve));
        let readDone!: () => void;
        const read = new Promise<void>((resolve) => (readDone = resolve));
        const a = store.transaction(
          async (tx) => {
            events.push('A in');
            entered();
            // Hold on until the reader got through (bounded, in case readers were blocked).
            await Promise.race([read, sleep(5000)]);
            await sleep(100);
            await tx.createPolicy({ name });
            events.push('A out');
          },
          { exclusive: true },
        );
        await inside;
        const b = other.transaction(
          async (tx) => {
            events.push('B in');
            // B validated after A committed: it sees A's policy.
            return tx.getPolicyByName(name);
          },
          { exclusive: true },
        );
        await reader.listPolicies();
        events.push('read done');
        readDone();
        const [, seen] = await Promise.all([a, b]);
        expect(events).toEqual(['A in', 'read done', 'A out', 'B in']);
        expect(seen?.name).toBe(name);
      });
    });

    describe('table lock', () => {
      it('serialises two writers on two connections', async () => {
        const other = await openStore();
        const nameA = unique('lockA');
        const events: string[] = [];
        let entered!: () => void;
        const aInside = new Promise<void>((resolve) => (entered = resolve));
        const a = store.withTableLock(async (tx) => {
          events.push('A in');
          await tx.createPolicy({ name: nameA });
          entered();
          await sleep(400);
          events.push('A out');
        });
        await aInside;
        const b = other.withTableLock(async (tx) => {
          events.push('B in');
          // Validation under the lock sees what the previous holder committed.
          return tx.getPolicyByName(nameA);
        });
        const [, seenByB] = await Promise.all([a, b]);
        expect(events).toEqual(['A in', 'A out', 'B in']);
        expect(seenByB?.name).toBe(nameA);
      });

      it('makes plain transactions on another connection wait for the lock holder', async () => {
        const other = await openStore();
        const events: string[] = [];
        let entered!: () => void;
        const inside = new Promise<void>((resolve) => (entered = resolve));
        const a = store.withTableLock(async (tx) => {
          await tx.createPolicy({ name: unique('holder') });
          entered();
          await sleep(300);
          events.push('lock released');
        });
        await inside;
        const b = other.createPolicy({ name: unique('waiter') }).then(() => events.push('writer done'));
        await Promise.all([a, b]);
        expect(events).toEqual(['lock released', 'writer done']);
      });

      it('commits the work done under the lock and rolls it back on failure', async () => {
        const kept = unique('kept');
        const dropped = unique('dropped');
        await store.withTableLock(async (tx) => {
          await tx.createPolicy({ name: kept });
          await tx.createRule(kept, { rule: 'k(1)' });
        });
        await expect(
          store.withTableLock(async (tx) => {
            await tx.createPolicy({ name: dropped });
            throw new Error('validation failed');
          }),
        ).rejects.toThrow('validation failed');
        expect(await store.listRules(kept)).toHaveLength(1);
        expect(await store.getPolicy(dropped)).toBeNull();
        // The connection is usable and unlocked afterwards.
        await store.createPolicy({ name: unique('after') });
      });

      it('deletes policies under the lock', async () => {
        const name = unique('lockdel');
        await store.createPolicy({ name });
        await store.createRule(name, { rule: 'd(1)' });
        const deleted = await store.withTableLock((tx) => tx.deletePolicy(name));
        expect(deleted?.name).toBe(name);
        expect(await store.getPolicy(name)).toBeNull();
      });

      it('refuses pushed data and library policies under the lock', async () => {
        await expect(store.withTableLock((tx) => tx.putTableData('x', 't', []))).rejects.toBeInstanceOf(StoreUsageError);
        await expect(store.withTableLock((tx) => tx.listLibraryPolicies())).rejects.toBeInstanceOf(StoreUsageError);
      });

      it('gives up waiting for the lock after the configured time', async () => {
        const impatient = await openStore(undefined, 1);
        let entered!: () => void;
        const inside = new Promise<void>((resolve) => (entered = resolve));
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        const holder = store.withTableLock(async () => {
          entered();
          await released;
        });
        await inside;
        const started = Date.now();
        const error = await impatient.withTableLock(async () => 'never').catch((e: unknown) => e);
        release();
        await holder;
        expect(error).toBeInstanceOf(LockTimeoutError);
        expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      });
    });
  });
}

/**
 * Schema states, migrations and adoption of an original Congress database, run unchanged
 * against SQLite (unit project) and MariaDB (integration project).
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import {
  KeyFileCipher,
  SchemaError,
  createPolicyStore,
  knownMigrations,
  migrate,
  openDataSource,
  openPolicyStore,
  schemaState,
} from '../../../src/db';
import type { Dialect } from '../../../src/db/sql/executor';
import { FERNET_KEY, FERNET_PLAINTEXT, IDS, originalMigrationChain, originalRows } from './original-congress';

/** A fresh, empty database reached both by URL and directly. */
export interface RawDatabase {
  readonly dialect: Dialect;
  readonly url: string;
  /** Runs one statement directly (not through the code under test); returns rows for queries. */
  exec(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  teardown(): Promise<void>;
}

type Shape = Record<string, unknown>[];

/** Columns, keys, indexes (and engines on MySQL) of every table but the migration history. */
async function shapeOf(db: RawDatabase): Promise<Shape[]> {
  if (db.dialect === 'mysql') {
    return [
      await db.exec(
        "SELECT table_name, column_name, ordinal_position, column_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name <> 'congress_migrations' ORDER BY table_name, ordinal_position",
      ),
      await db.exec(
        "SELECT table_name, index_name, non_unique, seq_in_index, column_name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name <> 'congress_migrations' ORDER BY table_name, index_name, seq_in_index",
      ),
      await db.exec(
        "SELECT table_name, engine FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> 'congress_migrations' ORDER BY table_name",
      ),
    ];
  }
  return [
    await db.exec(
      "SELECT m.name AS t, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT IN ('congress_migrations', 'sqlite_sequence') ORDER BY m.name, p.cid",
    ),
    await db.exec(
      "SELECT m.name AS t, l.name, l.\"unique\", l.origin, i.seqno, i.name AS col FROM sqlite_master m JOIN pragma_index_list(m.name) l JOIN pragma_index_info(l.name) i WHERE m.type = 'table' AND m.name NOT IN ('congress_migrations', 'sqlite_sequence') ORDER BY m.name, l.name, i.seqno",
    ),
  ];
}

async function buildOriginal(db: RawDatabase, chain = originalMigrationChain(db.dialect)): Promise<void> {
  for (const statement of chain) await db.exec(statement);
}

/** Registers the suite; `create` makes a fresh empty database each time it is called. */
export function describeSchemaSuite(title: string, create: () => Promise<RawDatabase>): void {
  describe(title, () => {
    const cleanups: Array<() => Promise<void>> = [];

    async function fresh(): Promise<RawDatabase> {
      const db = await create();
      cleanups.push(() => db.teardown());
      return db;
    }

    async function open(db: RawDatabase): Promise<DataSource> {
      const ds = await openDataSource({ connection: db.url });
      cleanups.unshift(async () => {
        if (ds.isInitialized) await ds.destroy();
      });
      return ds;
    }

    afterEach(async () => {
      while (cleanups.length > 0) await cleanups.shift()?.();
    });

    describe('migrations', () => {
      it('creates the whole schema on an empty database, once', async () => {
        const ds = await open(await fresh());
        expect(await schemaState(ds)).toEqual({ state: 'empty' });
        const report = await migrate(ds);
        expect(report).toEqual({ before: 'empty', applied: [...knownMigrations()], adopted: false });
        expect(await schemaState(ds)).toEqual({ state: 'up-to-date', applied: [...knownMigrations()] });
        expect(await migrate(ds)).toEqual({ before: 'up-to-date', applied: [], adopted: false });
      });

      it('describes the migrated schema exactly with its entities', async () => {
        const ds = await open(await fresh());
        await migrate(ds);
        const pending = await ds.driver.createSchemaBuilder().log();
        expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      });

      it('reports pending migrations and runs only those', async () => {
        const ds = await open(await fresh());
        await migrate(ds);
        await ds.undoLastMigration();
        const [first, ...rest] = knownMigrations();
        expect(await schemaState(ds)).toEqual({ state: 'needs-upgrade', applied: [first], pending: rest });
        expect((await migrate(ds)).applied).toEqual(rest);
        expect((await schemaState(ds)).state).toBe('up-to-date');
      });

      it('builds with migration 1 exactly the schema the original chain leaves', async () => {
        const original = await fresh();
        await buildOriginal(original);
        const ours = await fresh();
        const ds = await open(ours);
        await migrate(ds);
        // Back to migration 1 alone: the original schema as Congress-TS creates it.
        await ds.undoLastMigration();
        expect(await shapeOf(ours)).toEqual(await shapeOf(original));
        expect(await ours.exec('SELECT version_num FROM alembic_version')).toEqual([{ version_num: 'c0125080d572' }]);
      });

      it('refuses a database migrated by a newer Congress-TS', async () => {
        const db = await fresh();
        const ds = await open(db);
        await migrate(ds);
        await db.exec('INSERT INTO congress_migrations (timestamp, name) VALUES (?, ?)', [1999999999999, 'Future1999999999999']);
        const state = await schemaState(ds);
        expect(state).toMatchObject({ state: 'unrecognised' });
        expect(state.state === 'unrecognised' && state.reason).toContain('Future1999999999999');
        await expect(migrate(ds)).rejects.toBeInstanceOf(SchemaError);
      });

      it('refuses Congress tables without any migration history', async () => {
        const db = await fresh();
        await db.exec("CREATE TABLE policies (id VARCHAR(36) NOT NULL, PRIMARY KEY (id))");
        const ds = await open(db);
        expect((await schemaState(ds)).state).toBe('unrecognised');
        await expect(migrate(ds)).rejects.toBeInstanceOf(SchemaError);
      });

      it('lets openPolicyStore refuse an unmigrated database unless asked to migrate', async () => {
        const db = await fresh();
        const keyDir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-keys-'));
        await expect(openPolicyStore({ connection: db.url, encryptionKeyPath: keyDir })).rejects.toThrow(
          /not up to date \(empty\).*migration/,
        );
        const store = await openPolicyStore({ connection: db.url, encryptionKeyPath: keyDir, migrate: true });
        try {
          expect((await store.createPolicy({ name: 'first' })).revision).toBe(1);
        } finally {
          await store.close();
          await fs.rm(keyDir, { recursive: true, force: true });
        }
      });
    });

    describe('adopting an original Congress database', () => {
      it('refuses one at an older alembic revision, untouched', async () => {
        const db = await fresh();
        const chain = originalMigrationChain(db.dialect);
        // Stop before the policy-name-uniqueness migration.
        await buildOriginal(db, chain.slice(0, chain.findIndex((s) => s.startsWith('CREATE TABLE policiesdeleted'))));
        const ds = await open(db);
        const state = await schemaState(ds);
        expect(state.state).toBe('unrecognised');
        expect(state.state === 'unrecognised' && state.reason).toContain("congress-db-manage upgrade head");
        await expect(migrate(ds)).rejects.toBeInstanceOf(SchemaError);
        expect(await ds.createQueryRunner().hasTable('congress_migrations')).toBe(false);
      });

      it('detects it, migrates it in place and serves its policies, rules and datasources', async () => {
        const db = await fresh();
        await buildOriginal(db);
        for (const [sql, params] of originalRows(db.dialect)) await db.exec(sql, params);
        const keyDir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-keys-'));
        cleanups.push(() => fs.rm(keyDir, { recursive: true, force: true }));
        // The operator's existing key file, as the original wrote it.
        await fs.writeFile(path.join(keyDir, 'aes_key'), FERNET_KEY, { mode: 0o600 });

        const ds = await open(db);
        expect(await schemaState(ds)).toEqual({ state: 'original-congress-db', alembicVersion: 'c0125080d572' });
        const report = await migrate(ds);
        expect(report).toEqual({ before: 'original-congress-db', applied: knownMigrations().slice(1), adopted: true });
        expect((await schemaState(ds)).state).toBe('up-to-date');

        const counts: Record<string, number> = {};
        for (const table of ['policies', 'policiesdeleted', 'policy_rules', 'datasources', 'dstabledata', 'library_policies']) {
          counts[table] = Number((await db.exec(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
        }
        expect(counts).toEqual({ policies: 3, policiesdeleted: 1, policy_rules: 4, datasources: 2, dstabledata: 1, library_policies: 1 });
        expect(await db.exec('SELECT version_num FROM alembic_version')).toEqual([{ version_num: 'c0125080d572' }]);

        const store = createPolicyStore(ds, { cipher: new KeyFileCipher(keyDir) });
        expect((await store.listPolicies()).map((p) => p.name)).toEqual(['classification', 'action', 'alpha']);
        expect(await store.getPolicy('alpha')).toMatchObject({
          id: IDS.alpha,
          abbreviation: 'alp',
          description: 'first policy',
          ownerId: 'user',
          kind: 'nonrecursive',
          revision: 0,
        });
        expect(await store.getPolicy(IDS.oldAlpha)).toBeNull();
        const rules = await store.listRules('alpha');
        expect(rules.map((r) => [r.id, r.rule, r.comment, r.name, r.policyId])).toEqual([
          [IDS.rule1, 'p(x) :- q(x), lt(x, 2)', 'p from q', 'prule', IDS.alpha],
          [IDS.rule2, 'q(1)', '', null, IDS.alpha],
        ]);
        expect(await store.getRule(IDS.deletedRule)).toBeNull();

        expect(await store.getDatasource('nova')).toMatchObject({
          id: IDS.nova,
          driver: 'nova',
          enabled: true,
          config: { username: 'admin', password: FERNET_PLAINTEXT, auth_url: 'http://127.0.0.1/identity', project_name: 'admin' },
          encryptedFields: ['password'],
        });
        expect(await store.getDatasource(IDS.doctor)).toMatchObject({ name: 'doc', config: { persist_data: 'true' }, encryptedFields: [] });
        expect(await store.getTableData(IDS.doctor, 'events')).toEqual([
          ['0123-4567', 'compute.host.down', '2016-05-24T11:22:33Z'],
          ['89ab-cdef', 'compute.host.up', 7],
        ]);
        expect(await store.getLibraryPolicyByName('lib1')).toMatchObject({
          id: IDS.library,
          rules: [{ rule: 'x(1)', name: 'r1', comment: 'c1' }, { rule: 'y(a) :- x(a)' }],
        });

        // Life goes on: new writes get revisions, and deleting reuses the original mechanism.
        expect(await store.currentRevision()).toBe(0);
        const deleted = await store.deletePolicy('alpha');
        expect(deleted?.revision).toBe(1);
        const again = await store.createPolicy({ name: 'alpha' });
        expect(again.revision).toBe(2);
        expect(await db.exec("SELECT id FROM policiesdeleted WHERE name = 'alpha' ORDER BY created_at")).toHaveLength(2);
        const ds2 = await store.createDatasource({ name: 'nova2', driver: 'nova', config: { password: 'new' }, secretFields: ['password'] });
        expect((await store.getDatasource(ds2.id))?.config).toEqual({ password: 'new' });
        const changes = await store.changesSince(0);
        expect(changes.changes.map((c) => c.type)).toEqual([
          'rule.deleted',
          'rule.deleted',
          'policy.deleted',
          'policy.created',
          'datasource.created',
        ]);
      });
    });
  });
}

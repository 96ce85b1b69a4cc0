/**
 * Where a database's schema stands, and bringing it to the head migration — including adopting
 * a database the original Congress created, in place and without losing rows.
 */
import { type DataSource, MigrationExecutor, type QueryRunner } from 'typeorm';
import { dialectOf } from './data-source';
import { SchemaError } from './errors';
import { MIGRATIONS, MIGRATIONS_TABLE, ORIGINAL_SCHEMA_MIGRATION } from './migrations';
import { ORIGINAL_ALEMBIC_HEAD, ORIGINAL_TABLES } from './migrations/original-schema';

/** What `schemaState` found. */
export type SchemaState =
  /** No Congress table at all: `migrate` creates everything. */
  | { readonly state: 'empty' }
  /** Every migration of this code has run. */
  | { readonly state: 'up-to-date'; readonly applied: readonly string[] }
  /** Created by Congress-TS, with migrations still to run. */
  | { readonly state: 'needs-upgrade'; readonly applied: readonly string[]; readonly pending: readonly string[] }
  /** Created by the original Congress at its alembic head: `migrate` adopts it in place. */
  | { readonly state: 'original-congress-db'; readonly alembicVersion: string }
  /** Anything else (an older original revision, a newer Congress-TS, stray tables). */
  | { readonly state: 'unrecognised'; readonly reason: string };

/** What `migrate` did. */
export interface MigrationReport {
  /** State before migrating. */
  readonly before: SchemaState['state'];
  /** Migrations run, oldest first. */
  readonly applied: readonly string[];
  /** True when an original Congress database was adopted. */
  readonly adopted: boolean;
}

const MIGRATION_NAMES: readonly string[] = MIGRATIONS.map((Migration) => new Migration().name ?? Migration.name);

async function tableNames(runner: QueryRunner, dataSource: DataSource): Promise<Set<string>> {
  const rows: unknown =
    dialectOf(dataSource) === 'sqlite'
      ? await runner.query("SELECT name AS t FROM sqlite_master WHERE type = 'table'")
      : await runner.query('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()');
  const names = new Set<string>();
  if (Array.isArray(rows)) {
    for (const row of rows) {
      const name: unknown = (row as Record<string, unknown>).t;
      if (typeof name === 'string') names.add(name);
    }
  }
  return names;
}

async function columnValues(runner: QueryRunner, statement: string, column: string): Promise<string[]> {
  const rows: unknown = await runner.query(statement);
  if (!Array.isArray(rows)) return [];
  return rows.map((row) => String((row as Record<string, unknown>)[column]));
}

/** Inspects the database without changing it. */
export async function schemaState(dataSource: DataSource): Promise<SchemaState> {
  const runner = dataSource.createQueryRunner();
  try {
    return await inspect(runner, dataSource);
  } finally {
    await runner.release();
  }
}

// On the caller's connection, so `migrate` can inspect while holding its lock.
async function inspect(runner: QueryRunner, dataSource: DataSource): Promise<SchemaState> {
  const tables = await tableNames(runner, dataSource);
  if (tables.has(MIGRATIONS_TABLE)) {
    const applied = await columnValues(runner, `SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`, 'name');
    const unknown = applied.filter((name) => !MIGRATION_NAMES.includes(name));
    if (unknown.length > 0) {
      return {
        state: 'unrecognised',
        reason: `the database has migrations this version does not know (${unknown.join(', ')}): it was upgraded by a newer Congress-TS`,
      };
    }
    const pending = MIGRATION_NAMES.filter((name) => !applied.includes(name));
    if (pending.length === 0) return { state: 'up-to-date', applied };
    // A migrations table with nothing applied is what a crash during the first migration leaves.
    if (applied.length > 0 || !ORIGINAL_TABLES.some((t) => tables.has(t))) {
      return { state: 'needs-upgrade', applied, pending };
    }
  }
  if (tables.has('alembic_version')) {
    const versions = await columnValues(runner, 'SELECT version_num FROM alembic_version', 'version_num');
    const missing = ORIGINAL_TABLES.filter((t) => !tables.has(t));
    if (versions.length === 1 && versions[0] === ORIGINAL_ALEMBIC_HEAD && missing.length === 0) {
      return { state: 'original-congress-db', alembicVersion: versions[0] };
    }
    return {
      state: 'unrecognised',
      reason:
        `original Congress database at alembic revision ${versions.join(',') || '(none)'}` +
        (missing.length > 0 ? ` without tables ${missing.join(', ')}` : '') +
        `: bring it to ${ORIGINAL_ALEMBIC_HEAD} with the original's 'congress-db-manage upgrade head' first`,
    };
  }
  const ours = [...ORIGINAL_TABLES, 'congress_revision', 'congress_changes'].filter((t) => tables.has(t));
  if (ours.length === 0) return { state: 'empty' };
  return { state: 'unrecognised', reason: `Congress tables without migration history: ${ours.join(', ')}` };
}

/**
 * Runs `fn` on one connection, holding a MySQL named lock so two nodes never migrate at once.
 * Everything happens on that one connection, so a pool of one connection is enough.
 */
async function exclusively<T>(dataSource: DataSource, fn: (runner: QueryRunner) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    if (dialectOf(dataSource) === 'sqlite') return await fn(runner);
    // Named locks are server-wide: name it after the database, so that deployments (and test
    // runs) sharing one MariaDB server with different databases do not wait for each other.
    const lock = "CONCAT('congress_migrate.', COALESCE(DATABASE(), ''))";
    const got = await columnValues(runner, `SELECT GET_LOCK(${lock}, 300) AS got`, 'got');
    if (got[0] !== '1') throw new SchemaError('another node has been migrating for 300 s; try again later');
    try {
      return await fn(runner);
    } finally {
      await runner.query(`SELECT RELEASE_LOCK(${lock})`);
    }
  } finally {
    await runner.release();
  }
}

/**
 * Brings the schema to the head migration. An empty database gets everything; an original
 * Congress database (alembic head `c0125080d572`) has migration 1 recorded as applied — its
 * tables already are that schema — and then gets ours. Anything unrecognised throws
 * `SchemaError` and is left untouched. On SQLite, run it before opening stores on the same
 * DataSource (it does not take their turns on the connection).
 */
export async function migrate(dataSource: DataSource): Promise<MigrationReport> {
  return exclusively(dataSource, async (runner) => {
    const state = await inspect(runner, dataSource);
    if (state.state === 'unrecognised') throw new SchemaError(`cannot migrate: ${state.reason}`);
    if (state.state === 'up-to-date') return { before: state.state, applied: [], adopted: false };
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    const adopted = state.state === 'original-congress-db';
    if (adopted) {
      // showMigrations creates the migrations table; then record migration 1 as done.
      await executor.showMigrations();
      await runner.query(`INSERT INTO ${MIGRATIONS_TABLE} (timestamp, name) VALUES (?, ?)`, [
        Number(ORIGINAL_SCHEMA_MIGRATION.slice(-13)),
        ORIGINAL_SCHEMA_MIGRATION,
      ]);
    }
    const ran = await executor.executePendingMigrations();
    return { before: state.state, applied: ran.map((m) => m.name), adopted };
  });
}

/** Names of all migrations this code knows, oldest first. */
export function knownMigrations(): readonly string[] {
  return MIGRATION_NAMES;
}

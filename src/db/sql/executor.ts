/**
 * The narrow SQL surface the repositories use: parameterised statements on one connection.
 * Both drivers take `?` placeholders, so one statement text serves MySQL and SQLite.
 */
import type { QueryRunner } from 'typeorm';

/** The two database families this layer runs on. */
export type Dialect = 'mysql' | 'sqlite';

/** A value bound to a `?` placeholder. */
export type SqlValue = string | number | boolean | null;

/** One result row, column name to driver value. */
export type Row = Readonly<Record<string, unknown>>;

/** Runs statements on one connection (inside whatever transaction that connection is in). */
export interface Sql {
  readonly dialect: Dialect;
  /** Runs a query and returns its rows. */
  select(statement: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Runs a statement and returns the number of rows it changed. */
  execute(statement: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * MySQL only: runs a statement and returns the id it reports, which `LAST_INSERT_ID(expr)`
   * sets to `expr`: a counter bumped and read in one round trip.
   */
  executeForId(statement: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Queues a write whose outcome nothing reads before the transaction ends (the change log):
   * it runs before the next statement on this connection, or together with the COMMIT in one
   * round trip. A failure then fails the commit, and the transaction rolls back.
   */
  executeLater(statement: string, params?: readonly SqlValue[]): void;
}

/** A statement queued by `executeLater`. */
export interface LaterStatement {
  readonly statement: string;
  readonly params: readonly SqlValue[];
}

/** The `Sql` of a session's connection: the session commits what is still queued. */
export interface SessionSql extends Sql {
  /** Removes and returns the queued statements, oldest first. */
  takeLater(): LaterStatement[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The part of a mysql2 (callback API) connection that runs a prepared statement. */
interface PreparingConnection {
  execute(statement: string, params: SqlValue[], done: (err: unknown, rows: unknown) => void): void;
}

function isPreparing(connection: unknown): connection is PreparingConnection {
  return isRecord(connection) && typeof connection.execute === 'function';
}

/**
 * Reads on MySQL run as prepared statements on the runner's connection (mysql2 keeps them per
 * connection, see `maxPreparedStatements` in data-source.ts): the server skips parsing and
 * planning, and the binary protocol is cheaper on both sides (a policy read by name: 33 against
 * 52 µs of MariaDB's CPU, 39 against 55 µs in the client, measured). Writes keep the text
 * protocol: the batched lock statements need it, and they are not the hot path.
 */
async function preparedSelect(runner: QueryRunner, statement: string, params: readonly SqlValue[]): Promise<unknown> {
  const connection: unknown = await runner.connect();
  if (!isPreparing(connection)) return (await runner.query(statement, [...params], true) as { records?: unknown }).records;
  return new Promise((resolve, reject) => {
    connection.execute(statement, [...params], (err, rows) => (err ? reject(err) : resolve(rows)));
  });
}

/** The part of a better-sqlite3 database that prepares statements. */
interface SqliteDatabase {
  prepare(statement: string): { all(...params: unknown[]): unknown };
}

function isSqliteDatabase(connection: unknown): connection is SqliteDatabase {
  return isRecord(connection) && typeof connection.prepare === 'function';
}

type SqliteStatement = ReturnType<SqliteDatabase['prepare']>;

/** Prepared reads per better-sqlite3 database; the repositories use a few dozen statement texts. */
const sqliteReads = new WeakMap<SqliteDatabase, Map<string, SqliteStatement>>();

/**
 * Reads on SQLite run as statements prepared once, straight on better-sqlite3: typeorm's query
 * path around the same cached statement (its logger and broadcaster hooks, the awaits between
 * them) took about two thirds of a policy read's 26 µs, measured under load.
 */
async function sqliteSelect(runner: QueryRunner, statement: string, params: readonly SqlValue[]): Promise<unknown> {
  const connection: unknown = await runner.connect();
  if (!isSqliteDatabase(connection)) return (await runner.query(statement, [...params], true) as { records?: unknown }).records;
  let prepared = sqliteReads.get(connection);
  if (prepared === undefined) sqliteReads.set(connection, (prepared = new Map()));
  let stmt = prepared.get(statement);
  if (stmt === undefined) prepared.set(statement, (stmt = connection.prepare(statement)));
  // better-sqlite3 binds no booleans.
  return stmt.all(...params.map((p) => (typeof p === 'boolean' ? Number(p) : p)));
}

/** Wraps a connected typeorm query runner. */
export function sqlOn(runner: QueryRunner, dialect: Dialect): SessionSql {
  let later: LaterStatement[] = [];
  const run = async (statement: string, params: readonly SqlValue[]): Promise<Record<string, unknown>> => {
    // typeorm types query() as returning any; the structured result is a QueryResult object.
    const result: unknown = await runner.query(statement, [...params], true);
    if (!isRecord(result)) throw new Error(`unexpected driver result for: ${statement}`);
    return result;
  };
  // Queued writes go first, so every statement sees them, in the order they were issued.
  const flush = async (): Promise<void> => {
    while (later.length > 0) {
      const next = later.shift() as LaterStatement;
      await run(next.statement, next.params);
    }
  };
  return {
    dialect,
    async select(statement, params = []) {
      await flush();
      const records = dialect === 'mysql' ? await preparedSelect(runner, statement, params) : await sqliteSelect(runner, statement, params);
      return Array.isArray(records) ? records.filter(isRecord) : [];
    },
    async execute(statement, params = []) {
      await flush();
      const affected = (await run(statement, params)).affected;
      return typeof affected === 'number' ? affected : 0;
    },
    async executeForId(statement, params = []) {
      await flush();
      const raw = (await run(statement, params)).raw;
      return isRecord(raw) && typeof raw.insertId === 'number' ? raw.insertId : 0;
    },
    executeLater(statement, params = []) {
      later.push({ statement, params: [...params] });
    },
    takeLater() {
      const taken = later;
      later = [];
      return taken;
    },
  };
}

/** What a driver error means to the retry and mapping logic. */
export type ErrorClass = 'duplicate' | 'deadlock' | 'busy' | 'lock_wait_timeout' | 'other';

/** The driver's own error (mysql2 or better-sqlite3) inside typeorm's QueryFailedError. */
function driverError(err: unknown): Record<string, unknown> | null {
  if (!isRecord(err)) return null;
  const inner = err.driverError;
  return isRecord(inner) ? inner : err;
}

/** Classifies a driver error for both dialects. */
export function classifyError(err: unknown): ErrorClass {
  const inner = driverError(err);
  if (!inner) return 'other';
  const code = typeof inner.code === 'string' ? inner.code : '';
  const errno = typeof inner.errno === 'number' ? inner.errno : 0;
  if (code === 'ER_DUP_ENTRY' || errno === 1062) return 'duplicate';
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'duplicate';
  if (code === 'ER_LOCK_DEADLOCK' || errno === 1213) return 'deadlock';
  if (code === 'ER_LOCK_WAIT_TIMEOUT' || errno === 1205) return 'lock_wait_timeout';
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code.startsWith('SQLITE_BUSY_')) return 'busy';
  return 'other';
}

/** For a duplicate-key error: whether the primary key (`id`) or another unique key clashed. */
export function duplicateKeyField(err: unknown): 'id' | 'name' {
  const inner = driverError(err);
  const message = inner && typeof inner.message === 'string' ? inner.message : '';
  // MySQL: "Duplicate entry 'x' for key 'PRIMARY'"; SQLite: "UNIQUE constraint failed: t.id".
  return /PRIMARY|\.id\b|PRIMARY KEY/i.test(message) ? 'id' : 'name';
}

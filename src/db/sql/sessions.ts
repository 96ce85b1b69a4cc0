/**
 * Connections, transactions and the global table lock, for both dialects.
 *
 * MySQL: one pooled connection per call. A write transaction runs at READ COMMITTED so that a
 * writer which waited for the revision row sees what the previous writer committed. The table
 * lock follows the only order MySQL documents as safe with InnoDB: `SET autocommit=0`,
 * `LOCK TABLES`, work, `COMMIT`, `UNLOCK TABLES` (on failure `ROLLBACK` *before* `UNLOCK TABLES`,
 * because unlocking commits an open transaction); the fixed statements before and after the
 * work travel as one batch each.
 *
 * SQLite: a process has one connection (better-sqlite3 through typeorm), so callers in the
 * process take turns on a mutex; across processes (or several DataSources on one file) a write
 * transaction is `BEGIN IMMEDIATE`, retried asynchronously while the file is busy, because the
 * driver's own busy wait would block the event loop that has to finish the other transaction.
 */
import type { DataSource, QueryRunner } from 'typeorm';
import { LockTimeoutError } from '../errors';
import { classifyError, type Dialect, type SessionSql, type Sql, sqlOn } from './executor';
import { Mutex, MutexTimeoutError } from './mutex';

/**
 * Tables covered by the global write lock: the original's three, plus the tables a locked
 * writer also touches (MySQL refuses any table not named in LOCK TABLES).
 */
export const LOCKED_TABLES: readonly string[] = [
  'policy_rules',
  'policies',
  'policiesdeleted',
  'datasources',
  'congress_revision',
  'congress_changes',
];

/** How a unit of work runs. */
export type TransactionMode =
  /** Serialisable with other writers through the revision row; retried on deadlock. */
  | 'write'
  /** Under the global table lock; never retried (the caller's work may have side effects). */
  | 'locked'
  /** A consistent read-only view. */
  | 'snapshot';

/** Tuning of connection use; all times in seconds. */
export interface SessionLimits {
  /** Longest wait for a pooled connection (`[database] pool_timeout`). */
  readonly poolTimeout: number;
  /** Longest wait for the table lock or a write transaction on SQLite. */
  readonly lockWaitTimeout: number;
  /** `SET SESSION sql_mode` applied to each MySQL connection (`[database] mysql_sql_mode`). */
  readonly mysqlSqlMode: string | null;
}

const DEADLOCK_ATTEMPTS = 10;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function withTimeout<T>(promise: Promise<T>, seconds: number, onLate: (value: T) => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new LockTimeoutError('a database connection', seconds));
    }, seconds * 1000);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
    // The pool may still hand the connection over later; give it straight back.
    if (timedOut) promise.then(onLate, () => undefined);
  }
}

/**
 * MySQL: the statements still queued on `sql` (the change log) and `tail` (COMMIT, and UNLOCK
 * after the table lock) go as one batch: one round trip instead of two for a write. The server
 * stops a batch at its first error, so a failed write leaves the COMMIT unrun.
 */
/** Sends the statements still queued on `sql`, one by one (SQLite runs in process: no round trips to save). */
async function sendQueued(runner: QueryRunner, sql: SessionSql): Promise<void> {
  for (const queued of sql.takeLater()) await runner.query(queued.statement, [...queued.params]);
}

async function commitWith(runner: QueryRunner, sql: SessionSql, tail: readonly string[]): Promise<void> {
  const later = sql.takeLater();
  const statements = [...later.map((l) => l.statement), ...tail];
  await runner.query(statements.join('; '), later.flatMap((l) => [...l.params]));
}

/** Hands out connections and runs transactions for one DataSource. */
export class Sessions {
  readonly dialect: Dialect;
  private readonly sqliteTurn = new Mutex();
  private readonly preparedConnections = new WeakSet<object>();
  private sqliteRunner: QueryRunner | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly limits: SessionLimits,
  ) {
    this.dialect = dataSource.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
  }

  /** Runs `fn` on a connection in autocommit mode (single reads). */
  autocommit<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    return this.onConnection(async (runner) => {
      const sql = sqlOn(runner, this.dialect);
      const work = async (): Promise<T> => {
        const result = await fn(sql);
        await sendQueued(runner, sql);
        return result;
      };
      return this.dialect === 'sqlite' ? this.retryBusy(work) : work();
    });
  }

  /** Runs `fn` inside one transaction of the given mode; commits if it resolves. */
  async transaction<T>(mode: TransactionMode, fn: (sql: Sql) => Promise<T>): Promise<T> {
    try {
      return await this.transactionOnce(mode, fn);
    } catch (err) {
      if (classifyError(err) === 'lock_wait_timeout') {
        throw new LockTimeoutError('a row lock held by another writer', this.limits.lockWaitTimeout);
      }
      throw err;
    }
  }

  private async transactionOnce<T>(mode: TransactionMode, fn: (sql: Sql) => Promise<T>): Promise<T> {
    if (this.dialect === 'sqlite') return this.onConnection((runner) => this.sqliteTransaction(runner, mode, fn));
    if (mode === 'locked') return this.onConnection((runner) => this.mysqlLocked(runner, fn));
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.onConnection((runner) => this.mysqlTransaction(runner, mode, fn));
      } catch (err) {
        // The original retries deadlocks 10 times, waiting 0, 0.1, 0.2 ... (at most 2) seconds.
        if (classifyError(err) !== 'deadlock' || attempt >= DEADLOCK_ATTEMPTS) throw err;
        await sleep(Math.min(100 * (attempt - 1), 2000));
      }
    }
  }

  private async onConnection<T>(fn: (runner: QueryRunner) => Promise<T>): Promise<T> {
    if (this.dialect === 'sqlite') {
      let release: () => void;
      try {
        release = await this.sqliteTurn.acquire(this.limits.lockWaitTimeout * 1000);
      } catch (err) {
        if (err instanceof MutexTimeoutError) throw new LockTimeoutError('the database', this.limits.lockWaitTimeout);
        throw err;
      }
      try {
        // better-sqlite3 has one connection per process and the mutex gives it to one caller at
        // a time, so one query runner serves every turn (a runner per read was measurable work).
        this.sqliteRunner ??= this.dataSource.createQueryRunner();
        return await fn(this.sqliteRunner);
      } finally {
        release();
      }
    }
    const runner = this.dataSource.createQueryRunner();
    try {
      const connection: unknown = await withTimeout(runner.connect(), this.limits.poolTimeout, () => {
        void runner.release();
      });
      await this.prepareMysqlConnection(runner, connection);
      return await fn(runner);
    } finally {
      await runner.release();
    }
  }

  private async prepareMysqlConnection(runner: QueryRunner, connection: unknown): Promise<void> {
    if (typeof connection !== 'object' || connection === null || this.preparedConnections.has(connection)) return;
    // Pool connections are reused objects: set the session up once per physical connection.
    const wait = Math.max(1, Math.ceil(this.limits.lockWaitTimeout));
    await runner.query(`SET SESSION lock_wait_timeout = ${wait}, innodb_lock_wait_timeout = ${wait}`);
    if (this.limits.mysqlSqlMode !== null) {
      await runner.query('SET SESSION sql_mode = ?', [this.limits.mysqlSqlMode]);
    }
    this.preparedConnections.add(connection);
  }

  private async mysqlTransaction<T>(runner: QueryRunner, mode: TransactionMode, fn: (sql: Sql) => Promise<T>) {
    const sql = sqlOn(runner, 'mysql');
    if (mode === 'snapshot') {
      await runner.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      await runner.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
    } else {
      await runner.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
      await runner.query('START TRANSACTION');
    }
    try {
      const result = await fn(sql);
      await commitWith(runner, sql, ['COMMIT']);
      return result;
    } catch (err) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  private async mysqlLocked<T>(runner: QueryRunner, fn: (sql: Sql) => Promise<T>): Promise<T> {
    try {
      // One round trip each: the connection allows several statements per call (data-source.ts).
      await runner.query(`SET autocommit = 0; LOCK TABLES ${LOCKED_TABLES.map((t) => `${t} WRITE`).join(', ')}`);
      const sql = sqlOn(runner, 'mysql');
      const result = await fn(sql);
      await commitWith(runner, sql, ['COMMIT', 'UNLOCK TABLES', 'SET autocommit = 1']);
      return result;
    } catch (err) {
      // Unlocking commits an open transaction, so roll back first. The server stops a batch at
      // its first error: after a failed LOCK or COMMIT the rest of that batch did not run.
      await runner.query('ROLLBACK; UNLOCK TABLES; SET autocommit = 1').catch(() => undefined);
      if (classifyError(err) === 'lock_wait_timeout') throw new LockTimeoutError('the table lock', this.limits.lockWaitTimeout);
      throw err;
    }
  }

  private async sqliteTransaction<T>(runner: QueryRunner, mode: TransactionMode, fn: (sql: Sql) => Promise<T>) {
    const sql = sqlOn(runner, 'sqlite');
    // IMMEDIATE takes the write lock up front: a deferred transaction that later upgrades can
    // fail with SQLITE_BUSY in a way no amount of waiting fixes.
    await this.retryBusy(() => runner.query(mode === 'snapshot' ? 'BEGIN DEFERRED' : 'BEGIN IMMEDIATE'));
    let result: T;
    try {
      result = await fn(sql);
      await sendQueued(runner, sql);
    } catch (err) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    await this.retryBusy(() => runner.query('COMMIT'));
    return result;
  }

  private async retryBusy<T>(step: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.limits.lockWaitTimeout * 1000;
    for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
      try {
        return await step();
      } catch (err) {
        if (classifyError(err) !== 'busy') throw err;
        if (Date.now() >= deadline) throw new LockTimeoutError('the database file lock', this.limits.lockWaitTimeout);
        await sleep(wait);
      }
    }
  }
}

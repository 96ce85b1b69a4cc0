/**
 * `PolicyStore` over a typeorm DataSource, one code path for MySQL and SQLite: each operation
 * runs a repository function on a connection — on its own (reads), in its own transaction
 * (writes), or on the connection of the caller's `transaction` / `withTableLock`.
 */
import type { DataSource } from 'typeorm';
import { DATABASE_DEFAULTS, type DatabaseOptions, openDataSource } from './data-source';
import { SchemaError, StoreUsageError } from './errors';
import { type ChangeEntry, type RepoContext, utcTimestamp } from './repo/context';
import * as datasources from './repo/datasources';
import * as library from './repo/library';
import * as policies from './repo/policies';
import * as revisions from './repo/revisions';
import * as rules from './repo/rules';
import * as tableData from './repo/table-data';
import { migrate, schemaState } from './schema';
import { KeyFileCipher, type SecretCipher } from './secrets';
import type { Sql } from './sql/executor';
import { Sessions, type TransactionMode } from './sql/sessions';
import { SharedReads } from './shared-reads';
import type { Change, PolicyStore, PolicyStoreOps } from './store';

/** Connection state of one unit of work. */
class UnitOfWork implements RepoContext {
  private revision: Promise<number> | null = null;
  private taken: number | null = null;
  private seq = 0;
  private finished = false;
  /** Every change this transaction logged, with its revision. */
  private readonly logged: ChangeEntry[] = [];

  constructor(
    readonly sql: Sql,
    readonly cipher: SecretCipher,
    readonly locked: boolean,
    private readonly writable: boolean,
  ) {}

  writeRevision(): Promise<number> {
    if (!this.writable) return Promise.reject(new StoreUsageError('write outside a transaction'));
    // Memoised: concurrent writes in one transaction must share one bump.
    this.revision ??= revisions.bumpRevision(this.sql).then((r) => (this.taken = r));
    return this.revision;
  }

  takenRevision(): number | null {
    return this.taken;
  }

  async logChange(entry: ChangeEntry): Promise<void> {
    const revision = await this.writeRevision();
    this.seq += 1;
    revisions.appendChange(this.sql, revision, this.seq, entry);
    this.logged.push(entry);
  }

  /** The changes this transaction wrote, in log order (none outside a transaction). */
  written(): Promise<Change[]> {
    const revision = this.taken;
    if (revision === null) return Promise.resolve([]);
    return Promise.all(this.logged.map((entry) => revisions.writtenChange(this.cipher, revision, entry)));
  }

  /** Refuses further use once the transaction is over (a leaked `tx` handle). */
  check(): void {
    if (this.finished) throw new StoreUsageError('transaction handle used after its transaction ended');
  }

  finish(): void {
    this.finished = true;
  }
}

/** How an operation gets its unit of work: `write` operations need a transaction. */
type Runner = <T>(write: boolean, fn: (ctx: RepoContext) => Promise<T>) => Promise<T>;

function bindOps(run: Runner): PolicyStoreOps {
  return {
    createPolicy: (p) => run(true, (c) => policies.insertPolicy(c, p)),
    listPolicies: () => run(false, (c) => policies.allPolicies(c)),
    getPolicy: (nameOrId) => run(false, (c) => policies.findPolicy(c, nameOrId)),
    getPolicyById: (id) => run(false, (c) => policies.findPolicyById(c, id)),
    getPolicyByName: (name) => run(false, (c) => policies.findPolicyByName(c, name)),
    deletePolicy: (nameOrId) => run(true, (c) => policies.removePolicy(c, nameOrId)),

    createRule: (policyName, r) => run(true, (c) => rules.insertRule(c, policyName, r)),
    listRules: (policyName) => run(false, (c) => rules.allRules(c, policyName)),
    getRule: (id, policyName) => run(false, (c) => rules.findRule(c, id, policyName)),
    deleteRule: (id, policyName) => run(true, (c) => rules.softDeleteRule(c, id, policyName)),

    createDatasource: (ds) => run(true, (c) => datasources.insertDatasource(c, ds)),
    listDatasources: () => run(false, (c) => datasources.allDatasources(c)),
    getDatasource: (nameOrId) => run(false, (c) => datasources.findDatasource(c, nameOrId)),
    updateDatasource: (id, patch) => run(true, (c) => datasources.changeDatasource(c, id, patch)),
    deleteDatasource: (nameOrId) => run(true, (c) => datasources.removeDatasource(c, nameOrId)),

    getTableData: (dsId, table) => run(false, (c) => tableData.readTableData(c, dsId, table)),
    listTableData: (dsId) => run(false, (c) => tableData.readAllTableData(c, dsId)),
    putTableData: (dsId, table, rows) => run(true, (c) => tableData.writeTableData(c, dsId, table, rows)),
    deleteTableData: (dsId, table) => run(true, (c) => tableData.removeTableData(c, dsId, table)),

    createLibraryPolicy: (p) => run(true, (c) => library.insertLibraryPolicy(c, p)),
    listLibraryPolicies: () => run(false, (c) => library.allLibraryPolicies(c)),
    getLibraryPolicy: (id) => run(false, (c) => library.findLibraryPolicy(c, 'id', id)),
    getLibraryPolicyByName: (name) => run(false, (c) => library.findLibraryPolicy(c, 'name', name)),
    replaceLibraryPolicy: (id, p) => run(true, (c) => library.replaceLibraryPolicy(c, id, p)),
    deleteLibraryPolicy: (id) => run(true, (c) => library.removeLibraryPolicy(c, id)),
    deleteAllLibraryPolicies: () => run(true, (c) => library.removeAllLibraryPolicies(c)),

    currentRevision: () =>
      run(false, async (c) => c.takenRevision() ?? (await revisions.readRevision(c.sql)).revision),
    changesSince: (revision) => run(false, (c) => revisions.readChanges(c.sql, c.cipher, revision)),
    changesWritten: () => run(false, (c) => c.written()),
  };
}

/** Options of `createPolicyStore` beyond its DataSource. */
export interface StoreOptions {
  /** Encrypts datasource secrets; usually a `KeyFileCipher` on `encryption_key_path`. */
  readonly cipher: SecretCipher;
  readonly poolTimeout?: number;
  readonly lockWaitTimeout?: number;
  readonly mysqlSqlMode?: string | null;
  /** Destroy the DataSource on `close()` (true when the store created it). */
  readonly ownsDataSource?: boolean;
}

/**
 * A `PolicyStore` on an initialised DataSource whose schema is up to date (see `migrate`).
 * MySQL/MariaDB and SQLite share this one implementation.
 */
export function createPolicyStore(dataSource: DataSource, options: StoreOptions): PolicyStore {
  const sessions = new Sessions(dataSource, {
    poolTimeout: options.poolTimeout ?? DATABASE_DEFAULTS.poolTimeout,
    lockWaitTimeout: options.lockWaitTimeout ?? DATABASE_DEFAULTS.lockWaitTimeout,
    mysqlSqlMode: options.mysqlSqlMode === undefined ? DATABASE_DEFAULTS.mysqlSqlMode : options.mysqlSqlMode,
  });

  const unit = <T>(mode: TransactionMode, locked: boolean, fn: (ctx: UnitOfWork) => Promise<T>): Promise<T> =>
    sessions.transaction(mode, async (sql) => {
      const ctx = new UnitOfWork(sql, options.cipher, locked, mode !== 'snapshot');
      try {
        return await fn(ctx);
      } finally {
        ctx.finish();
      }
    });

  const scoped = <T>(mode: 'write' | 'locked', fn: (tx: PolicyStoreOps) => Promise<T>, exclusive = false): Promise<T> =>
    unit(mode, mode === 'locked', async (ctx) => {
      // SQLite's BEGIN IMMEDIATE already excludes other writers; MySQL needs the row lock.
      if (exclusive && ctx.sql.dialect === 'mysql') await revisions.lockRevisionRow(ctx.sql);
      return fn(
        bindOps((_write, op) => {
          ctx.check();
          return op(ctx);
        }),
      );
    });

  const ops = bindOps((write, fn) =>
    write
      ? unit('write', false, fn)
      : sessions.autocommit((sql) => fn(new UnitOfWork(sql, options.cipher, false, false))),
  );

  // The API's hot reads (outside transactions only: a transaction reads its own state).
  // A first read waits for the end of the event loop's I/O phase, so that the requests parsed
  // in one turn share it. On SQLite, whose reads are synchronous, no request would otherwise
  // ever find another's read in flight: each ran its own select.
  const reads = new SharedReads({ gather: () => new Promise((resolve) => setImmediate(resolve)) });
  const shared = <A extends (string | undefined)[], T>(name: string, read: (...args: A) => Promise<T>) =>
    (...args: A): Promise<T> => reads.read(name + JSON.stringify(args), () => read(...args));
  const sharedList = <A extends (string | undefined)[], T>(name: string, read: (...args: A) => Promise<T[]>) => {
    const one = shared(name, read);
    // Each caller gets its own array; the records in it are read-only.
    return (...args: A): Promise<T[]> => one(...args).then((list) => [...list]);
  };

  return {
    ...ops,
    listPolicies: sharedList('listPolicies', ops.listPolicies),
    getPolicy: shared('getPolicy', ops.getPolicy),
    listRules: sharedList('listRules', ops.listRules),
    getRule: shared('getRule', ops.getRule),
    dialect: sessions.dialect,
    transaction: (fn, txOptions) => scoped('write', fn, txOptions?.exclusive === true),
    withTableLock: (fn) => scoped('locked', fn),
    snapshot: () =>
      unit('snapshot', false, async (ctx) => ({
        revision: (await revisions.readRevision(ctx.sql)).revision,
        policies: await policies.allPolicies(ctx),
        rules: await rules.allRules(ctx),
        datasources: await datasources.allDatasources(ctx),
      })),
    pruneChanges: (through) => unit('write', false, (ctx) => revisions.pruneChanges(ctx.sql, through)),
    pruneChangesOlderThan: (seconds, now = new Date()) =>
      unit('write', false, async (ctx) => {
        const before = utcTimestamp(new Date(now.getTime() - seconds * 1000));
        return revisions.pruneChanges(ctx.sql, await revisions.lastRevisionLoggedBefore(ctx.sql, before));
      }),
    close: async () => {
      if (options.ownsDataSource && dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

/** Everything `openPolicyStore` needs. */
export interface OpenStoreOptions extends DatabaseOptions {
  /** `[DEFAULT] encryption_key_path`: the directory of the `aes_key` file. */
  readonly encryptionKeyPath: string;
  /**
   * Migrate an empty, older or original-Congress database to the head schema first. Off by
   * default: like the original, servers expect an operator to have run the migration tool.
   */
  readonly migrate?: boolean;
}

/**
 * Opens the DataSource for `[database] connection` and returns a store on it. Without
 * `migrate`, a schema that is not up to date is refused with a `SchemaError` that says what to do.
 */
export async function openPolicyStore(options: OpenStoreOptions): Promise<PolicyStore> {
  const dataSource = await openDataSource(options);
  try {
    if (options.migrate) {
      await migrate(dataSource);
    } else {
      const state = await schemaState(dataSource);
      if (state.state !== 'up-to-date') {
        const detail = state.state === 'unrecognised' ? state.reason : state.state;
        throw new SchemaError(`database schema is not up to date (${detail}): run the schema migration first`);
      }
    }
  } catch (err) {
    await dataSource.destroy();
    throw err;
  }
  return createPolicyStore(dataSource, {
    cipher: new KeyFileCipher(options.encryptionKeyPath),
    poolTimeout: options.poolTimeout,
    lockWaitTimeout: options.lockWaitTimeout,
    mysqlSqlMode: options.mysqlSqlMode,
    ownsDataSource: true,
  });
}

/**
 * Builds the typeorm DataSource for `[database] connection`: mysql2 for MySQL/MariaDB URLs,
 * better-sqlite3 for `sqlite://` URLs, with the same entities and migrations for both.
 */
import { readFileSync } from 'node:fs';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { parseConnectionUrl, type ConnectionTarget, type MysqlTls } from './connection-url';
import { ConnectionUrlError } from './errors';
import { entitySchemas } from './entities';
import { MIGRATIONS, MIGRATIONS_TABLE } from './migrations';
import type { Dialect } from './sql/executor';

/** `[database]` settings this layer uses (names follow oslo.db; times in seconds). */
export interface DatabaseOptions {
  /** SQLAlchemy-style URL, e.g. `mysql+pymysql://congress:pw@db/congress?charset=utf8`. */
  readonly connection: string;
  /** Pooled connections kept open (oslo.db `max_pool_size`; Congress default 10). */
  readonly maxPoolSize?: number;
  /** Extra connections allowed beyond the pool size (`max_overflow`; default 20). */
  readonly maxOverflow?: number;
  /** Longest wait for a free connection (`pool_timeout`; default 10). */
  readonly poolTimeout?: number;
  /** Idle connections are closed after this long (`connection_recycle_time`; default 3600). */
  readonly connectionRecycleTime?: number;
  /** `SET SESSION sql_mode` for MySQL connections (`mysql_sql_mode`; default TRADITIONAL). */
  readonly mysqlSqlMode?: string | null;
  /** Longest wait for the table lock or another writer (ours; default 60). */
  readonly lockWaitTimeout?: number;
  /** Directory that relative SQLite paths resolve against (default: working directory). */
  readonly baseDir?: string;
  /** Log every statement through typeorm's logger (oslo.db `connection_debug` > 0). */
  readonly logSql?: boolean;
  /** False: SQLite commits without waiting for the disk (oslo.db `sqlite_synchronous`; default true). */
  readonly sqliteSynchronous?: boolean;
}

/** Defaults Congress sets for oslo.db, plus ours. */
export const DATABASE_DEFAULTS = {
  maxPoolSize: 10,
  maxOverflow: 20,
  poolTimeout: 10,
  connectionRecycleTime: 3600,
  mysqlSqlMode: 'TRADITIONAL',
  lockWaitTimeout: 60,
} as const;

/** The dialect of an existing DataSource. */
export function dialectOf(dataSource: DataSource): Dialect {
  return dataSource.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
}

function readTlsFile(what: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConnectionUrlError(`cannot read the ${what} file ${file}: ${(err as Error).message}`);
  }
}

/**
 * mysql2's TLS options for the URL's `ssl_*` parameters, with pymysql's meaning: without a CA
 * the connection is encrypted but the server is not verified; with one, its certificate is,
 * and its name unless `ssl_check_hostname` is false.
 */
function tlsOptions(tls: MysqlTls): { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean; verifyIdentity: boolean } {
  return {
    ...(tls.ca === null ? {} : { ca: readTlsFile('ssl_ca', tls.ca) }),
    ...(tls.cert === null ? {} : { cert: readTlsFile('ssl_cert', tls.cert) }),
    ...(tls.key === null ? {} : { key: readTlsFile('ssl_key', tls.key) }),
    rejectUnauthorized: tls.ca !== null,
    verifyIdentity: tls.ca !== null && tls.checkHostname,
  };
}

function dataSourceOptions(target: ConnectionTarget, options: DatabaseOptions): DataSourceOptions {
  const common = {
    entities: entitySchemas(target.kind),
    migrations: [...MIGRATIONS],
    migrationsTableName: MIGRATIONS_TABLE,
    synchronize: false,
    logging: options.logSql === true,
  };
  if (target.kind === 'sqlite') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: target.file,
      enableWAL: target.file !== ':memory:',
      // No synchronous busy wait: it would block the event loop that must finish the other
      // transaction. The session layer retries SQLITE_BUSY asynchronously instead.
      timeout: 0,
      ...(options.sqliteSynchronous === false ? { prepareDatabase: (db: { pragma(source: string): unknown }): void => void db.pragma('synchronous = OFF') } : {}),
    };
  }
  const poolSize = (options.maxPoolSize ?? DATABASE_DEFAULTS.maxPoolSize) + (options.maxOverflow ?? DATABASE_DEFAULTS.maxOverflow);
  return {
    ...common,
    type: 'mysql',
    host: target.host,
    port: target.port,
    username: target.user,
    password: target.password,
    database: target.database,
    charset: target.charset,
    socketPath: target.socketPath ?? undefined,
    ...(target.tls === null ? {} : { ssl: tlsOptions(target.tls) }),
    poolSize,
    // Timestamps are written as UTC text; reading them back as text avoids any time-zone shift.
    dateStrings: true,
    // The table-lock protocol's fixed control statements go in one round trip each way
    // (`SET autocommit = 0; LOCK TABLES ...` and `COMMIT; UNLOCK TABLES; SET autocommit = 1`):
    // four fewer round trips per locked write. Safe because no statement text is ever built
    // from input: values always travel as `?` parameters, escaped by the driver.
    multipleStatements: true,
    extra: {
      idleTimeout: (options.connectionRecycleTime ?? DATABASE_DEFAULTS.connectionRecycleTime) * 1000,
      enableKeepAlive: true,
      // Reads are prepared statements kept per connection (sql/executor.ts). The repositories
      // use a fixed set of statement texts; the bound keeps a pool far below the server's
      // max_prepared_stmt_count (16,382 by default) for all nodes together.
      maxPreparedStatements: 256,
    },
  };
}

/**
 * Creates (but does not connect) the DataSource for `options.connection`. A MySQL URL gets
 * typeorm's `mysql` driver unless `mariadb` is set (`openDataSource` finds out by itself).
 */
export function createDataSource(options: DatabaseOptions, mariadb = false): DataSource {
  const built = dataSourceOptions(parseConnectionUrl(options.connection, options.baseDir), options);
  return new DataSource(mariadb && built.type === 'mysql' ? { ...built, type: 'mariadb' } : built);
}

async function isMariaDb(dataSource: DataSource): Promise<boolean> {
  const rows: unknown = await dataSource.query('SELECT VERSION() AS version');
  const first: unknown = Array.isArray(rows) ? rows[0] : undefined;
  return typeof first === 'object' && first !== null && /mariadb/i.test(String((first as { version?: unknown }).version));
}

/**
 * Creates the DataSource and connects it. Operators write `mysql+pymysql://` for MySQL and
 * MariaDB alike; the server is asked which one it is so typeorm reads MariaDB's catalogue
 * correctly (it reports column defaults differently).
 */
export async function openDataSource(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  if (dataSource.options.type !== 'mysql' || !(await isMariaDb(dataSource))) return dataSource;
  await dataSource.destroy();
  const mariadb = createDataSource(options, true);
  await mariadb.initialize();
  return mariadb;
}

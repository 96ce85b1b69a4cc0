/** The `[database]` and key settings of the configuration, in the form the persistence layer takes. */
import path from 'node:path';
import { withConnectionParameters, type OpenStoreOptions } from '../../db';
import type { CongressConfig } from './catalog';

/**
 * Options for `openPolicyStore` from the configuration. Relative SQLite paths and key
 * directories resolve against `baseDir` (the working directory by default).
 */
export function storeOptionsFrom(config: CongressConfig, baseDir: string = process.cwd()): OpenStoreOptions {
  const db = config.database;
  return {
    connection: withConnectionParameters(db.connection, db.connection_parameters),
    maxPoolSize: db.max_pool_size,
    maxOverflow: db.max_overflow,
    poolTimeout: db.pool_timeout,
    connectionRecycleTime: db.connection_recycle_time,
    mysqlSqlMode: db.mysql_sql_mode === '' ? null : db.mysql_sql_mode,
    lockWaitTimeout: db.lock_wait_timeout,
    logSql: db.connection_debug >= 100,
    sqliteSynchronous: db.sqlite_synchronous,
    baseDir,
    encryptionKeyPath: path.resolve(baseDir, config.DEFAULT.encryption_key_path),
  };
}

/**
 * Persistence: the typeorm DataSource for `[database] connection`, the schema and its
 * migrations (adopting an original Congress database in place), and the `PolicyStore`.
 */
export { parseConnectionUrl, redactConnectionUrl, withConnectionParameters } from './connection-url';
export type { ConnectionTarget, MysqlTarget, MysqlTls, SqliteTarget } from './connection-url';
export { createDataSource, openDataSource, dialectOf, DATABASE_DEFAULTS } from './data-source';
export type { DatabaseOptions } from './data-source';
export { migrate, schemaState, knownMigrations } from './schema';
export type { MigrationReport, SchemaState } from './schema';
export { createPolicyStore, openPolicyStore } from './policy-store';
export type { OpenStoreOptions, StoreOptions } from './policy-store';
export { KeyFileCipher, loadOrCreateKey, KEY_FILE_NAME } from './secrets';
export type { SecretCipher } from './secrets';
export { LOCKED_TABLES } from './sql/sessions';
export { ORIGINAL_ALEMBIC_HEAD } from './migrations/original-schema';
export * from './errors';
export type * from './store';
export { databaseDownReason } from './unreachable';

/**
 * Opening the database for a node, and `--db-upgrade`. The embedded default (and an in-memory
 * SQLite database, which is always new) migrates itself; any other database must already be
 * at the head schema, so that upgrading a shared database stays an operator's deliberate step.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { migrate, openDataSource, openPolicyStore, parseConnectionUrl, type MigrationReport, type PolicyStore } from '../db';
import { storeOptionsFrom, type CongressConfig } from './config';

/** Whether this configuration's database migrates itself at start. */
export function migratesItself(config: CongressConfig, baseDir = process.cwd()): boolean {
  if (config.embedded) return true;
  const target = parseConnectionUrl(config.database.connection, baseDir);
  return target.kind === 'sqlite' && target.file === ':memory:';
}

/** Creates the directory of a SQLite file (the embedded default's `./data/`). */
async function ensureSqliteDirectory(config: CongressConfig, baseDir: string): Promise<void> {
  const target = parseConnectionUrl(config.database.connection, baseDir);
  if (target.kind === 'sqlite' && target.file !== ':memory:') await fs.mkdir(path.dirname(target.file), { recursive: true });
}

/** Opens the store; a schema that is not up to date throws `SchemaError` unless it migrates itself. */
export async function openNodeStore(config: CongressConfig, baseDir = process.cwd()): Promise<PolicyStore> {
  await ensureSqliteDirectory(config, baseDir);
  return openPolicyStore({ ...storeOptionsFrom(config, baseDir), migrate: migratesItself(config, baseDir) });
}

/** `congress-server --db-upgrade`: brings the configured database to the head schema. */
export async function upgradeDatabase(config: CongressConfig, baseDir = process.cwd()): Promise<MigrationReport> {
  await ensureSqliteDirectory(config, baseDir);
  const dataSource = await openDataSource(storeOptionsFrom(config, baseDir));
  try {
    return await migrate(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

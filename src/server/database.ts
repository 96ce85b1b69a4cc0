/**
 * Opening the database for a node, and `--db-upgrade`. The embedded default (and an in-memory
 * SQLite database, which is always new) migrates itself; any other database must already be
 * at the head schema, so that upgrading a shared database stays an operator's deliberate step.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { databaseDownReason, migrate, openDataSource, openPolicyStore, parseConnectionUrl, redactConnectionUrl, schemaState, type MigrationReport, type OpenStoreOptions, type PolicyStore, type SchemaState } from '../db';
import { storeOptionsFrom, type CongressConfig } from './config';

/** Whether this configuration's database migrates itself at start. */
export function migratesItself(config: CongressConfig, baseDir = process.cwd()): boolean {
  if (config.embedded) return true;
  const target = parseConnectionUrl(config.database.connection, baseDir);
  return target.kind === 'sqlite' && target.file === ':memory:';
}

/**
 * The original's start-up check of `replicated_policy_engine`: replicated engines share one
 * database server, which SQLite is not (a file serves the processes of one host).
 */
export function replicationWarning(config: CongressConfig, baseDir = process.cwd()): string | null {
  if (!config.DEFAULT.replicated_policy_engine) return null;
  if (parseConnectionUrl(config.database.connection, baseDir).kind !== 'sqlite') return null;
  return 'replicated_policy_engine = True with a SQLite database: replicated policy engines on more than one host need a shared MySQL/MariaDB server ([database] connection); not supported';
}

/** Creates the directory of a SQLite file (the embedded default's `./data/`). */
async function ensureSqliteDirectory(config: CongressConfig, baseDir: string): Promise<void> {
  const target = parseConnectionUrl(config.database.connection, baseDir);
  if (target.kind === 'sqlite' && target.file !== ':memory:') await fs.mkdir(path.dirname(target.file), { recursive: true });
}

/** How start-up waits for a database it cannot reach yet. */
export interface ConnectRetry {
  /** Connection attempts in all (`[database] max_retries`; -1 there is Infinity here). */
  readonly attempts: number;
  /** Between attempts (`[database] retry_interval`). */
  readonly intervalMs: number;
  /** Told before each wait, with what failed and what comes next. */
  readonly onRetry?: (message: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** oslo.db's start-up retries: `max_retries` attempts (-1: forever; 0 still makes one), `retry_interval` seconds apart. */
export function connectRetryFrom(config: CongressConfig, onRetry?: (message: string) => void): ConnectRetry {
  const { max_retries: max, retry_interval: interval } = config.database;
  return { attempts: max < 0 ? Infinity : Math.max(1, max), intervalMs: interval * 1000, onRetry };
}

/**
 * Runs `open` until it succeeds, retrying only while the database server cannot be reached: a
 * node of a cluster that starts before its database (a whole site powering up) waits for it, as
 * the original did, while a wrong password or schema fails at once.
 */
export async function withConnectRetry<T>(open: () => Promise<T>, retry: ConnectRetry): Promise<T> {
  const sleep = retry.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await open();
    } catch (err) {
      const reason = databaseDownReason(err);
      if (reason === null) throw err;
      const message = (err as Error).message;
      if (attempt >= retry.attempts) {
        const tries = attempt === 1 ? 'one attempt' : `${attempt} attempts ${retry.intervalMs / 1000} s apart`;
        throw new Error(`cannot reach the database (${message}) after ${tries} ([database] max_retries, retry_interval)`, { cause: err });
      }
      const left = retry.attempts === Infinity ? 'retrying until it answers' : `${retry.attempts - attempt} attempts left`;
      retry.onRetry?.(`cannot reach the database (${reason}: ${message}); ${left}, next in ${retry.intervalMs / 1000} s`);
      await sleep(retry.intervalMs);
    }
  }
}

/** The store options of the configuration, with a warning for URL parameters that go unused. */
function checkedStoreOptions(config: CongressConfig, baseDir: string, warn: (message: string) => void): OpenStoreOptions {
  const options = storeOptionsFrom(config, baseDir);
  const target = parseConnectionUrl(options.connection, baseDir);
  if (target.kind === 'mysql' && target.ignoredParameters.length > 0) {
    warn(`[database] connection: parameter${target.ignoredParameters.length > 1 ? 's' : ''} ${target.ignoredParameters.join(', ')} not used by Congress-TS (ignored)`);
  }
  return options;
}

/**
 * Opens the store; a schema that is not up to date throws `SchemaError` unless it migrates
 * itself. `warn` hears of unused URL parameters and of each failed connection attempt.
 */
export async function openNodeStore(config: CongressConfig, baseDir = process.cwd(), warn: (message: string) => void = () => undefined): Promise<PolicyStore> {
  await ensureSqliteDirectory(config, baseDir);
  const options = { ...checkedStoreOptions(config, baseDir, warn), migrate: migratesItself(config, baseDir) };
  return withConnectRetry(() => openPolicyStore(options), connectRetryFrom(config, warn));
}

/** `congress-server --db-upgrade`: brings the configured database to the head schema. */
export async function upgradeDatabase(config: CongressConfig, baseDir = process.cwd(), warn: (message: string) => void = () => undefined): Promise<MigrationReport> {
  await ensureSqliteDirectory(config, baseDir);
  return onDataSource(config, baseDir, warn, migrate);
}

/** Runs `use` on a bare connection to the configured database (no store), closed afterwards. */
async function onDataSource<T>(config: CongressConfig, baseDir: string, warn: (message: string) => void, use: (dataSource: Parameters<typeof migrate>[0]) => Promise<T>): Promise<T> {
  const options = checkedStoreOptions(config, baseDir, warn);
  const dataSource = await withConnectRetry(() => openDataSource(options), connectRetryFrom(config, warn));
  try {
    return await use(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/** `congress-db-manage current`: where the configured database's schema stands, without changing it. */
export function inspectDatabase(config: CongressConfig, baseDir = process.cwd(), warn: (message: string) => void = () => undefined): Promise<SchemaState> {
  return onDataSource(config, baseDir, warn, schemaState);
}

/** The line `--db-upgrade` and `congress-db-manage upgrade` print. */
export function upgradeSummary(config: CongressConfig, report: MigrationReport): string {
  return (
    `database ${redactConnectionUrl(config.database.connection)}: was ${report.before}; ` +
    (report.applied.length > 0 ? `applied ${report.applied.join(', ')}` : 'nothing to apply') +
    (report.adopted ? ' (adopted an original Congress database)' : '')
  );
}

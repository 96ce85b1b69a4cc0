/**
 * `congress-db-manage`, the original's schema tool, for the deployment tools and scripts that
 * call it (`congress-db-manage --config-file /etc/congress/congress.conf upgrade head`, or with
 * `--database-connection URL`):
 * `upgrade [head]` migrates as `congress-server --db-upgrade` does, `current` says where the
 * schema stands, `history` lists the migrations of this version. Alembic's other commands
 * (downgrade, stamp, revision) have no meaning for Congress-TS's migrations and are refused.
 */
import yargs from 'yargs';
import { ConfigError, type CongressConfig } from './config';
import { inspectDatabase, upgradeDatabase, upgradeSummary } from './database';
import { knownMigrations } from '../db';
import { configFromArgs } from './command-line';

const UNSUPPORTED = ['downgrade', 'stamp', 'revision', 'branches', 'check_migration'];

function say(stream: NodeJS.WriteStream, text: string): void {
  stream.write(`${text}\n`);
}

/** Runs one command; resolves to the exit code (0 done, 1 the database failed, 2 bad usage or configuration). */
export async function main(argv: readonly string[]): Promise<number> {
  let usageError: string | null = null;
  const a = yargs([...argv])
    .scriptName('congress-db-manage')
    .usage('$0 [--config-file FILE]... [--config-dir DIR] <upgrade [head] | current | history>')
    // Not `array`: yargs would take the command after it for another file. Repeated, it gathers.
    .option('config-file', { type: 'string', describe: 'congress.conf to read; repeatable, later files win' })
    .option('config-dir', { type: 'string', describe: 'directory whose *.conf files are read after the config files' })
    .option('database-connection', { type: 'string', requiresArg: true, describe: 'the database URL, over [database] connection (as the original)' })
    .command('upgrade [revision]', 'migrate the database to the current schema (adopting an original Congress database in place)', (y) =>
      y.positional('revision', { type: 'string', default: 'head', describe: 'only head: Congress-TS migrates to its current schema' }),
    )
    .command('current', 'print where the schema stands')
    .command('history', 'list the migrations of this version, oldest first')
    .demandCommand(1, 'name a command: upgrade, current or history')
    .fail((message, err) => {
      usageError = message || (err as Error | undefined)?.message || 'bad usage';
    })
    .help()
    .parseSync();
  const command = String(a._[0] ?? '');
  if (usageError === null && UNSUPPORTED.includes(command)) usageError = `${command} is not supported by Congress-TS: its migrations only go forward (upgrade head)`;
  if (usageError === null && !['upgrade', 'current', 'history'].includes(command)) usageError = `unknown command ${command}`;
  if (usageError === null && command === 'upgrade' && a.revision !== 'head') usageError = `upgrade ${String(a.revision)}: only head is supported`;
  if (usageError !== null) {
    say(process.stderr, `congress-db-manage: ${usageError}`);
    return 2;
  }
  if (command === 'history') {
    for (const name of knownMigrations()) say(process.stdout, name);
    return 0;
  }
  let config: CongressConfig;
  try {
    const connection = a['database-connection'];
    const loaded = configFromArgs({ configFiles: [a['config-file'] ?? []].flat(), configDir: a['config-dir'] ?? null, dbUpgrade: true }, connection === undefined ? {} : { connection });
    for (const w of loaded.warnings) say(process.stderr, `congress-db-manage: warning: ${w}`);
    config = loaded.config;
  } catch (err) {
    if (err instanceof ConfigError) {
      say(process.stderr, `congress-db-manage: configuration error: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const warn = (message: string): void => say(process.stderr, `congress-db-manage: ${message}`);
  try {
    if (command === 'upgrade') {
      say(process.stdout, upgradeSummary(config, await upgradeDatabase(config, undefined, warn)));
    } else {
      const state = await inspectDatabase(config, undefined, warn);
      const detail =
        state.state === 'up-to-date'
          ? ` (${state.applied.at(-1) ?? ''})`
          : state.state === 'needs-upgrade'
            ? ` (${state.pending.length} pending: ${state.pending.join(', ')})`
            : state.state === 'original-congress-db'
              ? ` (alembic ${state.alembicVersion}; upgrade adopts it)`
              : state.state === 'unrecognised'
                ? `: ${state.reason}`
                : '';
      say(process.stdout, `${state.state}${detail}`);
    }
    return 0;
  } catch (err) {
    say(process.stderr, `congress-db-manage: ${command} failed: ${(err as Error).message}`);
    return 1;
  }
}

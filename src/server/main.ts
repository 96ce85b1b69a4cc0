/**
 * `congress-server`: command line, configuration, logging, start-up, and signal-driven
 * shutdown. Exit codes: 0 after a clean stop, 1 when start-up or shutdown failed, 2 for a
 * configuration or usage error.
 */
import fs from 'node:fs';
import path from 'node:path';
import yargs from 'yargs';
import type winston from 'winston';
import { BrokerUnreachable, NodeIdInUse } from '../bus';
import { redactConnectionUrl, SchemaError } from '../db';
import { ConfigError, findDefaultConfigFile, loadConfig, type ConfigOverrides, type CongressConfig } from './config';
import { CongressServer, DEFAULT_SHUTDOWN, type Roles } from './congress-server';
import { upgradeDatabase, upgradeSummary } from './database';
import { createLogger, type LogFormat } from './logging';

/** The parsed command line. */
export interface ServerArgs {
  readonly configFiles: readonly string[];
  readonly configDir: string | null;
  readonly api?: boolean;
  readonly policyEngine?: boolean;
  readonly datasources?: boolean;
  readonly nodeId?: string;
  readonly logFormat?: LogFormat;
  readonly dbUpgrade: boolean;
  /** `[DEFAULT]` options set by oslo.log's and Congress's own flags (`--debug`, `--log-file`, ...). */
  readonly osloFlags?: Readonly<Record<string, boolean | string>>;
}

/**
 * The command-line flags the original's congress-server took from oslo.log and its own options,
 * so that unit files, Pacemaker `additional_parameters` and documented commands such as
 * `congress-server --debug` keep working. Each sets a `[DEFAULT]` option and wins over the files;
 * a boolean also has oslo.config's `--no<flag>` form.
 */
const OSLO_FLAGS: ReadonlyArray<{ readonly flag: string; readonly option: string; readonly kind: 'bool' | 'str'; readonly aliases?: readonly string[] }> = [
  { flag: 'debug', option: 'debug', kind: 'bool', aliases: ['d'] },
  { flag: 'log-file', option: 'log_file', kind: 'str', aliases: ['logfile'] },
  { flag: 'log-dir', option: 'log_dir', kind: 'str', aliases: ['logdir'] },
  { flag: 'log-date-format', option: 'log_date_format', kind: 'str' },
  { flag: 'log-config-append', option: 'log_config_append', kind: 'str', aliases: ['log-config', 'log_config'] },
  { flag: 'watch-log-file', option: 'watch_log_file', kind: 'bool' },
  { flag: 'use-syslog', option: 'use_syslog', kind: 'bool' },
  { flag: 'syslog-log-facility', option: 'syslog_log_facility', kind: 'str' },
  { flag: 'use-json', option: 'use_json', kind: 'bool' },
  { flag: 'use-journal', option: 'use_journal', kind: 'bool' },
  { flag: 'delete-missing-driver-datasources', option: 'delete_missing_driver_datasources', kind: 'bool' },
];

function packageVersion(): string {
  // src/server in the sources, dist/src/server when built: walk up to the package.
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (typeof pkg === 'object' && pkg !== null && 'version' in pkg) return String((pkg as { version: unknown }).version);
    }
  }
  return 'unknown';
}

/** Parses `argv` (without node and the script); yargs prints help or version and exits itself. */
export function parseArgs(argv: readonly string[]): ServerArgs {
  const a = yargs([...argv])
    .scriptName('congress-server')
    .usage('$0 [options]\n\nRuns a Congress node. Without role flags it runs all roles; without any configuration file it runs the embedded single-node default (SQLite under ./data/, 127.0.0.1:1789, no auth).')
    .option('config-file', { type: 'string', array: true, describe: 'congress.conf to read; repeatable, later files win' })
    .option('config-dir', { type: 'string', describe: 'directory whose *.conf files are read after the config files, sorted by name' })
    .option('api', { type: 'boolean', describe: 'run the REST API role' })
    .option('policy-engine', { type: 'boolean', describe: 'run the policy-engine role' })
    .option('datasources', { type: 'boolean', describe: 'run the datasources role' })
    .option('node-id', { type: 'string', describe: 'identity of this node on the bus (default: the host name)' })
    .option('log-format', { choices: ['json', 'text'] as const, describe: 'log line format (default: text, or json with use_json)' })
    .option('db-upgrade', { type: 'boolean', default: false, describe: 'migrate the configured database to the current schema and exit' });
  for (const f of OSLO_FLAGS) {
    const describe = `sets [DEFAULT] ${f.option} (as the original's flag)`;
    a.option(f.flag, f.kind === 'bool' ? { type: 'boolean', alias: f.aliases, describe } : { type: 'string', alias: f.aliases, requiresArg: true, describe });
    if (f.kind === 'bool') a.option(`no${f.flag}`, { type: 'boolean', hidden: true });
  }
  const parsed = a.version(packageVersion()).help().strict().parseSync();
  const osloFlags: Record<string, boolean | string> = {};
  for (const f of OSLO_FLAGS) {
    const value: unknown = parsed[f.flag];
    if (typeof value === 'boolean' || typeof value === 'string') osloFlags[f.option] = value;
    if (f.kind === 'bool' && parsed[`no${f.flag}`] === true) osloFlags[f.option] = false;
  }
  return {
    configFiles: parsed['config-file'] ?? [],
    configDir: parsed['config-dir'] ?? null,
    api: parsed.api,
    policyEngine: parsed['policy-engine'],
    datasources: parsed.datasources,
    nodeId: parsed['node-id'],
    logFormat: parsed['log-format'],
    dbUpgrade: parsed['db-upgrade'],
    osloFlags,
  };
}

/**
 * Reads the configuration the command line points at (or the standard search, or the embedded
 * default), with the warnings about it (unknown options, options without effect).
 */
export function configFromArgs(args: ServerArgs, database: Readonly<Record<string, string>> = {}): { config: CongressConfig; warnings: readonly string[] } {
  let files = [...args.configFiles];
  if (files.length === 0 && args.configDir === null) {
    const found = findDefaultConfigFile();
    if (found !== null) files = [found];
  }
  const DEFAULT: Record<string, boolean | string> = { ...args.osloFlags };
  if (args.api !== undefined) DEFAULT.api = args.api;
  if (args.policyEngine !== undefined) DEFAULT.policy_engine = args.policyEngine;
  if (args.datasources !== undefined) DEFAULT.datasources = args.datasources;
  if (args.nodeId !== undefined) DEFAULT.node_id = args.nodeId;
  const overrides: ConfigOverrides = { DEFAULT, database };
  const loaded = loadConfig({ files, dir: args.configDir, overrides });
  return { config: loaded.config, warnings: loaded.warnings };
}

/** The roles to run: the flags given, or all three when none is. */
export function rolesOf(config: CongressConfig): Roles {
  const d = config.DEFAULT;
  if (!d.api && !d.policy_engine && !d.datasources) return { api: true, policyEngine: true, datasources: true };
  return { api: d.api, policyEngine: d.policy_engine, datasources: d.datasources };
}

function fail(message: string, code: number): number {
  process.stderr.write(`congress-server: ${message}\n`);
  return code;
}

/**
 * A server outlives whoever reads its output: when the reader of stdout or stderr goes away
 * (`congress-server 2>&1 | head`, a log collector restarting), later writes are dropped instead
 * of an unhandled EPIPE ending the process. The original's logging swallows write errors too.
 */
export function outliveClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    stream.write = ((...args: unknown[]): boolean => {
      const done = args.find((a) => typeof a === 'function');
      if (typeof done === 'function') process.nextTick(done as () => void);
      return true;
    }) as typeof stream.write;
  });
}

/** Runs until stopped by a signal; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  let config: CongressConfig;
  let warnings: readonly string[];
  try {
    ({ config, warnings } = configFromArgs(args));
  } catch (err) {
    if (err instanceof ConfigError) return fail(`configuration error: ${err.message}`, 2);
    throw err;
  }
  if (args.dbUpgrade) {
    for (const w of warnings) process.stderr.write(`congress-server: warning: ${w}\n`);
    try {
      const report = await upgradeDatabase(config, undefined, (message) => process.stderr.write(`congress-server: ${message}\n`));
      process.stdout.write(`${upgradeSummary(config, report)}\n`);
      return 0;
    } catch (err) {
      return fail(`database upgrade failed: ${(err as Error).message}`, 1);
    }
  }
  outliveClosedPipe(process.stdout);
  outliveClosedPipe(process.stderr);
  let logger: winston.Logger;
  try {
    logger = createLogger(config, { format: args.logFormat, nodeId: config.DEFAULT.node_id });
  } catch (err) {
    for (const w of warnings) process.stderr.write(`congress-server: warning: ${w}\n`);
    return fail(`configuration error: ${(err as Error).message}`, 2);
  }
  // Through the logger, so that they reach the log file or syslog the operator reads.
  for (const w of warnings) logger.warn(`configuration: ${w}`);
  return serve(config, logger);
}

async function serve(config: CongressConfig, logger: winston.Logger): Promise<number> {
  const roles = rolesOf(config);
  let server: CongressServer;
  try {
    server = await CongressServer.start({ config, logger, roles });
  } catch (err) {
    const hint =
      err instanceof SchemaError
        ? ` — run: congress-server --db-upgrade ${config.sources.map((s) => `--config-file ${s}`).join(' ')}`.trimEnd()
        : err instanceof NodeIdInUse
          ? ' — stop the other process or give this one another --node-id'
          : err instanceof BrokerUnreachable
            ? ' — check [DEFAULT] transport_url and that the broker runs'
            : '';
    logger.error(`start-up failed: ${(err as Error).message}${hint}`);
    return fail(`start-up failed: ${(err as Error).message}${hint}`, 1);
  }
  process.stdout.write(`congress-server listening on ${server.url} (node ${config.DEFAULT.node_id}, database ${redactConnectionUrl(config.database.connection)})\n`);

  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals++;
      if (signals > 1) {
        logger.warn(`${signal} again during shutdown: exiting now`);
        return resolve(1);
      }
      logger.info(`${signal} received: shutting down`);
      const { graceMs, forceMs } = DEFAULT_SHUTDOWN;
      // The second bound: whatever still hangs after grace + force does not keep the process.
      const force = setTimeout(() => {
        logger.error(`shutdown did not finish within ${graceMs + forceMs} ms: exiting`);
        resolve(1);
      }, graceMs + forceMs);
      force.unref();
      server.stop().then(
        () => {
          clearTimeout(force);
          resolve(0);
        },
        (err: unknown) => {
          clearTimeout(force);
          logger.error(`shutdown failed: ${(err as Error).message}`);
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

/**
 * congress-server's command line: its flags (the original's, from oslo.config, oslo.log and
 * Congress) and the configuration they point at. Apart from the server, so that
 * `congress-db-manage` reads configuration the same way without loading the server.
 */
import fs from 'node:fs';
import path from 'node:path';
import yargs from 'yargs';
import { findDefaultConfigFile, loadConfig, type ConfigOverrides, type CongressConfig } from './config';
import type { LogFormat } from './logging';

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

export function packageVersion(): string {
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

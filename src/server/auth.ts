/**
 * Builds the API's authentication from the configuration: nothing for `noauth`; for `keystone`
 * a token validator on the `[keystone_authtoken]` service credentials, a token cache, and the
 * policy enforcer with the operator's `[oslo_policy] policy_file` read at start-up.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { CachingTokenValidator, identityV3, keystoneAuth, KeystoneTokenValidator, PolicyEnforcer, type ApiAuth, type Credentials, type OperationPolicy, type ServiceCredentials } from '../api/auth';
import type { ApiLogger } from '../api';
import type { CongressConfig } from './config';
import { keystoneClientSettings, keystoneFetch, keystoneOptionWarnings, type KeystoneClientSettings } from './keystone-client';

/** keystonemiddleware's default `token_cache_time` (seconds). */
const DEFAULT_TOKEN_CACHE_SECONDS = 300;
/** Tokens remembered at most; enough for every active client of a large cloud. */
const DEFAULT_TOKEN_CACHE_ENTRIES = 10_000;

/** A setting that makes `auth_strategy = keystone` impossible; start-up stops with it. */
export class AuthSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthSetupError';
  }
}

function required(section: Readonly<Record<string, string>>, name: string): string {
  const value = section[name];
  if (value === undefined || value.trim() === '') throw new AuthSetupError(`auth_strategy = keystone needs [keystone_authtoken] ${name}`);
  return value.trim();
}

/** The service credentials and endpoints `[keystone_authtoken]` gives. */
export function keystoneSettings(section: Readonly<Record<string, string>>): {
  service: ServiceCredentials;
  wwwAuthenticateUri: string;
  cacheSeconds: number;
} {
  const authUrl = section.auth_url ?? section.www_authenticate_uri ?? section.auth_uri;
  if (authUrl === undefined || authUrl.trim() === '') throw new AuthSetupError('auth_strategy = keystone needs [keystone_authtoken] auth_url');
  const cache = section.token_cache_time === undefined ? DEFAULT_TOKEN_CACHE_SECONDS : Number(section.token_cache_time);
  if (!Number.isFinite(cache) || cache < 0) throw new AuthSetupError(`[keystone_authtoken] token_cache_time must be a number of seconds, not ${section.token_cache_time}`);
  return {
    service: {
      authUrl: authUrl.trim(),
      username: required(section, 'username'),
      password: required(section, 'password'),
      projectName: required(section, 'project_name'),
      userDomainName: section.user_domain_name ?? section.user_domain_id ?? 'Default',
      projectDomainName: section.project_domain_name ?? section.project_domain_id ?? 'Default',
    },
    // Clients are sent where they can get a token: the public URI, else the one Congress uses.
    wwwAuthenticateUri: (section.www_authenticate_uri ?? section.auth_uri ?? identityV3(authUrl.trim())).trim(),
    cacheSeconds: cache,
  };
}

/**
 * Where `policy_file` is, searched like oslo.config does: as given when absolute, else next to
 * each configuration file, then in the standard configuration directories. Null when absent.
 */
export function findPolicyFile(name: string, configFiles: readonly string[], home = os.homedir()): string | null {
  if (path.isAbsolute(name)) return fs.existsSync(name) ? name : null;
  const dirs = [...configFiles.map((f) => path.dirname(path.resolve(f))), path.join(home, '.congress'), home, '/etc/congress', '/etc'];
  return dirs.map((d) => path.join(d, name)).find((f) => fs.existsSync(f)) ?? null;
}

/** Reads a policy file (JSON or YAML, oslo's format: rule name → check string). */
export function readPolicyFile(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = yaml.load(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new AuthSetupError(`policy file ${file} cannot be read: ${(err as Error).message}`);
  }
  if (parsed === undefined || parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new AuthSetupError(`policy file ${file} must map rule names to rules`);
  return parsed as Record<string, unknown>;
}

/** How often a policy file is checked for changes, at most. */
const POLICY_FILE_CHECK_MS = 1000;

/** The rules of `files` merged in order (a later file's rule replaces an earlier one of that name). */
function readPolicyFiles(files: readonly string[]): Record<string, unknown> {
  return Object.assign({}, ...files.map((f) => readPolicyFile(f))) as Record<string, unknown>;
}

/** `policy file <f>` or `policy files <f1>, <f2>`, for messages. */
function policyFilesText(files: readonly string[]): string {
  return `policy file${files.length > 1 ? 's' : ''} ${files.join(', ')}`;
}

function rulesOf(files: readonly string[], defaultRule: string, rules = readPolicyFiles(files)): PolicyEnforcer {
  try {
    return new PolicyEnforcer(rules, defaultRule);
  } catch (err) {
    throw new AuthSetupError(`${policyFilesText(files)}: ${(err as Error).message}`);
  }
}

/**
 * The rules of the policy files, reloaded when one changes — as oslo.policy does, so an operator
 * edits policy.json (or a file of policy.d) without restarting the API. `locate` says which
 * files are in force now, in order (none: the default rules apply); their locations,
 * modification times and sizes are checked at most once a second. Changed files that cannot be
 * read or parsed are logged and the rules in force stay (a typo must not open or close the API).
 */
export class PolicyFileEnforcer implements OperationPolicy {
  /** How many rules the files set when they were first read. */
  readonly overrides: number;
  /** The files read first, in order. */
  readonly files: readonly string[];
  private current: PolicyEnforcer;
  private stamp: string;
  private checkedAt: number;

  constructor(
    private readonly locate: () => readonly string[],
    private readonly defaultRule: string,
    private readonly logger: ApiLogger,
    private readonly now: () => number = Date.now,
  ) {
    const files = locate();
    this.files = files;
    // Stamped before reading: a change made meanwhile is seen at the next check.
    this.stamp = PolicyFileEnforcer.stampOf(files);
    this.checkedAt = now();
    const rules = readPolicyFiles(files);
    this.overrides = Object.keys(rules).length;
    this.current = rulesOf(files, defaultRule, rules);
  }

  allows(operation: string, creds: Credentials): boolean {
    return this.fresh().allows(operation, creds);
  }

  isOpen(operation: string): boolean {
    return this.fresh().isOpen(operation);
  }

  private static stampOf(files: readonly string[]): string {
    if (files.length === 0) return 'none';
    return files
      .map((file) => {
        try {
          const st = fs.statSync(file);
          return `${file}:${st.mtimeMs}:${st.size}`;
        } catch {
          return `${file}:absent`;
        }
      })
      .join('|');
  }

  private fresh(): PolicyEnforcer {
    const now = this.now();
    if (now - this.checkedAt < POLICY_FILE_CHECK_MS) return this.current;
    this.checkedAt = now;
    const files = this.locate();
    const stamp = PolicyFileEnforcer.stampOf(files);
    if (stamp === this.stamp) return this.current;
    this.stamp = stamp;
    if (files.length === 0) {
      this.current = new PolicyEnforcer({}, this.defaultRule);
      this.logger.info('policy file removed: the default rules apply');
      return this.current;
    }
    const named = policyFilesText(files);
    try {
      this.current = rulesOf(files, this.defaultRule);
      this.logger.info(`${named} changed: rules reloaded`);
    } catch (err) {
      this.logger.error(`${named} changed but was not applied, the previous rules stay: ${(err as Error).message}`);
    }
    return this.current;
  }
}

/**
 * The files of the `policy_dirs` directories, as oslo.policy reads them: each directory
 * searched like `policy_file` (absolute, or next to the configuration files and in the standard
 * configuration directories), its files in name order; missing directories are skipped.
 */
export function policyDirFiles(dirs: readonly string[], configFiles: readonly string[], home = os.homedir()): string[] {
  const out: string[] = [];
  for (const dir of dirs) {
    const found = findPolicyFile(dir, configFiles, home);
    if (found === null) continue;
    try {
      if (!fs.statSync(found).isDirectory()) continue;
      for (const name of fs.readdirSync(found).sort()) {
        const file = path.join(found, name);
        if (fs.statSync(file).isFile()) out.push(file);
      }
    } catch {
      // Removed while being read: as if missing; the next check sees what is there.
    }
  }
  return out;
}

/**
 * The enforcer of the configured policy file and `policy_dirs`. A file the operator named must
 * exist at start and is followed where it was found; the default `policy.json` may be absent
 * (the default rules apply) and is looked for again, so one installed later takes effect, as
 * with oslo.policy. As there, the directories count only while the policy file exists.
 */
export function policyEnforcer(config: CongressConfig, logger: ApiLogger, now: () => number = Date.now): OperationPolicy {
  const name = config.oslo_policy.policy_file;
  const file = findPolicyFile(name, config.sources);
  if (file === null && name !== 'policy.json') throw new AuthSetupError(`[oslo_policy] policy_file ${name} not found`);
  const locate = (): string[] => {
    const main = file ?? findPolicyFile(name, config.sources);
    if (main === null) return [];
    // A named file that went away is kept in the list, so its absence is reported, not ignored.
    return fs.existsSync(main) ? [main, ...policyDirFiles(config.oslo_policy.policy_dirs, config.sources)] : [main];
  };
  const enforcer = new PolicyFileEnforcer(locate, config.oslo_policy.policy_default_rule, logger, now);
  if (file !== null) logger.info(`policy rules from ${enforcer.files.join(', ')}: ${enforcer.overrides} overrides of the defaults`);
  return enforcer;
}

/** The API's authentication for the configured strategy; undefined for `noauth`. */
export function apiAuthFromConfig(config: CongressConfig, logger: ApiLogger & { warn(message: string): unknown }): ApiAuth | undefined {
  if (config.DEFAULT.auth_strategy === 'noauth') return undefined;
  const section = config.keystone_authtoken;
  const authType = section.auth_type?.trim();
  if (authType !== undefined && authType !== '' && !['password', 'v3password'].includes(authType)) {
    throw new AuthSetupError(`[keystone_authtoken] auth_type ${authType} is not supported: Congress-TS signs in to Keystone with auth_type = password`);
  }
  const settings = keystoneSettings(section);
  let client: KeystoneClientSettings;
  try {
    client = keystoneClientSettings(section);
  } catch (err) {
    throw new AuthSetupError((err as Error).message);
  }
  for (const w of keystoneOptionWarnings(section)) logger.warn(w);
  const remote = new KeystoneTokenValidator(settings.service, client.timeoutMs, keystoneFetch(client.tls));
  const validator = new CachingTokenValidator(remote, {
    ttlMs: settings.cacheSeconds * 1000,
    maxEntries: DEFAULT_TOKEN_CACHE_ENTRIES,
  });
  return keystoneAuth({ validator, enforcer: policyEnforcer(config, logger), wwwAuthenticateUri: settings.wwwAuthenticateUri, logger });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host) || host === '::ffff:127.0.0.1';
}

/** The start-up warning for an API anyone on the network may use, or null. */
export function noauthWarning(config: CongressConfig): string | null {
  const { auth_strategy: strategy, bind_host: host } = config.DEFAULT;
  if (strategy !== 'noauth' || isLoopback(host)) return null;
  return `auth_strategy = noauth on ${host}: anyone who can reach port ${config.DEFAULT.bind_port} can read and change every policy; set auth_strategy = keystone or bind to 127.0.0.1`;
}

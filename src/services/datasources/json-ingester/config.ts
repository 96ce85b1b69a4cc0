/**
 * The JSON ingester's configuration: every `*.yaml` / `*.yml` file under `[json_ingester]
 * config_path`, each YAML document one ingester keyed by `name`, with `!ref <name>` standing for
 * a value of the `config_reusables_path` file (how devstack hands out endpoints and credentials).
 *
 * The original loaded these documents unchecked (a FIXME) and failed later, or silently did
 * something else; here each document is validated up front and refused with every problem named.
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

export interface IngesterLog {
  warn(message: string): void;
}

export interface PollTable {
  readonly apiPath: string;
  readonly apiMethod: string;
  readonly jsonpath: string;
}

export interface WebhookTable {
  readonly recordJsonpath: string;
  readonly idJsonpath: string;
}

export interface IngesterTable {
  readonly name: string;
  readonly poll?: PollTable;
  readonly webhook?: WebhookTable;
  readonly ginIndex: boolean;
}

export interface KeystoneAuth {
  readonly type: 'keystone';
  readonly config: Readonly<Record<string, string>>;
}

export interface IngesterConfig {
  readonly name: string;
  readonly apiEndpoint?: string;
  readonly authentication?: KeystoneAuth;
  readonly apiDefaultHeaders: Readonly<Record<string, string>>;
  /** `poll_interval`, default 60 */
  readonly pollIntervalSeconds: number;
  /** `allow_exec_api`, default false */
  readonly allowExecApi: boolean;
  /** undefined: a config without `tables` only names an exec API endpoint (no service in the original) */
  readonly tables?: readonly IngesterTable[];
}

export class IngesterConfigError extends Error {
  override readonly name = 'IngesterConfigError';
}

const YAML_EXTENSIONS = new Set(['.yaml', '.yml']);

/** PostgreSQL's NAMEDATALEN - 1. */
const MAX_IDENTIFIER_BYTES = 63;

/** Beyond 2^31-1 ms Node's timers fire after 1 ms instead, which would hammer the polled API. */
const MAX_POLL_INTERVAL_SECONDS = Math.floor(0x7fffffff / 1000);

const DEFAULT_POLL_INTERVAL_SECONDS = 60;

/** `get_keystone_session` of the original indexes these three; the rest it reads with defaults. */
const KEYSTONE_REQUIRED = ['auth_url', 'username', 'password'] as const;

/** RFC 9110 `token`: undici refuses any other header name, but only when the request is sent. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

type Mapping = Record<string, unknown>;

/**
 * Reads every *.yaml / *.yml file under dir (recursively, like os.walk), multi-document, each
 * document one config keyed by `name`. `fileErrors` counts files with at least one problem (as
 * the original's return value did): unreadable or unparsable files, invalid or duplicate documents.
 */
export function loadIngesterConfigs(
  dir: string,
  reusablesPath: string | undefined,
  log: IngesterLog,
): { configs: IngesterConfig[]; fileErrors: number } {
  const schema = refSchema(loadReusables(reusablesPath, log), reusablesPath);
  const listing = listYamlFiles(dir, log);
  let fileErrors = listing.errors;
  const configs: IngesterConfig[] = [];
  const loadedFrom = new Map<string, string>();

  for (const file of listing.files) {
    let docs: unknown[];
    try {
      // The whole file is parsed before any of it is used: the original's lazy loader kept the
      // documents that preceded a syntax error, leaving a half-applied file.
      docs = yaml.loadAll(fs.readFileSync(file, 'utf8'), null, { schema, filename: file });
    } catch (err) {
      log.warn(`Failed to load YAML config file ${file}: ${describeLoadError(err)}`);
      fileErrors++;
      continue;
    }
    let fileHasError = false;
    docs.forEach((doc, index) => {
      // Empty documents (a comment-only file, a trailing `---`) carry no config.
      if (doc === null || doc === undefined) return;
      const where = docs.length > 1 ? `${file} (document ${index + 1})` : file;
      let config: IngesterConfig;
      try {
        config = parseIngesterConfig(doc, where);
      } catch (err) {
        if (!(err instanceof IngesterConfigError)) throw err;
        log.warn(`${err.message}; config skipped`);
        fileHasError = true;
        return;
      }
      const first = loadedFrom.get(config.name);
      if (first !== undefined) {
        log.warn(`Duplicate name "${config.name}" in ${where}: already loaded from ${first}; config skipped`);
        fileHasError = true;
        return;
      }
      loadedFrom.set(config.name, where);
      configs.push(config);
      if (config.tables === undefined && !config.allowExecApi) {
        log.warn(`JSON ingester config "${config.name}" in ${where} has no tables and does not allow exec API: it has no effect`);
      }
    });
    if (fileHasError) fileErrors++;
  }
  return { configs, fileErrors };
}

/** Validates one parsed document; throws IngesterConfigError naming the file/field and what is wrong. */
export function parseIngesterConfig(doc: unknown, where: string): IngesterConfig {
  if (!isMapping(doc)) {
    throw new IngesterConfigError(`${where}: invalid JSON ingester config: the document must be a mapping, not ${kindOf(doc)}`);
  }
  const issues: string[] = [];
  const name = parseName(doc, issues);
  const apiEndpoint = parseApiEndpoint(doc, issues);
  const authentication = parseAuthentication(doc, issues);
  const apiDefaultHeaders = parseHeaders(doc, issues);
  const pollIntervalSeconds = parsePollInterval(doc, issues);
  const allowExecApi = optionalBoolean(doc, 'allow_exec_api', false, 'allow_exec_api', issues);
  const tables = parseTables(doc, issues);

  // An api_endpoint that is given but invalid has been reported already.
  const noEndpoint = present(doc, 'api_endpoint') === undefined;
  if (allowExecApi && noEndpoint) {
    issues.push('allow_exec_api requires api_endpoint (the endpoint exec API requests are sent to)');
  }
  // Read from the document, so that a poll table refused for another reason still counts.
  const rawTables = doc.tables;
  const polling = isMapping(rawTables)
    ? Object.entries(rawTables)
        .filter(([, t]) => isMapping(t) && Object.hasOwn(t, 'poll') && !Object.hasOwn(t, 'webhook'))
        .map(([tableName]) => tableName)
    : [];
  if (polling.length > 0 && noEndpoint) {
    issues.push(`api_endpoint is required when a table polls (${polling.join(', ')})`);
  }

  if (issues.length > 0) {
    const label = typeof doc.name === 'string' && doc.name !== '' ? ` "${doc.name}"` : '';
    throw new IngesterConfigError(`${where}: invalid JSON ingester config${label}: ${issues.join('; ')}`);
  }
  return {
    name,
    ...(apiEndpoint !== undefined ? { apiEndpoint } : {}),
    ...(authentication !== undefined ? { authentication } : {}),
    apiDefaultHeaders,
    pollIntervalSeconds,
    allowExecApi,
    ...(tables !== undefined ? { tables } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Files

/**
 * The reusables mapping; any problem leaves it empty with a warning, as in the original. The
 * warnings never quote the file's content: it holds passwords.
 */
function loadReusables(reusablesPath: string | undefined, log: IngesterLog): ReadonlyMap<string, unknown> {
  const empty = new Map<string, unknown>();
  if (reusablesPath === undefined) return empty;
  let text: string;
  try {
    text = fs.readFileSync(reusablesPath, 'utf8');
  } catch (err) {
    log.warn(
      `Unable to find or open reusables file at path ${reusablesPath} (${(err as Error).message}). Proceeding with empty reusables.`,
    );
    return empty;
  }
  let parsed: unknown;
  try {
    parsed = yaml.load(text, { filename: reusablesPath });
  } catch (err) {
    log.warn(
      `Unable to YAML-load reusables file at path ${reusablesPath} (${describeLoadError(err)}). Proceeding with empty reusables.`,
    );
    return empty;
  }
  if (!isMapping(parsed)) {
    log.warn(
      `The loaded reusables file ${reusablesPath} does not conform to the expected format (must be a hash at the top ` +
        `level). Proceeding with empty reusables. Provided structure: ${kindOf(parsed)}`,
    );
    return empty;
  }
  return new Map(Object.entries(parsed));
}

/** The default schema plus `!ref`, which js-yaml dispatches by node kind, hence one type per kind. */
function refSchema(reusables: ReadonlyMap<string, unknown>, reusablesPath: string | undefined): yaml.Schema {
  const construct = (data: unknown): unknown => {
    // An empty `!ref` is an empty scalar to PyYAML, so it is looked up as "" there too.
    const ref = data === null ? '' : data;
    if (typeof ref !== 'string') {
      throw new IngesterConfigError(`Cannot resolve reference !ref <${kindOf(ref)}> because the value is not a string.`);
    }
    if (!reusables.has(ref)) {
      const hint =
        reusablesPath === undefined
          ? 'Please double check the reference name; no reusables file is configured.'
          : `Please double check the reference name or the reusables file "${reusablesPath}".`;
      throw new IngesterConfigError(
        `Cannot resolve reference !ref ${ref} because no reusable data has been defined with the name "${ref}". ${hint}`,
      );
    }
    return reusables.get(ref);
  };
  const kinds = ['scalar', 'sequence', 'mapping'] as const;
  return yaml.DEFAULT_SCHEMA.extend(kinds.map((kind) => new yaml.Type('!ref', { kind, construct })));
}

/**
 * The YAML files under `dir` in os.walk's top-down order, made deterministic: a directory's own
 * files in name order, then its subdirectories in name order. Symbolic links to directories are
 * not followed (os.walk's default, and no cycles); links to files are read.
 */
function listYamlFiles(dir: string, log: IngesterLog): { files: string[]; errors: number } {
  const files: string[] = [];
  let errors = 0;
  const visit = (current: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch (err) {
      if (current === dir && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        log.warn(`JSON ingester config directory ${dir} does not exist; no JSON ingester configured`);
      } else {
        log.warn(`Unable to read JSON ingester config directory ${current}: ${(err as Error).message}`);
        errors++;
      }
      return;
    }
    const byName = (a: fs.Dirent, b: fs.Dirent): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    entries.sort(byName);
    for (const e of entries) {
      // FIFOs and sockets are left out: reading a FIFO would block the start-up.
      if ((e.isFile() || e.isSymbolicLink()) && YAML_EXTENSIONS.has(path.extname(e.name))) {
        files.push(path.join(current, e.name));
      }
    }
    for (const e of entries) {
      if (e.isDirectory()) visit(path.join(current, e.name));
    }
  };
  visit(dir);
  return { files, errors };
}

/** js-yaml's reason and position only: its default message quotes the lines around the error. */
function describeLoadError(err: unknown): string {
  if (err instanceof yaml.YAMLException) {
    return `${err.reason} (line ${err.mark.line + 1}, column ${err.mark.column + 1})`;
  }
  return err instanceof Error ? err.message : String(err);
}

// ---------------------------------------------------------------------------------------------
// Fields. An optional key given as YAML null (`key:` with nothing after it) counts as absent, as
// the original's `config.get(...)` mostly did; the keys whose mere presence matters (`tables`,
// a table, `poll`, `webhook`) must be mappings. Unknown keys are ignored like the original did,
// so that configs it accepted are not refused here.

function parseName(doc: Mapping, issues: string[]): string {
  const name = doc.name;
  if (typeof name !== 'string' || name === '') {
    issues.push('name is required and must be a non-empty string');
    return '';
  }
  const problem = identifierProblem(name);
  if (problem !== undefined) {
    issues.push(`name ${problem} (it names the PostgreSQL schema of the ingester's tables)`);
  } else if (name.startsWith('pg_')) {
    issues.push('name must not start with "pg_": PostgreSQL reserves that prefix for system schemas');
  }
  return name;
}

function parseApiEndpoint(doc: Mapping, issues: string[]): string | undefined {
  const value = present(doc, 'api_endpoint');
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !isHttpUrl(value)) {
    // The value is not echoed: an endpoint may carry user:password.
    issues.push('api_endpoint must be an absolute http or https URL');
    return undefined;
  }
  return value;
}

function parseAuthentication(doc: Mapping, issues: string[]): KeystoneAuth | undefined {
  const auth = present(doc, 'authentication');
  if (auth === undefined) return undefined;
  if (!isMapping(auth)) {
    issues.push(`authentication must be a mapping with type and config, not ${kindOf(auth)}`);
    return undefined;
  }
  const type = present(auth, 'type');
  if (type === undefined) {
    issues.push('authentication.type is required (only keystone is supported)');
    return undefined;
  }
  if (type !== 'keystone') {
    issues.push(`authentication type ${typeof type === 'string' ? type : show(type)} not supported.`);
    return undefined;
  }
  const raw = present(auth, 'config');
  if (!isMapping(raw)) {
    issues.push('authentication.config must be a mapping (auth_url, username, password, ...)');
    return undefined;
  }
  const config = stringMapping(raw, 'authentication.config', issues);
  const missing = KEYSTONE_REQUIRED.filter((key) => !Object.hasOwn(config, key));
  if (missing.length > 0) issues.push(`authentication.config requires ${missing.join(', ')}`);
  return { type: 'keystone', config };
}

function parseHeaders(doc: Mapping, issues: string[]): Record<string, string> {
  const raw = present(doc, 'api_default_headers');
  if (raw === undefined) return {};
  if (!isMapping(raw)) {
    issues.push(`api_default_headers must be a mapping of header names to strings, not ${kindOf(raw)}`);
    return {};
  }
  const headers = stringMapping(raw, 'api_default_headers', issues);
  for (const [header, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(header)) issues.push(`api_default_headers: "${header}" is not a valid HTTP header name`);
    if (/[\r\n\0]/.test(value)) issues.push(`api_default_headers.${header} must not contain line breaks or NUL`);
  }
  return headers;
}

function parsePollInterval(doc: Mapping, issues: string[]): number {
  const value = present(doc, 'poll_interval');
  if (value === undefined) return DEFAULT_POLL_INTERVAL_SECONDS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    issues.push(`poll_interval must be a positive number of seconds, not ${show(value)}`);
    return DEFAULT_POLL_INTERVAL_SECONDS;
  }
  if (value > MAX_POLL_INTERVAL_SECONDS) {
    issues.push(`poll_interval must be at most ${MAX_POLL_INTERVAL_SECONDS} seconds (about 24 days), not ${value}`);
    return DEFAULT_POLL_INTERVAL_SECONDS;
  }
  return value;
}

function parseTables(doc: Mapping, issues: string[]): IngesterTable[] | undefined {
  if (!Object.hasOwn(doc, 'tables')) return undefined;
  const raw = doc.tables;
  if (!isMapping(raw)) {
    issues.push(`tables must be a mapping of table names to table configs, not ${kindOf(raw)}`);
    return [];
  }
  const tables: IngesterTable[] = [];
  for (const [name, spec] of Object.entries(raw)) {
    const table = parseTable(name, spec, issues);
    if (table !== undefined) tables.push(table);
  }
  return tables;
}

function parseTable(name: string, spec: unknown, issues: string[]): IngesterTable | undefined {
  const field = `tables.${name}`;
  const problem = identifierProblem(name);
  if (problem !== undefined) issues.push(`table name "${name}" ${problem}`);
  if (!isMapping(spec)) {
    issues.push(`${field} must be a mapping (with poll or webhook), not ${kindOf(spec)}`);
    return undefined;
  }
  if (Object.hasOwn(spec, 'poll') && Object.hasOwn(spec, 'webhook')) {
    issues.push(`Table (${name}) cannot be configured for both poll and webhook.`);
    return undefined;
  }
  const ginIndex = optionalBoolean(spec, 'gin_index', true, `${field}.gin_index`, issues);
  if (Object.hasOwn(spec, 'poll')) {
    const poll = parsePoll(spec.poll, `${field}.poll`, issues);
    return poll === undefined ? undefined : { name, poll, ginIndex };
  }
  if (Object.hasOwn(spec, 'webhook')) {
    const webhook = parseWebhook(spec.webhook, `${field}.webhook`, issues);
    return webhook === undefined ? undefined : { name, webhook, ginIndex };
  }
  // Neither: the original still created the (then always empty) table.
  return { name, ginIndex };
}

function parsePoll(raw: unknown, field: string, issues: string[]): PollTable | undefined {
  if (!isMapping(raw)) {
    issues.push(`${field} must be a mapping with api_path and jsonpath, not ${kindOf(raw)}`);
    return undefined;
  }
  // An empty api_path polls api_endpoint itself, which the original allowed.
  const apiPath = requiredString(raw, 'api_path', field, true, issues);
  const jsonpath = requiredString(raw, 'jsonpath', field, false, issues);
  // The original read api_method nowhere and always sent GET (its own FIXME: "generalize to other
  // verbs?"), so `get` is the only value that means what it says.
  const method = present(raw, 'api_method') ?? 'get';
  let apiMethod = 'get';
  if (typeof method !== 'string' || method.toLowerCase() !== 'get') {
    issues.push(`${field}.api_method ${show(method)} is not supported: polling only sends GET requests`);
  } else {
    apiMethod = method.toLowerCase();
  }
  if (apiPath === undefined || jsonpath === undefined) return undefined;
  return { apiPath, apiMethod, jsonpath };
}

function parseWebhook(raw: unknown, field: string, issues: string[]): WebhookTable | undefined {
  if (!isMapping(raw)) {
    issues.push(`${field} must be a mapping with record_jsonpath and id_jsonpath, not ${kindOf(raw)}`);
    return undefined;
  }
  const recordJsonpath = requiredString(raw, 'record_jsonpath', field, false, issues);
  const idJsonpath = requiredString(raw, 'id_jsonpath', field, false, issues);
  if (recordJsonpath === undefined || idJsonpath === undefined) return undefined;
  return { recordJsonpath, idJsonpath };
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Plain objects only: js-yaml also yields arrays, Dates (timestamps) and Uint8Arrays (!!binary). */
function isMapping(value: unknown): value is Mapping {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (isMapping(value)) return 'a mapping';
  if (value instanceof Date) return 'a date';
  return `a ${typeof value}`;
}

/** A scalar as written; anything bigger only by kind, to keep messages short. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return kindOf(value);
}

/** The value of an optional key, YAML null counting as absent. */
function present(m: Mapping, key: string): unknown {
  return Object.hasOwn(m, key) && m[key] !== null ? m[key] : undefined;
}

function optionalBoolean(m: Mapping, key: string, fallback: boolean, field: string, issues: string[]): boolean {
  const value = present(m, key);
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    // YAML 1.1's yes/no/on/off are strings to js-yaml (YAML 1.2), not booleans as in PyYAML.
    issues.push(`${field} must be true or false, not ${show(value)}`);
    return fallback;
  }
  return value;
}

function requiredString(m: Mapping, key: string, field: string, allowEmpty: boolean, issues: string[]): string | undefined {
  const value = present(m, key);
  if (value === undefined) {
    issues.push(`${field}.${key} is required`);
    return undefined;
  }
  if (typeof value !== 'string' || (!allowEmpty && value.trim() === '')) {
    issues.push(`${field}.${key} must be a non-empty string`);
    return undefined;
  }
  return value;
}

/** Values are never echoed: these mappings hold passwords and tokens. */
function stringMapping(raw: Mapping, field: string, issues: string[]): Record<string, string> {
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string') out.push([key, value]);
    else if (typeof value === 'number' || typeof value === 'boolean') {
      issues.push(`${field}.${key} must be a string (quote the value in YAML)`);
    } else issues.push(`${field}.${key} must be a string, not ${kindOf(value)}`);
  }
  return Object.fromEntries(out);
}

/** Why `name` cannot be a PostgreSQL identifier (quoted, so any other character is fine). */
function identifierProblem(name: string): string | undefined {
  if (name === '') return 'must not be empty';
  if (name.includes('\0')) return 'must not contain a NUL character';
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_IDENTIFIER_BYTES) {
    return (
      `is ${bytes} bytes long, over PostgreSQL's identifier limit of ${MAX_IDENTIFIER_BYTES} bytes ` +
      '(PostgreSQL truncates longer names silently, which could merge two of them)'
    );
  }
  return undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

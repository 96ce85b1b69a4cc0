// The JSON ingester's config files, read from a real temporary directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  IngesterConfigError,
  loadIngesterConfigs,
  parseIngesterConfig,
  type IngesterLog,
} from '../../../../src/services/datasources/json-ingester/config';

// etc/sample_json_ingesters/nova.yaml of the original, verbatim.
const NOVA_YAML = `name: _compute
poll_interval: 60
allow_exec_api: true
authentication: !ref keystone_admin_auth_config
api_endpoint: !ref nova_api_endpoint
api_default_headers:
  X-OpenStack-Nova-API-Version: "2.26"
tables:
  flavors:
    poll:
      api_path: flavors/detail
      api_method: get
      jsonpath: $.flavors[:]
  servers:
    poll:
      api_path: servers/detail
      api_method: get
      jsonpath: $.servers[:]
  hypervisors:
    poll:
      api_path: os-hypervisors/detail
      api_method: get
      jsonpath: $.hypervisors[:]
  availability_zones:
    poll:
      api_path: os-availability-zone/detail
      api_method: get
      jsonpath: $.availabilityZoneInfo[:]
  migrations:
    poll:
      api_path: os-migrations
      api_method: get
      jsonpath: $.migrations[:]
  services:
    poll:
      api_path: os-services
      api_method: get
      jsonpath: $.services[:]
`;

// etc/config_reusables.yaml of the original, verbatim.
const REUSABLES_YAML = `keystone_admin_auth_config:
  type: keystone
  config:
    username: admin
    auth_url: http://127.0.0.1/identity
    project_name: admin
    password: password
primary_host: http://127.0.0.1
cinder_path: volume/v3/e0832c8c9e3c4f5ead5443fc78196c45/
`;

// devstack's plugin.sh appends one `<service>_api_endpoint` line per service to the above.
const DEVSTACK_REUSABLES_YAML = `${REUSABLES_YAML}nova_api_endpoint: http://127.0.0.1/compute/v2.1/\n`;

const MONASCA_YAML = `name: _monasca
tables:
  alarms:
    webhook:
      record_jsonpath: $
      id_jsonpath: $.alarm_id
`;

function minimal(name: string): string {
  return `name: ${name}\ntables:\n  t:\n    webhook:\n      record_jsonpath: $\n      id_jsonpath: $.id\n`;
}

class RecordingLog implements IngesterLog {
  readonly warnings: string[] = [];
  warn(message: string): void {
    this.warnings.push(message);
  }
}

let dir: string;
let log: RecordingLog;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'json-ingester-config-'));
  fs.mkdirSync(path.join(dir, 'conf'));
  log = new RecordingLog();
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes `text` at `rel` under the config directory, creating parent directories. */
function write(rel: string, text: string): string {
  const file = path.join(dir, 'conf', rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

function writeReusables(text: string): string {
  const file = path.join(dir, 'config_reusables.yaml');
  fs.writeFileSync(file, text);
  return file;
}

function load(reusablesPath?: string): ReturnType<typeof loadIngesterConfigs> {
  return loadIngesterConfigs(path.join(dir, 'conf'), reusablesPath, log);
}

function names(result: ReturnType<typeof loadIngesterConfigs>): string[] {
  return result.configs.map((c) => c.name);
}

describe('loadIngesterConfigs', () => {
  test("the original's nova sample loads with its !ref values resolved from devstack's reusables", () => {
    write('nova.yaml', NOVA_YAML);
    const result = load(writeReusables(DEVSTACK_REUSABLES_YAML));
    expect(result.fileErrors).toBe(0);
    expect(log.warnings).toEqual([]);
    expect(result.configs).toHaveLength(1);
    const nova = result.configs[0];
    expect(nova).toMatchObject({
      name: '_compute',
      apiEndpoint: 'http://127.0.0.1/compute/v2.1/',
      authentication: {
        type: 'keystone',
        config: { username: 'admin', auth_url: 'http://127.0.0.1/identity', project_name: 'admin', password: 'password' },
      },
      apiDefaultHeaders: { 'X-OpenStack-Nova-API-Version': '2.26' },
      pollIntervalSeconds: 60,
      allowExecApi: true,
    });
    expect(nova.tables?.map((t) => t.name)).toEqual([
      'flavors',
      'servers',
      'hypervisors',
      'availability_zones',
      'migrations',
      'services',
    ]);
    expect(nova.tables?.[3]).toEqual({
      name: 'availability_zones',
      poll: { apiPath: 'os-availability-zone/detail', apiMethod: 'get', jsonpath: '$.availabilityZoneInfo[:]' },
      ginIndex: true,
    });
  });

  test("the reusables file as shipped lacks devstack's endpoints: nova is refused with the original's message", () => {
    write('nova.yaml', NOVA_YAML);
    const reusables = writeReusables(REUSABLES_YAML);
    const result = load(reusables);
    expect(result.configs).toEqual([]);
    expect(result.fileErrors).toBe(1);
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toContain(`Failed to load YAML config file ${path.join(dir, 'conf', 'nova.yaml')}`);
    expect(log.warnings[0]).toContain(
      'Cannot resolve reference !ref nova_api_endpoint because no reusable data has been defined with the name ' +
        `"nova_api_endpoint". Please double check the reference name or the reusables file "${reusables}".`,
    );
  });

  test('a reference to an unknown name fails that file only', () => {
    write('a.yaml', 'name: a\napi_endpoint: !ref nowhere\n');
    write('b.yaml', minimal('b'));
    const result = load(writeReusables(REUSABLES_YAML));
    expect(names(result)).toEqual(['b']);
    expect(result.fileErrors).toBe(1);
    expect(log.warnings.join('\n')).toContain('no reusable data has been defined with the name "nowhere"');
  });

  test.each([
    ['a sequence', 'api_endpoint: !ref [primary_host]'],
    ['a mapping', 'api_endpoint: !ref {name: primary_host}'],
  ])('a !ref of %s is refused as not a string', (_kind, line) => {
    write('a.yaml', `name: a\nallow_exec_api: true\n${line}\n`);
    const result = load(writeReusables(REUSABLES_YAML));
    expect(result.configs).toEqual([]);
    expect(result.fileErrors).toBe(1);
    expect(log.warnings.join('\n')).toContain('because the value is not a string.');
  });

  test('a !ref resolves to any reusable value, not only mappings', () => {
    write('a.yaml', 'name: a\nallow_exec_api: true\napi_endpoint: !ref primary_host\n');
    const result = load(writeReusables(REUSABLES_YAML));
    expect(result.configs).toEqual([
      { name: 'a', apiEndpoint: 'http://127.0.0.1', apiDefaultHeaders: {}, pollIntervalSeconds: 60, allowExecApi: true },
    ]);
  });

  test('a missing reusables file warns and leaves reusables empty: configs without !ref still load', () => {
    write('monasca.yaml', MONASCA_YAML);
    write('nova.yaml', NOVA_YAML);
    const missing = path.join(dir, 'no-such-reusables.yaml');
    const result = load(missing);
    expect(names(result)).toEqual(['_monasca']);
    expect(result.fileErrors).toBe(1);
    expect(log.warnings[0]).toMatch(/^Unable to find or open reusables file at path .*no-such-reusables\.yaml .*Proceeding with empty reusables\.$/);
    expect(log.warnings[1]).toContain('no reusable data has been defined with the name "keystone_admin_auth_config"');
  });

  test('no reusables path: no warning, and a !ref says that no reusables file is configured', () => {
    write('monasca.yaml', MONASCA_YAML);
    write('x.yaml', 'name: x\nallow_exec_api: true\napi_endpoint: !ref primary_host\n');
    const result = load(undefined);
    expect(names(result)).toEqual(['_monasca']);
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toContain('no reusables file is configured');
  });

  test('a reusables file that is not a mapping warns without quoting its content', () => {
    write('monasca.yaml', MONASCA_YAML);
    const result = load(writeReusables('- password: s3cret\n'));
    expect(names(result)).toEqual(['_monasca']);
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toContain('must be a hash at the top level');
    expect(log.warnings[0]).toContain('Provided structure: a list');
    expect(log.warnings[0]).not.toContain('s3cret');
  });

  test('a reusables file that is not valid YAML warns without quoting its content', () => {
    write('monasca.yaml', MONASCA_YAML);
    const result = load(writeReusables('password: s3cret\n  bad: [\n'));
    expect(names(result)).toEqual(['_monasca']);
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toMatch(/^Unable to YAML-load reusables file at path .*\(.*line \d+, column \d+\)/);
    expect(log.warnings[0]).not.toContain('s3cret');
  });

  test('an empty reusables file warns (it is not a mapping)', () => {
    write('monasca.yaml', MONASCA_YAML);
    const result = load(writeReusables(''));
    expect(names(result)).toEqual(['_monasca']);
    expect(log.warnings).toEqual([expect.stringContaining('Provided structure: empty')]);
  });

  test('nested directories are walked; .yaml and .yml are read, other extensions ignored', () => {
    write('top.yaml', minimal('top'));
    write('sub/inner.yml', minimal('inner'));
    write('sub/deeper/deep.yaml', minimal('deep'));
    write('notes.txt', minimal('txt'));
    write('config.json', minimal('json'));
    write('old.yaml.bak', minimal('bak'));
    write('UPPER.YAML', minimal('upper'));
    write('README', minimal('readme'));
    const result = load();
    expect(names(result).sort()).toEqual(['deep', 'inner', 'top']);
    expect(result.fileErrors).toBe(0);
  });

  test("files load in os.walk's top-down order, sorted: a directory's files, then its subdirectories", () => {
    write('b.yaml', minimal('b'));
    write('a.yml', minimal('a'));
    write('0sub/z.yaml', minimal('sub-z'));
    write('0sub/c.yaml', minimal('sub-c'));
    write('1sub/a.yaml', minimal('sub2-a'));
    expect(names(load())).toEqual(['a', 'b', 'sub-c', 'sub-z', 'sub2-a']);
  });

  test('a multi-document file gives one config per document; empty documents are skipped', () => {
    write('multi.yaml', `${minimal('one')}---\n${minimal('two')}---\n# nothing here\n---\n${MONASCA_YAML}`);
    const result = load();
    expect(names(result)).toEqual(['one', 'two', '_monasca']);
    expect(result.fileErrors).toBe(0);
    expect(log.warnings).toEqual([]);
  });

  test('a duplicate name keeps the first config (sorted order) and warns with both places', () => {
    const first = write('a.yaml', `${minimal('dup')}`);
    const second = write('b.yaml', 'name: dup\nallow_exec_api: true\napi_endpoint: http://other/\n');
    const result = load();
    expect(result.configs).toHaveLength(1);
    expect(result.configs[0].tables).toHaveLength(1);
    expect(result.fileErrors).toBe(1);
    expect(log.warnings).toEqual([`Duplicate name "dup" in ${second}: already loaded from ${first}; config skipped`]);
  });

  test('a top-level file wins a duplicate over a subdirectory that sorts before it', () => {
    write('a/dup.yaml', 'name: dup\nallow_exec_api: true\napi_endpoint: http://from-subdir/\n');
    write('z.yaml', 'name: dup\nallow_exec_api: true\napi_endpoint: http://top-level/\n');
    const result = load();
    expect(result.configs.map((c) => c.apiEndpoint)).toEqual(['http://top-level/']);
    expect(log.warnings[0]).toContain('Duplicate name "dup"');
  });

  test('a duplicate within one file is reported with its document number', () => {
    const file = write('a.yaml', `${minimal('dup')}---\n${minimal('other')}---\n${minimal('dup')}`);
    const result = load();
    expect(names(result)).toEqual(['dup', 'other']);
    expect(result.fileErrors).toBe(1);
    expect(log.warnings).toEqual([
      `Duplicate name "dup" in ${file} (document 3): already loaded from ${file} (document 1); config skipped`,
    ]);
  });

  test('broken YAML in one file does not stop the others', () => {
    const bad = write('bad.yaml', 'name:--- bad\n  tables: [\n');
    write('good.yaml', MONASCA_YAML);
    const result = load();
    expect(names(result)).toEqual(['_monasca']);
    expect(result.fileErrors).toBe(1);
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toMatch(new RegExp(`^Failed to load YAML config file ${escape(bad)}: .*\\(line \\d+, column \\d+\\)$`));
  });

  test('a file with a syntax error in a later document loads none of its documents', () => {
    write('half.yaml', `${minimal('first')}---\nname: [\n`);
    const result = load();
    expect(result.configs).toEqual([]);
    expect(result.fileErrors).toBe(1);
  });

  test('a repeated key in a mapping fails the file instead of keeping the last value silently', () => {
    write('a.yaml', `${minimal('a')}name: b\n`);
    const result = load();
    expect(result.configs).toEqual([]);
    expect(log.warnings[0]).toContain('duplicated mapping key');
  });

  test('an invalid document is skipped with a warning; the other documents of its file load', () => {
    const file = write('a.yaml', `name: bad\npoll_interval: 0\n---\n${minimal('good')}`);
    const result = load();
    expect(names(result)).toEqual(['good']);
    expect(result.fileErrors).toBe(1);
    expect(log.warnings).toEqual([
      `${file} (document 1): invalid JSON ingester config "bad": poll_interval must be a positive number of seconds, not 0; config skipped`,
    ]);
  });

  test('fileErrors counts files, not documents', () => {
    write('a.yaml', 'name: x\npoll_interval: -1\n---\nname: y\npoll_interval: -1\n');
    write('b.yaml', 'name: [\n');
    expect(load().fileErrors).toBe(2);
  });

  test('a config with neither tables nor exec API loads but warns that it does nothing', () => {
    write('a.yaml', 'name: idle\n');
    const result = load();
    expect(names(result)).toEqual(['idle']);
    expect(result.fileErrors).toBe(0);
    expect(log.warnings).toEqual([expect.stringContaining('"idle"')]);
    expect(log.warnings[0]).toContain('has no effect');
  });

  test('a missing config directory warns and loads nothing', () => {
    const result = loadIngesterConfigs(path.join(dir, 'absent'), undefined, log);
    expect(result).toEqual({ configs: [], fileErrors: 0 });
    expect(log.warnings).toEqual([expect.stringContaining('does not exist')]);
  });

  test('an empty file is no error', () => {
    write('empty.yaml', '');
    write('comment.yaml', '# nothing\n');
    expect(load()).toEqual({ configs: [], fileErrors: 0 });
    expect(log.warnings).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('parseIngesterConfig', () => {
  const WHERE = 'conf/x.yaml';
  const endpoint = 'http://127.0.0.1/api/';
  const pollTable = { poll: { api_path: 'things', jsonpath: '$.things[:]' } };

  function errorOf(doc: unknown): string {
    try {
      parseIngesterConfig(doc, WHERE);
    } catch (err) {
      expect(err).toBeInstanceOf(IngesterConfigError);
      return (err as Error).message;
    }
    throw new Error('expected the config to be refused');
  }

  test('defaults: poll interval 60, no exec API, no headers, GET, GIN index', () => {
    expect(parseIngesterConfig({ name: 'n', api_endpoint: endpoint, tables: { things: pollTable } }, WHERE)).toEqual({
      name: 'n',
      apiEndpoint: endpoint,
      apiDefaultHeaders: {},
      pollIntervalSeconds: 60,
      allowExecApi: false,
      tables: [{ name: 'things', poll: { apiPath: 'things', apiMethod: 'get', jsonpath: '$.things[:]' }, ginIndex: true }],
    });
  });

  test('without tables the config only names an exec API endpoint; empty tables still make a service', () => {
    const execOnly = parseIngesterConfig({ name: 'n', allow_exec_api: true, api_endpoint: endpoint }, WHERE);
    expect(execOnly.tables).toBeUndefined();
    expect(parseIngesterConfig({ name: 'n', tables: {} }, WHERE).tables).toEqual([]);
  });

  test('YAML null counts as absent for optional keys', () => {
    const c = parseIngesterConfig(
      { name: 'n', poll_interval: null, allow_exec_api: null, authentication: null, api_default_headers: null },
      WHERE,
    );
    expect(c).toEqual({ name: 'n', apiDefaultHeaders: {}, pollIntervalSeconds: 60, allowExecApi: false });
  });

  test('given values are kept: gin_index false, fractional poll_interval, GET in capitals', () => {
    const c = parseIngesterConfig(
      {
        name: 'n',
        api_endpoint: endpoint,
        poll_interval: 0.5,
        tables: { t: { gin_index: false, poll: { api_path: '', api_method: 'GET', jsonpath: '$' } } },
      },
      WHERE,
    );
    expect(c.pollIntervalSeconds).toBe(0.5);
    expect(c.tables).toEqual([{ name: 't', poll: { apiPath: '', apiMethod: 'get', jsonpath: '$' }, ginIndex: false }]);
  });

  test('a table with neither poll nor webhook is kept, as the original created it', () => {
    expect(parseIngesterConfig({ name: 'n', tables: { t: { gin_index: false } } }, WHERE).tables).toEqual([
      { name: 't', ginIndex: false },
    ]);
  });

  test('the message names the place and the config', () => {
    expect(errorOf({ name: 'n', poll_interval: 'often' })).toBe(
      'conf/x.yaml: invalid JSON ingester config "n": poll_interval must be a positive number of seconds, not "often"',
    );
  });

  test('every problem of a document is reported at once', () => {
    const message = errorOf({ name: '', poll_interval: -5, tables: { t: { webhook: {} } } });
    expect(message).toContain('name is required and must be a non-empty string');
    expect(message).toContain('poll_interval must be a positive number of seconds, not -5');
    expect(message).toContain('tables.t.webhook.record_jsonpath is required');
    expect(message).toContain('tables.t.webhook.id_jsonpath is required');
  });

  test.each<[string, unknown, string]>([
    ['a list document', [1, 2], 'the document must be a mapping, not a list'],
    ['a scalar document', 'name', 'the document must be a mapping, not a string'],
    ['no name', { tables: {} }, 'name is required and must be a non-empty string'],
    ['an empty name', { name: '' }, 'name is required and must be a non-empty string'],
    ['a numeric name', { name: 42 }, 'name is required and must be a non-empty string'],
    ['a 64-byte name', { name: 'n'.repeat(64) }, "name is 64 bytes long, over PostgreSQL's identifier limit of 63 bytes"],
    ['a name of 32 two-byte characters', { name: 'é'.repeat(32) }, 'name is 64 bytes long'],
    ['a name with NUL', { name: 'a\0b' }, 'name must not contain a NUL character'],
    ['a pg_ name', { name: 'pg_things' }, 'name must not start with "pg_"'],
    [
      'a table with both poll and webhook',
      { name: 'n', api_endpoint: endpoint, tables: { servers: { ...pollTable, webhook: { record_jsonpath: '$', id_jsonpath: '$.id' } } } },
      'Table (servers) cannot be configured for both poll and webhook.',
    ],
    [
      'an authentication type other than keystone',
      { name: 'n', authentication: { type: 'basic', config: {} } },
      'authentication type basic not supported.',
    ],
    ['an authentication without type', { name: 'n', authentication: { config: {} } }, 'authentication.type is required'],
    ['an authentication that is a string', { name: 'n', authentication: 'keystone' }, 'authentication must be a mapping'],
    [
      'a keystone authentication without config',
      { name: 'n', authentication: { type: 'keystone' } },
      'authentication.config must be a mapping',
    ],
    [
      'a keystone config without password',
      { name: 'n', authentication: { type: 'keystone', config: { auth_url: 'http://k/', username: 'u' } } },
      'authentication.config requires password',
    ],
    [
      'a keystone config with a numeric value',
      { name: 'n', authentication: { type: 'keystone', config: { auth_url: 'http://k/', username: 'u', password: 1234 } } },
      'authentication.config.password must be a string (quote the value in YAML)',
    ],
    ['a polling table without api_endpoint', { name: 'n', tables: { things: pollTable } }, 'api_endpoint is required when a table polls (things)'],
    [
      'an invalid polling table without api_endpoint',
      { name: 'n', tables: { things: { poll: { api_path: 'x' } } } },
      'api_endpoint is required when a table polls (things)',
    ],
    [
      'a poll without api_path',
      { name: 'n', api_endpoint: endpoint, tables: { t: { poll: { jsonpath: '$' } } } },
      'tables.t.poll.api_path is required',
    ],
    [
      'a poll without jsonpath',
      { name: 'n', api_endpoint: endpoint, tables: { t: { poll: { api_path: 'x' } } } },
      'tables.t.poll.jsonpath is required',
    ],
    [
      'a poll with an empty jsonpath',
      { name: 'n', api_endpoint: endpoint, tables: { t: { poll: { api_path: 'x', jsonpath: ' ' } } } },
      'tables.t.poll.jsonpath must be a non-empty string',
    ],
    [
      'a poll with api_method post',
      { name: 'n', api_endpoint: endpoint, tables: { t: { poll: { api_path: 'x', api_method: 'post', jsonpath: '$' } } } },
      'tables.t.poll.api_method "post" is not supported: polling only sends GET requests',
    ],
    ['a poll that is not a mapping', { name: 'n', api_endpoint: endpoint, tables: { t: { poll: null } } }, 'tables.t.poll must be a mapping'],
    [
      'a webhook without record_jsonpath',
      { name: 'n', tables: { t: { webhook: { id_jsonpath: '$.id' } } } },
      'tables.t.webhook.record_jsonpath is required',
    ],
    [
      'a webhook without id_jsonpath',
      { name: 'n', tables: { t: { webhook: { record_jsonpath: '$' } } } },
      'tables.t.webhook.id_jsonpath is required',
    ],
    ['a non-boolean gin_index', { name: 'n', tables: { t: { gin_index: 'no' } } }, 'tables.t.gin_index must be true or false, not "no"'],
    ['a zero poll_interval', { name: 'n', poll_interval: 0 }, 'poll_interval must be a positive number of seconds, not 0'],
    ['a negative poll_interval', { name: 'n', poll_interval: -1 }, 'poll_interval must be a positive number of seconds, not -1'],
    ['a string poll_interval', { name: 'n', poll_interval: '60' }, 'poll_interval must be a positive number of seconds, not "60"'],
    ['a NaN poll_interval', { name: 'n', poll_interval: Number.NaN }, 'poll_interval must be a positive number of seconds, not NaN'],
    ['a poll_interval beyond the timers', { name: 'n', poll_interval: 2147484 }, 'poll_interval must be at most 2147483 seconds'],
    [
      'a numeric header value',
      { name: 'n', api_default_headers: { 'X-OpenStack-Nova-API-Version': 2.26 } },
      'api_default_headers.X-OpenStack-Nova-API-Version must be a string (quote the value in YAML)',
    ],
    ['headers that are a list', { name: 'n', api_default_headers: ['a'] }, 'api_default_headers must be a mapping of header names to strings'],
    ['an invalid header name', { name: 'n', api_default_headers: { 'Bad Header': 'v' } }, '"Bad Header" is not a valid HTTP header name'],
    ['a header value with a line break', { name: 'n', api_default_headers: { X: 'a\r\nY: b' } }, 'api_default_headers.X must not contain line breaks'],
    ['a non-boolean allow_exec_api', { name: 'n', allow_exec_api: 'true' }, 'allow_exec_api must be true or false, not "true"'],
    ['exec API without api_endpoint', { name: 'n', allow_exec_api: true }, 'allow_exec_api requires api_endpoint'],
    ['an api_endpoint that is not a URL', { name: 'n', api_endpoint: 'compute/v2.1' }, 'api_endpoint must be an absolute http or https URL'],
    ['an ftp api_endpoint', { name: 'n', api_endpoint: 'ftp://host/' }, 'api_endpoint must be an absolute http or https URL'],
    ['tables that are a list', { name: 'n', tables: ['t'] }, 'tables must be a mapping of table names to table configs, not a list'],
    ['tables that are empty', { name: 'n', tables: null }, 'tables must be a mapping of table names to table configs, not empty'],
    ['a table that is empty', { name: 'n', tables: { t: null } }, 'tables.t must be a mapping (with poll or webhook), not empty'],
    ['a table name of 64 bytes', { name: 'n', tables: { ['t'.repeat(64)]: {} } }, `table name "${'t'.repeat(64)}" is 64 bytes long`],
    ['an empty table name', { name: 'n', tables: { '': {} } }, 'table name "" must not be empty'],
  ])('refuses %s', (_case, doc, expected) => {
    expect(errorOf(doc)).toContain(expected);
  });

  test('names of exactly 63 bytes are accepted', () => {
    const c = parseIngesterConfig({ name: 'n'.repeat(63), tables: { ['t'.repeat(63)]: {} } }, WHERE);
    expect(c.name).toHaveLength(63);
    expect(c.tables?.[0].name).toHaveLength(63);
  });

  test('secrets are not echoed in messages', () => {
    const message = errorOf({
      name: 'n',
      api_endpoint: 'ftp://user:hunter2@host/',
      api_default_headers: { 'X-Auth-Token': 12345678 },
      authentication: { type: 'keystone', config: { auth_url: 'http://k/', username: 'u', password: 98765432 } },
    });
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('12345678');
    expect(message).not.toContain('98765432');
  });
});

/** Loading congress.conf: defaults, file order, value syntax, warnings and errors. */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, findDefaultConfigFile, loadConfig, type CongressConfig } from '../../../src/server/config';

let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-config-'));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const target = path.join(dir, name);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, text);
  return target;
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('defaults', () => {
  it("applies the original's defaults to what a file leaves unset", async () => {
    const { config, warnings } = loadConfig({ files: [await file('empty.conf', '')] });
    expect(warnings).toEqual([]);
    expect(config.embedded).toBe(false);
    expect(config.DEFAULT).toMatchObject({
      bind_host: '0.0.0.0',
      bind_port: 1789,
      auth_strategy: 'keystone',
      replicated_policy_engine: false,
      datasource_sync_period: 60,
      enable_execute_action: true,
      encryption_key_path: '/etc/congress/keys',
      policy_library_path: '/etc/congress/library',
      transport_url: null,
      drivers: [],
      max_simultaneous_requests: 1024,
      api_workers: 1,
      rpc_response_timeout: 60,
      debug: false,
      log_file: null,
      node_id: os.hostname(),
    });
    expect(config.dse).toEqual({
      bus_id: 'bus',
      ping_timeout: 5,
      long_timeout: 120,
      time_to_resub: 10,
      execute_action_retry: false,
      execute_action_retry_timeout: 600,
      heartbeat_interval: 1,
      peer_timeout: 5,
    });
    expect(config.database).toMatchObject({
      connection: 'sqlite://',
      max_pool_size: 10,
      max_overflow: 20,
      pool_timeout: 10,
      connection_recycle_time: 3600,
      max_retries: 10,
      retry_interval: 10,
      mysql_sql_mode: 'TRADITIONAL',
    });
    expect(config.engine).toEqual({ allow_recursion: false, change_log_keep_seconds: 86400, policy_sync_period: null, revision_wait_timeout: 5 });
    expect(config.api.max_body_size).toBe(10485760);
    expect(config.keystone_authtoken).toEqual({});
  });

  it('uses the embedded single-node defaults only when no file is given at all', () => {
    const { config, warnings } = loadConfig({});
    expect(warnings).toEqual([]);
    expect(config.embedded).toBe(true);
    expect(config.sources).toEqual([]);
    expect(config.DEFAULT.bind_host).toBe('127.0.0.1');
    expect(config.DEFAULT.auth_strategy).toBe('noauth');
    expect(config.DEFAULT.encryption_key_path).toBe('data/keys');
    expect(config.database.connection).toBe('sqlite:///data/congress.sqlite');
    // Options without an embedded default keep the original's.
    expect(config.DEFAULT.bind_port).toBe(1789);
  });

  it('lets overrides change embedded defaults too', () => {
    const { config } = loadConfig({ overrides: { DEFAULT: { bind_port: 8080, auth_strategy: 'keystone' } } });
    expect(config.embedded).toBe(true);
    expect(config.DEFAULT.bind_port).toBe(8080);
    expect(config.DEFAULT.auth_strategy).toBe('keystone');
  });
});

describe('sources and precedence', () => {
  it('lets later files override earlier ones, then the directory in sorted order, then overrides', async () => {
    const a = await file('a.conf', '[DEFAULT]\nbind_port = 1000\ndebug = true\n[dse]\nbus_id = from-a\nping_timeout = 7\n');
    const b = await file('b.conf', '[DEFAULT]\nbind_port = 2000\n[dse]\nbus_id = from-b\n');
    await file('conf.d/20-second.conf', '[dse]\nbus_id = from-dir-20\n');
    await file('conf.d/10-first.conf', '[dse]\nbus_id = from-dir-10\nlong_timeout = 99\n');
    await file('conf.d/30-ignored.conf.bak', '[dse]\nbus_id = never\n');
    const { config } = loadConfig({
      files: [a, b],
      dir: path.join(dir, 'conf.d'),
      overrides: { DEFAULT: { node_id: 'pe-1', debug: false } },
    });
    expect(config.DEFAULT.bind_port).toBe(2000);
    expect(config.dse.bus_id).toBe('from-dir-20');
    expect(config.dse.ping_timeout).toBe(7);
    expect(config.dse.long_timeout).toBe(99);
    expect(config.DEFAULT.node_id).toBe('pe-1');
    expect(config.DEFAULT.debug).toBe(false);
    expect(config.sources).toEqual([a, b, path.join(dir, 'conf.d/10-first.conf'), path.join(dir, 'conf.d/20-second.conf')]);
  });

  it('takes the last value of a key repeated in one file', async () => {
    const { config } = loadConfig({ files: [await file('c.conf', '[DEFAULT]\nbind_port = 1\nbind_port = 2\n')] });
    expect(config.DEFAULT.bind_port).toBe(2);
  });

  it('treats a directory alone as configuration (not embedded)', async () => {
    await file('d/x.conf', '[DEFAULT]\ndebug = yes\n');
    const { config } = loadConfig({ dir: path.join(dir, 'd') });
    expect(config.embedded).toBe(false);
    expect(config.DEFAULT.debug).toBe(true);
    expect(config.DEFAULT.auth_strategy).toBe('keystone');
  });

  it('reports missing files and directories', () => {
    expect(() => loadConfig({ files: [path.join(dir, 'nope.conf')] })).toThrow(/config file not found.*nope\.conf/);
    expect(() => loadConfig({ dir: path.join(dir, 'nodir') })).toThrow(/config directory not found.*nodir/);
  });

  it('finds the first existing file of the standard search', async () => {
    const second = await file('etc/congress.conf', '');
    expect(findDefaultConfigFile([path.join(dir, 'missing.conf'), second, path.join(dir, 'later.conf')])).toBe(second);
    expect(findDefaultConfigFile([path.join(dir, 'missing.conf')])).toBeNull();
  });
});

describe('value syntax', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['YES', true],
    ['on', true],
    ['1', true],
    ['false', false],
    ['False', false],
    ['no', false],
    ['OFF', false],
    ['0', false],
  ])('reads boolean %s as %s', async (text, expected) => {
    const { config } = loadConfig({ files: [await file('b.conf', `[DEFAULT]\nreplicated_policy_engine = ${text}\n`)] });
    expect(config.DEFAULT.replicated_policy_engine).toBe(expected);
  });

  it('reads lists the oslo way: commas, trimmed items, trailing comma ignored, continuation lines', async () => {
    const { config } = loadConfig({
      files: [
        await file(
          'l.conf',
          '[DEFAULT]\ndisabled_drivers = nova, plexxi ,\ncustom_driver_endpoints =\n[cors]\nallowed_origin = https://a.example,\n  https://b.example\n',
        ),
      ],
    });
    expect(config.DEFAULT.disabled_drivers).toEqual(['nova', 'plexxi']);
    expect(config.DEFAULT.custom_driver_endpoints).toEqual([]);
    expect(config.cors.allowed_origin).toEqual(['https://a.example', 'https://b.example']);
  });

  it('reads integers, floats, unset strings and quoted values', async () => {
    const { config } = loadConfig({
      files: [
        await file(
          'n.conf',
          '[DEFAULT]\ndatasource_sync_period = 30\ntransport_url =\nlog_file = "/var/log/congress/congress.log"\n[dse]\nheartbeat_interval = 0.5\n[engine]\npolicy_sync_period = 15\n',
        ),
      ],
    });
    expect(config.DEFAULT.datasource_sync_period).toBe(30);
    expect(config.DEFAULT.transport_url).toBeNull();
    expect(config.DEFAULT.log_file).toBe('/var/log/congress/congress.log');
    expect(config.dse.heartbeat_interval).toBe(0.5);
    expect(config.engine.policy_sync_period).toBe(15);
  });

  it("substitutes $option and ${group.option} as oslo.config does, with $$ for a literal $", async () => {
    const { config, warnings } = loadConfig({
      files: [
        await file(
          's.conf',
          '[DEFAULT]\nlog_dir = /var/log/congress\nlog_file = $log_dir/congress.log\nnode_id = node-${dse.bus_id}\n[dse]\nbus_id = prod\n[database]\nconnection = mysql+pymysql://congress:pa$$word@db/congress\n[keystone_authtoken]\npassword = a\\$b\n',
        ),
      ],
    });
    expect(config.DEFAULT.log_file).toBe('/var/log/congress/congress.log');
    expect(config.DEFAULT.node_id).toBe('node-prod');
    expect(config.database.connection).toBe('mysql+pymysql://congress:pa$word@db/congress');
    expect(config.keystone_authtoken.password).toBe('a$b');
    expect(warnings).toEqual([]);
  });

  it('keeps an unknown $reference literally and warns', async () => {
    const { config, warnings } = loadConfig({ files: [await file('u.conf', '[DEFAULT]\nlog_file = $nosuch/x.log\n')] });
    expect(config.DEFAULT.log_file).toBe('$nosuch/x.log');
    expect(warnings).toEqual([expect.stringContaining('$nosuch does not name an option')]);
  });
});

describe('warnings', () => {
  it('warns about unknown options and sections, with where they are', async () => {
    const conf = await file('w.conf', '[DEFAULT]\nbind_port = 1789\nno_such_option = 1\n[no_such_section]\nx = 1\n[dse]\nbus_idd = typo\n');
    const { warnings } = loadConfig({ files: [conf] });
    expect(warnings).toEqual([
      `${conf}:3: unknown option no_such_option in section [DEFAULT] is ignored`,
      'unknown section [no_such_section] is ignored',
      `${conf}:7: unknown option bus_idd in section [dse] is ignored`,
    ]);
  });

  it('warns about deprecated options and reads deprecated names into the new option', async () => {
    const conf = await file(
      'd.conf',
      '[DEFAULT]\nverbose = True\nsql_connection = mysql://u:p@h/old\n[database]\nidle_timeout = 300\n[oslo_messaging_rabbit]\nrabbit_userid = congress\n',
    );
    const { config, warnings } = loadConfig({ files: [conf] });
    expect(config.database.connection).toBe('mysql://u:p@h/old');
    expect(config.database.connection_recycle_time).toBe(300);
    expect(warnings).toEqual(
      expect.arrayContaining([
        '[DEFAULT] verbose is deprecated: oslo.log removed it; INFO is the default level',
        `${conf}:3: [DEFAULT] sql_connection is a deprecated name of [database] connection`,
        `${conf}:5: [database] idle_timeout is a deprecated name of [database] connection_recycle_time`,
        expect.stringContaining('[oslo_messaging_rabbit] rabbit_userid is deprecated'),
      ]),
    );
    expect(warnings).toHaveLength(4);
  });

  it('prefers the current name over a deprecated one', async () => {
    const { config } = loadConfig({
      files: [await file('p.conf', '[DEFAULT]\nsql_connection = mysql://u@h/old\n[database]\nconnection = mysql://u@h/new\n')],
    });
    expect(config.database.connection).toBe('mysql://u@h/new');
  });

  it('warns that api_workers above 1 is ignored', async () => {
    const { warnings } = loadConfig({ files: [await file('a.conf', '[DEFAULT]\napi_workers = 4\n')] });
    expect(warnings).toEqual([expect.stringContaining('api_workers = 4 is ignored')]);
  });
});

describe('invalid values', () => {
  it.each([
    ['DEFAULT', 'replicated_policy_engine', 'maybe', /boolean/],
    ['DEFAULT', 'bind_port', '99999', /port number/],
    ['DEFAULT', 'bind_port', 'http', /port number/],
    ['DEFAULT', 'bind_host', 'not a host', /IP address or a host name/],
    ['DEFAULT', 'datasource_sync_period', '1.5', /integer/],
    ['DEFAULT', 'datasource_sync_period', '-1', /at least 0/],
    ['DEFAULT', 'auth_strategy', 'basic', /one of: keystone, noauth/],
    ['dse', 'ping_timeout', 'soon', /integer/],
    ['dse', 'heartbeat_interval', 'fast', /number/],
    ['database', 'connection_debug', '101', /at most 100/],
    ['oslo_messaging_rabbit', 'kombu_reconnect_delay', '-1', /at least 0/],
    ['oslo_messaging_rabbit', 'kombu_reconnect_delay', 'soon', /number/],
  ])('refuses [%s] %s = %s, naming section, option and value', async (section, option, value, reason) => {
    const conf = await file('bad.conf', `[${section}]\n${option} = ${value}\n`);
    const error = errorOf(() => loadConfig({ files: [conf] }));
    expect(error.message).toContain(`option ${option} in section [${section}]`);
    expect(error.message).toContain(`'${value}'`);
    expect(error.message).toContain(`${conf}:2`);
    expect(error.message).toMatch(reason);
    expect(error).toMatchObject({ section, option });
  });

  it('refuses bad overrides, naming the command line', () => {
    const error = errorOf(() => loadConfig({ overrides: { DEFAULT: { bind_port: -1 } } }));
    expect(error.message).toMatch(/invalid value -1 for option bind_port in section \[DEFAULT\] \(command line\)/);
    expect(() => loadConfig({ overrides: { DEFAULT: { no_such: 1 } } })).toThrow(/unknown option no_such/);
  });

  it('does not echo secret values', () => {
    const error = errorOf(() => loadConfig({ overrides: { DEFAULT: { transport_url: 5672 } } }));
    expect(error.message).toContain('invalid value *** for option transport_url');
    expect(error.message).not.toContain('5672');
  });
});

describe("an operator's original congress.conf", () => {
  it('loads the HA guide configuration of a policy-engine node unchanged, without warnings', async () => {
    // ha.md §9.7, as the original's HA deployment guide writes it.
    const conf = await file(
      'congress.conf',
      `[DEFAULT]
bind_port = 1789
auth_strategy = keystone
transport_url = rabbit://congress:secret@rabbit1:5672/
replicated_policy_engine = True
# as a sync period, honoured only when the config is parsed before import (4.7)
datasource_sync_period = 30
encryption_key_path = /etc/congress/keys

[dse]
bus_id = congress-prod

[database]
connection = mysql+pymysql://congress:secret@db-vip/congress?charset=utf8
`,
    );
    const { config, warnings } = loadConfig({ files: [conf], overrides: { DEFAULT: { api: true, policy_engine: true, node_id: 'pe-1' } } });
    expect(warnings).toEqual([]);
    const expected: Partial<CongressConfig['DEFAULT']> = {
      bind_port: 1789,
      auth_strategy: 'keystone',
      transport_url: 'rabbit://congress:secret@rabbit1:5672/',
      replicated_policy_engine: true,
      datasource_sync_period: 30,
      encryption_key_path: '/etc/congress/keys',
      api: true,
      policy_engine: true,
      datasources: false,
      node_id: 'pe-1',
    };
    expect(config.DEFAULT).toMatchObject(expected);
    expect(config.dse.bus_id).toBe('congress-prod');
    expect(config.database.connection).toBe('mysql+pymysql://congress:secret@db-vip/congress?charset=utf8');
  });

  it('loads a devstack-generated configuration, warning only about what Congress-TS does not read or use', async () => {
    const conf = await file(
      'devstack.conf',
      `[DEFAULT]
debug = True
transport_url = rabbit://stackrabbit:secretrabbit@10.0.0.5:5672/
auth_strategy = keystone
drivers = congress.datasources.neutronv2_driver.NeutronV2Driver,congress.datasources.glancev2_driver.GlanceV2Driver,congress.datasources.nova_driver.NovaDriver
policy_library_path = /opt/stack/congress/library
datasource_sync_period = 30
replicated_policy_engine = False
logging_exception_prefix = ERROR %(name)s %(instance)s
logging_context_format_string = %(color)s%(levelname)s %(name)s [%(global_request_id)s %(request_id)s %(project_name)s %(user_name)s%(color)s] %(instance)s%(color)s%(message)s
use_syslog = False

[oslo_policy]
policy_file = /etc/congress/policy.json

[database]
connection = mysql+pymysql://root:secretdatabase@127.0.0.1/congress?charset=utf8

[keystone_authtoken]
memcached_servers = localhost:11211
signing_dir = /var/cache/congress
cafile = /opt/stack/data/ca-bundle.pem
project_domain_name = Default
project_name = service
user_domain_name = Default
password = secretservice
username = congress
auth_url = http://10.0.0.5/identity
auth_type = password

[oslo_concurrency]
lock_path = /opt/stack/data/congress/lock

[oslo_messaging_rabbit]
rabbit_ha_queues = False
heartbeat_timeout_threshold = 60
`,
    );
    const { config, warnings } = loadConfig({ files: [conf] });
    expect(config.DEFAULT.debug).toBe(true);
    expect(config.DEFAULT.drivers).toHaveLength(3);
    expect(config.DEFAULT.replicated_policy_engine).toBe(false);
    expect(config.oslo_policy.policy_file).toBe('/etc/congress/policy.json');
    expect(config.oslo_messaging_rabbit.heartbeat_timeout_threshold).toBe(60);
    expect(config.keystone_authtoken).toMatchObject({ auth_type: 'password', password: 'secretservice', project_domain_name: 'Default' });
    expect(warnings).toEqual([
      '[DEFAULT] drivers is deprecated: all installed drivers are loaded; use disabled_drivers to leave some out',
      `${conf}:35: [oslo_messaging_rabbit] rabbit_ha_queues has no effect in Congress-TS: the bus declares its own queues; use a RabbitMQ policy for mirroring`,
      `${conf}:9: unknown option logging_exception_prefix in section [DEFAULT] is ignored`,
      `${conf}:10: unknown option logging_context_format_string in section [DEFAULT] is ignored`,
      'unknown section [oslo_concurrency] is ignored',
    ]);
  });
  it('warns, naming file and line, when an option that changes nothing here is set, and not when it is left alone', async () => {
    const conf = await file('inert.conf', '[DEFAULT]\nuse_journal = true\n[oslo_policy]\nenforce_scope = true\n');
    const { config, warnings } = loadConfig({ files: [conf] });
    expect(config.oslo_policy.enforce_scope).toBe(true);
    expect(warnings).toEqual([
      `${conf}:2: [DEFAULT] use_journal has no effect in Congress-TS: under systemd, stderr already goes to the journal`,
      `${conf}:4: [oslo_policy] enforce_scope has no effect in Congress-TS: Congress's rules declare no scope types, so there is no scope to enforce (the same in the original)`,
    ]);
    expect(loadConfig({ files: [await file('plain.conf', '[DEFAULT]\ndebug = true\n')] }).warnings).toEqual([]);
  });
});

/**
 * Every option Congress-TS reads, by section: the original's options with the original's
 * defaults (Congress core, `[dse]`, `[json_ingester]`, and the oslo.db / oslo.messaging /
 * oslo.log / oslo.policy / oslo.middleware options operators set in congress.conf), plus the
 * sections and options Congress-TS adds (`ours`). `[keystone_authtoken]` is free-form and kept
 * as strings.
 */
import os from 'node:os';
import { bool, choice, float, host, int, list, optionalInt, optionalStr, port, str, type OptionSpec, optionalFloat } from './options';

const OLD_RABBIT = 'replaced by [DEFAULT] transport_url in oslo.messaging; set transport_url instead';

const DEFAULT = {
  bind_host: host('0.0.0.0', 'IP address or host name the API listens on.', { embedded: '127.0.0.1' }),
  bind_port: port(1789, 'TCP port the API listens on; distinct per node on a shared host.'),
  max_simultaneous_requests: int(1024, 'Declared by the original but never used.', { min: 1, inert: 'the original never used it either' }),
  tcp_keepalive: bool(false, 'Set SO_KEEPALIVE on API connections.'),
  tcp_keepidle: int(600, 'TCP_KEEPIDLE seconds for API connections when tcp_keepalive is on.', { min: 1 }),
  api_workers: int(1, 'API worker processes; Congress-TS always runs one per process (larger values are ignored).', { min: 1 }),
  audit_log_file: str('', 'JSON-lines audit trail of every write and every action requested (who, what, outcome, revision); empty writes it to standard error.', {
    ours: true,
    embedded: 'data/audit.log',
  }),
  ssl_cert_file: str('', 'PEM certificate (chain) of the API; with ssl_key_file the API serves HTTPS only.', { ours: true }),
  ssl_key_file: str('', 'PEM private key of ssl_cert_file.', { ours: true }),
  ssl_ca_file: str('', 'PEM CA bundle; when set, API clients must present a certificate it signed.', { ours: true }),
  api_paste_config: str('api-paste.ini', 'Paste pipeline file of the original.', { inert: 'the API pipeline is built in' }),
  auth_strategy: choice(['keystone', 'noauth'], 'keystone', 'Authentication of API requests: keystone (token validation) or noauth.', {
    embedded: 'noauth',
  }),
  drivers: list([], 'Deprecated and ignored: every installed driver is loaded.', {
    deprecated: 'all installed drivers are loaded; use disabled_drivers to leave some out',
  }),
  disabled_drivers: list([], 'Datasource driver names not to load, e.g. nova, plexxi.'),
  custom_driver_endpoints: list([], 'Extra drivers as name=module:Class entries (the original loads Python classes).', { inert: 'the drivers are built in; Python driver classes cannot be loaded' }),
  datasource_sync_period: int(60, 'Seconds between the periodic policy, rule and datasource synchronisations from the database.', {
    min: 0,
  }),
  enable_execute_action: bool(true, 'Execute the actions policies trigger; when false they are only logged.'),
  replicated_policy_engine: bool(
    false,
    'The original needs true when more than one policy engine shares the database; Congress-TS replicates either way. True with a SQLite database gives a start-up warning, as in the original.',
  ),
  policy_library_path: str('/etc/congress/library', 'Directory of library policy YAML files, loaded when the library is empty.', {
    // The examples shipped in this repository, for the embedded default started from its root.
    embedded: 'library',
  }),
  encryption_key_path: str('/etc/congress/keys', 'Directory of the aes_key file that encrypts datasource secrets; the same on every host.', {
    embedded: 'data/keys',
  }),
  api: bool(false, 'Run the API role (also settable as the --api flag).'),
  policy_engine: bool(false, 'Run the policy-engine role (also settable as the --policy-engine flag).'),
  datasources: bool(false, 'Run the datasources role (also settable as the --datasources flag).'),
  node_id: str(os.hostname(), 'Identity of this node on the bus; unique per bus_id (also the --node-id flag).', {
    sampleDefault: '<host name>',
  }),
  delete_missing_driver_datasources: bool(
    false,
    'On a datasources node, delete at start the stored datasources (with their pushed data) whose driver is not installed or is in disabled_drivers. Without it they are kept and reported as failing to start.',
  ),
  transport_url: optionalStr('Message broker URL, e.g. rabbit://user:pw@host1:5672,user:pw@host2:5672/; unset: in-process bus (single process only).', {
    secret: true,
  }),
  rpc_response_timeout: int(60, 'Seconds to wait for the answer to an RPC call.', { min: 1 }),
  control_exchange: str('openstack', 'Default AMQP exchange of oslo.messaging.', { inert: 'Congress-TS reads only transport_url' }),
  debug: bool(false, 'Log at DEBUG level instead of INFO.'),
  verbose: bool(true, 'Removed from oslo.log; accepted and ignored.', { deprecated: 'oslo.log removed it; INFO is the default level' }),
  log_config_append: optionalStr('A Python logging configuration file.', { inert: 'Python logging configuration is not read; use the log options' }),
  log_date_format: optionalStr(
    "Format of the time stamp of text log lines (strftime syntax, local time), followed by the milliseconds, e.g. %Y-%m-%d %H:%M:%S (the original's default); unset: ISO-8601 UTC. JSON lines always carry ISO-8601 UTC.",
  ),
  log_file: optionalStr('Log to this file (relative to log_dir if that is set); unset: log to stderr.'),
  log_dir: optionalStr('Directory of log_file.'),
  watch_log_file: bool(false, 'Reopen the log file when it is moved away or removed (for logrotate without copytruncate).'),
  use_syslog: bool(false, 'Log to the local syslog daemon (through util-linux logger); stderr then only with use_stderr.'),
  syslog_log_facility: str('LOG_USER', 'Syslog facility: LOG_USER, LOG_DAEMON, LOG_LOCAL0 ... LOG_LOCAL7 (or user, local0 ...).'),
  syslog_address: str('/dev/log', "The syslog daemon's socket (use_syslog).", { ours: true }),
  use_json: bool(false, 'Log in JSON, one object per line.'),
  use_stderr: bool(false, 'Also log to stderr when logging to a file or syslog.'),
  use_journal: bool(false, 'Log to the systemd journal.', { inert: 'under systemd, stderr already goes to the journal' }),
  policy_path: optionalStr('Removed from Congress; accepted and ignored.', { deprecated: 'removed from Congress; policies live in the database' }),
  datasource_file: optionalStr('Removed from Congress; accepted and ignored.', { deprecated: 'removed from Congress; datasources live in the database' }),
  root_path: optionalStr('Removed from Congress; accepted and ignored.', { deprecated: 'removed from Congress' }),
  distributed_architecture: bool(true, 'Removed from Congress (the distributed architecture is the only one); accepted and ignored.', {
    deprecated: 'the distributed architecture is the only one',
  }),
};

const dse = {
  bus_id: str('bus', 'Names the bus: the same on every node of one deployment, different between deployments sharing a broker.'),
  ping_timeout: int(5, 'Seconds to wait for a service not seen in heartbeats to answer a ping before calling it.', { min: 1, inert: 'peers are judged by their heartbeats (heartbeat_interval, peer_timeout)' }),
  long_timeout: int(120, 'Seconds to wait for long RPC calls (policy creation with rules, rule changes, simulate, datasource changes).', {
    min: 1,
  }),
  time_to_resub: int(10, 'Seconds an out-of-order update may wait for the missing ones before resubscribing.', { min: 1, inert: 'a replica that misses a table update resynchronises from a snapshot' }),
  execute_action_retry: bool(
    false,
    'Send an action request again while no datasource node takes it (none running, or no answer within long_timeout); the datasource then answers after running the action. An action may run twice.',
  ),
  execute_action_retry_timeout: int(600, 'Seconds to keep sending one action request (execute_action_retry); 0 or less: until it is delivered or the server stops.'),
  heartbeat_interval: float(1, 'Seconds between heartbeats of a node.', { ours: true }),
  peer_timeout: float(5, 'Seconds without heartbeats after which a peer counts as gone.', { ours: true }),
};

const database = {
  connection: str('sqlite://', 'Database URL, e.g. mysql+pymysql://congress:pw@db/congress?charset=utf8 or sqlite:////var/lib/congress/congress.sqlite.', {
    embedded: 'sqlite:///data/congress.sqlite',
    secret: true,
    aliases: [
      { section: 'DEFAULT', name: 'sql_connection' },
      { section: 'database', name: 'sql_connection' },
      { section: 'sql', name: 'connection' },
    ],
  }),
  slave_connection: optionalStr('Read-only replica URL.', { secret: true, inert: 'every read goes to connection, as in the original, which never asked oslo.db for a reader' }),
  backend: str('sqlalchemy', 'oslo.db back end; only sqlalchemy exists.', { inert: 'SQLAlchemy is not used' }),
  mysql_sql_mode: str('TRADITIONAL', 'SQL mode set on every MySQL connection.'),
  connection_recycle_time: int(3600, 'Seconds after which an idle pooled connection is closed.', {
    min: 0,
    aliases: [
      { section: 'database', name: 'idle_timeout' },
      { section: 'DEFAULT', name: 'sql_idle_timeout' },
    ],
  }),
  max_pool_size: int(10, 'Connections kept in the pool.', { min: 0 }),
  max_overflow: int(20, 'Connections allowed beyond max_pool_size.', { min: 0 }),
  pool_timeout: int(10, 'Seconds to wait for a free pooled connection.', { min: 1 }),
  max_retries: int(10, 'Attempts to connect at start-up; -1: forever.', { min: -1 }),
  retry_interval: int(10, 'Seconds between connection attempts at start-up.', { min: 0 }),
  connection_debug: int(0, 'SQL logging: 0 none, 100 every statement.', { min: 0, max: 100 }),
  connection_trace: bool(false, 'Add Python stack traces to SQL as comments.', { inert: 'there are no Python stack traces' }),
  connection_parameters: str('', 'Parameters appended to the query of connection (param1=value1&param2=value2), as oslo.db does.'),
  sqlite_synchronous: bool(true, 'False: SQLite does not wait for the disk on commit (PRAGMA synchronous = OFF); faster, but a power loss can lose the last commits.'),
  use_db_reconnect: bool(false, 'Retry a database call when the connection was lost (oslo.db; only for projects that go through its DBAPI wrapper, which Congress never did).', { inert: 'the original never used it either (Congress did not call the database through oslo.db\'s DBAPI); during a database outage requests are answered 503 (retry the request) and the pool reconnects by itself' }),
  db_retry_interval: int(1, 'Seconds before the first retry of a call (use_db_reconnect).', { min: 0, inert: 'goes with use_db_reconnect' }),
  db_inc_retry_interval: bool(true, 'Double db_retry_interval after each retry.', { inert: 'goes with use_db_reconnect' }),
  db_max_retry_interval: int(10, 'Upper bound of db_retry_interval.', { min: 0, inert: 'goes with use_db_reconnect' }),
  db_max_retries: int(20, 'Retries of a call before giving up; -1: forever.', { min: -1, inert: 'goes with use_db_reconnect' }),
  lock_wait_timeout: int(60, 'Seconds to wait for the policy/rule table lock or another writer before failing.', { min: 1, ours: true }),
};

const oslo_messaging_rabbit = {
  heartbeat_timeout_threshold: int(
    60,
    "Seconds of silence after which the broker connection counts as dead and is reopened (AMQP heartbeats every half of it); 0: none asked for, the broker's own heartbeat applies. A transport_url ?heartbeat=N sets the period itself.",
    { min: 0 },
  ),
  heartbeat_rate: int(2, 'Heartbeats sent per heartbeat_timeout_threshold.', { min: 1, inert: 'heartbeats go out every half of heartbeat_timeout_threshold (the AMQP client library decides)' }),
  amqp_durable_queues: bool(false, 'Declare durable queues.', { inert: 'the bus declares its own queues' }),
  amqp_auto_delete: bool(false, 'Declare auto-delete queues and exchanges.', { inert: 'the bus declares its own queues' }),
  rabbit_ha_queues: bool(false, 'Mirror queues across a RabbitMQ cluster (classic mirrored queues).', { inert: 'the bus declares its own queues; use a RabbitMQ policy for mirroring' }),
  rabbit_retry_interval: optionalInt(
    "Seconds before the first reconnection attempt (the original's default: 1). Unset, with rabbit_retry_backoff and rabbit_interval_max: the bus reconnects after 0.1 s, doubling up to 5 s, within seconds of the broker. Setting any of the three gives the original's back-off: rabbit_retry_interval + n * rabbit_retry_backoff, at most rabbit_interval_max.",
    { min: 0 },
  ),
  rabbit_retry_backoff: optionalInt("Seconds added to the wait after each failed reconnection (the original's default: 2; see rabbit_retry_interval).", { min: 0 }),
  rabbit_interval_max: optionalInt("Upper bound of the reconnection wait, in seconds (the original's default: 30; see rabbit_retry_interval).", { min: 1 }),
  rabbit_qos_prefetch_count: optionalInt(
    "Unacknowledged messages a node's consumers may hold (the original's default: 0, unlimited). Unset: 64, so a slow node is not handed the whole backlog at once.",
    { min: 0 },
  ),
  rabbit_login_method: choice(['PLAIN', 'AMQPLAIN', 'RABBIT-CR-DEMO'], 'AMQPLAIN', 'SASL mechanism of the broker login; RABBIT-CR-DEMO (a demonstration mechanism RabbitMQ disables by default) is refused at start-up.'),
  kombu_reconnect_delay: optionalFloat(
    "Seconds to wait before reconnecting after the broker cancels one of the node's consumers (a queue deleted, a cluster node gone; the original's default: 1). Unset: the bus's own back-off, 0.1 s doubling up to 5 s.",
  ),
  ssl: bool(false, 'Connect to the broker over TLS (the broker is verified against ssl_ca_file, or the system CAs without it).', { aliases: [{ section: 'oslo_messaging_rabbit', name: 'rabbit_use_ssl' }] }),
  ssl_ca_file: str('', 'CA bundle to verify the broker certificate.'),
  ssl_cert_file: str('', 'Client certificate for the broker.'),
  ssl_key_file: str('', 'Private key of the client certificate.'),
  ssl_version: str('', 'TLS protocol version to the broker: TLSv1_2, TLSv1_3, TLSv1_1 or TLSv1 allows only that one; empty or SSLv23: negotiated.'),
  rabbit_host: str('localhost', 'Broker host (old style).', { deprecated: OLD_RABBIT }),
  rabbit_port: port(5672, 'Broker port (old style).', { deprecated: OLD_RABBIT }),
  rabbit_hosts: list(['$rabbit_host:$rabbit_port'], 'Broker host:port list (old style).', { deprecated: OLD_RABBIT }),
  rabbit_userid: str('guest', 'Broker user (old style).', { deprecated: OLD_RABBIT }),
  rabbit_password: str('guest', 'Broker password (old style).', { deprecated: OLD_RABBIT, secret: true }),
  rabbit_virtual_host: str('/', 'Broker virtual host (old style).', { deprecated: OLD_RABBIT }),
};

const oslo_policy = {
  policy_file: str('policy.json', 'Authorisation rules file (JSON or YAML), searched like config files.'),
  policy_default_rule: str('default', 'Rule applied when a request has no rule of its own.'),
  policy_dirs: list(['policy.d'], 'Directories of further rule files, applied in order after policy_file (only while policy_file exists), each in file name order.'),
  enforce_scope: bool(false, 'Refuse tokens whose scope does not match the rule.', {
    inert: "Congress's rules declare no scope types, so there is no scope to enforce (the same in the original)",
  }),
};

const oslo_middleware = {
  enable_proxy_headers_parsing: bool(false, 'Honour X-Forwarded-Proto / Forwarded from a trusted proxy in links and Location headers.'),
};

const cors = {
  allowed_origin: list([], 'Origins allowed to make cross-origin requests; empty: CORS off.'),
  allow_credentials: bool(true, 'Allow cookies and credentials in cross-origin requests.'),
  expose_headers: list(['X-Auth-Token', 'X-OpenStack-Request-ID', 'X-Subject-Token', 'X-Service-Token'], 'Response headers exposed to cross-origin callers.'),
  max_age: int(3600, 'Seconds a browser may cache a CORS preflight answer.', { min: 0 }),
  allow_methods: list(['GET', 'PUT', 'POST', 'DELETE', 'PATCH'], 'Methods allowed in cross-origin requests.'),
  allow_headers: list(
    ['X-Auth-Token', 'X-OpenStack-Request-ID', 'X-Identity-Status', 'X-Roles', 'X-Service-Catalog', 'X-User-Id', 'X-Tenant-Id'],
    'Request headers allowed in cross-origin requests.',
  ),
};

const json_ingester = {
  enable: bool(false, 'Enable the experimental JSON ingester: datasources nodes run the ingesters configured under config_path, and the API serves their webhook route.'),
  config_path: str('/etc/congress/json_ingesters', 'Directory of JSON ingester configuration files (*.yaml, *.yml, searched recursively).'),
  config_reusables_path: str('/etc/congress/config_reusables.yaml', 'File of reusable values that ingester configurations name with !ref.'),
  db_connection: optionalStr('PostgreSQL database the JSON ingesters write to: a postgresql:// URL or a libpq key=value string. Required with enable.', { secret: true }),
};

const engine = {
  allow_recursion: bool(false, 'Accept recursive rules in nonrecursive policies (the original refuses them).', { ours: true }),
  policy_sync_period: optionalInt('Seconds between safety-net syncs of policies and rules from the database; unset: datasource_sync_period.', {
    min: 1,
    ours: true,
  }),
  change_log_keep_seconds: int(86400, 'Seconds the change log keeps each policy, rule and datasource change for replicas catching up; older entries are dropped (a replica further behind reloads from a snapshot). 0 keeps everything.', {
    min: 0,
    ours: true,
  }),
  revision_wait_timeout: float(5, 'Seconds a request with X-Congress-Min-Revision may wait for this node to catch up before a 503.', {
    ours: true,
  }),
};

const api = {
  max_body_size: int(10485760, 'Largest request body accepted, in bytes (pushed table data included).', { min: 1024, ours: true }),
};

/** Every typed section and its options. */
export const SECTIONS = {
  DEFAULT,
  dse,
  database,
  oslo_messaging_rabbit,
  oslo_policy,
  oslo_middleware,
  cors,
  json_ingester,
  engine,
  api,
} as const;

/** Sections whose options are not typed, kept as strings (`[keystone_authtoken]`). */
export const FREE_FORM_SECTIONS = ['keystone_authtoken'] as const;

/** Name of a typed section. */
export type SectionName = keyof typeof SECTIONS;

/** Sections as typed values. */
type SectionValues<S> = { readonly [K in keyof S]: S[K] extends OptionSpec<infer T> ? T : never };

/** The validated configuration. */
export type CongressConfig = { readonly [G in SectionName]: SectionValues<(typeof SECTIONS)[G]> } & {
  readonly keystone_authtoken: Readonly<Record<string, string>>;
  /** True when no configuration file was given at all: the embedded single-node defaults apply. */
  readonly embedded: boolean;
  /** The files read, in the order they were applied. */
  readonly sources: readonly string[];
};

/** Every option of every typed section, for iteration. */
export function allOptions(): Array<{ section: SectionName; name: string; spec: OptionSpec<unknown> }> {
  const result: Array<{ section: SectionName; name: string; spec: OptionSpec<unknown> }> = [];
  for (const section of Object.keys(SECTIONS) as SectionName[]) {
    for (const [name, spec] of Object.entries(SECTIONS[section])) {
      result.push({ section, name, spec: spec as OptionSpec<unknown> });
    }
  }
  return result;
}

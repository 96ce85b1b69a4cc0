/**
 * The `nova` driver (spec §6.1): servers (with `servers.addresses` and `tags`), flavors, services,
 * hypervisors and availability zones, read at compute microversion 2.26 by default, and the
 * server and service actions of novaclient.
 */
import { isRecord } from '../../../bus/json';
import { DatasourceError } from '../errors';
import { argString, coerceValue, type ActionArgs, type ActionSpec } from '../framework/actions';
import { stringOption } from '../framework/config';
import type { DriverContext, DriverDefinition } from '../framework/driver';
import { OpenStackDriver, openstackOptions, ServiceClient } from '../openstack/openstack-driver';
import { FloatType, Int, Str } from '../translation/data-types';
import { schemaOf } from '../translation/schema';
import { VALUE, type FieldTranslator, type TableTranslator, type Translator } from '../translation/translator';
import { pythonStr } from '../../../datalog/python-text';

const DEFAULT_API_VERSION = '2.26';

/** `image`/`flavor` as an id: a string as is, else its `id` (or, from 2.47, `original_name`). */
function safeId(raw: unknown): unknown {
  if (raw === null || raw === undefined || typeof raw === 'string' || typeof raw === 'number') return raw;
  if (isRecord(raw)) {
    if (raw.id !== undefined) return raw.id;
    if (raw.original_name !== undefined) return raw.original_name;
  }
  return pythonStr(raw);
}

/** `{net: [addr, ...]}` → one address dict per entry, with its `network_name`. */
function flattenAddresses(raw: unknown): unknown {
  if (!isRecord(raw)) return [];
  const out: unknown[] = [];
  for (const [net, addrs] of Object.entries(raw)) {
    if (!Array.isArray(addrs)) continue;
    for (const a of addrs) if (isRecord(a)) out.push({ ...a, network_name: net });
  }
  return out;
}

/** Zone state object → `available` / `not available` (spec §6.1 recommendation). */
function zoneState(raw: unknown): unknown {
  if (isRecord(raw) && typeof raw.available === 'boolean') return raw.available ? 'available' : 'not available';
  return raw;
}

const f = (fieldname: string, desc: string, translator: Translator, col?: string): FieldTranslator =>
  col === undefined ? { fieldname, desc, translator } : { fieldname, col, desc, translator };
const str = { 'translation-type': 'VALUE', 'data-type': Str } as const;
const int = { 'translation-type': 'VALUE', 'data-type': Int } as const;

const servers: TableTranslator = {
  'translation-type': 'HDICT',
  'table-name': 'servers',
  'selector-type': 'DOT_SELECTOR',
  'field-translators': [
    f('id', 'The UUID for the server', str),
    f('name', 'Name of the server', str),
    f('hostId', 'The UUID for the host', str, 'host_id'),
    f('status', 'The server status', str),
    f('tenant_id', 'The tenant ID', str),
    f('user_id', 'The user ID of the user who owns the server', str),
    f('image', 'Name or ID of image', { 'translation-type': 'VALUE', 'extract-fn': safeId }, 'image_id'),
    f('flavor', 'ID of the flavor', { 'translation-type': 'VALUE', 'extract-fn': safeId }, 'flavor_id'),
    f('OS-EXT-AZ:availability_zone', 'The availability zone of host', str, 'zone'),
    f('OS-EXT-SRV-ATTR:hypervisor_hostname', 'The hostname of hypervisor where the server is running', str, 'host_name'),
    f('created', 'Time at which server is created', str, 'created_at'),
    {
      fieldname: 'addresses',
      translator: {
        'translation-type': 'HDICT',
        'table-name': 'servers.addresses',
        'parent-key': 'id',
        'parent-col-name': 'server_id',
        'parent-key-desc': 'UUID of server',
        'selector-type': 'DOT_SELECTOR',
        'in-list': true,
        'objects-extract-fn': flattenAddresses,
        'field-translators': [
          f('network_name', 'Name of attached network to server', str),
          f('addr', 'IP address of the server', str, 'address'),
          f('version', 'Internet Protocol Version of network', int),
          f('OS-EXT-IPS-MAC:mac_addr', 'MAC address associated to the IP of the server', str, 'mac_address'),
          f('OS-EXT-IPS:type', 'IP address type', str, 'address_type'),
        ],
      },
    },
    {
      fieldname: 'tags',
      translator: {
        'translation-type': 'LIST',
        'table-name': 'tags',
        'parent-key': 'id',
        'parent-col-name': 'server_id',
        'parent-key-desc': 'UUID of server',
        'val-col': 'tag',
        'val-col-desc': 'server tag string',
        translator: VALUE,
      },
    },
  ],
};

const flavors: TableTranslator = {
  'translation-type': 'HDICT',
  'table-name': 'flavors',
  'selector-type': 'DOT_SELECTOR',
  'field-translators': [
    f('id', 'ID of the flavor', str),
    f('name', 'Name of the flavor', str),
    f('vcpus', 'Number of vcpus', int),
    f('ram', 'Memory size in MB', int),
    f('disk', 'Disk size in GB', int),
    // novaclient's property answers "N/A" when the extension field is absent.
    f('OS-FLV-EXT-DATA:ephemeral', 'Ephemeral space size in GB', { 'translation-type': 'VALUE', 'data-type': Int, 'extract-fn': (v) => (v === undefined ? 'N/A' : v) }, 'ephemeral'),
    f('rxtx_factor', 'RX/TX factor', { 'translation-type': 'VALUE', 'data-type': FloatType }),
  ],
};

const services: TableTranslator = {
  'translation-type': 'HDICT',
  'table-name': 'services',
  'selector-type': 'DOT_SELECTOR',
  'field-translators': [
    f('id', 'Service ID', int, 'service_id'),
    f('binary', 'Service binary', str),
    f('host', 'Host Name', str),
    f('zone', 'Availability Zone', str),
    f('status', 'Status of service', str),
    f('state', 'State of service', str),
    f('updated_at', 'Last updated time', str),
    f('disabled_reason', 'Disabled reason', str),
  ],
};

const hypervisors: TableTranslator = {
  'translation-type': 'HDICT',
  'table-name': 'hypervisors',
  'selector-type': 'DOT_SELECTOR',
  'field-translators': [
    f('hypervisor_hostname', 'Hypervisor host', str),
    f('id', 'hypervisori id', VALUE),
    f('state', 'State of the hypervisor', str),
    f('status', 'Status of the hypervisor', str),
  ],
};

const availabilityZones: TableTranslator = {
  'translation-type': 'HDICT',
  'table-name': 'availability_zones',
  'selector-type': 'DOT_SELECTOR',
  'field-translators': [
    f('zoneName', 'Availability zone name', str, 'zone'),
    f('zoneState', 'Availability zone state', { 'translation-type': 'VALUE', 'data-type': Str, 'extract-fn': zoneState }, 'state'),
  ],
};

/** Nova's root translators, in poll order. */
export const NOVA_TRANSLATORS: readonly TableTranslator[] = [servers, flavors, services, hypervisors, availabilityZones];

const serverArg = { name: 'server', description: 'The server ID' };

function serverAction(name: string, description: string, body: (args: ActionArgs) => unknown, extraArgs: { name: string; description: string }[] = []): ActionSpec<ServiceClient> {
  return {
    name,
    description,
    args: [serverArg, ...extraArgs],
    run: (c, args, signal) => c.call('POST', `/servers/${encodeURIComponent(argString(args, 0, 'server'))}/action`, body(args), signal),
  };
}

function serviceAction(name: string, path: string, description: string, extra: (args: ActionArgs) => Record<string, unknown> = () => ({})): ActionSpec<ServiceClient> {
  const base = [
    { name: 'host', description: 'Name of host' },
    { name: 'binary', description: 'Service binary' },
  ];
  const extraArgs =
    path === 'disable-log-reason' ? [{ name: 'reason', description: 'Reason for disabling the service' }] : path === 'force-down' ? [{ name: 'force_down', description: 'True to force the service down' }] : [];
  return {
    name,
    description,
    args: [...base, ...extraArgs],
    run: (c, args, signal) => c.call('PUT', `/os-services/${path}`, { host: argString(args, 0, 'host'), binary: argString(args, 1, 'binary'), ...extra(args) }, signal),
  };
}

const simple = (key: string) => (): unknown => ({ [key]: null });

/** Nova's action catalogue (names as novaclient's managers give them). */
export const NOVA_ACTIONS: readonly ActionSpec<ServiceClient>[] = [
  {
    name: 'servers_set_meta',
    description: 'A wrapper for servers.set_meta()',
    args: [
      { name: 'server', description: 'server id' },
      { name: 'meta-key1', description: 'meta key 1' },
      { name: 'meta-value1', description: 'value for meta key1' },
      { name: 'meta-keyN', description: 'meta key N' },
      { name: 'meta-valueN', description: 'value for meta keyN' },
    ],
    run: (c, args, signal) => {
      const [server, ...pairs] = args.positional;
      if (server === undefined || pairs.length % 2 !== 0) throw new DatasourceError('action_failed', 'servers_set_meta needs a server id and key/value pairs');
      const metadata: Record<string, string> = {};
      for (let i = 0; i < pairs.length; i += 2) metadata[String(pairs[i])] = String(pairs[i + 1]);
      return c.call('POST', `/servers/${encodeURIComponent(String(server))}/metadata`, { metadata }, signal);
    },
  },
  serverAction('servers.pause', 'Pause the server.', simple('pause')),
  serverAction('servers.unpause', 'Unpause the server.', simple('unpause')),
  serverAction('servers.suspend', 'Suspend the server.', simple('suspend')),
  serverAction('servers.resume', 'Resume the server.', simple('resume')),
  serverAction('servers.stop', 'Stop the server.', simple('os-stop')),
  serverAction('servers.start', 'Start the server.', simple('os-start')),
  serverAction('servers.lock', 'Lock the server.', simple('lock')),
  serverAction('servers.unlock', 'Unlock the server.', simple('unlock')),
  serverAction('servers.migrate', 'Migrate the server to a new host.', simple('migrate')),
  serverAction('servers.reboot', 'Reboot the server (SOFT or HARD).', (a) => ({ reboot: { type: String(a.positional[1] ?? a.named.reboot_type ?? 'SOFT') } }), [
    { name: 'reboot_type', description: 'SOFT or HARD (default SOFT)' },
  ]),
  serverAction('servers.add_security_group', 'Add a security group to the server.', (a) => ({ addSecurityGroup: { name: argString(a, 1, 'security_group') } }), [
    { name: 'security_group', description: 'The name of the security group' },
  ]),
  serverAction('servers.remove_security_group', 'Remove a security group from the server.', (a) => ({ removeSecurityGroup: { name: argString(a, 1, 'security_group') } }), [
    { name: 'security_group', description: 'The name of the security group' },
  ]),
  {
    name: 'servers.delete',
    description: 'Delete (i.e. shut down and delete the image) this server.',
    args: [serverArg],
    run: (c, args, signal) => c.call('DELETE', `/servers/${encodeURIComponent(argString(args, 0, 'server'))}`, undefined, signal),
  },
  {
    name: 'servers.set_meta_item',
    description: 'Update one metadata item of the server.',
    args: [serverArg, { name: 'key', description: 'metadata key' }, { name: 'value', description: 'metadata value' }],
    run: (c, args, signal) => {
      const key = argString(args, 1, 'key');
      return c.call('PUT', `/servers/${encodeURIComponent(argString(args, 0, 'server'))}/metadata/${encodeURIComponent(key)}`, { meta: { [key]: argString(args, 2, 'value') } }, signal);
    },
  },
  {
    name: 'servers.delete_meta',
    description: 'Delete metadata items from the server.',
    args: [serverArg, { name: 'keys', description: 'metadata keys (one or more)' }],
    run: async (c, args, signal) => {
      const server = encodeURIComponent(argString(args, 0, 'server'));
      const keys = args.positional.slice(1).flatMap((k) => (Array.isArray(k) ? k : [k]));
      for (const key of keys) await c.call('DELETE', `/servers/${server}/metadata/${encodeURIComponent(String(key))}`, undefined, signal);
      return null;
    },
  },
  serviceAction('services.enable', 'enable', 'Enable the service specified by hostname and binary.'),
  serviceAction('services.disable', 'disable', 'Disable the service specified by hostname and binary.'),
  serviceAction('services.disable_log_reason', 'disable-log-reason', 'Disable the service with a reason.', (a) => ({ disabled_reason: argString(a, 2, 'reason') })),
  serviceAction('services.force_down', 'force-down', 'Force the service down (or clear it).', (a) => ({ forced_down: coerceValue(a.positional[2] ?? a.named.force_down) === true })),
];

/** A nova datasource. */
class NovaDriver extends OpenStackDriver<ServiceClient> {
  private readonly compute: ServiceClient;

  constructor(context: DriverContext) {
    super(context, NOVA_TRANSLATORS, NOVA_ACTIONS);
    const version = stringOption(context.config, 'api_version', DEFAULT_API_VERSION);
    this.compute = new ServiceClient(this.session, { types: ['compute'], interfaces: ['public'] }, this.http.maxPages, {
      'X-OpenStack-Nova-API-Version': version,
      'OpenStack-API-Version': `compute ${version}`,
    });
    const c = this.compute;
    this.registerFetcher('servers', (s) => c.list('/servers/detail?all_tenants=1', 'servers', 'none', s));
    this.registerFetcher('flavors', (s) => c.list('/flavors/detail', 'flavors', 'none', s));
    this.registerFetcher('services', (s) => c.list('/os-services', 'services', 'none', s));
    this.registerFetcher('hypervisors', (s) => c.list('/os-hypervisors/detail', 'hypervisors', 'none', s));
    this.registerFetcher('availability_zones', (s) => c.list('/os-availability-zone/detail', 'availabilityZoneInfo', 'none', s));
  }

  protected actionClient(): ServiceClient {
    return this.compute;
  }
}

/** The `nova` driver definition. */
export const novaDriver: DriverDefinition = {
  id: 'nova',
  description: 'Datasource driver that interfaces with OpenStack Compute aka nova.',
  options: openstackOptions({ apiVersion: true }),
  schema: () => schemaOf(NOVA_TRANSLATORS),
  create: (context) => new NovaDriver(context),
};

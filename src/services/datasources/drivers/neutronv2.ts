/**
 * The `neutronv2` driver (spec §6.2): networks, ports (fixed IPs, security group bindings),
 * subnets (pools, DNS servers, host routes), routers (gateway and its fixed IPs), security groups
 * (rules) and floating IPs, with the original's wrapper actions and neutronclient's methods.
 */
import { parseDataJson } from '../../../datalog/json';
import { DatasourceError } from '../errors';
import { argString, coerceValue, type ActionArgs, type ActionSpec } from '../framework/actions';
import type { DriverContext, DriverDefinition } from '../framework/driver';
import { OpenStackDriver, openstackOptions, ServiceClient } from '../openstack/openstack-driver';
import { Bool, FloatingIPStatus, IngressEgress, Int, IPAddress, IPNetwork, IPv4IPv6, NeutronStatus, Str, type DataType } from '../translation/data-types';
import { schemaOf } from '../translation/schema';
import { VALUE, type FieldTranslator, type TableTranslator } from '../translation/translator';

const v = (t: DataType) => ({ 'translation-type': 'VALUE', 'data-type': t }) as const;
const f = (fieldname: string, desc: string, t: DataType): FieldTranslator => ({ fieldname, desc, translator: v(t) });

function hdict(table: string, fields: FieldTranslator[], nested: Partial<TableTranslator> = {}): TableTranslator {
  return { 'translation-type': 'HDICT', 'table-name': table, 'selector-type': 'DICT_SELECTOR', 'field-translators': fields, ...nested } as TableTranslator;
}

const networks = hdict('networks', [
  f('id', 'Network ID', Str),
  f('tenant_id', 'Tenant ID', Str),
  f('name', 'Network name', Str),
  f('status', 'Network status', NeutronStatus),
  f('admin_state_up', 'Administrative state of the network (true/false)', Bool),
  f('shared', 'Indicates if network is shared across all tenants', Bool),
]);

const ports = hdict('ports', [
  f('id', 'UUID of port', Str),
  f('tenant_id', 'tenant ID', Str),
  f('name', 'port name', Str),
  f('network_id', 'UUID of attached network', Str),
  f('mac_address', 'MAC address of the port', Str),
  f('admin_state_up', 'Administrative state of the port', Bool),
  f('status', 'Port status', NeutronStatus),
  f('device_id', 'The ID of the device that uses this port', Str),
  f('device_owner', 'The entity type that uses this port.E.g., compute:nova, network:router_interface', Str),
  {
    fieldname: 'fixed_ips',
    translator: hdict(
      'fixed_ips',
      [f('ip_address', 'The IP addresses for the port', IPAddress), f('subnet_id', 'The UUID of the subnet to which the port is attached', Str)],
      { 'parent-key': 'id', 'parent-col-name': 'port_id', 'parent-key-desc': 'UUID of Port', 'in-list': true },
    ),
  },
  {
    fieldname: 'security_groups',
    translator: {
      'translation-type': 'LIST',
      'table-name': 'security_group_port_bindings',
      'parent-key': 'id',
      'parent-col-name': 'port_id',
      'parent-key-desc': 'UUID of port',
      'val-col': 'security_group_id',
      'val-col-desc': 'UUID of security group',
      translator: VALUE,
    },
  },
]);

const subnets = hdict('subnets', [
  f('id', 'UUID of subnet', Str),
  f('tenant_id', 'tenant ID', Str),
  f('name', 'subnet name', Str),
  f('network_id', 'UUID of attached network', Str),
  f('ip_version', 'The IP version, which is 4 or 6', IPv4IPv6),
  f('cidr', 'The CIDR', IPNetwork),
  f('gateway_ip', 'The gateway IP address', IPAddress),
  f('enable_dhcp', 'Is DHCP is enabled or not', Bool),
  f('ipv6_ra_mode', 'The IPv6 RA mode', Str),
  f('ipv6_address_mode', 'The IPv6 address mode', Str),
  {
    fieldname: 'allocation_pools',
    translator: hdict('allocation_pools', [f('start', 'The start address for the allocation pools', Str), f('end', 'The end address for the allocation pools', Str)], {
      'parent-key': 'id',
      'parent-col-name': 'subnet_id',
      'parent-key-desc': 'UUID of subnet',
      'in-list': true,
    }),
  },
  {
    fieldname: 'dns_nameservers',
    translator: {
      'translation-type': 'LIST',
      'table-name': 'dns_nameservers',
      'parent-key': 'id',
      'parent-col-name': 'subnet_id',
      'parent-key-desc': 'UUID of subnet',
      'val-col': 'dns_nameserver',
      'val-col-desc': 'The DNS server',
      translator: VALUE,
    },
  },
  {
    fieldname: 'host_routes',
    translator: hdict('host_routes', [f('destination', 'The destination for static route', Str), f('nexthop', 'The next hop for the destination', Str)], {
      'parent-key': 'id',
      'parent-col-name': 'subnet_id',
      'parent-key-desc': 'UUID of subnet',
      'in-list': true,
    }),
  },
]);

const routers = hdict('routers', [
  f('id', 'uuid of the router', Str),
  f('tenant_id', 'tenant ID', Str),
  f('status', 'router status', NeutronStatus),
  f('admin_state_up', 'administrative state of router', Bool),
  f('name', 'router name', Str),
  f('distributed', "indicates if it's distributed router ", Bool),
  {
    fieldname: 'external_gateway_info',
    translator: hdict(
      'external_gateway_infos',
      [
        f('network_id', 'Network ID', Str),
        f('enable_snat', 'current Source NAT status for router', Bool),
        {
          fieldname: 'external_fixed_ips',
          translator: hdict('external_fixed_ips', [f('subnet_id', 'UUID of the subnet', Str), f('ip_address', 'IP Address', IPAddress)], {
            'parent-key': 'router_id',
            'parent-col-name': 'router_id',
            'parent-key-desc': 'UUID of router',
            'in-list': true,
          }),
        },
      ],
      { 'parent-key': 'id', 'parent-col-name': 'router_id', 'parent-key-desc': 'UUID of router' },
    ),
  },
]);

const securityGroups = hdict('security_groups', [
  f('id', 'The UUID for the security group', Str),
  f('tenant_id', 'Tenant ID', Str),
  f('name', 'The security group name', Str),
  f('description', 'security group description', Str),
  {
    fieldname: 'security_group_rules',
    translator: hdict(
      'security_group_rules',
      [
        f('id', 'The UUID of the security group rule', Str),
        f('tenant_id', 'tenant ID', Str),
        f('remote_group_id', 'remote group id to associate with security group rule', Str),
        f('direction', 'Direction in which the security group rule is applied', IngressEgress),
        f('ethertype', 'IPv4 or IPv6', Str),
        f('protocol', 'protocol that is matched by the security group rule.', Str),
        f('port_range_min', 'Min port number in the range', Int),
        f('port_range_max', 'Max port number in the range', Int),
        f('remote_ip_prefix', 'Remote IP prefix to be associated', Str),
      ],
      { 'parent-key': 'id', 'parent-col-name': 'security_group_id', 'parent-key-desc': 'uuid of security group', 'in-list': true },
    ),
  },
]);

const floatingIps = hdict('floating_ips', [
  f('id', 'The UUID of the floating IP address', Str),
  f('router_id', 'UUID of router', Str),
  f('tenant_id', 'Tenant ID', Str),
  f('floating_network_id', 'The UUID of the network associated with floating IP', Str),
  f('fixed_ip_address', 'Fixed IP address associated with floating IP address', IPAddress),
  f('floating_ip_address', 'The floating IP address', IPAddress),
  f('port_id', 'UUID of port', Str),
  f('status', 'The floating IP status', FloatingIPStatus),
]);

/** Neutron's root translators, in poll order. */
export const NEUTRON_TRANSLATORS: readonly TableTranslator[] = [networks, ports, subnets, routers, securityGroups, floatingIps];

/** neutronclient resource names → collection paths. */
const COLLECTIONS: Readonly<Record<string, string>> = {
  network: 'networks',
  subnet: 'subnets',
  port: 'ports',
  router: 'routers',
  floatingip: 'floatingips',
  security_group: 'security-groups',
  security_group_rule: 'security-group-rules',
};

function collectionOf(resource: string): string {
  const c = COLLECTIONS[resource];
  if (c === undefined) throw new DatasourceError('action_failed', `unknown neutron resource type ${resource}`);
  return c;
}

/** A `body` argument may arrive as JSON text from a policy (spec §4.2). */
function structured(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return parseDataJson(value);
  } catch {
    throw new DatasourceError('action_failed', `body must be a JSON object, got: ${value.slice(0, 200)}`);
  }
}

const bodyArg = (args: ActionArgs, index: number): unknown => structured(args.positional[index] ?? args.named.body);

async function updateSecurityGroups(c: ServiceClient, args: ActionArgs, signal: AbortSignal, attach: boolean): Promise<unknown> {
  const port = encodeURIComponent(argString(args, 0, 'port_id'));
  const group = argString(args, 1, 'security_group_id');
  const body = await c.getObject(`/v2.0/ports/${port}`, signal);
  const current = (body.port as { security_groups?: unknown } | undefined)?.security_groups;
  const groups = Array.isArray(current) ? current.map(String) : [];
  const present = groups.includes(group);
  // Read-modify-write without a precondition, as the original: concurrent changes can be lost.
  if (present === attach) return null;
  const next = attach ? [...groups, group] : groups.filter((g) => g !== group);
  return c.call('PUT', `/v2.0/ports/${port}`, { port: { security_groups: next } }, signal);
}

function deleteAction(resource: string): ActionSpec<ServiceClient> {
  return {
    name: `delete_${resource}`,
    description: `Deletes the specified ${resource}.`,
    args: [{ name: resource, description: `ID of the ${resource}` }],
    run: (c, args, signal) => c.call('DELETE', `/v2.0/${collectionOf(resource)}/${encodeURIComponent(argString(args, 0, resource))}`, undefined, signal),
  };
}

function showAction(resource: string): ActionSpec<ServiceClient> {
  return {
    name: `show_${resource}`,
    description: `Fetches information of a certain ${resource}.`,
    args: [{ name: resource, description: `ID of the ${resource}` }],
    run: (c, args, signal) => c.call('GET', `/v2.0/${collectionOf(resource)}/${encodeURIComponent(argString(args, 0, resource))}`, undefined, signal),
  };
}

/** Neutron's action catalogue. */
export const NEUTRON_ACTIONS: readonly ActionSpec<ServiceClient>[] = [
  {
    name: 'update_resource_attrs',
    description: 'A wrapper for update_<resource_type>()',
    args: [
      { name: 'resource_type', description: 'resource type (e.g. port, network, subnet, router)' },
      { name: 'id', description: 'ID of the resource' },
      { name: 'attr1', description: 'attribute name to update' },
      { name: 'attr1-value', description: 'updated attr1 value' },
      { name: 'attrN', description: 'attribute name to update' },
      { name: 'attrN-value', description: 'updated attrN value' },
    ],
    run: (c, args, signal) => {
      const [type, id, ...pairs] = args.positional;
      if (type === undefined || id === undefined || pairs.length < 2 || pairs.length % 2 !== 0) {
        throw new DatasourceError('action_failed', 'update_resource_attrs needs resource_type, id and attribute/value pairs');
      }
      const attrs: Record<string, unknown> = {};
      for (let i = 0; i < pairs.length; i += 2) attrs[String(pairs[i])] = coerceValue(pairs[i + 1]);
      const resource = String(type);
      return c.call('PUT', `/v2.0/${collectionOf(resource)}/${encodeURIComponent(String(id))}`, { [resource]: attrs }, signal);
    },
  },
  {
    name: 'attach_port_security_group',
    description: 'Attach a security group to a port (no-op if already attached).',
    args: [
      { name: 'port_id', description: 'ID of target port' },
      { name: 'security_group_id', description: 'ID security group to be attached' },
    ],
    run: (c, args, signal) => updateSecurityGroups(c, args, signal, true),
  },
  {
    name: 'detach_port_security_group',
    description: 'Detach a security group from a port (no-op if not attached).',
    args: [
      { name: 'port_id', description: 'ID of target port' },
      { name: 'security_group_id', description: 'ID security group to be detached' },
    ],
    run: (c, args, signal) => updateSecurityGroups(c, args, signal, false),
  },
  ...['port', 'network', 'subnet', 'router', 'floatingip', 'security_group', 'security_group_rule'].map(deleteAction),
  ...['port', 'network', 'subnet', 'router', 'floatingip', 'security_group'].map(showAction),
  {
    name: 'create_security_group_rule',
    description: 'Creates a new security group rule.',
    args: [{ name: 'body', description: '{"security_group_rule": {...}} (object or JSON text)' }],
    run: (c, args, signal) => c.call('POST', '/v2.0/security-group-rules', bodyArg(args, 0), signal),
  },
  {
    name: 'add_interface_router',
    description: 'Adds an internal network interface to the specified router.',
    args: [
      { name: 'router', description: 'ID of the router' },
      { name: 'body', description: '{"subnet_id": ...} or {"port_id": ...}' },
    ],
    run: (c, args, signal) => c.call('PUT', `/v2.0/routers/${encodeURIComponent(argString(args, 0, 'router'))}/add_router_interface`, bodyArg(args, 1), signal),
  },
  {
    name: 'remove_interface_router',
    description: 'Removes an internal network interface from the specified router.',
    args: [
      { name: 'router', description: 'ID of the router' },
      { name: 'body', description: '{"subnet_id": ...} or {"port_id": ...}' },
    ],
    run: (c, args, signal) => c.call('PUT', `/v2.0/routers/${encodeURIComponent(argString(args, 0, 'router'))}/remove_router_interface`, bodyArg(args, 1), signal),
  },
  {
    name: 'remove_gateway_router',
    description: 'Removes an external network gateway from the specified router.',
    args: [{ name: 'router', description: 'ID of the router' }],
    run: (c, args, signal) => c.call('PUT', `/v2.0/routers/${encodeURIComponent(argString(args, 0, 'router'))}`, { router: { external_gateway_info: {} } }, signal),
  },
];

/** A neutronv2 datasource. */
class NeutronV2Driver extends OpenStackDriver<ServiceClient> {
  private readonly network: ServiceClient;

  constructor(context: DriverContext) {
    super(context, NEUTRON_TRANSLATORS, NEUTRON_ACTIONS);
    const c = (this.network = new ServiceClient(this.session, { types: ['network'], interfaces: ['public'] }, this.http.maxPages));
    this.registerFetcher('networks', (s) => c.list('/v2.0/networks', 'networks', 'links', s));
    this.registerFetcher('ports', (s) => c.list('/v2.0/ports', 'ports', 'links', s));
    this.registerFetcher('subnets', (s) => c.list('/v2.0/subnets', 'subnets', 'links', s));
    this.registerFetcher('routers', (s) => c.list('/v2.0/routers', 'routers', 'links', s));
    this.registerFetcher('security_groups', (s) => c.list('/v2.0/security-groups', 'security_groups', 'links', s));
    this.registerFetcher('floating_ips', (s) => c.list('/v2.0/floatingips', 'floatingips', 'links', s));
  }

  protected actionClient(): ServiceClient {
    return this.network;
  }
}

/** The `neutronv2` driver definition. */
export const neutronv2Driver: DriverDefinition = {
  id: 'neutronv2',
  description: 'Datasource driver that interfaces with OpenStack Networking aka Neutron.',
  options: openstackOptions(),
  schema: () => schemaOf(NEUTRON_TRANSLATORS),
  create: (context) => new NeutronV2Driver(context),
};

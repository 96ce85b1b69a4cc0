/**
 * The `ironic` driver (spec §11): bare metal chassis, nodes (with their hardware properties),
 * ports and drivers (with the conductors that host them) from the catalog's `baremetal` service,
 * read as python-ironicclient reads them: `/v1/...` below the endpoint with any `/v1` suffix
 * trimmed, microversion 1.9, and every `next` page followed (the original lists with `limit=0`).
 */
import { isRecord } from '../../../bus/json';
import { Float } from '../../../datalog/value';
import { DatasourceError } from '../errors';
import { argValue, coerceValue, type ActionArgs, type ActionSpec } from '../framework/actions';
import type { DriverContext, DriverDefinition } from '../framework/driver';
import { excerpt, UpstreamError } from '../openstack/http';
import type { KeystoneSession, ServiceRef } from '../openstack/keystone';
import { OpenStackDriver, openstackOptions } from '../openstack/openstack-driver';
import { schemaOf } from '../translation/schema';
import { VALUE, valueFields, type TableTranslator } from '../translation/translator';

/**
 * ironicclient's default microversion. The original never chose one, and with no cached
 * negotiation its client sends this on every request.
 */
export const IRONIC_API_VERSION = '1.9';
/** The first microversion that accepts soft power targets and a power timeout. */
const SOFT_POWER_VERSION = '1.27';

/** `extra.vif_port_id` of a port, or `''` when the port has none (the original's `safe_port_extra`). */
function vifPortId(extra: unknown): unknown {
  return isRecord(extra) && 'vif_port_id' in extra ? extra.vif_port_id : '';
}

/** Ironic's root translators, in poll order. */
export const IRONIC_TRANSLATORS: readonly TableTranslator[] = [
  {
    'translation-type': 'HDICT',
    'table-name': 'chassises',
    'selector-type': 'DOT_SELECTOR',
    'field-translators': [{ fieldname: 'uuid', col: 'id', translator: VALUE }, ...valueFields(['created_at', 'updated_at'])],
  },
  {
    'translation-type': 'HDICT',
    'table-name': 'nodes',
    'selector-type': 'DOT_SELECTOR',
    'field-translators': [
      // The original declares an empty description on these four only; the API shows "" for them.
      { fieldname: 'uuid', col: 'id', desc: '', translator: VALUE },
      { fieldname: 'chassis_uuid', col: 'owner_chassis', desc: '', translator: VALUE },
      { fieldname: 'power_state', desc: '', translator: VALUE },
      { fieldname: 'maintenance', desc: '', translator: VALUE },
      {
        fieldname: 'properties',
        desc: '',
        translator: {
          'translation-type': 'HDICT',
          'table-name': 'node_properties',
          'parent-key': 'id',
          'parent-col-name': 'properties',
          'selector-type': 'DICT_SELECTOR',
          'in-list': false,
          'field-translators': valueFields(['memory_mb', 'cpu_arch', 'local_gb', 'cpus']),
        },
      },
      { fieldname: 'driver', translator: VALUE },
      { fieldname: 'instance_uuid', col: 'running_instance', translator: VALUE },
      ...valueFields(['created_at', 'provision_updated_at', 'updated_at']),
    ],
  },
  {
    'translation-type': 'HDICT',
    'table-name': 'ports',
    'selector-type': 'DOT_SELECTOR',
    'field-translators': [
      { fieldname: 'uuid', col: 'id', translator: VALUE },
      { fieldname: 'node_uuid', col: 'owner_node', translator: VALUE },
      { fieldname: 'address', col: 'mac_address', translator: VALUE },
      { fieldname: 'extra', col: 'vif_port_id', translator: { 'translation-type': 'VALUE', 'extract-fn': vifPortId } },
      ...valueFields(['created_at', 'updated_at']),
    ],
  },
  {
    'translation-type': 'HDICT',
    'table-name': 'drivers',
    'selector-type': 'DOT_SELECTOR',
    'field-translators': [
      { fieldname: 'name', translator: VALUE },
      {
        fieldname: 'hosts',
        translator: { 'translation-type': 'LIST', 'table-name': 'active_hosts', 'parent-key': 'name', 'parent-col-name': 'name', 'val-col': 'hosts', translator: VALUE },
      },
    ],
  },
];

/** ironicclient's `_trim_endpoint_api_version`: the catalog URL may or may not end in `/v1`. */
const VERSION_SUFFIX = /\/+(v1)?\/*$/;

/** The bare metal service as ironicclient talks to it. */
export class IronicClient {
  private readonly service: ServiceRef = { types: ['baremetal'], interfaces: ['public'] };

  constructor(
    private readonly session: KeystoneSession,
    private readonly maxPages: number,
  ) {}

  /** The endpoint without its version suffix; ironicclient's paths start with `/v1`. */
  private async root(signal?: AbortSignal): Promise<string> {
    return (await this.session.endpoint(this.service, signal)).replace(VERSION_SUFFIX, '');
  }

  /** One JSON call; returns the decoded body (null when empty, as Ironic answers its 202s). */
  async call(method: string, path: string, options: { body?: unknown; signal?: AbortSignal; version?: string } = {}): Promise<unknown> {
    const url = (await this.root(options.signal)) + path;
    const headers = { 'X-OpenStack-Ironic-API-Version': options.version ?? IRONIC_API_VERSION };
    const r = await this.session.request(this.service, method, url, { body: options.body, signal: options.signal, headers });
    return r.body;
  }

  /** A whole collection: the list under `key`, then (when `paged`) every page its `next` link names. */
  async list(path: string, key: string, signal: AbortSignal, paged = true): Promise<unknown[]> {
    const root = await this.root(signal);
    const rootPath = new URL(root).pathname.replace(/\/+$/, '');
    const items: unknown[] = [];
    let url: string | null = root + path;
    for (let page = 0; url !== null; page++) {
      if (page >= this.maxPages) throw new UpstreamError('malformed', `GET ${root + path}: more than ${this.maxPages} pages; giving up`);
      const r = await this.session.request(this.service, 'GET', url, { signal, headers: { 'X-OpenStack-Ironic-API-Version': IRONIC_API_VERSION } });
      const list = isRecord(r.body) ? r.body[key] : undefined;
      if (!Array.isArray(list)) throw new UpstreamError('malformed', `GET ${url}: expected a list under "${key}", got: ${excerpt(r.text)}`, r.status);
      items.push(...list);
      const next = isRecord(r.body) ? r.body.next : undefined;
      url = paged && typeof next === 'string' && next !== '' ? nextUrl(root, rootPath, next) : null;
    }
    return items;
  }
}

/**
 * Where a `next` link leads. As ironicclient does, only its path and query are kept (the API may
 * name its own host), with the endpoint's path prefix removed once and the rest put below the
 * endpoint.
 */
function nextUrl(root: string, rootPath: string, next: string): string {
  const u = new URL(next, root);
  const path = rootPath !== '' ? u.pathname.replace(rootPath, '') : u.pathname;
  return root + path + u.search;
}

function refuse(message: string): never {
  throw new DatasourceError('action_failed', message);
}

/** The node argument as a path segment; an empty or missing one is refused before any call. */
function nodePath(args: ActionArgs, name: string): string {
  const v = argValue(args, 0, name);
  if (v === undefined || v === null || String(v) === '') refuse(`missing argument ${name}`);
  return `/v1/nodes/${encodeURIComponent(String(v))}`;
}

const TRUE_STRINGS = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE_STRINGS = ['0', 'f', 'false', 'off', 'n', 'no'];

/** oslo's strict `bool_from_string`, which ironicclient applies to a maintenance state. */
function strictBool(value: unknown, name: string): boolean {
  if (typeof value === 'boolean') return value;
  const s = String(value ?? '').trim().toLowerCase();
  if (TRUE_STRINGS.includes(s)) return true;
  if (FALSE_STRINGS.includes(s)) return false;
  const accepted = [...TRUE_STRINGS, ...FALSE_STRINGS].sort().map((v) => `'${v}'`).join(', ');
  return refuse(`Argument '${name}': Unrecognized value '${String(value)}', acceptable values are: ${accepted}`);
}

/** The power targets the client maps, keyed by the requested state (prefixed `soft ` when soft). */
const POWER_TARGETS: Readonly<Record<string, string>> = {
  on: 'power on',
  off: 'power off',
  reboot: 'rebooting',
  'soft off': 'soft power off',
  'soft reboot': 'soft rebooting',
};
const SOFT_TARGETS = ['soft power off', 'soft rebooting'];
const API_POWER_TARGETS = ['power on', 'power off', 'rebooting', ...SOFT_TARGETS];

/** The `{target[, timeout]}` body of a power change and the microversion it needs. */
function powerRequest(args: ActionArgs): { body: Record<string, unknown>; version: string } {
  const stateArg = argValue(args, 1, 'state');
  if (stateArg === undefined || stateArg === null) refuse('missing argument state');
  const state = String(stateArg);
  const softArg = argValue(args, 2, 'soft');
  const soft = softArg === undefined || softArg === null ? false : strictBool(coerceValue(softArg), 'soft');
  if (state === 'on' && soft) refuse("'soft' option is invalid for the power-state 'on'");
  const target = POWER_TARGETS[soft ? `soft ${state}` : state] ?? state;
  if (!API_POWER_TARGETS.includes(target)) refuse(`Argument 'state': '${state}' is not a power state; use 'on', 'off' or 'reboot'`);
  const body: Record<string, unknown> = { target };
  const timeoutArg = coerceValue(argValue(args, 3, 'timeout'));
  if (timeoutArg !== undefined && timeoutArg !== null) {
    // ironicclient's int(): a float is truncated (`2.5` is 2), a text must be an integer.
    const number = timeoutArg instanceof Float ? timeoutArg.v : timeoutArg;
    const timeout = typeof number === 'number' ? Math.trunc(number) : /^\s*-?\d+\s*$/.test(String(number)) ? Number(number) : NaN;
    if (!Number.isInteger(timeout) || timeout <= 0) refuse("'timeout' option for setting power state must have positive integer value (> 0)");
    body.timeout = timeout;
  }
  // Ironic answers 406 to soft targets and timeouts below 1.27, so only these ask for it.
  const version = SOFT_TARGETS.includes(target) || body.timeout !== undefined ? SOFT_POWER_VERSION : IRONIC_API_VERSION;
  return { body, version };
}

/** The provision targets Ironic accepts at microversion 1.9. */
const PROVISION_TARGETS = ['active', 'deleted', 'rebuild', 'manage', 'provide', 'inspect'];

/** Ironic's action catalogue (ironicclient v1 manager names). */
export const IRONIC_ACTIONS: readonly ActionSpec<IronicClient>[] = [
  {
    name: 'node.set_power_state',
    description: 'Sets power state for a node.',
    args: [
      { name: 'node_id', description: 'Node identifier' },
      { name: 'state', description: "One of target power state, 'on', 'off', or 'reboot'" },
      { name: 'soft', description: "The flag for graceful power 'off' or 'reboot'" },
      { name: 'timeout', description: 'The timeout (in seconds) positive integer value (> 0)' },
    ],
    run: (c, args, signal) => {
      const path = `${nodePath(args, 'node_id')}/states/power`;
      const { body, version } = powerRequest(args);
      return c.call('PUT', path, { body, version, signal });
    },
  },
  {
    name: 'node.set_maintenance',
    description: 'Set the maintenance mode for the node.',
    args: [
      { name: 'node_id', description: 'The UUID of the node.' },
      { name: 'state', description: "the maintenance mode; either a Boolean or a string representation of a Boolean (eg, 'true', 'on', 'false', 'off')" },
      { name: 'maint_reason', description: 'Optional string. Reason for putting node into maintenance mode.' },
    ],
    run: (c, args, signal) => {
      const path = `${nodePath(args, 'node_id')}/maintenance`;
      const stateArg = argValue(args, 1, 'state');
      if (stateArg === undefined || stateArg === null) refuse('missing argument state');
      if (!strictBool(stateArg, 'state')) return c.call('DELETE', path, { signal });
      const reason = coerceValue(argValue(args, 2, 'maint_reason'));
      return c.call('PUT', path, { body: { reason: reason === undefined || reason === null ? null : String(reason) }, signal });
    },
  },
  {
    name: 'node.set_provision_state',
    description: 'Set the provision state for the node.',
    args: [
      { name: 'node_uuid', description: 'The UUID or name of the node.' },
      { name: 'state', description: `The desired provision state. One of ${PROVISION_TARGETS.map((s) => `'${s}'`).join(', ')}.` },
    ],
    run: (c, args, signal) => {
      const path = `${nodePath(args, 'node_uuid')}/states/provision`;
      const state = argValue(args, 1, 'state');
      if (state === undefined || state === null) refuse('missing argument state');
      if (!PROVISION_TARGETS.includes(String(state))) refuse(`Argument 'state': '${String(state)}' is not a provision state; use one of ${PROVISION_TARGETS.join(', ')}`);
      return c.call('PUT', path, { body: { target: String(state) }, signal });
    },
  },
];

/** An ironic datasource. */
class IronicDriver extends OpenStackDriver<IronicClient> {
  private readonly baremetal: IronicClient;

  constructor(context: DriverContext) {
    super(context, IRONIC_TRANSLATORS, IRONIC_ACTIONS);
    const c = (this.baremetal = new IronicClient(this.session, this.http.maxPages));
    this.registerFetcher('chassises', (s) => c.list('/v1/chassis/detail', 'chassis', s));
    this.registerFetcher('nodes', (s) => c.list('/v1/nodes/detail', 'nodes', s));
    this.registerFetcher('ports', (s) => c.list('/v1/ports/detail', 'ports', s));
    this.registerFetcher('drivers', (s) => this.drivers(s));
  }

  /** The driver list is one unpaginated GET; ironicclient drops empty entries from it. */
  private async drivers(signal: AbortSignal): Promise<unknown[]> {
    const list = await this.baremetal.list('/v1/drivers', 'drivers', signal, false);
    return list.filter((d) => d !== null && !(isRecord(d) && Object.keys(d).length === 0));
  }

  protected actionClient(): IronicClient {
    return this.baremetal;
  }
}

/** The `ironic` driver definition. */
export const ironicDriver: DriverDefinition = {
  id: 'ironic',
  description: 'Datasource driver that interfaces with OpenStack bare metal aka ironic.',
  options: openstackOptions(),
  schema: () => schemaOf(IRONIC_TRANSLATORS),
  create: (context) => new IronicDriver(context),
};

/**
 * The `vcenter` driver: ESXi hosts with their DNS servers and physical and virtual NICs, and
 * the virtual machines with their placement, status, quick stats and storage, read from a
 * VMware vCenter through the vSphere Web Services API, as the original's driver read them
 * through oslo.vmware. The original had no actions of its own; none are offered.
 */
import type { DatasourceConfig } from '../../../db';
import { errors } from '../errors';
import { readFileSync } from 'node:fs';
import { parseBooleanOption, parsePollTime, parseRequestTimeout, stringOption, type ConfigOption } from '../framework/config';
import type { DriverContext, DriverDefinition } from '../framework/driver';
import { PollingDriver } from '../framework/polling-driver';
import { fetchWithTls, HttpClient, type UpstreamTls } from '../openstack/http';
import { schemaOf } from '../translation/schema';
import { VALUE, valueFields, type TableTranslator } from '../translation/translator';
import { VSphereClient, type ObjectContent } from '../vsphere/client';

const HOST_DNS = 'host.DNS_IPs';

/** The original's translators, in its order. */
export const VCENTER_TRANSLATORS: readonly TableTranslator[] = [
  {
    'translation-type': 'HDICT',
    'table-name': 'hosts',
    'selector-type': 'DICT_SELECTOR',
    'field-translators': [
      ...valueFields(['name', 'uuid']),
      {
        fieldname: HOST_DNS,
        col: 'Host:DNS_id',
        translator: { 'translation-type': 'LIST', 'table-name': HOST_DNS, 'id-col': 'Host:DNS_id', 'val-col': 'DNS_IPs', translator: VALUE },
      },
    ],
  },
  {
    'translation-type': 'HDICT',
    'table-name': 'host.PNICs',
    'selector-type': 'DICT_SELECTOR',
    'field-translators': valueFields(['host_uuid', 'device', 'mac', 'ipAddress', 'subnetMask']),
  },
  {
    'translation-type': 'HDICT',
    'table-name': 'host.VNICs',
    'selector-type': 'DICT_SELECTOR',
    'field-translators': valueFields(['host_uuid', 'device', 'mac', 'portgroup', 'ipAddress', 'subnetMask']),
  },
  {
    'translation-type': 'HDICT',
    'table-name': 'vms',
    'selector-type': 'DICT_SELECTOR',
    'field-translators': valueFields(['name', 'uuid', 'host_uuid', 'pathName', 'status', 'CpuDemand', 'CpuUsage', 'memorySizeMB', 'MemoryUsage', 'committedStorage', 'uncommittedStorage', 'annotation']),
  },
];

const HOST_PATHS = ['name', 'hardware.systemInfo.uuid', 'config.network.dnsConfig.address', 'config.network.pnic', 'config.network.vnic'];
const VM_PATHS = [
  'name',
  'config.uuid',
  'config.annotation',
  'summary.config.vmPathName',
  'runtime.host',
  'summary.config.memorySizeMB',
  'summary.quickStats',
  'summary.overallStatus',
  'summary.storage',
];

/** The original's row text for a host without DNS servers (its spelling kept: policies may match it). */
const NO_DNS = 'No DNS IP adddresses configured';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** A nested scalar the WSDL types as a number (the answer carries it as text). */
const num = (v: unknown): unknown => (typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : (v ?? null));
/** A nested text the server may leave out. */
const text = (v: unknown): unknown => v ?? null;

function hostRows(hosts: readonly ObjectContent[]): { hosts: Obj[]; pnics: Obj[]; vnics: Obj[]; byMoref: Map<string, unknown> } {
  const out = { hosts: [] as Obj[], pnics: [] as Obj[], vnics: [] as Obj[], byMoref: new Map<string, unknown>() };
  for (const h of hosts) {
    const uuid = h.props.get('hardware.systemInfo.uuid') ?? null;
    out.byMoref.set(h.obj.value, uuid);
    const dns = list(h.props.get('config.network.dnsConfig.address'));
    out.hosts.push({ name: h.props.get('name') ?? null, uuid, [HOST_DNS]: dns.length > 0 ? dns : [NO_DNS] });
    for (const p of list(obj(h.props.get('config.network.pnic')).PhysicalNic)) {
      const ip = obj(obj(obj(p).spec).ip);
      out.pnics.push({ host_uuid: uuid, device: text(obj(p).device), mac: text(obj(p).mac), ipAddress: text(ip.ipAddress), subnetMask: text(ip.subnetMask) });
    }
    for (const v of list(obj(h.props.get('config.network.vnic')).HostVirtualNic)) {
      const spec = obj(obj(v).spec);
      const ip = obj(spec.ip);
      out.vnics.push({ host_uuid: uuid, device: text(obj(v).device), portgroup: text(obj(v).portgroup), mac: text(spec.mac), ipAddress: text(ip.ipAddress), subnetMask: text(ip.subnetMask) });
    }
  }
  return out;
}

function vmRow(vm: ObjectContent, hostUuids: ReadonlyMap<string, unknown>): Obj {
  const p = vm.props;
  const stats = obj(p.get('summary.quickStats'));
  const storage = obj(p.get('summary.storage'));
  const row: Obj = {
    name: p.get('name') ?? null,
    uuid: p.get('config.uuid') ?? null,
    annotation: p.get('config.annotation') ?? null,
    pathName: p.get('summary.config.vmPathName') ?? null,
    memorySizeMB: p.get('summary.config.memorySizeMB') ?? null,
    MemoryUsage: num(stats.guestMemoryUsage),
    CpuDemand: num(stats.overallCpuDemand),
    CpuUsage: num(stats.overallCpuUsage),
    status: p.get('summary.overallStatus') ?? null,
    committedStorage: num(storage.committed),
    uncommittedStorage: num(storage.uncommitted),
  };
  const host = p.get('runtime.host');
  if (typeof host === 'string' && hostUuids.has(host)) row.host_uuid = hostUuids.get(host);
  return row;
}

/** `max_vms` / `max_hosts`: a positive integer, default 999. */
function parseMax(config: DatasourceConfig, name: string): number {
  const value = config[name];
  if (value === undefined || value === null) return 999;
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw errors.invalidValue(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

/**
 * The SDK endpoint of `auth_url`. The original took a host name (oslo.vmware then spoke to
 * `https://<host>:443/sdk`); a URL is accepted too, its path defaulting to `/sdk`.
 */
export function sdkUrl(authUrl: string): string {
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(authUrl) ? authUrl : `https://${authUrl}`);
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/sdk';
  return url.toString();
}

/**
 * `cacert` (a CA bundle file) and `insecure`, oslo.vmware's names. The original passed neither,
 * so oslo.vmware did not verify the certificate; here it is verified unless `insecure` says not.
 */
function tlsOf(config: DatasourceConfig): UpstreamTls | null {
  const insecure = parseBooleanOption('insecure', config.insecure, false);
  const path = config.cacert;
  if (path !== undefined && path !== null && typeof path !== 'string') throw errors.invalidValue('cacert must be the path of a CA bundle file');
  let ca: Buffer | undefined;
  if (typeof path === 'string' && path !== '') {
    try {
      ca = readFileSync(path);
    } catch (error) {
      throw errors.invalidValue(`cacert ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  return ca === undefined && !insecure ? null : { ca, insecure };
}

/** A vcenter datasource. */
class VCenterDriver extends PollingDriver<null> {
  private readonly client: VSphereClient;

  constructor(context: DriverContext) {
    const config = context.config;
    super(context, VCENTER_TRANSLATORS, [], { pollTime: parsePollTime(config.poll_time), lazyTables: [] });
    const maxHosts = parseMax(config, 'max_hosts');
    const maxVms = parseMax(config, 'max_vms');
    let endpoint: string;
    try {
      endpoint = sdkUrl(stringOption(config, 'auth_url'));
    } catch {
      throw errors.invalidValue(`auth_url must be a vCenter host name or URL, got ${JSON.stringify(config.auth_url)}`);
    }
    const tls = tlsOf(config);
    const http = new HttpClient(parseRequestTimeout(config.request_timeout) * 1000, tls === null ? context.http : { fetch: fetchWithTls(tls), ...context.http });
    const client = (this.client = new VSphereClient(http, endpoint, stringOption(config, 'username'), stringOption(config, 'password')));
    this.registerModelFetchers(
      VCENTER_TRANSLATORS.map((t) => t['table-name']),
      async (signal) => {
        const hosts = hostRows(await client.retrieve('HostSystem', HOST_PATHS, maxHosts, signal));
        const vms = await client.retrieve('VirtualMachine', VM_PATHS, maxVms, signal);
        return new Map<string, unknown[]>([
          ['hosts', hosts.hosts],
          ['host.PNICs', hosts.pnics],
          ['host.VNICs', hosts.vnics],
          ['vms', vms.map((vm) => vmRow(vm, hosts.byMoref))],
        ]);
      },
    );
  }

  override async stop(): Promise<void> {
    // Ends the vCenter session without holding up the stop: an unreachable server must not delay it.
    void this.client.logout(AbortSignal.timeout(5000));
    await super.stop();
  }

  protected actionClient(): null {
    return null;
  }
}

/** The original's options in its order; `request_timeout` is an addition, accepted but not listed. */
const OPTIONS: ConfigOption[] = [
  { name: 'auth_url', required: true, type: 'string', description: 'the vCenter host name (its SDK at https://<host>/sdk), or the SDK URL' },
  { name: 'username', required: true, type: 'string' },
  { name: 'password', required: true, type: 'string', secret: true },
  { name: 'poll_time', required: false, type: 'integer', default: 10 },
  { name: 'max_vms', required: false, type: 'integer', default: 999 },
  { name: 'max_hosts', required: false, type: 'integer', default: 999 },
  { name: 'request_timeout', required: false, type: 'number', listed: false, default: 30, description: 'seconds before an upstream request is abandoned' },
  { name: 'cacert', required: false, type: 'string', listed: false, description: "a CA bundle file to verify vCenter's certificate with" },
  { name: 'insecure', required: false, type: 'boolean', listed: false, default: false, description: "true: vCenter's certificate is not verified" },
];

/** The `vcenter` driver definition. */
export const vcenterDriver: DriverDefinition = {
  id: 'vcenter',
  description: 'Datasource driver that interfaces with vcenter',
  options: OPTIONS,
  schema: () => schemaOf(VCENTER_TRANSLATORS),
  create: (context) => new VCenterDriver(context),
};

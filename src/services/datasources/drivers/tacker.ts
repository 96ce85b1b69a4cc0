/**
 * The `tacker` driver (spec §11): VNF descriptors and VNFs of the legacy Tacker v1.0 API from the
 * catalog's `nfv-orchestration` service, with each VNF's management addresses (`mgmt_url`, a JSON
 * text inside the JSON) as `vnfs.instances`. Requests are the ones tackerclient sends: `.json`
 * suffixed paths, `<collection>_links` paging, and the descriptions and error reasons clipped as
 * its list calls clip them, since the original's rows are what that client returned.
 */
import { isRecord } from '../../../bus/json';
import { DatasourceError } from '../errors';
import { argString, jsonObjectArg, type ActionArgs, type ActionSpec } from '../framework/actions';
import type { ConfigOption } from '../framework/config';
import type { DriverContext, DriverDefinition } from '../framework/driver';
import { UpstreamError } from '../openstack/http';
import { OpenStackDriver, openstackOptions, ServiceClient } from '../openstack/openstack-driver';
import { schemaOf } from '../translation/schema';
import { TranslationError } from '../translation/translate';
import { VALUE, valueFields, type TableTranslator } from '../translation/translator';

/** tackerclient's `DEFAULT_DESC_LENGTH` and `DEFAULT_ERROR_REASON_LENGTH`. */
const DESCRIPTION_CLIP = 25;
const ERROR_REASON_CLIP = 100;

/** `mgmt_url` holds a JSON object as text (`{"VDU1": "192.168.120.22"}`). */
function mgmtUrls(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new TranslationError(`table vnfs.instances: mgmt_url is not JSON: ${raw.slice(0, 200)}`);
  }
}

/** Tacker's root translators, in poll order. */
export const TACKER_TRANSLATORS: readonly TableTranslator[] = [
  {
    'translation-type': 'HDICT',
    'table-name': 'vnfds',
    'selector-type': 'DICT_SELECTOR',
    'field-translators': valueFields(['id', 'name', 'description', 'template_source', 'tenant_id', 'created_at', 'updated_at']),
  },
  {
    'translation-type': 'HDICT',
    'table-name': 'vnfs',
    'selector-type': 'DICT_SELECTOR',
    'field-translators': [
      ...valueFields(['id', 'name', 'status', 'description', 'vnfd_id', 'vim_id', 'tenant_id', 'instance_id', 'created_at', 'updated_at', 'error_reason']),
      {
        fieldname: 'mgmt_url',
        translator: {
          'translation-type': 'VDICT',
          'table-name': 'vnfs.instances',
          'parent-key': 'id',
          'parent-col-name': 'vnf_id',
          'key-col': 'key',
          'val-col': 'value',
          'objects-extract-fn': mgmtUrls,
          translator: VALUE,
        },
      },
    ],
  },
];

/** Python's `text[:n] + '...'` for texts longer than `n` code points, as tackerclient clips. */
function clip(text: unknown, n: number): unknown {
  if (typeof text !== 'string') return text;
  const points = Array.from(text);
  return points.length > n ? points.slice(0, n).join('') + '...' : text;
}

/** A copy of each object with one field clipped (objects of other shapes are left to the translator). */
function clipField(items: unknown[], field: string, n: number): unknown[] {
  return items.map((o) => (isRecord(o) && typeof o[field] === 'string' ? { ...o, [field]: clip(o[field], n) } : o));
}

/**
 * Every page of a collection as tackerclient reads it: the next page is the same path with the
 * query of the `rel: next` link in `<key>_links` (the link's host is not used).
 */
async function listAll(c: ServiceClient, path: string, key: string, maxPages: number, signal: AbortSignal): Promise<unknown[]> {
  const items: unknown[] = [];
  let query = '';
  for (let page = 0; ; page++) {
    if (page >= maxPages) throw new UpstreamError('malformed', `GET ${path}: more than ${maxPages} pages; giving up`);
    const body = await c.getObject(path + query, signal);
    const list = body[key];
    if (!Array.isArray(list)) throw new UpstreamError('malformed', `GET ${path + query}: expected a list under "${key}"`);
    items.push(...(list as unknown[]));
    const links = body[`${key}_links`];
    const next = Array.isArray(links) ? links.find((l) => isRecord(l) && l.rel === 'next' && typeof l.href === 'string') : undefined;
    if (!isRecord(next)) return items;
    query = new URL(String(next.href), 'http://next.invalid').search;
    if (query === '') return items;
  }
}

/** A `body` argument: an object, or JSON text as a policy can pass it (its null arrives as `None`). */
function bodyArg(args: ActionArgs, index: number, required: boolean): Record<string, unknown> | undefined {
  const raw = args.positional[index] ?? args.named.body;
  if ((raw === undefined || raw === null || raw === 'None') && !required) return undefined;
  if (raw === undefined || raw === null) throw new DatasourceError('action_failed', 'missing argument body');
  return jsonObjectArg(raw, 'body');
}

/** `{"scale": {"type": "in"|"out", "policy": NAME}}`, checked before anything is sent. */
function scaleBody(args: ActionArgs): Record<string, unknown> {
  const body = bodyArg(args, 1, true) as Record<string, unknown>;
  const scale = body.scale;
  if (!isRecord(scale)) throw new DatasourceError('action_failed', 'body must be {"scale": {"type": "in" or "out", "policy": <scaling policy name>}}');
  if (scale.type !== 'in' && scale.type !== 'out') throw new DatasourceError('action_failed', `scale type must be "in" or "out", got ${JSON.stringify(scale.type)}`);
  if (typeof scale.policy !== 'string' || scale.policy === '') throw new DatasourceError('action_failed', 'scale policy must be the name of a scaling policy of the VNF');
  return body;
}

const vnfArg = { name: 'vnf', description: 'ID of the VNF' };
const vnfPath = (a: ActionArgs): string => `/v1.0/vnfs/${encodeURIComponent(argString(a, 0, 'vnf'))}`;

/** Tacker's action catalogue (tackerclient v1.0 method names). */
export const TACKER_ACTIONS: readonly ActionSpec<ServiceClient>[] = [
  {
    name: 'delete_vnf',
    description: 'Delete a VNF (Tacker removes it asynchronously: it shows PENDING_DELETE first).',
    args: [vnfArg, { name: 'body', description: 'optional, e.g. {"vnf": {"attributes": {"force": true}}} (object or JSON text)' }],
    run: (c, a, s) => c.call('DELETE', `${vnfPath(a)}.json`, bodyArg(a, 1, false), s),
  },
  {
    name: 'scale_vnf',
    description: 'Scale a VNF in or out by one of its scaling policies.',
    args: [vnfArg, { name: 'body', description: '{"scale": {"type": "in" or "out", "policy": <policy name>}} (object or JSON text)' }],
    run: (c, a, s) => c.call('POST', `${vnfPath(a)}/actions.json`, scaleBody(a), s),
  },
  {
    name: 'delete_vnfd',
    description: 'Delete a VNF descriptor (refused by Tacker while a VNF uses it).',
    args: [{ name: 'vnfd', description: 'ID of the VNF descriptor' }],
    run: (c, a, s) => c.call('DELETE', `/v1.0/vnfds/${encodeURIComponent(argString(a, 0, 'vnfd'))}.json`, undefined, s),
  },
];

/**
 * The common OpenStack options plus `api_version` before `lazy_tables`, as the original lists
 * them. The original accepts `api_version` but never hands it to the client, and neither do we.
 */
function tackerOptions(): ConfigOption[] {
  const base = openstackOptions();
  const at = base.findIndex((o) => o.name === 'lazy_tables');
  const apiVersion: ConfigOption = { name: 'api_version', required: false, type: 'string', description: 'accepted for compatibility; Tacker v1.0 is always used' };
  return [...base.slice(0, at), apiVersion, ...base.slice(at)];
}

/** A tacker datasource. */
class TackerDriver extends OpenStackDriver<ServiceClient> {
  private readonly nfv: ServiceClient;

  constructor(context: DriverContext) {
    super(context, TACKER_TRANSLATORS, TACKER_ACTIONS);
    const c = (this.nfv = new ServiceClient(this.session, { types: ['nfv-orchestration'], interfaces: ['public'] }, this.http.maxPages));
    const pages = this.http.maxPages;
    this.registerFetcher('vnfds', async (s) => clipField(await listAll(c, '/v1.0/vnfds.json', 'vnfds', pages, s), 'description', DESCRIPTION_CLIP));
    this.registerFetcher('vnfs', async (s) => clipField(await listAll(c, '/v1.0/vnfs.json', 'vnfs', pages, s), 'error_reason', ERROR_REASON_CLIP));
  }

  protected actionClient(): ServiceClient {
    return this.nfv;
  }
}

/** The `tacker` driver definition. */
export const tackerDriver: DriverDefinition = {
  id: 'tacker',
  description: 'Datasource driver that interfaces with OpenStack tacker.',
  options: tackerOptions(),
  schema: () => schemaOf(TACKER_TRANSLATORS),
  create: (context) => new TackerDriver(context),
};

/**
 * The `cloudfoundryv2` driver: organizations, spaces with their apps and the apps' service
 * bindings, and the spaces' service instances, read from a Cloud Foundry v2 API as the
 * original's driver did through python-cloudfoundryclient: `GET /v2/info` names the UAA, a
 * password grant there gives a bearer token, then one walk of organizations → spaces → apps,
 * one listing of all service bindings, and each space's summary for its services. The original
 * had no actions (its client only reads); none are offered.
 */
import { isRecord } from '../../../bus/json';
import { parsePollTime, parseRequestTimeout, stringOption, type ConfigOption } from '../framework/config';
import type { DriverContext, DriverDefinition } from '../framework/driver';
import { PollingDriver } from '../framework/polling-driver';
import { excerpt, HttpClient, UpstreamError, type HttpResponse } from '../openstack/http';
import { joinUrl } from '../openstack/keystone';
import { schemaOf } from '../translation/schema';
import { VALUE, valueFields, type TableTranslator } from '../translation/translator';

const APP_FIELDS = [
  'guid',
  'buildpack',
  'command',
  'console',
  'debug',
  'detected_buildpack',
  'detected_start_command',
  'disk_quota',
  'docker_image',
  'environment_json',
  'health_check_timeout',
  'instances',
  'memory',
  'name',
  'package_state',
  'package_updated_at',
  'production',
  'staging_failed_reason',
  'staging_task_id',
  'state',
  'version',
  'created_at',
  'updated_at',
];

/** The original's translators, in its order. */
export const CLOUDFOUNDRY_TRANSLATORS: readonly TableTranslator[] = [
  {
    'translation-type': 'HDICT',
    'table-name': 'organizations',
    'selector-type': 'DICT_SELECTOR',
    'field-translators': valueFields(['guid', 'name', 'created_at', 'updated_at']),
  },
  {
    'translation-type': 'HDICT',
    'table-name': 'spaces',
    'selector-type': 'DICT_SELECTOR',
    'field-translators': [
      ...valueFields(['guid', 'name', 'created_at', 'updated_at']),
      {
        fieldname: 'apps',
        translator: {
          'translation-type': 'HDICT',
          'table-name': 'apps',
          'in-list': true,
          'parent-key': 'guid',
          'parent-col-name': 'space_guid',
          'selector-type': 'DICT_SELECTOR',
          'field-translators': [
            ...valueFields(APP_FIELDS),
            {
              fieldname: 'service_bindings',
              translator: {
                'translation-type': 'LIST',
                'table-name': 'service_bindings',
                'parent-key': 'guid',
                'parent-col-name': 'app_guid',
                'val-col': 'service_instance_guid',
                translator: VALUE,
              },
            },
          ],
        },
      },
    ],
  },
  {
    'translation-type': 'HDICT',
    'table-name': 'services',
    'selector-type': 'DICT_SELECTOR',
    'field-translators': valueFields(['guid', 'space_guid', 'name', 'bound_app_count', 'last_operation', 'service_plan_name']),
  },
];

const ROOTS = CLOUDFOUNDRY_TRANSLATORS.map((t) => t['table-name']);

/** The cf CLI's public OAuth client (`cf:` with an empty secret), as cloudfoundryclient sent it. */
const CF_CLIENT_BASIC = 'Basic ' + Buffer.from('cf:').toString('base64');

type Obj = Record<string, unknown>;

/** A v2 resource as one object: its metadata (guid, dates) with its entity's fields. */
function flatten(resource: unknown): Obj {
  if (!isRecord(resource)) return {};
  return { ...(isRecord(resource.metadata) ? resource.metadata : {}), ...(isRecord(resource.entity) ? resource.entity : {}) };
}

function guidOf(resource: unknown): string {
  const guid = isRecord(resource) && isRecord(resource.metadata) ? resource.metadata.guid : undefined;
  if (typeof guid !== 'string') throw new UpstreamError('malformed', `a Cloud Foundry resource without metadata.guid: ${excerpt(JSON.stringify(resource) ?? '')}`);
  return guid;
}

/** A Cloud Foundry v2 API client: UAA password login, bearer token, v2 paging. */
export class CloudFoundryClient {
  private authorization: string | null = null;

  constructor(
    private readonly http: HttpClient,
    private readonly apiUrl: string,
    private readonly username: string,
    private readonly password: string,
  ) {}

  /** Logs in at the UAA that `GET /v2/info` names. */
  async login(signal: AbortSignal): Promise<void> {
    this.authorization = null;
    const infoUrl = joinUrl(this.apiUrl, '/v2/info');
    const info = await this.http.send({ method: 'GET', url: infoUrl, signal });
    const uaa = isRecord(info.body) ? info.body.token_endpoint : undefined;
    if (typeof uaa !== 'string' || uaa === '') throw new UpstreamError('malformed', `GET ${infoUrl} names no token_endpoint: ${excerpt(info.text)}`);
    const url = joinUrl(uaa, '/oauth/token');
    const form = new URLSearchParams({ grant_type: 'password', password: this.password, scope: '', username: this.username });
    const r = await this.http.send({ method: 'POST', url, headers: { Authorization: CF_CLIENT_BASIC }, body: form, signal, acceptErrors: true });
    if (r.status !== 200) throw new UpstreamError('auth', `Cloud Foundry login as ${this.username} at POST ${url} failed with HTTP ${r.status}: ${excerpt(r.text)}`, r.status);
    const token = isRecord(r.body) ? r.body : {};
    if (typeof token.access_token !== 'string' || typeof token.token_type !== 'string') throw new UpstreamError('malformed', `POST ${url} gave no access_token and token_type`);
    this.authorization = `${token.token_type} ${token.access_token}`;
  }

  /** One GET of the v2 API; an expired token is renewed once, as cloudfoundryclient did. */
  async get(path: string, signal: AbortSignal): Promise<unknown> {
    const url = joinUrl(this.apiUrl, path);
    for (let attempt = 0; ; attempt++) {
      if (this.authorization === null) await this.login(signal);
      const r = await this.http.send({ method: 'GET', url, headers: { Authorization: this.authorization ?? '' }, signal, acceptErrors: true });
      if (attempt === 0 && tokenRejected(r)) {
        this.authorization = null;
        continue;
      }
      if (r.status >= 400) throw new UpstreamError(r.status === 401 ? 'auth' : 'http', `GET ${url} returned HTTP ${r.status}: ${excerpt(r.text)}`, r.status);
      return r.body;
    }
  }

  /** Every resource of a listing, following `next_url` page by page. */
  async resources(path: string, signal: AbortSignal): Promise<unknown[]> {
    const out: unknown[] = [];
    let next: string | null = path;
    for (let page = 0; next !== null; page++) {
      if (page >= this.http.maxPages) throw new UpstreamError('malformed', `GET ${path}: more than ${this.http.maxPages} pages`);
      const body = await this.get(next, signal);
      if (!isRecord(body) || !Array.isArray(body.resources)) throw new UpstreamError('malformed', `GET ${next}: expected a page with resources, got: ${excerpt(JSON.stringify(body) ?? '')}`);
      out.push(...(body.resources as unknown[]));
      next = typeof body.next_url === 'string' && body.next_url.startsWith('/') ? body.next_url : null;
    }
    return out;
  }
}

function tokenRejected(r: HttpResponse): boolean {
  return r.status === 401 || (isRecord(r.body) && r.body.error_code === 'CF-InvalidAuthToken');
}

/** One service instance of a space summary as the `services` table has it. */
function serviceRow(service: unknown, spaceGuid: unknown): Obj {
  const s = isRecord(service) ? service : {};
  const plan = isRecord(s.service_plan) ? s.service_plan : {};
  return { bound_app_count: s.bound_app_count, guid: s.guid, name: s.name, service_plan_name: plan.name, space_guid: spaceGuid, last_operation: s.last_operation };
}

/** The service instances bound to each app, from one listing of every binding the user sees. */
async function bindingsByApp(c: CloudFoundryClient, signal: AbortSignal): Promise<Map<unknown, unknown[]>> {
  const byApp = new Map<unknown, unknown[]>();
  for (const resource of await c.resources('/v2/service_bindings', signal)) {
    const b = flatten(resource);
    const list = byApp.get(b.app_guid) ?? [];
    list.push(b.service_instance_guid);
    byApp.set(b.app_guid, list);
  }
  return byApp;
}

/**
 * The whole walk: organizations, their spaces with apps, the spaces' services. The original
 * asked for each app's bindings apart; one listing of all bindings gives the same rows with a
 * request per page instead of one per app.
 */
async function fetchModel(c: CloudFoundryClient, signal: AbortSignal): Promise<Map<string, unknown[]>> {
  const organizations = await c.resources('/v2/organizations', signal);
  const bindings = await bindingsByApp(c, signal);
  const spaces: Obj[] = [];
  const services: Obj[] = [];
  for (const org of organizations) {
    for (const resource of await c.resources(`/v2/organizations/${encodeURIComponent(guidOf(org))}/spaces`, signal)) {
      const space = flatten(resource);
      const spaceGuid = encodeURIComponent(guidOf(resource));
      const apps: Obj[] = [];
      for (const app of await c.resources(`/v2/spaces/${spaceGuid}/apps`, signal)) {
        const row = flatten(app);
        const instances = bindings.get(guidOf(app)) ?? [];
        if (instances.length > 0) row.service_bindings = instances;
        apps.push(row);
      }
      space.apps = apps;
      spaces.push(space);
      const summary = await c.get(`/v2/spaces/${spaceGuid}/summary`, signal);
      const list = isRecord(summary) && Array.isArray(summary.services) ? (summary.services as unknown[]) : [];
      for (const s of list) services.push(serviceRow(s, isRecord(summary) ? summary.guid : undefined));
    }
  }
  return new Map<string, unknown[]>([
    ['organizations', organizations.map(flatten)],
    ['spaces', spaces],
    ['services', services],
  ]);
}

/** A Cloud Foundry datasource. */
class CloudFoundryV2Driver extends PollingDriver<null> {
  constructor(context: DriverContext) {
    const config = context.config;
    super(context, CLOUDFOUNDRY_TRANSLATORS, [], { pollTime: parsePollTime(config.poll_time), lazyTables: [] });
    const http = new HttpClient(parseRequestTimeout(config.request_timeout) * 1000, context.http);
    const client = new CloudFoundryClient(http, stringOption(config, 'auth_url'), stringOption(config, 'username'), stringOption(config, 'password'));
    this.registerModelFetchers(ROOTS, (signal) => fetchModel(client, signal));
  }

  protected actionClient(): null {
    return null;
  }
}

/** The original's options in its order; `request_timeout` is an addition, accepted but not listed. */
const OPTIONS: ConfigOption[] = [
  { name: 'username', required: true, type: 'string' },
  { name: 'password', required: true, type: 'string', secret: true },
  { name: 'poll_time', required: false, type: 'integer', default: 10 },
  { name: 'auth_url', required: true, type: 'string', description: 'the Cloud Foundry API, e.g. https://api.example.com' },
  { name: 'request_timeout', required: false, type: 'number', listed: false, default: 30, description: 'seconds before an upstream request is abandoned' },
];

/** The `cloudfoundryv2` driver definition. */
export const cloudfoundryv2Driver: DriverDefinition = {
  id: 'cloudfoundryv2',
  description: 'Datasource driver that interfaces with cloudfoundry',
  options: OPTIONS,
  schema: () => schemaOf(CLOUDFOUNDRY_TRANSLATORS),
  create: (context) => new CloudFoundryV2Driver(context),
};

/**
 * What the five OpenStack drivers share (spec §5, §6): the common config options in the
 * original's order, the Keystone session built from them, a client bound to one catalog
 * service with the pagination conventions of each API, and the polling driver base.
 */
import { isRecord } from '../../../bus/json';
import type { DatasourceConfig } from '../../../db';
import type { ActionSpec } from '../framework/actions';
import { parseLazyTables, parsePollTime, parseRequestTimeout, stringOption, type ConfigOption } from '../framework/config';
import type { DriverContext } from '../framework/driver';
import { PollingDriver } from '../framework/polling-driver';
import type { TableTranslator } from '../translation/translator';
import { excerpt, HttpClient, UpstreamError } from './http';
import { joinUrl, KeystoneSession, type ServiceRef } from './keystone';

const opt = (name: string, required: boolean, type: ConfigOption['type'] = 'string', extra: Partial<ConfigOption> = {}): ConfigOption => ({ name, required, type, ...extra });

/**
 * The OpenStack drivers' options, in the original's driver-info order. `request_timeout` is an
 * addition: accepted and described in `config_schema`, not listed in the `config` map.
 */
export function openstackOptions(extra: { apiVersion?: boolean } = {}): ConfigOption[] {
  return [
    opt('auth_url', true),
    opt('endpoint', false),
    opt('region', false),
    opt('username', true),
    opt('password', true, 'string', { secret: true }),
    opt('user_domain_name', false, 'string', { default: 'Default' }),
    opt('project_domain_name', false, 'string', { default: 'Default' }),
    opt('tenant_name', false),
    opt('project_name', true),
    opt('poll_time', false, 'integer', { default: 10 }),
    ...(extra.apiVersion === true ? [opt('api_version', false, 'string', { default: '2.26' })] : []),
    opt('lazy_tables', false, 'list', { default: [] }),
    opt('request_timeout', false, 'number', { listed: false, default: 30, description: 'seconds before an upstream request is abandoned' }),
  ];
}

/**
 * A Keystone session from the config. The project is `project_name`, else `tenant_name`; with
 * the v2.0 API (the `keystone` driver, which read `tenant_name`) the other way round.
 */
export function sessionFromConfig(config: DatasourceConfig, http: HttpClient, identityVersion: '2' | '3' = '3'): KeystoneSession {
  const region = config.region;
  const endpoint = config.endpoint;
  const [first, second] = identityVersion === '2' ? ['tenant_name', 'project_name'] : ['project_name', 'tenant_name'];
  return new KeystoneSession(
    {
      authUrl: stringOption(config, 'auth_url'),
      username: stringOption(config, 'username'),
      password: stringOption(config, 'password'),
      projectName: config[first] !== undefined ? stringOption(config, first) : stringOption(config, second),
      userDomainName: stringOption(config, 'user_domain_name', 'Default'),
      projectDomainName: stringOption(config, 'project_domain_name', 'Default'),
      region: typeof region === 'string' && region !== '' ? region : undefined,
      endpointOverride: typeof endpoint === 'string' && endpoint !== '' ? endpoint : undefined,
      identityVersion,
    },
    http,
  );
}

/** How a collection's further pages are found. */
export type Paging =
  /** One request. */
  | 'none'
  /** Neutron/Cinder: `<key>_links` entries with `rel: next` (absolute URLs). */
  | 'links'
  /** Glance: a `next` path appended to the endpoint URL. */
  | 'next-path';

/** A client for one catalog service of one datasource. */
export class ServiceClient {
  constructor(
    readonly session: KeystoneSession,
    readonly service: ServiceRef,
    private readonly maxPages: number,
    private readonly headers: Record<string, string> = {},
  ) {}

  /** A JSON call; returns the decoded body (null when empty). */
  async call(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<unknown> {
    const r = await this.session.request(this.service, method, path, { body, signal, headers: this.headers });
    return r.body;
  }

  /** A GET whose body must be an object. */
  async getObject(path: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const r = await this.session.request(this.service, 'GET', path, { signal, headers: this.headers });
    if (!isRecord(r.body)) throw new UpstreamError('malformed', `GET ${path}: expected a JSON object, got: ${excerpt(r.text)}`, r.status);
    return r.body;
  }

  /** A GET whose body must be an array (Aodh answers its lists bare, without a key). */
  async getArray(path: string, signal?: AbortSignal): Promise<unknown[]> {
    const r = await this.session.request(this.service, 'GET', path, { signal, headers: this.headers });
    if (!Array.isArray(r.body)) throw new UpstreamError('malformed', `GET ${path}: expected a JSON array, got: ${excerpt(r.text)}`, r.status);
    return r.body;
  }

  /** Lists a whole collection: the array under `key`, following pages as the API does. */
  async list(path: string, key: string, paging: Paging, signal?: AbortSignal): Promise<unknown[]> {
    const items: unknown[] = [];
    let next: string | null = path;
    for (let page = 0; next !== null; page++) {
      if (page >= this.maxPages) throw new UpstreamError('malformed', `GET ${path}: more than ${this.maxPages} pages; giving up`);
      const r = await this.session.request(this.service, 'GET', next, { signal, headers: this.headers });
      const body = r.body;
      const list = isRecord(body) ? body[key] : undefined;
      if (!Array.isArray(list)) {
        const url = joinUrl(await this.session.endpoint(this.service, signal), next);
        throw new UpstreamError('malformed', `GET ${url}: expected a list under "${key}", got: ${excerpt(r.text)}`, r.status);
      }
      for (const item of list) items.push(item);
      next = nextPage(body as Record<string, unknown>, key, paging);
    }
    return items;
  }
}

function nextPage(body: Record<string, unknown>, key: string, paging: Paging): string | null {
  if (paging === 'next-path') return typeof body.next === 'string' && body.next !== '' ? body.next : null;
  if (paging === 'links') {
    const links = body[`${key}_links`];
    if (!Array.isArray(links)) return null;
    const next = links.find((l) => isRecord(l) && l.rel === 'next');
    return isRecord(next) && typeof next.href === 'string' ? next.href : null;
  }
  return null;
}

/** The settings every OpenStack driver reads from its config. */
export interface OpenStackSettings {
  readonly session: KeystoneSession;
  readonly http: HttpClient;
  readonly pollTime: number;
  readonly lazyTables: readonly string[];
}

/** Parses the common settings; throws 400-style errors on bad values. */
export function openstackSettings(context: DriverContext, roots: readonly TableTranslator[], identityVersion: '2' | '3' = '3'): OpenStackSettings {
  const config = context.config;
  const pollTime = parsePollTime(config.poll_time);
  const lazyTables = parseLazyTables(config.lazy_tables, roots.map((t) => t['table-name']), context.name);
  const http = new HttpClient(parseRequestTimeout(config.request_timeout) * 1000, context.http);
  return { session: sessionFromConfig(config, http, identityVersion), http, pollTime, lazyTables };
}

/** Base of the OpenStack polling drivers: settings parsed, session built, nothing contacted. */
export abstract class OpenStackDriver<C> extends PollingDriver<C> {
  protected readonly session: KeystoneSession;
  protected readonly http: HttpClient;

  constructor(context: DriverContext, translators: readonly TableTranslator[], actions: readonly ActionSpec<C>[], identityVersion: '2' | '3' = '3') {
    const settings = openstackSettings(context, translators, identityVersion);
    super(context, translators, actions, settings);
    this.session = settings.session;
    this.http = settings.http;
  }
}

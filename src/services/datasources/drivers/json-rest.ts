/**
 * The generic `json_rest` driver (an addition): polls any JSON endpoint and maps it to tables with
 * translators given in config, e.g.
 * `{"endpoint": "http://h/api", "resources": [{"path": "/items", "key": "items", "translator": {...}}]}`.
 * `key` picks the list out of the response object (omit it when the response is the list);
 * `paging` follows `<key>_links` (`links`) or a `next` path (`next-path`).
 */
import { isRecord } from '../../../bus/json';
import type { DatasourceConfig } from '../../../db';
import { errors } from '../errors';
import { parseLazyTables, parsePollTime, parseRequestTimeout, stringOption, type ConfigOption } from '../framework/config';
import type { DriverContext, DriverDefinition } from '../framework/driver';
import { PollingDriver } from '../framework/polling-driver';
import { excerpt, HttpClient, UpstreamError } from '../openstack/http';
import { joinUrl } from '../openstack/keystone';
import { translatorFromJson } from '../translation/from-json';
import { schemaOf } from '../translation/schema';
import type { TableTranslator } from '../translation/translator';

/** One polled resource. */
interface Resource {
  readonly path: string;
  readonly key: string | null;
  readonly paging: 'none' | 'links' | 'next-path';
  readonly translator: TableTranslator;
}

/** The resources a config declares; throws a 400 on a malformed declaration. */
export function jsonRestResources(config: DatasourceConfig | undefined): Resource[] {
  const raw = config?.resources;
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.length === 0) throw errors.invalidValue('resources must be a non-empty list of {path, key?, paging?, translator}');
  return raw.map((r: unknown, i) => {
    if (!isRecord(r) || typeof r.path !== 'string') throw errors.invalidValue(`resources[${i}] needs a path`);
    if (r.key !== undefined && typeof r.key !== 'string') throw errors.invalidValue(`resources[${i}].key must be a string`);
    const paging = r.paging ?? 'none';
    if (paging !== 'none' && paging !== 'links' && paging !== 'next-path') throw errors.invalidValue(`resources[${i}].paging must be none, links or next-path`);
    return { path: r.path, key: typeof r.key === 'string' ? r.key : null, paging, translator: translatorFromJson(r.translator, `resources[${i}].translator`) };
  });
}

class JsonRestDriver extends PollingDriver<null> {
  constructor(context: DriverContext) {
    const config = context.config;
    const resources = jsonRestResources(config);
    const translators = resources.map((r) => r.translator);
    super(context, translators, [], {
      pollTime: parsePollTime(config.poll_time),
      lazyTables: parseLazyTables(config.lazy_tables, translators.map((t) => t['table-name']), context.name),
    });
    const http = new HttpClient(parseRequestTimeout(config.request_timeout) * 1000, context.http);
    const base = stringOption(config, 'endpoint');
    const headers: Record<string, string> = {};
    if (typeof config.auth_token === 'string') headers['X-Auth-Token'] = config.auth_token;
    if (typeof config.username === 'string' && typeof config.password === 'string') {
      headers.Authorization = 'Basic ' + Buffer.from(`${config.username}:${config.password}`).toString('base64');
    }
    for (const r of resources) {
      this.registerFetcher(r.translator['table-name'], async (signal) => {
        const items: unknown[] = [];
        let next: string | null = r.path;
        for (let page = 0; next !== null; page++) {
          if (page >= http.maxPages) throw new UpstreamError('malformed', `GET ${r.path}: more than ${http.maxPages} pages`);
          const url = joinUrl(base, next);
          const res = await http.send({ method: 'GET', url, headers, signal });
          const list = r.key === null ? res.body : isRecord(res.body) ? res.body[r.key] : undefined;
          if (!Array.isArray(list)) throw new UpstreamError('malformed', `GET ${url}: expected a list${r.key === null ? '' : ` under "${r.key}"`}, got: ${excerpt(res.text)}`);
          items.push(...(list as unknown[]));
          next = nextOf(res.body, r);
        }
        return items;
      });
    }
  }

  protected actionClient(): null {
    return null;
  }
}

function nextOf(body: unknown, r: Resource): string | null {
  if (!isRecord(body) || r.paging === 'none') return null;
  if (r.paging === 'next-path') return typeof body.next === 'string' && body.next !== '' ? body.next : null;
  const links = r.key === null ? undefined : body[`${r.key}_links`];
  const next = Array.isArray(links) ? links.find((l) => isRecord(l) && l.rel === 'next') : undefined;
  return isRecord(next) && typeof next.href === 'string' ? next.href : null;
}

const OPTIONS: ConfigOption[] = [
  { name: 'endpoint', required: true, type: 'string', description: 'base URL the resource paths are appended to' },
  { name: 'resources', required: true, type: 'list', description: 'list of {path, key?, paging?, translator}' },
  { name: 'auth_token', required: false, type: 'string', secret: true, description: 'sent as X-Auth-Token' },
  { name: 'username', required: false, type: 'string', description: 'HTTP basic auth user' },
  { name: 'password', required: false, type: 'string', secret: true, description: 'HTTP basic auth password' },
  { name: 'poll_time', required: false, type: 'integer', default: 10 },
  { name: 'lazy_tables', required: false, type: 'list', default: [] },
  { name: 'request_timeout', required: false, type: 'number', default: 30 },
];

/** The `json_rest` driver definition. */
export const jsonRestDriver: DriverDefinition = {
  id: 'json_rest',
  description: 'Datasource driver that polls any JSON REST endpoint, with tables described by translators in its config.',
  options: OPTIONS,
  schema: (config) => schemaOf(jsonRestResources(config).map((r) => r.translator)),
  create: (context) => new JsonRestDriver(context),
};

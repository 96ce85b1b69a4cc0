/**
 * The HTTP side of one ingester configuration: requests relative to its `api_endpoint`, with its
 * `api_default_headers`, and a Keystone token when the configuration has `authentication`.
 */
import type { DatasourceConfig } from '../../../db';
import { pythonStr } from '../../../datalog/python-text';
import { isJsonObject, type JsonValue } from '../../../datalog/json';
import { HttpClient, type HttpOptions, type HttpResponse } from '../openstack/http';
import { joinUrl, type KeystoneSession } from '../openstack/keystone';
import { sessionFromConfig } from '../openstack/openstack-driver';
import type { IngesterConfig } from './config';

/** The catalog is never consulted: every request goes to the configured endpoint. */
const ANY_SERVICE = { types: ['json-ingester'], interfaces: ['public'] } as const;

/** Query parameters as python-requests encodes a dict: a list value repeats its key. */
function withQuery(path: string, params: unknown): string {
  if (!isJsonObject(params as JsonValue)) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params as Record<string, unknown>)) {
    for (const one of Array.isArray(v) ? v : [v]) if (one !== null && one !== undefined) q.append(k, pythonStr(one));
  }
  const text = q.toString();
  return text === '' ? path : path + (path.includes('?') ? '&' : '?') + text;
}

export interface UpstreamRequest {
  readonly body?: unknown;
  readonly params?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

export class Upstream {
  private readonly http: HttpClient;
  private readonly session: KeystoneSession | null;

  constructor(
    readonly endpoint: string,
    config: Pick<IngesterConfig, 'authentication' | 'apiDefaultHeaders'>,
    options: HttpOptions & { readonly timeoutMs?: number } = {},
  ) {
    this.http = new HttpClient(options.timeoutMs ?? 30_000, options);
    this.defaultHeaders = config.apiDefaultHeaders;
    const auth = config.authentication;
    this.session = auth === undefined ? null : sessionFromConfig({ ...auth.config, endpoint } as DatasourceConfig, this.http);
  }

  private readonly defaultHeaders: Readonly<Record<string, string>>;

  /** A request to `path` under the endpoint; an HTTP error status is thrown as an UpstreamError. */
  async send(method: string, path: string, request: UpstreamRequest = {}): Promise<HttpResponse> {
    const target = withQuery(path, request.params);
    const headers = { ...this.defaultHeaders, ...request.headers };
    if (this.session !== null) return this.session.request(ANY_SERVICE, method, target, { body: request.body, headers, signal: request.signal });
    return this.http.send({ method, url: joinUrl(this.endpoint, target), body: request.body, headers, signal: request.signal });
  }
}

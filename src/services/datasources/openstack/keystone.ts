/**
 * A small Keystone client (spec §5.2): v3 password auth scoped to a project (v2.0 password auth
 * scoped to a tenant for the `keystone` driver, as keystoneclient's v2.0 client did), a cached token
 * renewed shortly before it expires, catalog lookup by service type, interface and optional
 * region (or an `endpoint` override), and one re-authentication and retry when a service
 * answers 401.
 */
import { isRecord } from '../../../bus/json';
import { excerpt, UpstreamError, type HttpClient, type HttpResponse } from './http';

/** What the datasource config says about authentication. */
export interface KeystoneCredentials {
  readonly authUrl: string;
  readonly username: string;
  readonly password: string;
  readonly projectName: string;
  readonly userDomainName: string;
  readonly projectDomainName: string;
  /** Only endpoints of this region are used, when given. */
  readonly region?: string;
  /** Used instead of the catalog URL, when given. */
  readonly endpointOverride?: string;
  /** '2': the Keystone v2.0 API (`POST <auth_url>/tokens`, tenant scope); default '3'. */
  readonly identityVersion?: '2' | '3';
}

/** Which catalog entry a driver talks to: types and interfaces in order of preference. */
export interface ServiceRef {
  readonly types: readonly string[];
  readonly interfaces: readonly string[];
}

interface CatalogEndpoint {
  readonly interface: string;
  readonly url: string;
  readonly region: string | null;
}

interface CatalogService {
  readonly type: string;
  readonly endpoints: readonly CatalogEndpoint[];
}

interface Token {
  readonly value: string;
  readonly expiresAt: number;
  readonly catalog: readonly CatalogService[];
}

/** A token expiring within this margin is renewed first (keystoneauth's behaviour). */
const EXPIRY_MARGIN_MS = 120_000;
const AUTH_401 = 'The request you have made requires authentication. (HTTP 401)';

/** A v3 catalog endpoint: one interface and its URL. */
function v3Endpoints(e: Record<string, unknown>): CatalogEndpoint[] {
  if (typeof e.url !== 'string' || typeof e.interface !== 'string') return [];
  const region = typeof e.region_id === 'string' ? e.region_id : typeof e.region === 'string' ? e.region : null;
  return [{ interface: e.interface, url: e.url, region }];
}

/** A v2.0 `serviceCatalog` endpoint: one URL per interface (`publicURL`, `adminURL`, ...). */
function v2Endpoints(e: Record<string, unknown>): CatalogEndpoint[] {
  const region = typeof e.region === 'string' ? e.region : null;
  return ['public', 'internal', 'admin'].flatMap((iface) => {
    const url = e[`${iface}URL`];
    return typeof url === 'string' ? [{ interface: iface, url, region }] : [];
  });
}

function parseCatalog(raw: unknown, endpointsOf: (e: Record<string, unknown>) => CatalogEndpoint[]): CatalogService[] {
  if (!Array.isArray(raw)) return [];
  const out: CatalogService[] = [];
  for (const s of raw) {
    if (!isRecord(s) || typeof s.type !== 'string' || !Array.isArray(s.endpoints)) continue;
    out.push({ type: s.type, endpoints: s.endpoints.flatMap((e) => (isRecord(e) ? endpointsOf(e) : [])) });
  }
  return out;
}

/** Joins a base URL and a path (`/x`), or returns an absolute URL as is. */
export function joinUrl(base: string, path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  // A bare query addresses the endpoint itself (Swift's account listing).
  if (path.startsWith('?')) return base + path;
  return base.replace(/\/+$/, '') + (path.startsWith('/') ? path : '/' + path);
}

/** One Keystone session per datasource. */
export class KeystoneSession {
  private token: Token | null = null;
  private pending: Promise<Token> | null = null;
  private v3Root: string | null = null;
  /** Token requests made so far (diagnostics and tests). */
  authentications = 0;

  constructor(
    private readonly credentials: KeystoneCredentials,
    private readonly http: HttpClient,
    private readonly now: () => number = Date.now,
  ) {}

  /** Forgets the token, so the next call authenticates again. */
  invalidate(): void {
    this.token = null;
  }

  /** The Keystone v3 root: the auth URL if it ends in `/v3`, else found by version discovery. */
  private async identityRoot(signal: AbortSignal | undefined): Promise<string> {
    if (this.v3Root !== null) return this.v3Root;
    const url = this.credentials.authUrl.replace(/\/+$/, '');
    if (/\/v3(\.\d+)?$/.test(url)) return (this.v3Root = url);
    let root = url + '/v3';
    try {
      const r = await this.http.send({ method: 'GET', url, signal, acceptErrors: true });
      const values = isRecord(r.body) && isRecord(r.body.versions) ? r.body.versions.values : undefined;
      const docs = Array.isArray(values) ? values : isRecord(r.body) && isRecord(r.body.version) ? [r.body.version] : [];
      for (const doc of docs) {
        if (!isRecord(doc) || typeof doc.id !== 'string' || !doc.id.startsWith('v3') || !Array.isArray(doc.links)) continue;
        const self = doc.links.find((l) => isRecord(l) && l.rel === 'self');
        if (isRecord(self) && typeof self.href === 'string') root = self.href.replace(/\/+$/, '');
      }
    } catch {
      // Discovery is best effort: keystoneauth also proceeds with a guessed v3 URL.
    }
    return (this.v3Root = root);
  }

  private async authenticate(signal: AbortSignal | undefined): Promise<Token> {
    const c = this.credentials;
    const v2 = c.identityVersion === '2';
    // keystoneclient's v2.0 client posted to the auth URL as given, with no version discovery.
    const url = v2 ? c.authUrl.replace(/\/+$/, '') + '/tokens' : (await this.identityRoot(signal)) + '/auth/tokens';
    const body = v2
      ? { auth: { passwordCredentials: { username: c.username, password: c.password }, tenantName: c.projectName } }
      : {
          auth: {
            identity: { methods: ['password'], password: { user: { name: c.username, domain: { name: c.userDomainName }, password: c.password } } },
            scope: { project: { name: c.projectName, domain: { name: c.projectDomainName } } },
          },
        };
    this.authentications += 1;
    let r: HttpResponse;
    try {
      r = await this.http.send({ method: 'POST', url, body, signal, acceptErrors: true });
    } catch (error) {
      if (error instanceof UpstreamError) throw new UpstreamError(error.kind, `Keystone: ${error.message}`, error.status);
      throw error;
    }
    if (r.status === 401) throw new UpstreamError('auth', `${AUTH_401} from Keystone at POST ${url}`, 401);
    if (r.status >= 400) throw new UpstreamError('auth', `Keystone POST ${url} returned HTTP ${r.status}: ${excerpt(r.text)}`, r.status);
    if (v2) return this.v2Token(r, url);
    const value = r.headers.get('x-subject-token');
    const token = isRecord(r.body) ? r.body.token : undefined;
    if (value === null || !isRecord(token)) throw new UpstreamError('malformed', `Keystone POST ${url} returned no token: ${excerpt(r.text)}`, r.status);
    return { value, expiresAt: this.expiry(token.expires_at), catalog: parseCatalog(token.catalog, v3Endpoints) };
  }

  /** The token of a v2.0 answer: `access.token.id`, its `expires`, and the `serviceCatalog`. */
  private v2Token(r: HttpResponse, url: string): Token {
    const access = isRecord(r.body) ? r.body.access : undefined;
    const token = isRecord(access) ? access.token : undefined;
    if (!isRecord(access) || !isRecord(token) || typeof token.id !== 'string') throw new UpstreamError('malformed', `Keystone POST ${url} returned no token: ${excerpt(r.text)}`, r.status);
    return { value: token.id, expiresAt: this.expiry(token.expires), catalog: parseCatalog(access.serviceCatalog, v2Endpoints) };
  }

  /** A token's expiry time; an hour from now when Keystone gave none that parses. */
  private expiry(text: unknown): number {
    const at = typeof text === 'string' ? Date.parse(text) : NaN;
    return Number.isNaN(at) ? this.now() + 3_600_000 : at;
  }

  /** A valid token, authenticating when there is none or it is about to expire. */
  async currentToken(signal?: AbortSignal): Promise<Token> {
    if (this.token !== null && this.token.expiresAt - this.now() > EXPIRY_MARGIN_MS) return this.token;
    // Concurrent callers share one token request.
    this.pending ??= this.authenticate(signal).finally(() => {
      this.pending = null;
    });
    this.token = await this.pending;
    return this.token;
  }

  /** The endpoint URL of a service: the override, else the catalog entry that matches. */
  async endpoint(service: ServiceRef, signal?: AbortSignal): Promise<string> {
    if (this.credentials.endpointOverride !== undefined) return this.credentials.endpointOverride;
    return this.endpointIn(await this.currentToken(signal), service);
  }

  private endpointIn(token: Token, service: ServiceRef): string {
    if (this.credentials.endpointOverride !== undefined) return this.credentials.endpointOverride;
    const region = this.credentials.region;
    for (const type of service.types) {
      const entry = token.catalog.find((s) => s.type === type);
      if (entry === undefined) continue;
      for (const iface of service.interfaces) {
        const e = entry.endpoints.find((x) => x.interface === iface && (region === undefined || x.region === region));
        if (e !== undefined) return e.url;
      }
    }
    throw new UpstreamError(
      'endpoint',
      `${service.interfaces[0]} endpoint for ${service.types.join(' or ')} service${region === undefined ? '' : ` in ${region} region`} not found`,
    );
  }

  /**
   * Calls a service: `path` is appended to its endpoint URL (an absolute URL is used as is). A 401
   * from the service renews the token and retries once.
   */
  async request(
    service: ServiceRef,
    method: string,
    path: string,
    options: { readonly body?: unknown; readonly headers?: Record<string, string>; readonly signal?: AbortSignal } = {},
  ): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.currentToken(options.signal);
      const url = joinUrl(this.endpointIn(token, service), path);
      const r = await this.http.send({ method, url, body: options.body, signal: options.signal, headers: { ...options.headers, 'X-Auth-Token': token.value }, acceptErrors: true });
      if (r.status === 401 && attempt === 0) {
        this.invalidate();
        continue;
      }
      if (r.status === 401) throw new UpstreamError('auth', `${AUTH_401} from ${method} ${url}`, 401);
      if (r.status >= 400) throw new UpstreamError('http', `${method} ${url} returned HTTP ${r.status}: ${excerpt(r.text)}`, r.status);
      return r;
    }
  }
}

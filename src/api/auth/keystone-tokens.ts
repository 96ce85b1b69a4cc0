/**
 * Validates user tokens against Keystone v3, as keystonemiddleware's auth_token does:
 * `GET /v3/auth/tokens` with the user's token in `X-Subject-Token`, authenticated by a service
 * token obtained with the `[keystone_authtoken]` password credentials. The service token is
 * reused until shortly before it expires, and fetched again once when Keystone refuses it.
 */
import type { Credentials } from './policy-rules';

/** The service user Congress authenticates as (`[keystone_authtoken]`). */
export interface ServiceCredentials {
  /** Keystone's v3 endpoint, e.g. `http://keystone:5000/v3`. */
  readonly authUrl: string;
  readonly username: string;
  readonly password: string;
  readonly projectName: string;
  readonly userDomainName: string;
  readonly projectDomainName: string;
}

/** What a valid token says about its bearer. */
export interface TokenIdentity extends Credentials {
  /** When Keystone stops accepting the token (ms since the epoch). */
  readonly expiresAt: number;
}

/** Keystone could not be asked (down, timed out, or answered something unexpected). */
export class IdentityUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentityUnavailableError';
  }
}

/** Something that tells whether a token is valid: null when it is not. */
export interface TokenValidator {
  validate(token: string): Promise<TokenIdentity | null>;
}

// A service token this close to its expiry is replaced before use.
const SERVICE_TOKEN_MARGIN_MS = 30_000;

type Json = Record<string, unknown>;

function rec(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** The v3 endpoint for a configured `auth_url`, which operators often give without `/v3`. */
export function identityV3(authUrl: string): string {
  const trimmed = authUrl.replace(/\/+$/, '');
  return /\/v3$/.test(trimmed) ? trimmed : `${trimmed}/v3`;
}

/** Reads the `token` object of a Keystone token response. */
export function identityOf(body: unknown): TokenIdentity | null {
  const token = rec(rec(body).token);
  const user = rec(token.user);
  const project = rec(token.project);
  const userId = str(user.id);
  const expiresAt = Date.parse(String(token.expires_at));
  if (userId === null || Number.isNaN(expiresAt)) return null;
  const roles = Array.isArray(token.roles) ? token.roles.map((r) => str(rec(r).name)).filter((r): r is string => r !== null) : [];
  return { userId, userName: str(user.name), projectId: str(project.id), projectName: str(project.name), roles, expiresAt };
}

/** The part of a fetch answer the validator reads (Node's fetch and undici's agree on it). */
export interface KeystoneAnswer {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** How requests reach Keystone: Node's fetch, or undici's with the TLS settings of `[keystone_authtoken]`. */
export type KeystoneFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string | undefined; signal: AbortSignal },
) => Promise<KeystoneAnswer>;

/** Talks to Keystone v3 over HTTP. */
export class KeystoneTokenValidator implements TokenValidator {
  private readonly endpoint: string;
  private serviceToken: { value: string; expiresAt: number } | null = null;
  private pendingServiceToken: Promise<string> | null = null;

  constructor(
    private readonly service: ServiceCredentials,
    /** Bound of every call to Keystone. */
    private readonly timeoutMs = 10_000,
    private readonly send: KeystoneFetch = fetch,
  ) {
    this.endpoint = identityV3(service.authUrl);
  }

  async validate(token: string): Promise<TokenIdentity | null> {
    let res = await this.check(token, await this.serviceTokenValue());
    if (res.status === 401 || res.status === 403) {
      // The service token was revoked or expired early: get a new one and ask once more.
      this.serviceToken = null;
      res = await this.check(token, await this.serviceTokenValue());
    }
    // Keystone answers 404 for a subject token it does not accept; a 401 or 403 with a fresh
    // service token means Congress's own credentials are the problem, which no client can fix.
    if (res.status === 404) return null;
    if (res.status !== 200) throw new IdentityUnavailableError(`Keystone answered ${res.status} to a token validation`);
    const identity = identityOf(res.body);
    if (identity === null) throw new IdentityUnavailableError('Keystone answered a token validation without a user or expiry');
    return identity.expiresAt > Date.now() ? identity : null;
  }

  private check(token: string, serviceToken: string): Promise<{ status: number; body: unknown }> {
    return this.call('GET', '/auth/tokens', { 'X-Auth-Token': serviceToken, 'X-Subject-Token': token });
  }

  private async serviceTokenValue(): Promise<string> {
    const t = this.serviceToken;
    if (t !== null && t.expiresAt - SERVICE_TOKEN_MARGIN_MS > Date.now()) return t.value;
    // Concurrent requests share one authentication instead of each logging in.
    this.pendingServiceToken ??= this.authenticate().finally(() => (this.pendingServiceToken = null));
    return this.pendingServiceToken;
  }

  private async authenticate(): Promise<string> {
    const s = this.service;
    const body = {
      auth: {
        identity: { methods: ['password'], password: { user: { name: s.username, password: s.password, domain: { name: s.userDomainName } } } },
        scope: { project: { name: s.projectName, domain: { name: s.projectDomainName } } },
      },
    };
    const res = await this.call('POST', '/auth/tokens', { 'Content-Type': 'application/json' }, JSON.stringify(body));
    const value = res.headers.get('x-subject-token');
    if (res.status !== 201 || value === null) {
      throw new IdentityUnavailableError(`Keystone refused Congress's service credentials ([keystone_authtoken] username ${s.username}): HTTP ${res.status}`);
    }
    const expiresAt = identityOf(res.body)?.expiresAt ?? Date.now() + 60_000;
    this.serviceToken = { value, expiresAt };
    return value;
  }

  private async call(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: unknown; headers: KeystoneAnswer['headers'] }> {
    let res: KeystoneAnswer;
    try {
      res = await this.send(this.endpoint + path, { method, headers: { Accept: 'application/json', ...headers }, body, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      // fetch says only "fetch failed"; the cause names the refusal or the certificate problem.
      const cause = (err as Error & { cause?: unknown }).cause;
      const why = cause instanceof Error ? `${(err as Error).message}: ${cause.message}` : (err as Error).message;
      throw new IdentityUnavailableError(`Keystone at ${this.endpoint} cannot be reached: ${why}`);
    }
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      parsed = null;
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }
}

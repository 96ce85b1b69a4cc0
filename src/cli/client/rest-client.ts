/**
 * A plain HTTP client for the Congress REST API v1, as the `congress` subcommands use it. It
 * knows paths and bodies, not the server: errors come back as the typed failures below so the
 * command line can print them the way python-congressclient does and pick an exit code.
 */
import { parseJson, stringifyJson, type JsonValue } from '../../datalog/json';

/** The part of a fetch answer the client reads (Node's fetch and undici's agree on it). */
interface Answer {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** What a request is sent with. */
interface Sending {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  readonly signal: AbortSignal;
}

type Fetch = (url: string, init: Sending) => Promise<Answer>;

/** Where the server is and how to authenticate. */
export interface ClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:1789` (a trailing `/` or `/v1` is tolerated). */
  readonly url: string;
  /** Sent as `X-Auth-Token` when set. */
  readonly token?: string;
  /** Per-request deadline in milliseconds. */
  readonly timeoutMs?: number;
  /** PEM bundle of the certificate authorities an https server's certificate must chain to. */
  readonly caBundle?: Buffer;
  /** Skip verifying an https server's certificate (`--insecure`). */
  readonly insecure?: boolean;
}

/** The server answered with an error status; `message` is Congress's error message. */
export class ApiCallError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errorCode: number | null,
    readonly requestId: string | null,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }

  /** The line python-congressclient (through keystoneauth) prints for this error. */
  describe(): string {
    const id = this.requestId === null ? '' : ` (Request-ID: ${this.requestId})`;
    return `${this.message} (HTTP ${this.status})${id}`;
  }
}

/** The server could not be reached at all (refused, unknown host, timed out). */
export class ConnectionFailure extends Error {
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`cannot connect to Congress at ${url}: ${reason} (is congress-server running? set --os-url or CONGRESS_URL)`);
    this.name = 'ConnectionFailure';
  }
}

/** The client did something the API cannot answer, e.g. a name that matches nothing. */
export class ClientFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientFailure';
  }
}

/**
 * A JSON document as the API sends and receives it, with Python's numbers: a float stays a
 * boxed `Float` (the server's `1.0` prints as `1.0`, as the python client prints it), and big
 * integers keep every digit.
 */
export type Json = JsonValue;

type Query = Record<string, string | boolean | undefined>;

/** Percent-encodes one path segment (names may contain anything the server accepts). */
export const seg = (s: string): string => encodeURIComponent(s);

function queryString(q: Query | undefined): string {
  if (q === undefined) return '';
  const parts = Object.entries(q)
    .filter((e): e is [string, string | boolean] => e[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'boolean' ? (v ? 'True' : 'False') : v)}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'certificate verify failed: self-signed certificate (use --os-cacert FILE, or --insecure)',
  SELF_SIGNED_CERT_IN_CHAIN: 'certificate verify failed: self-signed certificate in chain (use --os-cacert FILE, or --insecure)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate verify failed: unknown issuer (use --os-cacert FILE, or --insecure)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate verify failed: unknown issuer (use --os-cacert FILE, or --insecure)',
  CERT_HAS_EXPIRED: 'certificate verify failed: certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: "certificate verify failed: the certificate does not name this host",
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
};

/**
 * Why fetch failed, from undici's cause chain, or null when it is not a connection problem.
 * Duck-typed: fetch's errors come from Node's own realm, where `instanceof Error` may not hold.
 */
function connectionReason(err: unknown): string | null {
  const fields = (e: unknown): { name?: unknown; message?: unknown; code?: unknown; cause?: unknown } =>
    typeof e === 'object' && e !== null ? (e as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown }) : {};
  const top = fields(err);
  if (top.name === 'TimeoutError' || top.name === 'AbortError') return 'no answer before the timeout';
  if (top.name !== 'TypeError') return null;
  let e: unknown = top.cause;
  let last = typeof top.message === 'string' ? top.message : 'fetch failed';
  for (let depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth++) {
    const f = fields(e);
    if (typeof f.code === 'string') return REASONS[f.code] ?? f.code;
    if (typeof f.message === 'string' && f.message !== '') last = f.message;
    e = f.cause;
  }
  return last;
}

/** Reads Congress's `{"error": {"message", "error_code"}}` body, or falls back to the status text. */
function errorFrom(status: number, statusText: string, text: string, requestId: string | null): ApiCallError {
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body === 'object' && body !== null && 'error' in body) {
      const e = (body as { error: unknown }).error;
      if (typeof e === 'object' && e !== null) {
        const { message, error_code: code } = e as { message?: unknown; error_code?: unknown };
        if (typeof message === 'string') return new ApiCallError(message, status, typeof code === 'number' ? code : null, requestId);
      }
    }
  } catch {
    // not JSON: the status text below says enough
  }
  return new ApiCallError(text.trim() === '' ? statusText : text.trim(), status, null, requestId);
}

/** One method per HTTP verb; bodies and answers are JSON. */
export class CongressClient {
  private readonly base: string;
  private fetcher: Promise<Fetch> | undefined;

  constructor(private readonly options: ClientOptions) {
    this.base = options.url.replace(/\/+$/, '').replace(/\/v1$/, '');
  }

  /** Sends a request and returns the parsed answer (`null` for an empty body). */
  async request(method: string, path: string, opts: { query?: Query; body?: Json; bodyText?: string } = {}): Promise<Json> {
    const url = this.base + path + queryString(opts.query);
    const headers: Record<string, string> = { Accept: 'application/json' };
    const body = opts.bodyText ?? (opts.body === undefined ? undefined : stringifyJson(opts.body));
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.options.token !== undefined && this.options.token !== '') headers['X-Auth-Token'] = this.options.token;
    let res: Answer;
    try {
      res = await (await this.fetchFunction())(url, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
      });
    } catch (err) {
      const reason = connectionReason(err);
      if (reason === null) throw err;
      throw new ConnectionFailure(this.base, reason);
    }
    const text = await res.text();
    if (!res.ok) throw errorFrom(res.status, res.statusText, text, res.headers.get('x-openstack-request-id'));
    if (text.trim() === '') return null;
    try {
      return parseJson(text);
    } catch {
      throw new ClientFailure(`${method} ${path}: the server answered with invalid JSON`);
    }
  }

  /**
   * Node's fetch, or undici's with an agent when certificate options are given (Node's fetch
   * takes none). undici is loaded only then: loading it costs a command about 60 ms of start-up.
   */
  private fetchFunction(): Promise<Fetch> {
    const { caBundle, insecure } = this.options;
    if (caBundle === undefined && insecure !== true) return Promise.resolve(fetch);
    this.fetcher ??= import('undici').then((undici) => {
      const dispatcher = new undici.Agent({ connect: { ca: caBundle, rejectUnauthorized: insecure !== true } });
      return (url: string, init: Sending) => undici.fetch(url, { ...init, dispatcher });
    });
    return this.fetcher;
  }

  /** `GET`. */
  get(path: string, query?: Query): Promise<Json> {
    return this.request('GET', path, { query });
  }

  /** `POST` with a JSON body. */
  post(path: string, body: Json, query?: Query): Promise<Json> {
    return this.request('POST', path, { body, query });
  }

  /** `PUT` with a JSON body. */
  put(path: string, body: Json): Promise<Json> {
    return this.request('PUT', path, { body });
  }

  /** `PUT` with JSON text sent as the user wrote it (a parse and re-serialisation would turn `1.0` into `1`). */
  putText(path: string, text: string): Promise<Json> {
    return this.request('PUT', path, { bodyText: text });
  }

  /** `DELETE`. */
  delete(path: string): Promise<Json> {
    return this.request('DELETE', path);
  }
}

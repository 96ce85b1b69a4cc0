/**
 * Upstream HTTP for drivers: every request has a timeout, idempotent GETs are retried on
 * connection errors and 502/503/504 with exponential back-off and jitter, bodies are decoded as
 * JSON, and every failure becomes an `UpstreamError` whose message names the method and URL
 * (never credentials).
 */
import { parseDataJson, requestJson } from '../../../datalog/json';

/** Tuning of upstream HTTP; every field has a production default. */
export interface HttpOptions {
  /** The fetch implementation (default: the global one). */
  readonly fetch?: TlsFetch;
  /** Per-request timeout; overrides the datasource's `request_timeout`. */
  readonly timeoutMs?: number;
  /** Delays before each retry of a GET (default 500 ms, 1000 ms: two retries). */
  readonly retryDelaysMs?: readonly number[];
  /** Random extra delay, as a fraction of each retry delay (default 0.2). */
  readonly jitter?: number;
  /** Upper bound on pages followed for one collection (default 1000). */
  readonly maxPages?: number;
}

/** What went wrong talking to an upstream service. */
export type UpstreamErrorKind = 'connection' | 'timeout' | 'http' | 'malformed' | 'auth' | 'endpoint' | 'aborted';

/** TLS settings for an upstream whose certificate Node's defaults (the system's CAs) do not cover. */
export interface UpstreamTls {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** The server's certificate is not verified. */
  readonly insecure: boolean;
}

/** What `fetchWithTls` gives: the part of fetch the HTTP clients here use. */
export type TlsFetch = (url: string, init: { method: string; headers: Record<string, string>; body: string | undefined; signal: AbortSignal; redirect?: 'follow' }) => Promise<Response>;

/**
 * Node's fetch, or undici's with an agent carrying the TLS settings (Node's own fetch takes
 * none). undici is loaded at the first call, and only when there are such settings.
 */
export function fetchWithTls(tls: UpstreamTls | null): TlsFetch {
  if (tls === null) return fetch;
  let ready: Promise<TlsFetch> | undefined;
  return (url, init) => {
    ready ??= import('undici').then((undici) => {
      const dispatcher = new undici.Agent({ connect: { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: !tls.insecure } });
      return (u, i) => undici.fetch(u, { ...i, dispatcher });
    });
    return ready.then((send) => send(url, init));
  };
}

/** A failed upstream call. */
export class UpstreamError extends Error {
  constructor(
    readonly kind: UpstreamErrorKind,
    message: string,
    /** HTTP status, when the upstream answered. */
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

/** A decoded response. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON, or null for an empty body. */
  readonly body: unknown;
  readonly text: string;
}

/** A request body already written as JSON text, sent as it is (numbers as the sender wrote them). */
export class JsonText {
  constructor(readonly text: string) {}
}

/** A request body sent as it is under its own content type (SOAP's XML). */
export class TextBody {
  constructor(
    readonly text: string,
    readonly contentType: string,
  ) {}
}

/** One request. */
export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  /** JSON (a value, or `JsonText`), a form (`URLSearchParams`, sent url-encoded), or a `TextBody`. */
  readonly body?: unknown;
  /** `text`: the answer is not JSON; `body` stays null and the caller reads `text`. */
  readonly decode?: 'json' | 'text';
  readonly signal?: AbortSignal;
  /** Answer statuses >= 400 instead of throwing (the caller handles 401 itself). */
  readonly acceptErrors?: boolean;
}

const RETRY_STATUSES = new Set([502, 503, 504]);

/** The first 200 characters of a body, for error messages. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? flat.slice(0, 200) + '…' : flat;
}

/** An error's own message, or its cause's (fetch's "fetch failed" hides the reason there). */
function causeOf(error: unknown): string {
  // Duck-typed: errors raised by Node's fetch may come from another realm, where instanceof fails.
  const messageOf = (e: unknown): string | undefined => (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string' ? (e as { message: string }).message : undefined);
  const cause = typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
  return messageOf(cause) ?? messageOf(error) ?? String(error);
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** Sends requests with the timeout and retry policy of one datasource. */
export class HttpClient {
  private readonly fetchImpl: TlsFetch;
  private readonly retryDelays: readonly number[];
  private readonly jitter: number;
  /** Page bound for collection listings. */
  readonly maxPages: number;

  constructor(
    /** Timeout of one request, in ms. */
    readonly timeoutMs: number,
    options: HttpOptions = {},
  ) {
    this.fetchImpl = options.fetch ?? fetch;
    this.retryDelays = options.retryDelaysMs ?? [500, 1000];
    this.jitter = options.jitter ?? 0.2;
    this.maxPages = options.maxPages ?? 1000;
    if (options.timeoutMs !== undefined) this.timeoutMs = options.timeoutMs;
  }

  /** Sends a request; GETs are retried on connection errors and 502/503/504. */
  async send(request: HttpRequest): Promise<HttpResponse> {
    const retries = request.method === 'GET' ? this.retryDelays : [];
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await this.once(request);
        if (RETRY_STATUSES.has(response.status) && attempt < retries.length) {
          await this.pause(retries[attempt], request.signal);
          continue;
        }
        if (response.status >= 400 && request.acceptErrors !== true) {
          throw new UpstreamError('http', `${request.method} ${request.url} returned HTTP ${response.status}: ${excerpt(response.text)}`, response.status);
        }
        return response;
      } catch (error) {
        if (error instanceof UpstreamError && error.kind === 'connection' && attempt < retries.length) {
          await this.pause(retries[attempt], request.signal);
          continue;
        }
        throw error;
      }
    }
  }

  private async pause(delay: number, signal: AbortSignal | undefined): Promise<void> {
    await sleep(delay + Math.random() * this.jitter * delay, signal);
    if (signal?.aborted === true) throw new UpstreamError('aborted', 'request abandoned: ' + causeOf(signal.reason));
  }

  private async once(request: HttpRequest): Promise<HttpResponse> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = request.signal === undefined ? timeout : AbortSignal.any([request.signal, timeout]);
    const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
    let payload: string | undefined;
    if (request.body instanceof TextBody) {
      payload = request.body.text;
      headers['Content-Type'] = request.body.contentType;
    } else if (request.body instanceof URLSearchParams) {
      payload = request.body.toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    } else if (request.body !== undefined) {
      payload = request.body instanceof JsonText ? request.body.text : requestJson(request.body);
      headers['Content-Type'] = 'application/json';
    }
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(request.url, { method: request.method, headers, body: payload, signal, redirect: 'follow' });
      text = await response.text();
    } catch (error) {
      if (timeout.aborted) throw new UpstreamError('timeout', `timeout after ${this.timeoutMs / 1000} s calling ${request.method} ${request.url}`);
      if (request.signal?.aborted === true) throw new UpstreamError('aborted', `request abandoned (${causeOf(request.signal.reason)}): ${request.method} ${request.url}`);
      throw new UpstreamError('connection', `Unable to establish connection to ${request.url}: ${causeOf(error)}`);
    }
    let body: unknown = null;
    if (request.decode !== 'text' && text.trim() !== '') {
      try {
        // Numbers as Python's json reads them: `"rxtx_factor": 1.0` stays a float, big integers exact.
        body = parseDataJson(text);
      } catch {
        if (response.status < 400) throw new UpstreamError('malformed', `malformed JSON from ${request.method} ${request.url}: ${excerpt(text)}`, response.status);
      }
    }
    return { status: response.status, headers: response.headers, body, text };
  }
}

/**
 * Congress's routing model (api.md §1.2): an ordered list of URL patterns, each a collection
 * or an element, anchored at both ends and matched against the whole path. Collections answer
 * GET (list), POST (create) and PUT (replace rows); elements answer GET, PUT, DELETE and POST
 * with `?action=`. Any other method is 501 `Method not supported`, as in the original (kept on
 * purpose: clients of the original expect it), with an `Allow` header as a courtesy.
 */
import type { ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { stringifyJson, type JsonValue } from '../datalog/json';
import type { EncodedAnswer } from './encoded-answer';
import { ApiError } from './errors';
import { checkContentType, parseBody } from './request-body';

/** What a handler sees of a request. */
export interface ApiRequest {
  /** Path parameters, re-quoted as the original passes them on (§1.2). */
  readonly params: Readonly<Record<string, string>>;
  /** One value per name, the last one given (as webob's `params.get`). */
  readonly query: URLSearchParams;
  /** `scheme://host[:port]` as the client addressed the server. */
  readonly origin: string;
  /** Absolute URL of the request without its query, the base of `Location` headers. */
  readonly url: string;
  /** The body of a creation or replacement: content type checked, JSON parsed. */
  json(): JsonValue;
  /** The body of an action: JSON parsed, content type not checked (as upstream). */
  actionJson(): JsonValue;
}

/** What a handler answers; no `body` means an empty body. */
export interface ApiReply {
  readonly status: number;
  readonly body?: JsonValue;
  /** The body already serialised (cached answers), with its gzip form; used instead of `body`. */
  readonly encoded?: EncodedAnswer;
  readonly location?: string;
}

/** The query parameters a handler reads, one schema per name. */
export type QuerySchema = z.ZodObject<Readonly<Record<string, z.ZodType>>>;

/**
 * A request handler of one route and method; `requestBody` and `query` are the schemas of what
 * it reads, published in the OpenAPI document (schemas/validate.ts attaches them).
 */
export type Handler = ((req: ApiRequest) => Promise<ApiReply>) & { readonly requestBody?: z.ZodType; readonly query?: QuerySchema };

/** A list URL. */
export interface CollectionRoute {
  readonly kind: 'collection';
  /** `/v1/policies/:policy/rules`: `:name` matches one path segment. */
  readonly path: string;
  readonly list?: Handler;
  readonly create?: Handler;
  /** Only datasource rows support replacing a whole collection. */
  readonly replace?: Handler;
}

/** An item URL. */
export interface ElementRoute {
  readonly kind: 'element';
  readonly path: string;
  readonly get?: Handler;
  readonly replace?: Handler;
  readonly remove?: Handler;
  /** `POST …?action=<name>` handlers by action name. */
  readonly actions?: Readonly<Record<string, Handler>>;
}

/** One entry of the route table. */
export type Route = CollectionRoute | ElementRoute;

/** A 200 with a JSON body. */
export function ok(body?: JsonValue): ApiReply {
  return { status: 200, body };
}

/** A 201 whose `Location` is the request URL plus the new object's id. */
export function created(req: ApiRequest, body: JsonValue, id: string): ApiReply {
  return { status: 201, body, location: `${req.url}/${id}` };
}

interface CompiledRoute {
  readonly route: Route;
  readonly regex: RegExp;
  readonly names: readonly string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((seg) => {
      if (!seg.startsWith(':')) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(seg.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { route, regex: new RegExp(`^${source}$`), names };
}

/**
 * Characters webob leaves unescaped when it re-quotes a path (its `PATH_SAFE` plus letters, digits
 * and `-._`): the original matches routes against that text, so `dz2:events` and `dz2%3Aevents`
 * both reach the handler as `dz2:events` (observed), while `ü` comes back as `%C3%BC`.
 */
const PATH_SAFE = "A-Za-z0-9_.\\-~/!$&'()*+,;=:@";
const ALWAYS_SAFE = new RegExp(`^[${PATH_SAFE}]*$`);
const SAFE_BYTE = new RegExp(`^[${PATH_SAFE}]$`);

/**
 * The bytes a path stands for: `%XX` escapes decoded, anything else taken as UTF-8. Byte-wise,
 * so an escape that is not valid UTF-8 (`%C3` alone) survives re-quoting unchanged, as in the
 * original, where the WSGI server hands the path on as bytes.
 */
function pathBytes(text: string): number[] {
  const out: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < text.length; ) {
    if (text[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 3;
      continue;
    }
    const cp = text.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    out.push(...encoder.encode(ch));
    i += ch.length;
  }
  return out;
}

function quoteBytes(bytes: readonly number[]): string {
  return bytes.map((b) => (b < 128 && SAFE_BYTE.test(String.fromCharCode(b)) ? String.fromCharCode(b) : '%' + b.toString(16).toUpperCase().padStart(2, '0'))).join('');
}

/** A path segment as the original's handlers see it: percent-decoded, then re-quoted. */
function requote(segment: string): string {
  // Most names and ids need no work; only escaped or non-ASCII segments are re-encoded.
  if (ALWAYS_SAFE.test(segment)) return segment;
  return quoteBytes(pathBytes(segment));
}

/**
 * The path the original routes on: decoded by its WSGI server (so `%2F` is a separator), runs
 * of slashes collapsed by paste's URL map (`/v1//policies` is the policy list, observed), then
 * re-quoted by webob. Query strings are left alone.
 */
export function routedPath(rawPath: string): string {
  if (ALWAYS_SAFE.test(rawPath) && !rawPath.includes('//')) return rawPath;
  const bytes = pathBytes(rawPath).filter((b, i, all) => b !== 0x2f || i === 0 || all[i - 1] !== 0x2f);
  return quoteBytes(bytes);
}

/** Express middleware: routes, authorisation and links all see the path the original routes on. */
export const normalizePath: RequestHandler = (req, _res, next) => {
  const q = req.url.indexOf('?');
  const rawPath = q < 0 ? req.url : req.url.slice(0, q);
  const routed = routedPath(rawPath);
  if (routed !== rawPath) req.url = routed + (q < 0 ? '' : req.url.slice(q));
  next();
};

function allowed(route: Route): string[] {
  if (route.kind === 'collection') {
    return [route.list && 'GET', route.create && 'POST', route.replace && 'PUT'].filter((m): m is string => typeof m === 'string');
  }
  return [route.get && 'GET', route.replace && 'PUT', route.remove && 'DELETE', 'POST'].filter((m): m is string => typeof m === 'string');
}

function pickHandler(route: Route, method: string, query: URLSearchParams): Handler | undefined {
  if (route.kind === 'collection') {
    if (method === 'GET') return route.list;
    if (method === 'POST') return route.create;
    if (method === 'PUT') return route.replace;
    return undefined;
  }
  if (method === 'GET') return route.get;
  if (method === 'PUT') return route.replace;
  if (method === 'DELETE') return route.remove;
  if (method !== 'POST') return undefined;
  const actions = query.getAll('action');
  if (actions.length === 0) throw new ApiError('missing_action');
  if (actions.length > 1) throw new ApiError('repeated_action');
  const wanted = actions[0].replace(/-/g, '_');
  const entry = Object.entries(route.actions ?? {}).find(([name]) => name.replace(/-/g, '_') === wanted);
  return entry?.[1];
}

/** A JSON body as sent: Congress's serialisation plus a newline. */
export function replyText(body: JsonValue): string {
  return stringifyJson(body) + '\n';
}

/**
 * Writes a JSON reply (or an empty one) with Congress's content type. Written with Node's own
 * response calls rather than express's `res.send`: every header is known here, and `send`'s
 * content negotiation, ETag and freshness work cost more than the rest of a cached read.
 */
export function sendReply(res: ServerResponse, reply: ApiReply, acceptsGzip = false): void {
  res.statusCode = reply.status;
  res.setHeader('Content-Type', 'application/json; charset=UTF-8');
  if (reply.location !== undefined) res.setHeader('Location', reply.location);
  const encoded = reply.encoded;
  let payload: string | Buffer;
  if (encoded !== undefined) {
    if (encoded.compressible) res.setHeader('Vary', 'Accept-Encoding');
    const gz = acceptsGzip ? encoded.gzipped() : undefined;
    if (gz !== undefined) res.setHeader('Content-Encoding', 'gzip');
    payload = gz ?? encoded.bytes;
  } else {
    payload = reply.body === undefined ? '' : replyText(reply.body);
  }
  res.setHeader('Content-Length', typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length);
  // Node drops the body of a HEAD answer itself and keeps Content-Length.
  res.end(payload);
}

/**
 * Query parameters as the original's handlers read them: webob's `params.get` answers the last
 * value of a repeated name (`?trace=false&trace=true` traces, observed). Only `action`, checked
 * before a handler runs, sees every value.
 */
function lastValues(params: URLSearchParams): URLSearchParams {
  const last = new Map<string, string>();
  for (const [k, v] of params) last.set(k, v);
  return new URLSearchParams([...last]);
}

function apiRequest(req: Request, params: Record<string, string>, full: URL): ApiRequest {
  const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  const raw = req.body instanceof Buffer ? req.body : undefined;
  return {
    params,
    query: lastValues(full.searchParams),
    origin,
    url: origin + full.pathname,
    json: () => {
      checkContentType(req.get('content-type'));
      return parseBody(raw);
    },
    actionJson: () => parseBody(raw),
  };
}

/** Express middleware that serves a route table; unmatched paths get the generic 404. */
export function routeTable(routes: readonly Route[]): RequestHandler {
  const compiled = routes.map(compile);
  return async (req, res) => {
    const path = req.path;
    for (const c of compiled) {
      const m = c.regex.exec(path);
      if (m === null) continue;
      if (req.method === 'OPTIONS') return sendOptions(res, c.route);
      const params: Record<string, string> = {};
      c.names.forEach((n, i) => (params[n] = requote(m[i + 1])));
      const full = new URL(req.url, 'http://placeholder');
      const query = full.searchParams;
      // HEAD is served as GET without a body (D21); Node drops the body of HEAD replies.
      const handler = pickHandler(c.route, req.method === 'HEAD' ? 'GET' : req.method, query);
      if (handler === undefined) {
        res.set('Allow', allowed(c.route).join(', '));
        throw new ApiError('method_not_supported');
      }
      const reply = await handler(apiRequest(req, params, full));
      return sendReply(res, reply, reply.encoded !== undefined && req.acceptsEncodings('gzip', 'identity') === 'gzip');
    }
    if (req.method === 'OPTIONS') return void res.status(200).end();
    throw new ApiError('route_not_found');
  };
}

function sendOptions(res: Response, route: Route): void {
  res.set('Allow', [...allowed(route), 'OPTIONS'].join(', '));
  res.status(200).end();
}

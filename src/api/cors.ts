/**
 * Cross-origin resource sharing from `[cors]`, with oslo.middleware's rules, which sat first in
 * the original's API pipeline: only a listed origin (or any, with `*`) gets CORS headers; a
 * preflight (`OPTIONS` with `Access-Control-Request-Method`) is allowed when its method is in
 * `allow_methods` and every requested header is in `allow_headers` or is a simple header.
 * Nothing is refused here: a request the policy does not cover just gets no CORS headers, and
 * the browser enforces the rest.
 */
import type { RequestHandler } from 'express';

/** The `[cors]` options. */
export interface CorsPolicy {
  readonly allowedOrigins: readonly string[];
  readonly allowCredentials: boolean;
  readonly exposeHeaders: readonly string[];
  /** Seconds; 0 sends no `Access-Control-Max-Age`. */
  readonly maxAge: number;
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
}

/** Headers a browser may always send (oslo.middleware's list). */
const SIMPLE_HEADERS = ['Accept', 'Accept-Language', 'Content-Type', 'Cache-Control', 'Content-Language', 'Expires', 'Last-Modified', 'Pragma'];

function headerList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** The middleware, or null when no origin is allowed (CORS off, as by default). */
export function corsHeaders(policy: CorsPolicy): RequestHandler | null {
  if (policy.allowedOrigins.length === 0) return null;
  const origins = new Set(policy.allowedOrigins);
  const permitted = new Set([...policy.allowHeaders, ...SIMPLE_HEADERS].map((h) => h.toUpperCase()));
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin === undefined) return next();
    const allowedAs = origins.has(origin) ? origin : origins.has('*') ? '*' : null;
    if (allowedAs === null) return next();
    if (req.method === 'OPTIONS') {
      const method = req.get('access-control-request-method');
      const requested = headerList(req.get('access-control-request-headers'));
      if (method === undefined || !policy.allowMethods.includes(method)) return next();
      if (!requested.every((h) => permitted.has(h.toUpperCase()))) return next();
      res.set('Vary', 'Origin');
      res.set('Access-Control-Allow-Origin', allowedAs);
      if (policy.allowCredentials) res.set('Access-Control-Allow-Credentials', 'true');
      if (policy.maxAge > 0) res.set('Access-Control-Max-Age', String(policy.maxAge));
      res.set('Access-Control-Allow-Methods', method);
      if (requested.length > 0) res.set('Access-Control-Allow-Headers', requested.join(','));
      return next();
    }
    res.set('Vary', 'Origin');
    res.set('Access-Control-Allow-Origin', allowedAs);
    if (policy.allowCredentials) res.set('Access-Control-Allow-Credentials', 'true');
    if (policy.exposeHeaders.length > 0) res.set('Access-Control-Expose-Headers', policy.exposeHeaders.join(','));
    next();
  };
}

/** Cross-cutting middleware: request ids, request logging, error answers. */
import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { ApiError, toApiError } from './errors';
import { sendReply } from './routing';

/** The logging the API needs; a winston logger fits it as is. */
export interface ApiLogger {
  info(message: string, meta?: Record<string, unknown>): unknown;
  error(message: string, meta?: Record<string, unknown>): unknown;
}

/** Told about every finished request, with its duration in seconds. */
export type RequestObserver = (req: Request, res: Response, seconds: number) => void;

/**
 * The start of every request: an `X-Openstack-Request-Id: req-<uuid>` (kept in
 * `res.locals`), and one `finish` listener that tells each observer (metrics, the request
 * log) — one listener and one clock read per request rather than one per concern.
 */
export function requestEnvelope(observers: readonly RequestObserver[]): RequestHandler {
  return (req, res, next) => {
    const id = `req-${randomUUID()}`;
    res.locals.requestId = id;
    res.setHeader('X-Openstack-Request-Id', id);
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      for (const observe of observers) observe(req, res, seconds);
    });
    next();
  };
}

/**
 * Runs `handlers` in order as one express layer. The router spends a few microseconds on each
 * layer of every request (path matching, parameter processing, prefix trimming): the API's
 * cross-cutting handlers apply to every path and each checks its own, so they need none of it.
 * Errors (passed to `next`, thrown, or a rejected promise) go to the layer after the chain.
 */
export function chain(handlers: readonly RequestHandler[]): RequestHandler {
  return (req, res, done) => {
    let i = 0;
    const next = (err?: unknown): void => {
      if (err !== undefined && err !== null) return done(err);
      const handler = handlers[i++];
      if (handler === undefined) return done();
      try {
        const result: unknown = handler(req, res, next);
        if (result instanceof Promise) result.then(undefined, done);
      } catch (e) {
        done(e);
      }
    };
    next();
  };
}

/** The request log: one line per request with method, path, status and duration. */
export function requestLog(log: ApiLogger): RequestObserver {
  return (req, res, seconds) => {
    const ms = seconds * 1000;
    log.info(`${req.method} ${req.originalUrl} ${res.statusCode} ${ms.toFixed(1)}ms`, {
      method: req.method,
      path: req.originalUrl,
      status: res.statusCode,
      duration_ms: Math.round(ms * 10) / 10,
      request_id: res.locals.requestId as unknown,
    });
  };
}

/** Body-parser failures by their `type` (oversized, aborted, bad encoding). */
function bodyParserError(err: unknown): ApiError | null {
  if (typeof err !== 'object' || err === null || !('type' in err)) return null;
  const type = (err as { type: unknown }).type;
  if (type === 'entity.too.large') return new ApiError('body_too_large');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new ApiError('unsupported_charset');
  if (type === 'request.aborted' || type === 'request.size.invalid' || type === 'stream.encoding.set') {
    return new ApiError('malformed_body', 'the request body could not be read');
  }
  return null;
}

/**
 * The last handler: known errors get Congress's body and status; anything else is logged
 * with its stack and answered with a bare 500 body — never a stack trace to the client.
 */
export function errorAnswer(log: ApiLogger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let e = toApiError(err) ?? bodyParserError(err);
    if (e === null) {
      log.error(`unexpected error in ${req.method} ${req.originalUrl}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`, {
        request_id: res.locals.requestId as unknown,
      });
      e = new ApiError('internal');
    }
    if (res.headersSent) return void res.end();
    sendReply(res, { status: e.status, body: e.body() });
  };
}

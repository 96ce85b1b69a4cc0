/**
 * Serves an express application without express's per-request prototype swap.
 *
 * `app.handle` re-parents every request and response (`Object.setPrototypeOf` onto the
 * application's `request` and `response` objects). V8 gives each swapped object a shape of its
 * own, and every property access Node's HTTP code and express then make on it leaves the fast
 * path: on the 2-vCPU bench machine with Node 20 that cost about 180 µs of CPU per request, more
 * than everything else a cached GET does (docs/benchmarks.md). Here the objects are born with
 * those prototypes instead — Node builds them from the classes the server is given — and the
 * rest of `app.handle` (the circular references, `res.locals`, the router) is done as it does.
 */
import http from 'node:http';
import type { Express } from 'express';
import { ApiError } from './errors';
import { sendReply } from './routing';

/** What express's router is at run time (its typings leave `handle` out). */
interface RequestRouter {
  handle(req: http.IncomingMessage, res: http.ServerResponse, done: (err?: unknown) => void): void;
}

function isRequestRouter(x: unknown): x is RequestRouter {
  return typeof x === 'function' && typeof (x as { handle?: unknown }).handle === 'function';
}

/** The server options and the listener that serve `app`. */
export interface ExpressServing {
  readonly options: Pick<http.ServerOptions, 'IncomingMessage' | 'ServerResponse'>;
  readonly listener: http.RequestListener;
}

/**
 * The classes and listener for `http.createServer(options, listener)` (or `https`). Routing,
 * middleware and every `req`/`res` helper behave as under `app.handle`; what no layer of the
 * application answers gets Congress's error body (404, or 500 for an error nothing handled).
 */
export function expressServing(app: Express): ExpressServing {
  class ApiIncomingMessage extends http.IncomingMessage {}
  class ApiServerResponse<R extends http.IncomingMessage = http.IncomingMessage> extends http.ServerResponse<R> {}
  // Set once, at start-up: the chain becomes instance → (empty) class prototype → the app's
  // request/response object → express's helpers → Node's prototypes, as after `app.handle`.
  Object.setPrototypeOf(ApiIncomingMessage.prototype, app.request);
  Object.setPrototypeOf(ApiServerResponse.prototype, app.response);
  const router: unknown = app.router;
  if (!isRequestRouter(router)) throw new TypeError('this express version has no router.handle to serve the application with');
  const listener: http.RequestListener = (req, res) => {
    const request = req as http.IncomingMessage & { res?: http.ServerResponse };
    const response = res as http.ServerResponse & { req: http.IncomingMessage; locals?: Record<string, unknown> };
    request.res = res;
    response.req = req;
    response.locals = Object.create(null) as Record<string, unknown>;
    router.handle(req, res, (err?: unknown) => {
      if (res.headersSent) return void res.end();
      const error = new ApiError(err === undefined || err === null || err === 'route' || err === 'router' ? 'route_not_found' : 'internal');
      sendReply(res, { status: error.status, body: error.body() });
    });
  };
  return { options: { IncomingMessage: ApiIncomingMessage, ServerResponse: ApiServerResponse }, listener };
}

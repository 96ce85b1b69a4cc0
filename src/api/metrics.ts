/**
 * Prometheus metrics of one API process: requests by method, route template and status
 * (count and latency), the Node.js process metrics, and build information. Labels are route
 * templates, never raw paths, so policy names and ids cannot blow up the series count.
 */
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { RouteIndex } from './auth/operations';
import type { RequestObserver } from './middleware';
import type { Route } from './routing';

/** What the build-info series says about this process. */
export interface BuildInfo {
  readonly version: string;
  readonly nodeId: string;
}

/** Paths served outside the route table that get their own label. */
const OWN_LABELS = new Set(['/', '/v1', '/v1/', '/livez', '/healthz', '/readyz', '/metrics']);

/** Latency buckets (seconds): from a cached read to a slow rule insert under the table lock. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The API's metrics and the middleware that records and serves them. */
export class ApiMetrics {
  /** Every series of this process (a registry of its own: several servers can share a process in tests). */
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly latency: Histogram<'method' | 'route' | 'status'>;
  private readonly engineTime: Histogram<'operation' | 'outcome'>;

  constructor(build: BuildInfo) {
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'congress_http_requests_total',
      help: 'API requests answered, by method, route template and status.',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'congress_http_request_duration_seconds',
      help: 'Time from receiving an API request to finishing its answer, by method, route template and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.engineTime = new Histogram({
      name: 'congress_engine_operation_duration_seconds',
      help: 'Time the policy engine takes per operation (query, simulate, rule insert with its database write...), by outcome.',
      labelNames: ['operation', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    new Gauge({
      name: 'congress_build_info',
      help: 'Always 1; the labels say which Congress-TS build and node this is.',
      labelNames: ['version', 'node_id'],
      registers: [this.registry],
    }).set({ version: build.version, node_id: build.nodeId }, 1);
  }

  /** Counts and times every finished request (an observer of the request envelope). */
  observer(routes: readonly Route[]): RequestObserver {
    const index = new RouteIndex(routes);
    return (req, res, seconds) => {
      const path = req.path;
      const route = OWN_LABELS.has(path) ? path : (index.match(path)?.template ?? (path.startsWith('/v1/') ? 'unmatched' : 'versions'));
      const labels = { method: req.method, route, status: String(res.statusCode) };
      this.requests.inc(labels);
      this.latency.observe(labels, seconds);
    };
  }

  /**
   * The engine as the API sees it, with every call timed under the method's name. The API
   * calls the engine only through its interface, so the label set is that interface's methods.
   */
  timeEngine<T extends object>(engine: T): T {
    const histogram = this.engineTime;
    return new Proxy(engine, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        // `generation` is a counter read twice per rows request, not an operation to time.
        if (typeof value !== 'function' || typeof prop !== 'string' || prop === 'generation') return value;
        return (...args: unknown[]): unknown => {
          const end = histogram.startTimer({ operation: prop });
          let result: unknown;
          try {
            result = Reflect.apply(value, target, args);
          } catch (err) {
            end({ outcome: 'error' });
            throw err;
          }
          if (!(result instanceof Promise)) {
            end({ outcome: 'ok' });
            return result;
          }
          return result.then(
            (v: unknown) => (end({ outcome: 'ok' }), v),
            (err: unknown) => {
              end({ outcome: 'error' });
              throw err;
            },
          );
        };
      },
    });
  }

  /** Serves `GET /metrics` in the Prometheus text format; passes every other request on. */
  readonly expose: RequestHandler = (req, res, next) => {
    // Synchronous until the path matches: every API request passes through here.
    if (req.path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    this.registry.metrics().then((text) => void res.status(200).set('Content-Type', this.registry.contentType).send(text), next);
  };
}

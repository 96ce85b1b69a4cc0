/**
 * The Congress REST API v1 as one express application: versions, health, and the route table
 * of policies, rules, tables, rows, library policies, datasources and drivers.
 */
import express, { type Express, type RequestHandler } from 'express';
import type { LibraryApi, PolicyEngineApi } from '../services/engine/types';
import type { ApiAuth } from './auth';
import type { DatasourceApi } from './datasource-api';
import { healthRoutes, type HealthProbe } from './health';
import { openApiRoute } from './openapi';
import { auditWrites, type WriteAudit } from './audit';
import { corsHeaders, type CorsPolicy } from './cors';
import { revisionHeaders, type RevisionGate } from './revision';
import { chain, errorAnswer, requestEnvelope, requestLog, type ApiLogger } from './middleware';
import type { ApiMetrics } from './metrics';
import { datasourceRoutes } from './routes/datasources';
import { libraryRoutes } from './routes/library';
import { policyRoutes } from './routes/policies';
import { ruleRoutes } from './routes/rules';
import { tableRoutes } from './routes/tables';
import { normalizePath, routeTable, type Route } from './routing';
import { versionChoices, versionDocument } from './versions';

/** Default of `[oslo_middleware] max_request_body_size` (bytes). */
export const DEFAULT_MAX_BODY_BYTES = 114688;

/** What the API application is built from. */
export interface ApiDependencies {
  readonly engine: PolicyEngineApi;
  readonly library: LibraryApi;
  readonly datasources: DatasourceApi;
  readonly logger: ApiLogger;
  /** Serves `/livez`, `/healthz`, `/readyz` when given. */
  readonly health?: HealthProbe;
  /** Larger request bodies are refused with 413. */
  readonly maxBodyBytes?: number;
  /** Honour `X-Forwarded-Proto`/`Forwarded` for links (`enable_proxy_headers_parsing`). */
  readonly trustProxy?: boolean;
  /** Authentication and authorisation of `/v1` (and `/metrics`); none = noauth. */
  readonly auth?: ApiAuth;
  /** Records request metrics and serves `GET /metrics` when given. */
  readonly metrics?: ApiMetrics;
  /** Product version, shown in `/v1/openapi.json`. */
  readonly version?: string;
  /** Revision headers (read-your-writes across replicas, docs/replication.md) when given. */
  readonly revisions?: RevisionGate;
  /** Receives an audit record of every write request. */
  readonly audit?: (entry: WriteAudit) => void;
  /** `[cors]`: CORS headers for the origins it allows (none by default). */
  readonly cors?: CorsPolicy;
}

/** Every route of `/v1`, in matching order. */
export function apiRoutes(deps: Pick<ApiDependencies, 'engine' | 'library' | 'datasources'>): Route[] {
  return [
    ...policyRoutes(deps.engine),
    ...ruleRoutes(deps.engine),
    ...tableRoutes(deps.engine),
    ...datasourceRoutes(deps.datasources, deps.engine),
    ...libraryRoutes(deps.library),
  ];
}

/** Builds the application; it holds no state of its own. */
export function createApiApp(deps: ApiDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', deps.trustProxy === true);
  const routes = apiRoutes(deps);
  const observers = [requestLog(deps.logger)];
  if (deps.metrics !== undefined) observers.unshift(deps.metrics.observer(routes));
  // Bodies are read as bytes: the route decides whether to check the content type (§1.3).
  // Reads never carry one that matters, so they skip the body reader altogether.
  const readBody = express.raw({ type: () => true, limit: deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES });
  const handlers: RequestHandler[] = [normalizePath, requestEnvelope(observers)];
  // Before authentication, as in the original's pipeline: a preflight carries no token.
  const cors = deps.cors === undefined ? null : corsHeaders(deps.cors);
  if (cors !== null) handlers.push(cors);
  if (deps.health !== undefined) handlers.push(healthRoutes(deps.health));
  if (deps.auth !== undefined) handlers.push(deps.auth.guard(routes));
  if (deps.revisions !== undefined) handlers.push(revisionHeaders(deps.revisions));
  if (deps.audit !== undefined) handlers.push(auditWrites(routes, deps.audit));
  if (deps.metrics !== undefined) handlers.push(deps.metrics.expose);
  handlers.push(
    openApiRoute(routes, deps.version ?? 'dev'),
    versionChoices,
    versionDocument,
    (req, res, next) => (req.method === 'GET' || req.method === 'HEAD' ? next() : readBody(req, res, next)),
    routeTable(routes),
  );
  // One layer: express's per-layer routing work would be repeated for each of these.
  app.use(chain(handlers));
  app.use(errorAnswer(deps.logger));
  return app;
}

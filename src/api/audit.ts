/**
 * The audit trail of API writes: every request that creates, changes, deletes or executes
 * something is recorded once its answer is sent — who (from the authenticated identity), what
 * (the operation and path), the outcome (status) and the revision the node's engine then
 * reflected. Reads and simulate (which changes nothing) are not recorded.
 */
import type { RequestHandler } from 'express';
import type { Credentials } from './auth/policy-rules';
import { operationName, RouteIndex } from './auth/operations';
import type { Route } from './routing';

/** One audit record of a write. */
export interface WriteAudit {
  readonly type: 'write';
  readonly time: string;
  readonly request_id: string | null;
  readonly user: string | null;
  readonly project: string | null;
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly revision: number | null;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Middleware recording every write request's outcome with `record`. */
export function auditWrites(routes: readonly Route[], record: (entry: WriteAudit) => void): RequestHandler {
  const matcher = new RouteIndex(routes);
  return (req, res, next) => {
    if (!WRITES.has(req.method)) return next();
    const route = matcher.match(req.path);
    const query = new URL(req.originalUrl, 'http://placeholder').searchParams;
    const operation = route === null ? null : operationName(route, req.method, query);
    if (operation === null || operation.startsWith('simulate_')) return next();
    res.on('finish', () => {
      const identity = res.locals.identity as Credentials | undefined;
      const revision = Number(res.getHeader('x-congress-revision'));
      record({
        type: 'write',
        time: new Date().toISOString(),
        request_id: typeof res.locals.requestId === 'string' ? res.locals.requestId : null,
        user: identity === undefined ? null : (identity.userName ?? identity.userId),
        project: identity === undefined ? null : (identity.projectName ?? identity.projectId),
        operation,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        revision: Number.isFinite(revision) ? revision : null,
      });
    });
    next();
  };
}

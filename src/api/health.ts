/**
 * Health endpoints (ha.md §8.3), unauthenticated and answered without touching the bus:
 * `/livez` (and its alias `/healthz`) while the event loop answers, `/readyz` only when the
 * node can serve requests.
 */
import type { RequestHandler } from 'express';
import type { JsonValue } from '../datalog/json';
import { sendReply } from './routing';

/** What the health endpoints report. */
export interface HealthProbe {
  /** Identity and state for the liveness answer. */
  live(): { [key: string]: JsonValue };
  /** Runs the readiness checks; `ready` false answers 503. */
  ready(): Promise<{ ready: boolean; body: { [key: string]: JsonValue } }>;
}

/** Serves `/livez`, `/healthz` and `/readyz`; passes every other path on. */
export function healthRoutes(probe: HealthProbe): RequestHandler {
  // Not an async function: every API request passes through here, and a promise per request
  // is work for nothing on all but the readiness path.
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path === '/livez' || req.path === '/healthz') {
      return sendReply(res, { status: 200, body: { status: 'ok', ...probe.live() } });
    }
    if (req.path !== '/readyz') return next();
    probe.ready().then(
      (r) => sendReply(res, { status: r.ready ? 200 : 503, body: { status: r.ready ? 'ready' : 'not ready', ...r.body } }),
      next,
    );
  };
}

/**
 * Read-your-writes across replicated engines. Every response says which store revision the
 * node's engine reflects (`X-Congress-Revision`, read when the response head is written, so a
 * write's answer includes the write itself). A request with `X-Congress-Min-Revision: N` is
 * held until this node reflects N — a client that wrote through one node then reads what it
 * wrote through any other — or answered with a Congress 503 after a bounded wait.
 */
import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { ApiError } from './errors';

/** The revision a response reports. */
export const REVISION_HEADER = 'X-Congress-Revision';
/** The revision a request needs the node to reflect before it is served. */
export const MIN_REVISION_HEADER = 'X-Congress-Min-Revision';
/** Default longest wait for `X-Congress-Min-Revision` (`[engine] revision_wait_timeout`). */
export const DEFAULT_MIN_REVISION_WAIT_MS = 5000;

/** What the middleware needs from the node's engine. */
export interface RevisionGate {
  /** The revision the engine reflects now. */
  revision(): number;
  /** Resolves true once the engine reflects `revision` (syncing meanwhile), false after `timeoutMs`. */
  reach(revision: number, timeoutMs: number): Promise<boolean>;
  /** Longest wait for `X-Congress-Min-Revision`; default `DEFAULT_MIN_REVISION_WAIT_MS`. */
  readonly waitMs?: number;
}

/** Sets the revision header on `res` at the moment its head is written. */
function reportAtHead(res: ServerResponse, gate: RevisionGate): void {
  const writeHead = res.writeHead;
  // Wrapped rather than set now: a write's answer must carry the revision that includes it.
  res.writeHead = function (this: ServerResponse, ...args: unknown[]): ServerResponse {
    if (!this.headersSent) this.setHeader(REVISION_HEADER, String(gate.revision()));
    return Reflect.apply(writeHead, this, args) as ServerResponse;
  } as ServerResponse['writeHead'];
}

/** The middleware: revision on every response, `X-Congress-Min-Revision` honoured. */
export function revisionHeaders(gate: RevisionGate): RequestHandler {
  const waitMs = gate.waitMs ?? DEFAULT_MIN_REVISION_WAIT_MS;
  return (req, res, next) => {
    reportAtHead(res, gate);
    const wanted = req.get(MIN_REVISION_HEADER);
    if (wanted === undefined) return next();
    if (!/^\s*\d{1,15}\s*$/.test(wanted)) {
      return next(new ApiError('bad_request', `${MIN_REVISION_HEADER} must be a non-negative integer, not '${wanted}'`));
    }
    const revision = Number(wanted);
    if (gate.revision() >= revision) return next();
    gate.reach(revision, waitMs).then(
      (reached) => {
        if (reached) return next();
        next(
          new ApiError(
            'service_unavailable',
            `this node reflects revision ${gate.revision()}, not yet ${MIN_REVISION_HEADER} ${revision} (waited ${waitMs} ms); retry, or ask another node`,
          ),
        );
      },
      (err: unknown) => next(err),
    );
  };
}

/**
 * `auth_strategy = keystone` for the API: every `/v1/...` request (and `/metrics`) needs a valid
 * `X-Auth-Token`, and the operation it performs must be allowed by the policy rules. Version
 * documents, health endpoints and CORS preflights stay open. Identity comes from Keystone's
 * answer only; `X-Roles`/`X-User-Id` headers a client sends are never trusted.
 */
import type { RequestHandler, Response } from 'express';
import type { ApiLogger } from '../middleware';
import type { Route } from '../routing';
import { sendReply } from '../routing';
import type { OperationPolicy } from './enforcer';
import { IdentityUnavailableError, type TokenIdentity, type TokenValidator } from './keystone-tokens';
import { operationName, RouteIndex } from './operations';

/** What the API application needs from an authentication scheme. */
export interface ApiAuth {
  /** Middleware placed before the route table; `routes` are the routes it serves. */
  guard(routes: readonly Route[]): RequestHandler;
}

/** How the Keystone guard is built. */
export interface KeystoneGuardOptions {
  readonly validator: TokenValidator;
  readonly enforcer: OperationPolicy;
  /** Where clients get tokens: the `WWW-Authenticate: Keystone uri="..."` of every 401. */
  readonly wwwAuthenticateUri: string;
  readonly logger: ApiLogger;
}

/** Paths under the guard besides `/v1/...`, with the operation they perform. */
const GUARDED_EXTRAS: Readonly<Record<string, string>> = { '/metrics': 'get_metrics' };

/** The message of 401 answers (keystonemiddleware's wording). */
export const UNAUTHORIZED_MESSAGE = 'The request you have made requires authentication.';

function errorBody(message: string, code: number): { error: { message: string; error_code: number; error_data: null } } {
  return { error: { message, error_code: code, error_data: null } };
}

/** Builds the Keystone guard. */
export function keystoneAuth(options: KeystoneGuardOptions): ApiAuth {
  const { validator, enforcer, logger } = options;
  const challenge = `Keystone uri="${options.wwwAuthenticateUri}"`;
  const unauthorized = (res: Response): void => {
    res.set('WWW-Authenticate', challenge);
    sendReply(res, { status: 401, body: errorBody(UNAUTHORIZED_MESSAGE, 401) });
  };
  return {
    guard(routes) {
      const index = new RouteIndex(routes);
      return async (req, res, next) => {
        const path = req.path;
        const extra = GUARDED_EXTRAS[path];
        const underApi = path.startsWith('/v1/') && path !== '/v1/';
        if ((!underApi && extra === undefined) || req.method === 'OPTIONS') return next();
        // A scraper without a token is let in only where the operator opened the rule (`"get_metrics": "@"`).
        if (extra !== undefined && enforcer.isOpen(extra)) return next();
        const token = req.get('x-auth-token');
        if (token === undefined || token.trim() === '') return unauthorized(res);
        let identity: TokenIdentity | null;
        try {
          identity = await validator.validate(token.trim());
        } catch (err) {
          if (!(err instanceof IdentityUnavailableError)) throw err;
          logger.error(`token validation failed: ${err.message}`, { request_id: res.locals.requestId as unknown });
          return sendReply(res, { status: 503, body: errorBody('Service Unavailable::the identity service cannot validate tokens now', 503) });
        }
        if (identity === null) return unauthorized(res);
        // Kept for later middleware (request logs name the user).
        res.locals.identity = identity;
        const route = extra === undefined ? index.match(path) : null;
        const operation = extra ?? (route === null ? null : operationName(route, req.method, new URL(req.originalUrl, 'http://x').searchParams));
        // Unknown paths and handler-less requests answer 404/400/501 next without touching data.
        if (operation !== null && !enforcer.allows(operation, identity)) {
          logger.info(`policy denies ${operation} to user ${identity.userId} (roles ${identity.roles.join(',') || 'none'})`, {
            request_id: res.locals.requestId as unknown,
          });
          return sendReply(res, { status: 403, body: errorBody(`Policy doesn't allow ${operation} to be performed.`, 403) });
        }
        next();
      };
    },
  };
}

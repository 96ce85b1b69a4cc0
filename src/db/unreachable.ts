/**
 * Recognising "the database server cannot be reached or went away", as opposed to a database
 * that answers with an error. The first kind is worth waiting for: a node starting before its
 * database retries (`[database] max_retries`), and a request during an outage gets a 503 the
 * client can retry instead of an internal error.
 */

/** Driver error codes of an unreachable or vanished database server. */
const DATABASE_DOWN = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  // The database host's name does not resolve (yet): DNS comes up with the rest of a cluster.
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_CON_COUNT_ERROR',
  'ER_QUERY_INTERRUPTED',
  'SQLITE_BUSY',
]);

/**
 * The code of a "database down" error anywhere in an error's chain (typeorm wraps the driver's
 * error in `driverError`, others use `cause`), or null.
 */
export function databaseDownReason(err: unknown, depth = 0): string | null {
  if (depth > 4 || typeof err !== 'object' || err === null) return null;
  const e = err as { code?: unknown; driverError?: unknown; cause?: unknown; message?: unknown };
  if (typeof e.code === 'string' && DATABASE_DOWN.has(e.code)) return e.code;
  if (typeof e.message === 'string' && /Connection lost|Pool is closed|connect ECONNREFUSED/.test(e.message)) return 'connection lost';
  return databaseDownReason(e.driverError, depth + 1) ?? databaseDownReason(e.cause, depth + 1);
}

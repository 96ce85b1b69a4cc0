/**
 * The logging the datasource layer needs; a winston logger and the bus's `BusLogger` both fit.
 * Config values never go into log fields (they may hold secrets): log datasource names instead.
 */
export interface DatasourceLogger {
  debug(message: string, meta?: Record<string, unknown>): unknown;
  info(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
  error(message: string, meta?: Record<string, unknown>): unknown;
}

/** Discards everything (tests, tools). */
export const silentLogger: DatasourceLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

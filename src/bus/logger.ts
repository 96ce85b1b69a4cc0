// The bus logs through whatever the server hands it (winston in production); it never picks a
// logging library itself.

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** The minimal logger the bus writes to. */
export interface BusLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** A logger that drops everything; the default when none is given. */
export const silentLogger: BusLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

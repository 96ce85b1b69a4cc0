/**
 * The server's winston logger from the oslo.log options: level from `debug`, destinations from
 * `log_file`/`log_dir`, `use_syslog` and `use_stderr` (stderr when there is no other), and one
 * line per event as text or JSON (`use_json`, or `--log-format`).
 */
import path from 'node:path';
import winston from 'winston';
import type { CongressConfig } from './config';
import { BatchedLines, type LineSink } from './log-batch';
import { LogFile } from './log-file';
import { compileStrftime } from './strftime';
import { SyslogTransport } from './syslog';

/** How log lines are written. */
export type LogFormat = 'json' | 'text';

/** Options beyond the configuration file. */
export interface LoggerOptions {
  /** `--log-format`; defaults to JSON when `use_json` is set, text otherwise. */
  readonly format?: LogFormat;
  /** Added to every line (the node's identity). */
  readonly nodeId?: string;
}

const textLine = winston.format.printf((info) => {
  const { timestamp, level, message, ...rest } = info;
  // The message already says what the structured fields say; only the request id is added.
  const id = (rest as Record<string, unknown>).request_id;
  const suffix = typeof id === 'string' ? ` [${id}]` : '';
  return `${String(timestamp)} ${level.toUpperCase()} ${String(message)}${suffix}`;
});

/**
 * `winston.format.timestamp()` with the text kept for the millisecond: the server logs a line
 * per request, and under load many lines share a millisecond (formatting a Date each time was
 * about 2% of a busy server's CPU).
 */
function millisecondTimestamp(stamp: (now: number) => string): winston.Logform.Format {
  let ms = Number.NaN;
  let text = '';
  return winston.format((info) => {
    const now = Date.now();
    if (now !== ms) {
      ms = now;
      text = stamp(now);
    }
    info.timestamp = text;
    return info;
  })();
}

/**
 * The time stamp of a line: ISO-8601 UTC, or with `log_date_format` (text lines) that format in
 * local time followed by the milliseconds, as the original's default line format printed it.
 */
function stampOf(dateFormat: string | null | undefined, format: LogFormat): (now: number) => string {
  if (format === 'json' || dateFormat === null || dateFormat === undefined || dateFormat === '') return (now) => new Date(now).toISOString();
  const strftime = compileStrftime(dateFormat);
  return (now) => `${strftime(new Date(now))}.${String(now % 1000).padStart(3, '0')}`;
}

/** Lines to stderr or a file, one write per turn of the event loop (see log-batch.ts). */
function linesTransport(sink: LineSink): winston.transport {
  return new winston.transports.Stream({ stream: new BatchedLines(sink), eol: '\n' });
}

/** Builds the logger. */
export function createLogger(config: CongressConfig, options: LoggerOptions = {}): winston.Logger {
  const d = config.DEFAULT;
  const format = options.format ?? (d.use_json ? 'json' : 'text');
  // First: a wrong format stops start-up before anything is opened.
  const stamp = stampOf(d.log_date_format, format);
  const transports: winston.transport[] = [];
  const toFile = d.log_file !== null && d.log_file !== undefined && d.log_file !== '';
  // Checked first: a wrong syslog set-up fails start-up before a log file is created.
  if (d.use_syslog) transports.push(new SyslogTransport({ address: d.syslog_address, facility: d.syslog_log_facility }));
  if (toFile) {
    const file = d.log_dir ? path.resolve(d.log_dir, d.log_file as string) : path.resolve(d.log_file as string);
    transports.push(linesTransport(new LogFile(file, d.watch_log_file)));
  }
  // As oslo.log: stderr when asked, or when the lines would otherwise go nowhere. stdout is kept
  // for the one line that says where the server listens.
  if (d.use_stderr || (!toFile && !d.use_syslog)) transports.push(linesTransport(process.stderr));
  return winston.createLogger({
    level: d.debug ? 'debug' : 'info',
    defaultMeta: options.nodeId === undefined ? {} : { node_id: options.nodeId },
    format: winston.format.combine(
      millisecondTimestamp(stamp),
      format === 'json' ? winston.format.json() : textLine,
    ),
    transports,
  });
}

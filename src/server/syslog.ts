/**
 * `[DEFAULT] use_syslog`: log lines to the local syslog daemon, as oslo.log's syslog handler did,
 * with the facility of `syslog_log_facility`, the ident `congress-server` and each line's level
 * as its severity.
 *
 * Node.js cannot open the daemon's datagram socket (/dev/log) itself, so the lines go through
 * util-linux `logger` (Essential on Debian), started once: it reads lines that carry their
 * priority (`--prio-prefix`) and sends each as one datagram. While the daemon is down it drops
 * lines and goes on (`--socket-errors=off`), as syslog(3) does; a daemon that comes back gets the
 * next ones. If `logger` itself exits, it is started again, and meanwhile lines go to stderr.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import TransportStream from 'winston-transport';
import { BatchedLines, type LineSink } from './log-batch';

/** syslog(3) facility codes, by oslo.log's names without `LOG_`. */
const FACILITIES: Readonly<Record<string, number>> = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
};

/** syslog severities of winston's levels. */
const SEVERITY: Readonly<Record<string, number>> = { error: 3, warn: 4, info: 6, http: 6, verbose: 7, debug: 7, silly: 7 };

/** `LOG_LOCAL0`, `local0` or `Local0` (oslo.log accepts each) to its code; throws naming the valid ones. */
export function syslogFacility(name: string): number {
  const code = FACILITIES[name.trim().toLowerCase().replace(/^log_/, '')];
  if (code === undefined) {
    const valid = Object.keys(FACILITIES).map((f) => `LOG_${f.toUpperCase()}`);
    throw new Error(`syslog_log_facility ${JSON.stringify(name)}: must be one of ${valid.join(', ')}`);
  }
  return code;
}

/** The `<PRI>` prefix of a line at `level`. */
export function syslogPriority(facility: number, level: string): string {
  return `<${facility * 8 + (SEVERITY[level] ?? 6)}>`;
}

/** `logger` on the PATH; throws when there is none. */
function findLogger(): string {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(path.delimiter)) {
    const candidate = path.join(dir || '.', 'logger');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error('use_syslog needs the logger program of util-linux (Debian package bsdutils), which is not on the PATH');
}

/** The daemon's socket must be there at start-up, as the original's handler connected at once. */
function checkSocket(address: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(address);
  } catch (err) {
    throw new Error(`use_syslog: no syslog socket at ${address} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); start the syslog daemon or set syslog_address`);
  }
  if (!stat.isSocket()) throw new Error(`use_syslog: ${address} is not a socket; set syslog_address to the syslog daemon's socket`);
}

/**
 * The `logger` process, kept running; a line sink for `BatchedLines`.
 *
 * A syslog daemon that stops reading (stopped, or its queue full) blocks logger, and then the
 * pipe to it: lines beyond `maxPendingBytes` held for it are dropped and counted rather than
 * held without bound (syslog(3) would block the whole server instead). The count is logged once
 * logger reads again.
 */
export class LoggerProcess implements LineSink {
  private child: ChildProcess | null = null;
  private closed = false;
  private restartMs = 1000;
  private dropped = 0;

  constructor(
    private readonly command: string,
    private readonly args: readonly string[],
    /** Of the note that says how many lines were dropped. */
    private readonly facility: number,
    private readonly maxPendingBytes = 4 * 1024 * 1024,
  ) {
    this.start();
  }

  /** Lines dropped since logger last caught up. */
  get droppedLines(): number {
    return this.dropped;
  }

  /** Bytes written but not yet taken by logger. */
  get pendingBytes(): number {
    return this.child?.stdin?.writableLength ?? 0;
  }

  private start(): void {
    const child = spawn(this.command, this.args, { stdio: ['pipe', 'ignore', 'inherit'] });
    const startedAt = Date.now();
    let ended = false;
    const onEnd = (why: string): void => {
      if (ended) return;
      ended = true;
      if (this.child === child) this.child = null;
      if (this.closed) return;
      // A logger that ran a while before ending starts again at once; one that keeps failing, less often.
      this.restartMs = Date.now() - startedAt > 10_000 ? 1000 : Math.min(this.restartMs * 2, 30_000);
      process.stderr.write(`congress-server: syslog: logger ${why}; log lines go to stderr until it runs again (in ${this.restartMs / 1000} s)\n`);
      setTimeout(() => this.closed || this.start(), this.restartMs).unref();
    };
    child.once('error', (err) => onEnd(`could not run: ${err.message}`));
    child.once('exit', (code, signal) => onEnd(`exited (${signal ?? `code ${String(code)}`})`));
    // A write after logger died fails with EPIPE: the exit above handles it.
    child.stdin?.on('error', () => undefined);
    child.stdin?.on('drain', () => {
      if (this.dropped === 0) return;
      const note = `${syslogPriority(this.facility, 'warn')}WARN syslog: ${this.dropped} log lines dropped while the syslog daemon was not reading\n`;
      this.dropped = 0;
      child.stdin?.write(note);
    });
    // Logging must not keep a finished process alive.
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    this.child = child;
  }

  write(text: string): void {
    const stdin = this.child?.stdin;
    if (stdin?.writable !== true) {
      process.stderr.write(text.replace(/^<\d+>/gm, ''));
      return;
    }
    if (stdin.writableLength > this.maxPendingBytes) {
      this.dropped += text.split('\n').length - 1;
      return;
    }
    stdin.write(text);
  }

  close(): void {
    this.closed = true;
    this.child?.stdin?.end();
  }
}

/** What `use_syslog` needs. */
export interface SyslogOptions {
  /** The daemon's socket (`syslog_address`, /dev/log by default). */
  readonly address: string;
  /** `syslog_log_facility`, as configured. */
  readonly facility: string;
  readonly ident?: string;
}

/** A winston transport to syslog; its lines are the formatted lines of the other transports. */
export class SyslogTransport extends TransportStream {
  private readonly facility: number;
  private readonly process: LoggerProcess;
  private readonly lines: BatchedLines;

  /** Throws (before starting anything) when the facility is unknown, or logger or the socket is missing. */
  constructor(options: SyslogOptions) {
    super();
    this.facility = syslogFacility(options.facility);
    const command = findLogger();
    checkSocket(options.address);
    this.process = new LoggerProcess(command, ['--prio-prefix', '--socket-errors=off', '-u', options.address, '-t', options.ident ?? 'congress-server'], this.facility);
    this.lines = new BatchedLines(this.process);
  }

  override log(info: { level: string; [key: string | symbol]: unknown }, next: () => void): void {
    const pri = syslogPriority(this.facility, info.level);
    const text = String(info[Symbol.for('message')] ?? info.message);
    // logger reads one message per line: every line of a multi-line message keeps the priority.
    this.lines.write(pri + text.replaceAll('\n', '\n' + pri) + '\n');
    next();
  }

  override close(): void {
    this.lines.flush();
    this.lines.end();
    this.process.close();
  }
}

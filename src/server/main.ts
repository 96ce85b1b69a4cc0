/**
 * `congress-server`: command line, configuration, logging, start-up, and signal-driven
 * shutdown. Exit codes: 0 after a clean stop, 1 when start-up or shutdown failed, 2 for a
 * configuration or usage error.
 */
import type winston from 'winston';
import { configFromArgs, parseArgs } from './command-line';
import { ConfigError, type CongressConfig } from './config';
import type { CongressServer, Roles } from './congress-server';

// The server, database, bus and logging modules (typeorm, express, winston, ...) are loaded only
// once they are needed, so that `--help`, `--version` and configuration errors answer at once
// instead of after half a second of module loading.

/** The roles to run: the flags given, or all three when none is. */
export function rolesOf(config: CongressConfig): Roles {
  const d = config.DEFAULT;
  if (!d.api && !d.policy_engine && !d.datasources) return { api: true, policyEngine: true, datasources: true };
  return { api: d.api, policyEngine: d.policy_engine, datasources: d.datasources };
}

function fail(message: string, code: number): number {
  process.stderr.write(`congress-server: ${message}\n`);
  return code;
}

/**
 * A server outlives whoever reads its output: when the reader of stdout or stderr goes away
 * (`congress-server 2>&1 | head`, a log collector restarting), later writes are dropped instead
 * of an unhandled EPIPE ending the process. The original's logging swallows write errors too.
 */
export function outliveClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    stream.write = ((...args: unknown[]): boolean => {
      const done = args.find((a) => typeof a === 'function');
      if (typeof done === 'function') process.nextTick(done as () => void);
      return true;
    }) as typeof stream.write;
  });
}

/** Runs until stopped by a signal; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  let config: CongressConfig;
  let warnings: readonly string[];
  try {
    ({ config, warnings } = configFromArgs(args));
  } catch (err) {
    if (err instanceof ConfigError) return fail(`configuration error: ${err.message}`, 2);
    throw err;
  }
  if (args.dbUpgrade) {
    for (const w of warnings) process.stderr.write(`congress-server: warning: ${w}\n`);
    const { upgradeDatabase, upgradeSummary } = await import('./database');
    try {
      const report = await upgradeDatabase(config, undefined, (message) => process.stderr.write(`congress-server: ${message}\n`));
      process.stdout.write(`${upgradeSummary(config, report)}\n`);
      return 0;
    } catch (err) {
      return fail(`database upgrade failed: ${(err as Error).message}`, 1);
    }
  }
  outliveClosedPipe(process.stdout);
  outliveClosedPipe(process.stderr);
  const { createLogger } = await import('./logging');
  let logger: winston.Logger;
  try {
    logger = createLogger(config, { format: args.logFormat, nodeId: config.DEFAULT.node_id });
  } catch (err) {
    for (const w of warnings) process.stderr.write(`congress-server: warning: ${w}\n`);
    return fail(`configuration error: ${(err as Error).message}`, 2);
  }
  // Through the logger, so that they reach the log file or syslog the operator reads.
  for (const w of warnings) logger.warn(`configuration: ${w}`);
  return serve(config, logger);
}

async function serve(config: CongressConfig, logger: winston.Logger): Promise<number> {
  const roles = rolesOf(config);
  const [{ CongressServer, DEFAULT_SHUTDOWN }, { BrokerUnreachable, NodeIdInUse }, { redactConnectionUrl, SchemaError }] = await Promise.all([
    import('./congress-server'),
    import('../bus'),
    import('../db'),
  ]);
  let server: CongressServer;
  try {
    server = await CongressServer.start({ config, logger, roles });
  } catch (err) {
    const hint =
      err instanceof SchemaError
        ? ` — run: congress-server --db-upgrade ${config.sources.map((s) => `--config-file ${s}`).join(' ')}`.trimEnd()
        : err instanceof NodeIdInUse
          ? ' — stop the other process or give this one another --node-id'
          : err instanceof BrokerUnreachable
            ? ' — check [DEFAULT] transport_url and that the broker runs'
            : '';
    logger.error(`start-up failed: ${(err as Error).message}${hint}`);
    return fail(`start-up failed: ${(err as Error).message}${hint}`, 1);
  }
  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals++;
      if (signals > 1) {
        logger.warn(`${signal} again during shutdown: exiting now`);
        return resolve(1);
      }
      logger.info(`${signal} received: shutting down`);
      const { graceMs, forceMs } = DEFAULT_SHUTDOWN;
      // The second bound: whatever still hangs after grace + force does not keep the process.
      const force = setTimeout(() => {
        logger.error(`shutdown did not finish within ${graceMs + forceMs} ms: exiting`);
        resolve(1);
      }, graceMs + forceMs);
      force.unref();
      server.stop().then(
        () => {
          clearTimeout(force);
          resolve(0);
        },
        (err: unknown) => {
          clearTimeout(force);
          logger.error(`shutdown failed: ${(err as Error).message}`);
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    // Announced only once a signal is handled: whoever waits for this line (a supervisor, a
    // test) may stop the process at once, and an unhandled SIGTERM would kill it mid-write.
    process.stdout.write(`congress-server listening on ${server.url} (node ${config.DEFAULT.node_id}, database ${redactConnectionUrl(config.database.connection)})\n`);
  });
}

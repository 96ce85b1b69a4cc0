/**
 * The replicated topology on real processes for the replication system tests: one MariaDB
 * database, RabbitMQ with a random bus_id, a `--datasources` node and two
 * `--api --policy-engine` nodes, with the periodic sync at 60 s so that only announcements
 * and the revision headers can explain what a test sees. Stopped by PID.
 */
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../support/mariadb';
import { ensureRabbitMq, RABBIT_URL } from '../../support/rabbitmq';
import { configDirectory, runServer, startServer, type ServerProcess } from '../../support/server';

/** An HTTP answer with its revision header (NaN when absent). */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly revision: number;
  readonly headers: Headers;
}

/** One request; JSON in and out. */
export async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown), revision: Number(res.headers.get('x-congress-revision')), headers: res.headers };
}

/** A started cluster. */
export interface Cluster {
  readonly pe1: ServerProcess;
  readonly pe2: ServerProcess;
  readonly ds: ServerProcess;
  /** Starts another node (or a node again) on the cluster's configuration; stopped with the rest. */
  start(...args: string[]): Promise<ServerProcess>;
  stop(): Promise<void>;
}

/**
 * Starts the three nodes on a fresh database; `revision_wait_timeout` in seconds; `dse`: more
 * `[dse]` options; `sections`: further sections of the shared configuration file.
 */
export async function startCluster(revisionWaitTimeout = '1', dse: Record<string, string> = {}, sections: Record<string, Record<string, string>> = {}): Promise<Cluster> {
  await ensureRabbitMq();
  const db: TestDatabase = await createTestDatabase('congress_repl');
  const cfg = await configDirectory({
    DEFAULT: { transport_url: RABBIT_URL, rpc_response_timeout: '10', datasource_sync_period: '60' },
    engine: { policy_sync_period: '60', revision_wait_timeout: revisionWaitTimeout },
    database: { connection: db.url },
    dse: { bus_id: `repl-${randomUUID().slice(0, 8)}`, heartbeat_interval: '0.2', peer_timeout: '1', ...dse },
    ...sections,
  });
  const running: ServerProcess[] = [];
  const stop = async (): Promise<void> => {
    for (const p of running) if (p.child.exitCode === null && p.child.signalCode === null) await p.stop('SIGTERM');
    await cfg.remove();
    await db.drop();
  };
  try {
    const upgrade = await runServer({ args: ['--config-file', cfg.configFile, '--db-upgrade'] });
    if (upgrade.code !== 0) throw new Error(`--db-upgrade failed: ${upgrade.stderr}`);
    const start = async (...args: string[]): Promise<ServerProcess> => {
      const p = await startServer({ args: ['--config-file', cfg.configFile, ...args] });
      running.push(p);
      return p;
    };
    const ds = await start('--datasources', '--node-id', 'ds');
    const [pe1, pe2] = await Promise.all([start('--api', '--policy-engine', '--node-id', 'pe1'), start('--api', '--policy-engine', '--node-id', 'pe2')]);
    return { pe1, pe2, ds, start, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

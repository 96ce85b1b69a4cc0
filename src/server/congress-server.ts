/**
 * One congress-server process on one node: assembles the store, the policy engine, the library
 * and the REST API from the configuration, listens, and shuts down gracefully. Its
 * `Lifecycle` is the single source of truth for readiness and the exit code.
 */
import type http from 'node:http';
import express, { type Express } from 'express';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type winston from 'winston';
import type { ApiMetrics } from '../api/metrics';
import { createApiApp, expressServing, healthRoutes, type HealthProbe } from '../api';
import type { DseNode } from '../bus';
import type { JsonValue } from '../datalog/json';
import { redactConnectionUrl, type PolicyStore } from '../db';
import { BUILTIN_DRIVERS, DatasourceDirectory, DatasourceManager, DriverRegistry, JsonIngesters } from '../services/datasources';
import { PolicyEngineService, seedLibrary } from '../services/engine';
import { type ActionRetry, BusActionSink } from '../services/engine/bus-actions';
import { ChangeLogPruner } from '../services/engine/change-log-pruner';
import { DatasourceLink } from '../services/engine/datasource-link';
import { revisionGate } from '../services/engine/replication';
import { RevisionAnnouncer } from '../services/engine/revision-announcer';
import { apiAuthFromConfig, noauthWarning } from './auth';
import { type AuditLog, createAuditLog } from './audit';
import { BusDatasources } from './bus-datasources';
import { busKind, busLogger, createBusNode } from './bus-node';
import { effectiveOptions, type CongressConfig } from './config';
import { openNodeStore, replicationWarning } from './database';
import { Lifecycle } from './lifecycle';
import { apiMetricsFor, registerDatasourceGauges, registerNodeGauges } from './metrics';
import { createApiServer, tlsFilesOf } from './tls';

/** The roles a process plays (none given on the command line = all three). */
export interface Roles {
  readonly api: boolean;
  readonly policyEngine: boolean;
  readonly datasources: boolean;
}

/** How long shutdown may take. */
export interface ShutdownTimes {
  /** In-flight requests get this long to finish before their connections are closed. */
  readonly graceMs: number;
  /** After the grace time, this much longer before the process exits regardless. */
  readonly forceMs: number;
}

/** Default shutdown bounds: well inside Pacemaker's and systemd's usual stop timeouts. */
export const DEFAULT_SHUTDOWN: ShutdownTimes = { graceMs: 10_000, forceMs: 5_000 };

/** Everything a server is started from. */
export interface ServerOptions {
  readonly config: CongressConfig;
  readonly logger: winston.Logger;
  readonly roles: Roles;
  /** Directory relative paths of the configuration resolve against. */
  readonly baseDir?: string;
  readonly shutdown?: ShutdownTimes;
}

/** Why a configuration cannot be served by this build; null when it can. */
export function unsupportedSetup(config: CongressConfig, roles: Roles): string | null {
  if (roles.datasources && config.json_ingester.enable && (config.json_ingester.db_connection ?? '') === '') {
    return '[json_ingester] enable = true needs [json_ingester] db_connection, the PostgreSQL database the ingesters write to (e.g. postgresql://congress:pw@127.0.0.1/congress_json)';
  }
  if (isDatasourceNode(roles)) return null;
  if (!(roles.api && roles.policyEngine)) {
    // The API calls its engine in-process; an engine without an API would serve nobody.
    return 'the api and policy-engine roles run together: start congress-server with --api --policy-engine (and the datasource node with --datasources alone), or without role flags for all roles';
  }
  if (!roles.datasources && (config.DEFAULT.transport_url ?? '') === '') {
    return '--api --policy-engine without --datasources reaches the datasources over the message bus: set [DEFAULT] transport_url (e.g. rabbit://user:pw@host:5672/)';
  }
  return null;
}

/**
 * `--datasources` alone: the warm-standby datasource node that Pacemaker manages. It hosts the
 * datasource manager and the datasource services on the bus and answers its health endpoints only.
 */
export function isDatasourceNode(roles: Roles): boolean {
  return roles.datasources && !roles.api && !roles.policyEngine;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}

/** A started server. */
export class CongressServer {
  readonly lifecycle = new Lifecycle();
  /** This process incarnation (changes on every start). */
  readonly instance = randomUUID();
  private httpServer: http.Server | null = null;
  private store: PolicyStore | null = null;
  private engine: PolicyEngineService | null = null;
  private node: DseNode | null = null;
  private manager: DatasourceManager | null = null;
  private ingesters: JsonIngesters | null = null;
  private link: DatasourceLink | null = null;
  private pruner: ChangeLogPruner | null = null;
  private actions: BusActionSink | null = null;
  private audit: AuditLog | null = null;
  private stopping: Promise<void> | null = null;
  private scheme: 'http' | 'https' = 'http';
  private readonly log: winston.Logger;

  private constructor(private readonly options: ServerOptions) {
    this.log = options.logger;
    this.lifecycle.onChange((from, to) => this.log.info(`lifecycle ${from} -> ${to}`));
  }

  /** Starts a server; on failure everything opened so far is closed again and the error thrown. */
  static async start(options: ServerOptions): Promise<CongressServer> {
    const server = new CongressServer(options);
    try {
      await server.boot();
    } catch (err) {
      server.lifecycle.fail(err instanceof Error ? err : new Error(String(err)));
      await server.release();
      throw err;
    }
    return server;
  }

  /** Where the API listens. */
  get url(): string {
    const a = this.httpServer?.address() as AddressInfo | null;
    if (a === null || a === undefined) return '';
    const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return `${this.scheme}://${host}:${a.port}`;
  }

  private async boot(): Promise<void> {
    const { config, roles } = this.options;
    const why = unsupportedSetup(config, roles);
    if (why !== null) throw new Error(why);
    // Built first: a broken [keystone_authtoken] or policy file stops start-up before anything opens.
    const auth = roles.api ? apiAuthFromConfig(config, this.log) : undefined;
    const exposed = roles.api ? noauthWarning(config) : null;
    if (exposed !== null) this.log.warn(exposed);
    const sqliteReplicas = replicationWarning(config, this.options.baseDir);
    if (sqliteReplicas !== null) this.log.warn(sqliteReplicas);
    this.log.info(`starting node ${config.DEFAULT.node_id} (instance ${this.instance}); database ${redactConnectionUrl(config.database.connection)}`);
    if (this.log.isDebugEnabled()) for (const line of effectiveOptions(config)) this.log.debug(line);
    const store = await openNodeStore(config, this.options.baseDir, (message) => this.log.warn(message));
    this.audit = createAuditLog(config, this.options.baseDir ?? process.cwd());
    this.store = store;
    // Joining the bus claims the node id: a second process with the same id stops here.
    const node = createBusNode(config, this.log);
    this.node = node;
    await node.start();
    this.log.info(`joined bus '${config.dse.bus_id}' as node ${node.nodeId} (${busKind(config)})`);
    // One list of drivers for this node: its datasources and the API's driver listing.
    const drivers = new DriverRegistry(BUILTIN_DRIVERS, config.DEFAULT.disabled_drivers);
    if (roles.datasources) {
      this.manager = new DatasourceManager({
        node,
        store,
        registry: drivers,
        deleteMissingDrivers: config.DEFAULT.delete_missing_driver_datasources,
        logger: busLogger(this.log),
        syncPeriodMs: config.DEFAULT.datasource_sync_period * 1000,
        hooks: { created: () => this.link?.changed(), deleted: () => this.link?.changed() },
      });
      const report = await this.manager.start();
      this.log.info(`datasources started: ${report.started.join(', ') || 'none'}` + (Object.keys(report.failed).length > 0 ? `; failed: ${JSON.stringify(report.failed)}` : ''));
      if (config.json_ingester.enable) await this.startJsonIngesters(node);
    }
    if (isDatasourceNode(roles)) {
      const metrics = apiMetricsFor(config);
      const manager = this.manager;
      registerNodeGauges(metrics, { bus: () => node.status() });
      registerDatasourceGauges(metrics, () =>
        (manager?.running() ?? []).flatMap((name) => {
          const svc = manager?.service(name);
          if (svc === undefined) return [];
          const st = svc.driver.status([]);
          const success = st.last_success === null ? null : (Date.now() - Date.parse(st.last_success)) / 1000;
          const lastPoll = (svc.driver as { lastPollSeconds?: unknown }).lastPollSeconds;
          return [
            {
              name,
              updates: Number(st.number_of_updates),
              consecutiveFailures: st.consecutive_failures,
              secondsSinceSuccess: success,
              rows: st.row_counts,
              lastPollSeconds: typeof lastPoll === 'number' ? lastPoll : null,
            },
          ];
        }),
      );
      await this.listen(healthOnlyApp(this.healthProbe(), metrics));
      return;
    }
    // Replicas hear each other's writes at once (docs/replication.md); heard before the engine exists = nothing to sync.
    const announcer = await RevisionAnnouncer.join(node, (revision) => this.engine?.replica.syncSoon(revision), this.log);
    this.actions = new BusActionSink(node, {
      log: this.log,
      timeoutMs: config.DEFAULT.rpc_response_timeout * 1000,
      onOutcome: (o) => this.audit?.record({ type: 'action', time: new Date().toISOString(), ...o }),
      retry: actionRetry(config),
    });
    const started = await PolicyEngineService.start(store, {
      logger: this.log,
      allowRecursion: config.engine.allow_recursion,
      enableExecuteAction: config.DEFAULT.enable_execute_action,
      actions: this.actions,
      onRulesChanged: (datasources) => (datasources ? this.link?.changed() : this.link?.rulesChanged()),
      onCommitted: (revision) => announcer.announce(revision),
    });
    this.engine = started.engine;
    this.engine.replica.startPeriodic((config.engine.policy_sync_period ?? config.DEFAULT.datasource_sync_period) * 1000);
    this.pruner = new ChangeLogPruner(store, { keepSeconds: config.engine.change_log_keep_seconds, logger: this.log });
    this.pruner.start();
    const r = started.report;
    this.log.info(`engine loaded ${r.policies} policies and ${r.rules} rules (${r.skippedPolicies} policies and ${r.skippedRules} rules skipped)`);
    this.link = new DatasourceLink(store, this.engine.runtime, node, {
      logger: this.log,
      syncPeriodMs: (config.engine.policy_sync_period ?? config.DEFAULT.datasource_sync_period) * 1000,
    });
    await this.link.start();
    await seedLibrary(this.engine.library, config.DEFAULT.policy_library_path, this.log);

    const directory = new DatasourceDirectory(node, store, drivers, {
      longTimeoutMs: config.dse.long_timeout * 1000,
      timeoutMs: config.DEFAULT.rpc_response_timeout * 1000,
    });
    const metrics = apiMetricsFor(config);
    const engine = this.engine;
    registerNodeGauges(metrics, {
      runtime: engine.runtime,
      engineRevision: () => engine.replica.revision,
      databaseRevision: () => store.currentRevision(),
      bus: () => node.status(),
    });
    const app = createApiApp({
      engine: metrics.timeEngine(this.engine),
      library: this.engine.library,
      datasources: new BusDatasources(
        directory,
        node,
        store,
        async () => {
          // Answer a create only once this engine knows the schema: rules may use it right away.
          this.link?.changed();
          await this.link?.settled();
        },
        config.DEFAULT.rpc_response_timeout * 1000,
        config.json_ingester.enable,
      ),
      logger: this.log,
      health: this.healthProbe(),
      audit: (entry) => this.audit?.record(entry),
      maxBodyBytes: config.api.max_body_size,
      trustProxy: config.oslo_middleware.enable_proxy_headers_parsing,
      cors: {
        allowedOrigins: config.cors.allowed_origin,
        allowCredentials: config.cors.allow_credentials,
        exposeHeaders: config.cors.expose_headers,
        maxAge: config.cors.max_age,
        allowMethods: config.cors.allow_methods,
        allowHeaders: config.cors.allow_headers,
      },
      auth,
      metrics,
      revisions: revisionGate(this.engine, config.engine.revision_wait_timeout * 1000),
    });
    await this.listen(app);
  }

  private async startJsonIngesters(node: DseNode): Promise<void> {
    const { config, baseDir } = this.options;
    const at = (p: string): string => path.resolve(baseDir ?? process.cwd(), p);
    this.ingesters = await JsonIngesters.start({
      node,
      connection: config.json_ingester.db_connection ?? '',
      configPath: at(config.json_ingester.config_path),
      reusablesPath: at(config.json_ingester.config_reusables_path),
      enableExecuteAction: config.DEFAULT.enable_execute_action,
      log: busLogger(this.log),
    });
    const failed = Object.keys(this.ingesters.failed);
    const waiting = Object.keys(this.ingesters.pending());
    this.log.info(
      `JSON ingesters started: ${this.ingesters.names().join(', ') || 'none'}` +
        (failed.length > 0 ? `; failed: ${failed.join(', ')}` : '') +
        (waiting.length > 0 ? `; waiting for the database: ${waiting.join(', ')}` : ''),
    );
  }

  private async listen(app: Express): Promise<void> {
    const config = this.options.config;
    const tls = tlsFilesOf(config);
    const server = createApiServer(expressServing(app), tls);
    this.scheme = tls === null ? 'http' : 'https';
    if (config.DEFAULT.tcp_keepalive) {
      server.on('connection', (socket) => socket.setKeepAlive(true, config.DEFAULT.tcp_keepidle * 1000));
    }
    this.httpServer = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.DEFAULT.bind_port, config.DEFAULT.bind_host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.log.error(`HTTP server error: ${err.message}`));
    this.lifecycle.to('running');
  }

  private healthProbe(): HealthProbe {
    const roles = this.options.roles;
    const roleNames = [roles.api && 'api', roles.policyEngine && 'policy-engine', roles.datasources && 'datasources'].filter(
      (x): x is string => typeof x === 'string',
    );
    return {
      live: () => ({ node_id: this.options.config.DEFAULT.node_id, instance: this.instance, roles: roleNames, state: this.lifecycle.state }),
      ready: async () => {
        const checks: { [key: string]: JsonValue } = { lifecycle: this.lifecycle.state };
        let ok = this.lifecycle.serving;
        try {
          if (this.store === null) throw new Error('not open');
          const revision = await withTimeout(this.store.currentRevision(), 1000);
          checks.database = { ok: true, revision };
          const engine = this.engine;
          if (engine !== null) {
            // Synced to the latest known revision: a node that cannot catch up within half a
            // second (a sync is triggered) leaves the load balancer's rotation until it can.
            const synced = engine.replica.revision >= revision || (await engine.reach(revision, 500));
            if (!synced) ok = false;
            checks.engine = { ok: synced, revision: engine.replica.revision };
          }
        } catch (err) {
          ok = false;
          checks.database = { ok: false, error: (err as Error).message };
        }
        const bus = this.node?.status();
        if (bus === undefined || !bus.connected || bus.deaf) ok = false;
        checks.bus = bus === undefined ? { ok: false } : { ok: bus.connected && !bus.deaf, connected: bus.connected, deaf: bus.deaf, peers: bus.peers };
        if (this.link !== null) {
          // Tables whose publisher is absent do not hold readiness: policies stay servable while the datasource node is down.
          const subs = this.link.status();
          if (subs.pending.length > 0) ok = false;
          checks.subscriptions = { ok: subs.pending.length === 0, tables: subs.tables, synced: subs.synced, waiting_for_publisher: subs.waitingForPublisher, pending: [...subs.pending] };
        }
        if (this.manager !== null) checks.datasources = { running: this.manager.running() };
        // Informational, as datasources are: an ingester waiting for PostgreSQL does not take the node out of service.
        const ingesters = this.ingesters;
        if (ingesters !== null) {
          checks.json_ingesters = { running: ingesters.names(), waiting_for_database: Object.keys(ingesters.pending()), failed: Object.keys(ingesters.failed), poll_errors: ingesters.pollErrors() };
        }
        return { ready: ok, body: { node_id: this.options.config.DEFAULT.node_id, checks } };
      },
    };
  }

  /**
   * Graceful shutdown: stop accepting connections, let in-flight requests finish (closing
   * idle keep-alive connections as they become idle), force-close what is left after the
   * grace time, wait for engine writes, close the database. Idempotent.
   */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    const { graceMs } = this.options.shutdown ?? DEFAULT_SHUTDOWN;
    if (this.lifecycle.state === 'failed' || this.lifecycle.state === 'stopped') return this.release();
    if (this.lifecycle.state === 'starting' || this.lifecycle.state === 'running') this.lifecycle.to('stopping');
    const server = this.httpServer;
    if (server !== null) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      this.lifecycle.to('draining');
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
      server.closeIdleConnections();
      const how = await Promise.race([closed.then(() => 'closed' as const), graceOver]);
      clearTimeout(timer);
      clearInterval(idle);
      if (how === 'timeout') {
        this.log.warn(`requests still running after the ${graceMs} ms grace time: closing their connections`);
        server.closeAllConnections();
        await closed;
      }
    } else {
      this.lifecycle.to('draining');
    }
    await this.release();
    this.lifecycle.to('stopped');
  }

  /** Stops following tables, stops the datasources, waits for engine writes, leaves the bus, closes the database. */
  private async release(): Promise<void> {
    try {
      await this.link?.stop();
      await this.pruner?.stop();
      await this.manager?.stop();
      await this.ingesters?.stop();
      await this.engine?.replica.stop();
      await this.engine?.drain();
      this.actions?.close();
    } finally {
      const node = this.node;
      this.node = null;
      await node?.stop().catch((err: unknown) => this.log.warn(`leaving the bus failed: ${(err as Error).message}`));
      const store = this.store;
      this.store = null;
      await store?.close();
      const audit = this.audit;
      this.audit = null;
      await audit?.close();
    }
  }
}

/**
 * `[dse] execute_action_retry`: each try waits up to `long_timeout` for the datasource to run the
 * action, as the original's; the pause between tries grows from 0.2 s to 5 s (the original tried
 * again at once).
 */
export function actionRetry(config: CongressConfig): ActionRetry | undefined {
  if (!config.dse.execute_action_retry) return undefined;
  return {
    forMs: config.dse.execute_action_retry_timeout * 1000,
    attemptTimeoutMs: config.dse.long_timeout * 1000,
    pause: { initialMs: 200, maxMs: 5000 },
  };
}

/** An app answering only `/livez`, `/healthz`, `/readyz` and `/metrics`; everything else is a Congress 404. */
function healthOnlyApp(probe: HealthProbe, metrics: ApiMetrics): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRoutes(probe));
  app.use(metrics.expose);
  app.use((_req, res) => {
    res.status(404).json({ error: { message: 'The datasource node serves only /livez, /healthz, /readyz and /metrics', error_code: 404, error_data: null } });
  });
  return app;
}

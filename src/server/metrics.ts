/** Builds the API's Prometheus metrics for this process: build version and node id as labels. */
import fs from 'node:fs';
import path from 'node:path';
import { Gauge } from 'prom-client';
import { ApiMetrics } from '../api/metrics';
import type { NodeStatus } from '../bus';
import type { Runtime } from '../datalog/runtime/runtime';
import type { CongressConfig } from './config';

/** The version in the package.json above this file (sources or dist/), or `unknown`. */
export function buildVersion(start = __dirname): string {
  for (let dir = start; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof pkg === 'object' && pkg !== null && 'version' in pkg) return String((pkg as { version: unknown }).version);
  }
  return 'unknown';
}

/** The metrics of one API process. */
export function apiMetricsFor(config: CongressConfig): ApiMetrics {
  return new ApiMetrics({ version: buildVersion(), nodeId: config.DEFAULT.node_id });
}

/** What a node's state gauges read at scrape time (whatever of it this node runs). */
export interface NodeGaugeSources {
  readonly runtime?: Runtime;
  /** The revision the engine reflects. */
  readonly engineRevision?: () => number;
  /** The database's current revision (async: read at scrape time, bounded). */
  readonly databaseRevision?: () => Promise<number>;
  readonly bus?: () => NodeStatus;
}

/**
 * Gauges computed when Prometheus scrapes: rules and facts per policy, the engine's and the
 * database's revision (their difference is the replica's lag), and the bus link's state.
 */
export function registerNodeGauges(metrics: ApiMetrics, src: NodeGaugeSources): void {
  const registers = [metrics.registry];
  const runtime = src.runtime;
  if (runtime !== undefined) {
    new Gauge({
      name: 'congress_policy_rules',
      help: 'Rules stored in each policy',
      labelNames: ['policy'],
      registers,
      collect() {
        this.reset();
        for (const p of runtime.policyNames()) if (!p.startsWith('__')) this.set({ policy: p }, runtime.rulesOf(p).length);
      },
    });
    new Gauge({
      name: 'congress_policy_facts',
      help: 'Facts stored in each policy (datasource policies hold the datasource tables)',
      labelNames: ['policy'],
      registers,
      collect() {
        this.reset();
        for (const p of runtime.policyNames()) {
          if (p.startsWith('__')) continue;
          let n = 0;
          for (const pred of runtime.store.predicatesOf(p)) n += pred.facts.size;
          this.set({ policy: p }, n);
        }
      },
    });
  }
  const engineRevision = src.engineRevision;
  if (engineRevision !== undefined) {
    new Gauge({ name: 'congress_engine_revision', help: 'Policy revision the engine reflects', registers, collect() { this.set(engineRevision()); } });
  }
  const databaseRevision = src.databaseRevision;
  if (databaseRevision !== undefined) {
    new Gauge({
      name: 'congress_database_revision',
      help: 'Latest policy revision in the database (engine lag = this - congress_engine_revision)',
      registers,
      async collect() {
        try {
          this.set(await databaseRevision());
        } catch {
          // Database unreachable: leave the last value; readiness reports the outage.
        }
      },
    });
  }
  const bus = src.bus;
  if (bus !== undefined) {
    const read = (f: (s: NodeStatus) => number) =>
      function (this: Gauge) {
        this.set(f(bus()));
      };
    new Gauge({ name: 'congress_bus_connected', help: '1 when the link to the bus is up', registers, collect: read((s) => (s.connected ? 1 : 0)) });
    new Gauge({ name: 'congress_bus_deaf', help: '1 when the node receives nothing although connected', registers, collect: read((s) => (s.deaf ? 1 : 0)) });
    new Gauge({ name: 'congress_bus_peers', help: 'Live peer nodes on the bus', registers, collect: read((s) => s.peers) });
    new Gauge({ name: 'congress_bus_link_drops', help: 'Times the link to the bus dropped (since start)', registers, collect: read((s) => s.linkDrops) });
    new Gauge({ name: 'congress_bus_subscriptions', help: 'Table subscriptions of this node', registers, collect: read((s) => s.subscriptions) });
    new Gauge({ name: 'congress_bus_subscriptions_resyncing', help: 'Table subscriptions not in sync (resyncing)', registers, collect: read((s) => s.subscriptionsNotSynced) });
    new Gauge({ name: 'congress_bus_table_messages_published', help: 'Table snapshots and deltas this node published since start', registers, collect: read((s) => s.tablePublished) });
    new Gauge({ name: 'congress_bus_deltas_applied', help: 'Table deltas this node applied since start', registers, collect: read((s) => s.deltasApplied) });
    new Gauge({ name: 'congress_bus_snapshots_applied', help: 'Full table snapshots this node applied since start (first syncs and resyncs)', registers, collect: read((s) => s.snapshotsApplied) });
  }
}

/** One datasource's state, as the datasource node reads it at scrape time. */
export interface DatasourceGaugeSource {
  readonly name: string;
  readonly updates: number;
  readonly consecutiveFailures: number;
  /** Seconds since the last fully successful poll or push; null when there was none. */
  readonly secondsSinceSuccess: number | null;
  readonly rows: Readonly<Record<string, number>>;
  /** Seconds the last poll took; null for push drivers and before the first poll. */
  readonly lastPollSeconds: number | null;
}

/** Gauges of the datasource node: updates, failing polls, staleness and rows per table. */
export function registerDatasourceGauges(metrics: ApiMetrics, read: () => DatasourceGaugeSource[]): void {
  const registers = [metrics.registry];
  const each = (name: string, help: string, value: (d: DatasourceGaugeSource) => number | null): void => {
    new Gauge({
      name,
      help,
      labelNames: ['datasource'],
      registers,
      collect() {
        this.reset();
        for (const d of read()) {
          const v = value(d);
          if (v !== null) this.set({ datasource: d.name }, v);
        }
      },
    });
  };
  each('congress_datasource_updates', 'Polls or pushes of each datasource since start (failed ones included)', (d) => d.updates);
  each('congress_datasource_consecutive_failures', 'Polls in a row that failed (0 after a success)', (d) => d.consecutiveFailures);
  each('congress_datasource_seconds_since_success', 'Seconds since the last fully successful poll or push', (d) => d.secondsSinceSuccess);
  each('congress_datasource_last_poll_seconds', 'Duration of the last poll (fetch, translate, diff)', (d) => d.lastPollSeconds);
  new Gauge({
    name: 'congress_datasource_rows',
    help: 'Rows per datasource table',
    labelNames: ['datasource', 'table'],
    registers,
    collect() {
      this.reset();
      for (const d of read()) for (const [table, n] of Object.entries(d.rows)) this.set({ datasource: d.name, table }, n);
    },
  });
}

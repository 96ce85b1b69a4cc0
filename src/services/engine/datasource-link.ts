/**
 * The policy engine's link to the datasources over the bus: datasource policies kept equal to
 * the stored datasources, and subscriptions kept equal to the tables the rules read. It re-checks
 * after every engine write, whenever a peer's services change (a datasource service appeared or
 * left), and periodically as a safety net.
 */
import type { DseNode } from '../../bus';
import type { Runtime } from '../../datalog/runtime/runtime';
import type { PolicyStore } from '../../db';
import { DatasourcePolicies } from './datasource-policies';
import { type EngineLogger, silentLogger } from './logger';
import { DatasourceSubscriptions, type SubscriptionsStatus } from './subscriptions';

/** Settings of the link. */
export interface DatasourceLinkOptions {
  readonly logger?: EngineLogger;
  /** Safety-net period of the policy sync (`datasource_sync_period`); 0 disables it. */
  readonly syncPeriodMs?: number;
  /** Timeout of a schema request. */
  readonly schemaTimeoutMs?: number;
}

/** Keeps one engine's datasource policies and table subscriptions current. */
export class DatasourceLink {
  readonly policies: DatasourcePolicies;
  readonly subscriptions: DatasourceSubscriptions;
  private readonly log: EngineLogger;
  private timer: NodeJS.Timeout | undefined;
  private unlistenPeers: (() => void) | undefined;
  private pending: Promise<void> | null = null;
  private again = false;
  /** A pass that re-reads the stored datasources is owed (not only the rules). */
  private owePolicies = false;
  private stopped = false;

  constructor(
    store: Pick<PolicyStore, 'listDatasources'>,
    runtime: Runtime,
    private readonly bus: Pick<DseNode, 'call' | 'serviceHosts' | 'subscribe' | 'onPeerEvent'>,
    private readonly options: DatasourceLinkOptions = {},
  ) {
    this.log = options.logger ?? silentLogger;
    this.policies = new DatasourcePolicies(store, runtime, bus, { logger: this.log, schemaTimeoutMs: options.schemaTimeoutMs });
    this.subscriptions = new DatasourceSubscriptions(bus, runtime, { logger: this.log });
  }

  /** First sync, then follows peer changes and the period. */
  async start(): Promise<void> {
    await this.update();
    this.unlistenPeers = this.bus.onPeerEvent((event) => {
      // Only a change of the services on the bus can make a schema available or a datasource vanish.
      if (event.type === 'updated' || event.peer.services.length > 0) this.changed();
    });
    const period = this.options.syncPeriodMs ?? 60_000;
    if (period > 0) {
      this.timer = setInterval(() => this.changed(), period);
      this.timer.unref();
    }
  }

  /** Datasources may have changed (one written, a peer's services moved): re-check all soon; never rejects. */
  changed(): void {
    this.request(true);
  }

  /**
   * Only policies or rules changed: re-check which tables the rules read, without re-reading the
   * stored datasources (that read costs a database query per rule write). Never rejects.
   */
  rulesChanged(): void {
    this.request(false);
  }

  private request(policies: boolean): void {
    if (this.stopped) return;
    this.owePolicies ||= policies;
    if (this.pending !== null) {
      this.again = true;
      return;
    }
    const withPolicies = this.owePolicies;
    this.owePolicies = false;
    this.pending = this.update(withPolicies)
      .catch((err: unknown) => {
        this.log.error(`datasource link update failed: ${(err as Error).message}`);
      })
      .finally(() => {
        this.pending = null;
        if (this.again) {
          this.again = false;
          this.request(false);
        }
      });
  }

  /** Syncs the datasource policies (unless told only rules changed) and the subscriptions now. */
  async update(withPolicies = true): Promise<void> {
    const deleted = withPolicies ? (await this.policies.sync()).deleted : [];
    await this.subscriptions.refresh(deleted);
  }

  /** Resolves once updates asked for so far are done. */
  async settled(): Promise<void> {
    while (this.pending !== null) await this.pending;
  }

  /** Subscription counts, for readiness. */
  status(): SubscriptionsStatus {
    return this.subscriptions.status();
  }

  /** Stops following; drops the subscriptions. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.unlistenPeers?.();
    await this.settled();
    await this.subscriptions.close();
  }
}

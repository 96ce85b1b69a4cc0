/**
 * Keeps one replica's in-memory engine equal to the store, whatever node wrote: it remembers the
 * revision its runtime reflects and applies the store's change log from there (policy and rule
 * creations and deletions), or reloads from a snapshot when the log no longer reaches back.
 *
 * Applying is idempotent, so a change already in the engine (a node's own write, or a change
 * a snapshot already held) is harmless; a stored rule the engine refuses is logged and skipped,
 * never fatal, so that one bad rule cannot stop a replica from following everything after it.
 *
 * The caller serialises every use with its own writes (`serialise`): the runtime has one writer.
 */
import { PolicyError, UpdateRejected } from '../../datalog/errors';
import { parseOneRule } from '../../datalog/runtime/persistent';
import type { PolicyEvent, Runtime } from '../../datalog/runtime/runtime';
import type { Change, PolicyRecord, PolicyStore, PolicyStoreOps, RuleRecord, StoreSnapshot } from '../../db';
import { type EngineLogger, silentLogger } from './logger';

/** What one sync did. */
export interface SyncReport {
  /** Revision reflected before and after. */
  readonly from: number;
  readonly to: number;
  /** Whether it had to reload from a snapshot (log pruned, or database restored). */
  readonly reloaded: boolean;
  /** Changes applied to the engine (own writes and no-ops excluded). */
  readonly applied: number;
  /** Whether policies, rules or datasources changed (the datasource link must look again). */
  readonly rulesChanged: boolean;
  /** Whether stored datasources may have changed (the link must re-read them, not only the rules). */
  readonly datasourcesChanged: boolean;
}

/** Settings of a replica. */
export interface ReplicaOptions {
  readonly logger?: EngineLogger;
  /** Runs `fn` when no other engine write runs (the engine service's write queue). */
  readonly serialise: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Called after a sync that changed policies, rules or datasources; says whether datasources may have. */
  readonly onRulesChanged?: (datasources: boolean) => void;
}

/** A stored policy as this replica last applied it: its id and its live rules' texts by id. */
interface IndexedPolicy {
  readonly id: string;
  readonly rules: Map<string, string>;
}

/** Reads of a consistent snapshot through the connection of a locked transaction. */
async function snapshotVia(ops: PolicyStoreOps): Promise<StoreSnapshot> {
  return {
    revision: await ops.currentRevision(),
    policies: await ops.listPolicies(),
    rules: await ops.listRules(),
    datasources: await ops.listDatasources(),
  };
}

function why(err: unknown): string {
  if (err instanceof UpdateRejected) return err.errors.join(';');
  return err instanceof Error ? err.message : String(err);
}

/** The replication state of one engine. */
export class EngineReplica {
  private applied = 0;
  private readonly index = new Map<string, IndexedPolicy>();
  /** Revisions this node committed and already applied to its engine before writing. */
  private readonly own = new Set<number>();
  private readonly log: EngineLogger;
  private readonly waiters = new Set<() => void>();
  private pending: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly runtime: Runtime,
    private readonly store: PolicyStore,
    private readonly options: ReplicaOptions,
  ) {
    this.log = options.logger ?? silentLogger;
  }

  /** The revision the engine reflects: every change up to it, none after it. */
  get revision(): number {
    return this.applied;
  }

  /** Starts from the snapshot the engine was just loaded from. */
  seed(snapshot: StoreSnapshot): void {
    this.index.clear();
    this.indexSnapshot(snapshot);
    this.advance(snapshot.revision);
  }

  /** Remembers that this node committed `revision` and its engine already holds the change. */
  ownWrite(revision: number): void {
    if (revision > this.applied) this.own.add(revision);
  }

  /**
   * Applies what changed since the reflected revision, reading through `ops` (a locked
   * transaction's, so that nobody commits meanwhile, or the store's). The caller serialises.
   */
  async catchUp(ops: PolicyStoreOps, inTransaction: boolean): Promise<SyncReport> {
    const from = this.applied;
    const set = await ops.changesSince(from);
    if (!set.complete) {
      // Inside a locked transaction only its own connection can read (others would wait on the lock).
      const snapshot = inTransaction ? await snapshotVia(ops) : await this.store.snapshot();
      const applied = this.reload(snapshot);
      this.advance(snapshot.revision, true);
      this.log.warn(`engine reloaded from a snapshot at revision ${snapshot.revision}: the change log does not reach back to revision ${from}`);
      return this.report({ from, to: this.applied, reloaded: true, applied, rulesChanged: true, datasourcesChanged: true });
    }
    let applied = 0;
    let rulesChanged = false;
    let datasourcesChanged = false;
    for (const change of set.changes) {
      const own = this.own.has(change.revision);
      if (this.apply(change, own)) applied++;
      if (!change.type.startsWith('library_policy.')) rulesChanged = true;
      if (change.type.startsWith('datasource.')) datasourcesChanged = true;
    }
    this.advance(set.toRevision);
    return this.report({ from, to: this.applied, reloaded: false, applied, rulesChanged, datasourcesChanged });
  }

  /**
   * Takes this node's own committed write without reading it back: `changes` are what it wrote
   * at `revision`, and `from` the revision the engine reflected inside the write's table lock
   * (nobody committed between). False, and nothing done, when the engine has moved since; the
   * caller then reads the log.
   */
  appliedOwn(from: number, revision: number, changes: readonly Change[]): boolean {
    // A write bumps the revision once, under the lock: anything else is read from the log.
    const expected = changes.length === 0 ? from : from + 1;
    if (this.applied !== from || revision !== expected || changes.some((c) => c.revision !== revision)) return false;
    let rulesChanged = false;
    // Own changes are already in the engine: applying them only updates the index.
    for (const change of changes) {
      this.apply(change, true);
      if (!change.type.startsWith('library_policy.')) rulesChanged = true;
    }
    this.advance(revision);
    this.report({ from, to: revision, reloaded: false, applied: 0, rulesChanged, datasourcesChanged: false });
    return true;
  }

  /** Syncs with the store now (after writes in progress). */
  sync(): Promise<SyncReport> {
    return this.options.serialise(() => this.catchUp(this.store, false));
  }

  /**
   * Syncs soon unless the engine already reflects `revision`; calls coalesce and never reject
   * (a failure is logged; the next announcement or the periodic sync tries again).
   */
  syncSoon(revision?: number): void {
    if (this.stopped || (revision !== undefined && revision <= this.applied)) return;
    if (this.pending !== null) {
      this.again = true;
      return;
    }
    this.pending = this.sync()
      .then(
        () => undefined,
        (err: unknown) => void this.log.error(`policy sync from the database failed: ${why(err)}`),
      )
      .finally(() => {
        this.pending = null;
        if (this.again) {
          this.again = false;
          this.syncSoon();
        }
      });
  }

  /** Waits until the engine reflects `revision`, syncing meanwhile; false after `timeoutMs`. */
  async reach(revision: number, timeoutMs: number): Promise<boolean> {
    if (this.applied >= revision) return true;
    const deadline = Date.now() + timeoutMs;
    while (this.applied < revision) {
      const left = deadline - Date.now();
      if (left <= 0 || this.stopped) return false;
      this.syncSoon();
      // Woken by any advance; re-polls now and then in case the revision is not committed yet.
      await this.advanced(Math.min(left, 50));
    }
    return true;
  }

  /** Syncs every `periodMs` as a safety net for lost announcements; 0 disables it. */
  startPeriodic(periodMs: number): void {
    clearInterval(this.timer);
    if (periodMs <= 0) return;
    this.timer = setInterval(() => this.syncSoon(), periodMs);
    this.timer.unref();
  }

  /** Stops syncing; waits for a sync in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    while (this.pending !== null) await this.pending;
  }

  // ---------------------------------------------------------------- internals

  private advanced(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  private advance(revision: number, force = false): void {
    if (!force && revision <= this.applied) return;
    this.applied = revision;
    // After a reload the numbers may have gone back (a restored database): later ones are not ours.
    if (force) this.own.clear();
    for (const r of this.own) if (r <= revision) this.own.delete(r);
    for (const wake of [...this.waiters]) wake();
  }

  private report(r: SyncReport): SyncReport {
    if (r.rulesChanged) this.options.onRulesChanged?.(r.datasourcesChanged);
    return r;
  }

  /** Applies one logged change; true when the engine changed. */
  private apply(change: Change, own: boolean): boolean {
    switch (change.type) {
      case 'policy.created':
        this.index.set(change.policy.name, { id: change.policy.id, rules: new Map() });
        return !own && this.createPolicy(change.policy);
      case 'policy.deleted':
        if (this.index.get(change.policy.name)?.id === change.policy.id) this.index.delete(change.policy.name);
        return !own && this.deletePolicy(change.policy);
      case 'rule.created':
        this.index.get(change.rule.policyName)?.rules.set(change.rule.id, change.rule.rule);
        return !own && this.updateRule(change.rule, true);
      case 'rule.deleted': {
        const rules = this.index.get(change.rule.policyName)?.rules;
        rules?.delete(change.rule.id);
        // Another live rule with the same text keeps the statement in the engine.
        const twin = rules !== undefined && [...rules.values()].includes(change.rule.rule);
        return !own && !twin && this.updateRule(change.rule, false);
      }
      default:
        // Datasources reach the engine through the datasource link; library policies never do.
        return false;
    }
  }

  private createPolicy(p: PolicyRecord): boolean {
    const live = this.runtime.getPolicy(p.name);
    if (live !== undefined && live.name === p.name && live.id === p.id) return false;
    try {
      if (live !== undefined && live.name === p.name) this.runtime.deletePolicy(p.name);
      this.runtime.createPolicy(p.name, { kind: p.kind, id: p.id, abbr: p.abbreviation, description: p.description, owner: p.ownerId });
      return true;
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err;
      this.log.error(`stored policy ${p.name} (${p.id}) cannot be created in the engine, skipped: ${why(err)}`);
      return false;
    }
  }

  private deletePolicy(p: PolicyRecord): boolean {
    const live = this.runtime.getPolicy(p.name);
    // A policy of that name with another id is a later incarnation: not the one deleted.
    if (live === undefined || live.name !== p.name || live.id !== p.id) return false;
    this.runtime.deletePolicy(p.name);
    return true;
  }

  /**
   * One rule per update, never batched: the runtime checks a batch against the engine as it was
   * before the batch, so two stored rules with clashing arities would both get in together,
   * where the node that wrote them refused the second.
   */
  private updateRule(r: RuleRecord, insert: boolean): boolean {
    if (!this.runtime.hasPolicy(r.policyName)) {
      if (insert) this.log.error(`stored rule ${r.id} names policy ${r.policyName}, which the engine does not have: skipped`);
      return false;
    }
    try {
      // The non-persistent path, as at start-up: a rule waiting for a datasource schema is parked.
      const event: PolicyEvent = { formula: parseOneRule(r.rule), insert, target: r.policyName };
      return this.runtime.update([event]).length > 0;
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err;
      this.log.error(`stored rule ${r.id} of policy ${r.policyName} refused by the engine, skipped: ${why(err)}`);
      return false;
    }
  }

  private indexSnapshot(snapshot: StoreSnapshot): void {
    for (const p of snapshot.policies) this.index.set(p.name, { id: p.id, rules: new Map() });
    for (const r of snapshot.rules) this.index.get(r.policyName)?.rules.set(r.id, r.rule);
  }

  /**
   * Makes the engine's stored policies equal to a snapshot. A policy whose id and rule ids are
   * as this replica last applied them is kept (no re-derivation, no actions fired again);
   * any other is rebuilt. Datasource policies are the datasource link's.
   */
  private reload(snapshot: StoreSnapshot): number {
    const before = new Map(this.index);
    this.index.clear();
    this.indexSnapshot(snapshot);
    let changed = 0;
    const wanted = new Map(snapshot.policies.map((p) => [p.name, p]));
    for (const name of this.runtime.policyNames()) {
      const live = this.runtime.getPolicy(name);
      if (live === undefined || live.mirror) continue;
      const p = wanted.get(name);
      if (p !== undefined && live.id === p.id && this.sameRules(before.get(name), this.index.get(name))) continue;
      this.runtime.deletePolicy(name);
      changed++;
    }
    const rulesOf = new Map<string, RuleRecord[]>();
    for (const r of snapshot.rules) rulesOf.set(r.policyName, [...(rulesOf.get(r.policyName) ?? []), r]);
    for (const p of snapshot.policies) {
      if (this.runtime.hasPolicy(p.name) || !this.createPolicy(p)) continue;
      changed++;
      for (const r of rulesOf.get(p.name) ?? []) this.updateRule(r, true);
    }
    return changed;
  }

  private sameRules(a: IndexedPolicy | undefined, b: IndexedPolicy | undefined): boolean {
    if (a === undefined || b === undefined || a.id !== b.id || a.rules.size !== b.rules.size) return false;
    for (const [id, text] of a.rules) if (b.rules.get(id) !== text) return false;
    return true;
  }
}

/**
 * `store` whose `snapshot()` answers `snapshot`: the start-up loader reads its state from the
 * very snapshot whose revision the replica then starts from. Everything else is the store's.
 */
export function readingSnapshot(store: PolicyStore, snapshot: StoreSnapshot): PolicyStore {
  const view = Object.create(store) as PolicyStore;
  return Object.assign(view, { snapshot: () => Promise.resolve(snapshot) });
}

/**
 * What the API's revision headers need from an engine: the revision it reflects, a bounded wait
 * for a later one, and how long that wait may be (`[engine] revision_wait_timeout`).
 */
export function revisionGate(
  engine: { revision(): number; reach(revision: number, timeoutMs: number): Promise<boolean> },
  waitMs: number,
): { revision(): number; reach(revision: number, timeoutMs: number): Promise<boolean>; readonly waitMs: number } {
  return { revision: () => engine.revision(), reach: (revision, timeoutMs) => engine.reach(revision, timeoutMs), waitMs };
}

/**
 * The policy-engine service: owns a datalog `Runtime`, keeps it equal to the store, and offers
 * the operations of the REST API's policy, rule, table, row, simulate and execute routes.
 *
 * Every write is all-or-nothing across engine and database: the engine checks and applies
 * first (so a rule it refuses never reaches the database), the database write follows, and a
 * database failure undoes the engine change. Deletes go the other way round (database first),
 * because re-creating a deleted policy in the engine would be the harder undo. Writes are
 * serialised by a `WriteQueue` so that no other write runs between the two halves.
 */
import { randomUUID } from 'node:crypto';
import { PolicyError } from '../../datalog/errors';
import { insertRulePersistent, insertRulesPersistent, parseOneRule } from '../../datalog/runtime/persistent';
import type { AppliedEvent } from '../../datalog/runtime/runtime';
import { Runtime } from '../../datalog/runtime/runtime';
import { simulate } from '../../datalog/runtime/simulate';
import type { Policy } from '../../datalog/runtime/policy';
import { type Change, DuplicateError, type PolicyRecord, type PolicyStore, type PolicyStoreOps, type RuleRecord } from '../../db';
import { loadEngine, type LoadReport } from './engine-loader';
import { EngineServiceError } from './errors';
import { LibraryService } from './library-service';
import { type EngineLogger, silentLogger } from './logger';
import { EngineReplica, readingSnapshot } from './replication';
import { checkLength, checkPolicyName, isSystemPolicy } from './naming';
import { traceText } from './trace';
import type {
  ActionSink,
  ExecuteSpec,
  PolicyEngineApi,
  PolicyInfo,
  PolicySpec,
  PolicyWithRules,
  RuleInfo,
  RuleSpec,
  SimulateResult,
  SimulateSpec,
  TableRows,
} from './types';
import { WriteQueue } from './write-queue';

/** Options of the engine service. */
export interface EngineServiceOptions {
  readonly logger?: EngineLogger;
  /** `[engine] allow_recursion`: stratified recursion instead of the original's ban. */
  readonly allowRecursion?: boolean;
  /** Where `execute` requests go; none means every service is unknown. */
  readonly actions?: ActionSink;
  /** `[DEFAULT] enable_execute_action`: false only logs triggered actions. */
  readonly enableExecuteAction?: boolean;
  /**
   * Called after every write or sync that may change which datasource tables the rules read;
   * `datasources` says whether stored datasources may have changed too.
   */
  readonly onRulesChanged?: (datasources: boolean) => void;
  /** Called with the revision of every local write once it is committed (to announce it). */
  readonly onCommitted?: (revision: number) => void;
}

/** Registers an engine change to take back if the write it belongs to does not commit. */
type OnUndo = (undo: () => void) => void;

/** No datasource services at all (until the datasource role exists). */
const NO_SERVICES: ActionSink = { hasService: () => false, request: () => undefined };

function policyInfo(p: PolicyRecord): PolicyInfo {
  return { id: p.id, name: p.name, abbreviation: p.abbreviation, description: p.description, ownerId: p.ownerId, kind: p.kind };
}

function ruleInfo(r: RuleRecord): RuleInfo {
  return { id: r.id, rule: r.rule, name: r.name, comment: r.comment };
}

function policyExists(name: string): PolicyError {
  return new PolicyError(`Policy with name ${name} already exists`, 'policy_exists');
}

function policyNotExist(x: string): PolicyError {
  return new PolicyError(`Policy ID ${x} does not exist`, 'policy_not_exist');
}

/** The engine service of one node. */
export class PolicyEngineService implements PolicyEngineApi {
  /** Library policies, served next to the engine as in the original. */
  readonly library: LibraryService;
  private readonly writes = new WriteQueue();
  private readonly log: EngineLogger;
  private readonly actions: ActionSink;
  private readonly rulesChanged: (datasources: boolean) => void;
  private readonly committed: (revision: number) => void;
  /** Follows the writes of every node through the store's change log. */
  readonly replica: EngineReplica;
  private started = false;

  private constructor(
    private readonly store: PolicyStore,
    /** The in-memory engine; exposed for tests and the later bus adapter. */
    readonly runtime: Runtime,
    options: EngineServiceOptions,
  ) {
    this.log = options.logger ?? silentLogger;
    this.actions = options.actions ?? NO_SERVICES;
    this.rulesChanged = options.onRulesChanged ?? (() => undefined);
    this.committed = options.onCommitted ?? (() => undefined);
    this.replica = new EngineReplica(runtime, store, {
      logger: this.log,
      serialise: (fn) => this.writes.run(fn),
      // Not during start: whoever follows the rules is set up after the engine and looks itself.
      onRulesChanged: (datasources) => void (this.started && this.rulesChanged(datasources)),
    });
    this.library = new LibraryService(store);
    const execute = options.enableExecuteAction ?? true;
    runtime.setActionHandler((service, action, positional, policy) => {
      const text = `${service}:${action}(${positional.map(String).join(', ')}) from policy ${policy}`;
      if (!execute) return void this.log.info(`action not executed (enable_execute_action is off): ${text}`);
      if (!this.actions.hasService(service) && !(this.actions.waitsForServices === true && runtime.getPolicy(service)?.mirror === true)) {
        return void this.log.warn(`action for unknown service: ${text}`);
      }
      this.actions.request({ service, action, positional, named: {} });
    });
  }

  /** Builds the engine from the store: policies, system policies, rules. */
  static async start(store: PolicyStore, options: EngineServiceOptions = {}): Promise<{ engine: PolicyEngineService; report: LoadReport }> {
    const runtime = new Runtime({ allowRecursion: options.allowRecursion ?? false, newId: randomUUID });
    const engine = new PolicyEngineService(store, runtime, options);
    // The replica must know which revision the loaded state is: load from a snapshot read here.
    const snapshot = await store.snapshot();
    const report = await loadEngine(readingSnapshot(store, snapshot), runtime, engine.log);
    engine.replica.seed(snapshot);
    // Whatever was committed since the snapshot (system policies created just now, other nodes).
    await engine.replica.sync();
    engine.started = true;
    return { engine, report };
  }

  /** Waits for writes in progress (graceful shutdown). */
  drain(): Promise<void> {
    return this.writes.drain();
  }

  /** The store revision the engine reflects (every policy and rule change up to it). */
  revision(): number {
    return this.replica.revision;
  }

  /** Waits until the engine reflects `revision`, syncing meanwhile; false after `timeoutMs`. */
  reach(revision: number, timeoutMs: number): Promise<boolean> {
    return this.replica.reach(revision, timeoutMs);
  }

  /**
   * Runs one local write. Under the table lock, so that no node commits meanwhile: first the
   * engine catches up with every other node's committed writes (a clashing write is then
   * refused here, as on the node that wrote first), then `work` changes the engine and writes
   * through `tx`. Engine changes registered with `onUndo` are taken back if the transaction
   * does not commit; `afterCommit` runs once it has.
   */
  private locally<T>(work: (tx: PolicyStoreOps, onUndo: OnUndo) => Promise<T>, afterCommit?: (value: T) => void): Promise<T> {
    return this.writes.run(async () => {
      const undos: (() => void)[] = [];
      let done: { value: T; revision: number; seen: number; changes: Change[] };
      try {
        done = await this.store.withTableLock(async (tx) => {
          await this.replica.catchUp(tx, true);
          const seen = this.replica.revision;
          const value = await work(tx, (undo) => undos.push(undo));
          return { value, revision: await tx.currentRevision(), seen, changes: await tx.changesWritten() };
        });
      } catch (err) {
        for (const undo of undos.reverse()) undo();
        throw err;
      }
      afterCommit?.(done.value);
      this.replica.ownWrite(done.revision);
      // The engine reflects the write once its revision does: taken from what the transaction
      // wrote (no read-back round trip) unless the engine moved meanwhile, else from the log.
      if (!this.replica.appliedOwn(done.seen, done.revision, done.changes)) {
        try {
          await this.replica.catchUp(this.store, false);
        } catch (err) {
          this.log.warn(`revision ${done.revision} committed, but reading the change log back failed: ${(err as Error).message}`);
        }
      }
      // Local writes are policies and rules only: datasources are written by the datasource manager.
      this.rulesChanged(false);
      this.committed(done.revision);
      return done.value;
    });
  }

  // ------------------------------------------------------------------ policies

  async listPolicies(): Promise<PolicyInfo[]> {
    return (await this.store.listPolicies()).map(policyInfo);
  }

  async getPolicy(nameOrId: string): Promise<PolicyInfo> {
    const p = await this.store.getPolicy(nameOrId);
    if (p === null) throw new EngineServiceError('policy_not_found', `No policy found with name or id ${nameOrId}`);
    return policyInfo(p);
  }

  createPolicy(spec: PolicySpec): Promise<PolicyInfo> {
    const record = this.policyRecord(spec);
    return this.locally(async (tx, onUndo) => {
      this.addToEngine(record, onUndo);
      try {
        return policyInfo(await tx.createPolicy(record));
      } catch (err) {
        throw err instanceof DuplicateError ? policyExists(record.name) : err;
      }
    });
  }

  createPolicyWithRules(spec: PolicySpec, rules: readonly RuleSpec[]): Promise<PolicyWithRules> {
    const record = this.policyRecord(spec);
    for (const r of rules) this.checkRuleSpec(r);
    return this.locally(async (tx, onUndo) => {
      // Deleting the policy again also takes back its rules.
      this.addToEngine(record, onUndo);
      // One batch, as the original: a refusal lists every rule's problems and aborts them all. A
      // rule that changes nothing (a repeat of an earlier one in the list) is left out of the
      // store and the answer, as the original keeps only the rules that produced a change.
      const changed = rules.length === 0 ? [] : insertRulesPersistent(this.runtime, record.name, rules.map((r) => r.rule));
      const kept = rules.filter((_, i) => changed[i]);
      try {
        const policy = await tx.createPolicy(record);
        const out: RuleRecord[] = [];
        for (const r of kept) out.push(await tx.createRule(record.name, { id: randomUUID(), rule: r.rule, name: r.name ?? null, comment: r.comment ?? '' }));
        return { policy: policyInfo(policy), rules: out.map(ruleInfo) };
      } catch (err) {
        throw err instanceof DuplicateError ? policyExists(record.name) : err;
      }
    });
  }

  async createPolicyFromLibrary(libraryPolicyId: string): Promise<PolicyWithRules> {
    const lp = await this.library.getLibraryPolicy(libraryPolicyId);
    return this.createPolicyWithRules(
      { name: lp.name, abbreviation: lp.abbreviation, description: lp.description, kind: lp.kind },
      lp.rules,
    );
  }

  deletePolicy(nameOrId: string): Promise<PolicyInfo> {
    return this.locally(
      async (tx) => {
        const p = await tx.getPolicy(nameOrId);
        const missing = (): EngineServiceError => new EngineServiceError('policy_delete_not_found', `Policy Name or ID '${nameOrId}' does not exist`);
        if (p === null) throw missing();
        if (isSystemPolicy(p.name)) throw new EngineServiceError('system_policy', `Cannot delete system-maintained policy ${p.name}`);
        const deleted = await tx.deletePolicy(p.id);
        if (deleted === null) throw missing();
        return deleted;
      },
      // Engine after the database: re-creating a deleted policy would be the harder undo.
      (deleted) => {
        if (this.runtime.getPolicy(deleted.name)?.id === deleted.id) this.runtime.deletePolicy(deleted.name);
      },
    ).then(policyInfo);
  }

  /** The stored record for a create request, validated; the engine's own checks come later. */
  private policyRecord(spec: PolicySpec): PolicyRecord {
    checkPolicyName(spec.name);
    checkLength('description', spec.description);
    return {
      id: randomUUID(),
      name: spec.name,
      abbreviation: spec.abbreviation ?? spec.name.slice(0, 5),
      description: spec.description ?? '',
      ownerId: 'user',
      kind: (spec.kind ?? 'nonrecursive').toLowerCase(),
      createdAt: '',
      revision: 0,
    };
  }

  private addToEngine(p: PolicyRecord, onUndo: OnUndo): void {
    this.runtime.createPolicy(p.name, { kind: p.kind, id: p.id, abbr: p.abbreviation, description: p.description, owner: p.ownerId });
    onUndo(() => this.runtime.deletePolicy(p.name));
  }

  // ------------------------------------------------------------------ rules

  /** The stored policy a rule path names (name or id), or the engine policy of a datasource. */
  private async rulePolicy(nameOrId: string, ops: PolicyStoreOps = this.store): Promise<{ name: string; stored: boolean }> {
    const p = await ops.getPolicy(nameOrId);
    if (p !== null) return { name: p.name, stored: true };
    const live = this.mirror(nameOrId);
    if (live !== undefined) return { name: live.name, stored: false };
    throw policyNotExist(nameOrId);
  }

  /** The engine policy of a datasource, addressed by its name only (see `Runtime.addressedPolicy`). */
  private mirror(name: string): Policy | undefined {
    const p = this.runtime.addressedPolicy(name);
    return p?.mirror === true ? p : undefined;
  }

  async policyStatus(nameOrId: string): Promise<{ name: string; id?: string }> {
    const p = await this.store.getPolicy(nameOrId);
    if (p !== null) return { name: p.name, id: p.id };
    // The engine's datasource policies have a status too; upstream's carries no id (observed).
    const live = this.mirror(nameOrId);
    if (live !== undefined) return { name: live.name };
    throw new EngineServiceError('policy_not_found', `No policy found with name or id ${nameOrId}`);
  }

  async listRules(policy: string): Promise<RuleInfo[]> {
    const p = await this.rulePolicy(policy);
    return p.stored ? (await this.store.listRules(p.name)).map(ruleInfo) : [];
  }

  async getRule(policy: string, ruleId: string): Promise<RuleInfo> {
    const p = await this.rulePolicy(policy);
    const r = p.stored ? await this.store.getRule(ruleId, p.name) : null;
    if (r === null) throw new EngineServiceError('rule_not_found', `rule_id ${ruleId} does not exist in policy ${p.name}`, `ID: ${ruleId}, policy_name: ${policy}`);
    return ruleInfo(r);
  }

  insertRule(policy: string, spec: RuleSpec): Promise<RuleInfo> {
    this.checkRuleSpec(spec);
    return this.locally(async (tx, onUndo) => {
      const live = this.runtime.addressedPolicy(policy);
      const target = live?.name ?? policy;
      const applied = insertRulePersistent(this.runtime, target, spec.rule);
      onUndo(() => this.undo([applied]));
      // Under the table lock the engine has just been brought up to the stored state, so its
      // policy id is the stored one.
      const rule = { id: randomUUID(), rule: spec.rule, name: spec.name ?? null, comment: spec.comment ?? '', policyId: live?.id };
      return ruleInfo(await tx.createRule(target, rule));
    });
  }

  deleteRule(policy: string, ruleId: string): Promise<RuleInfo> {
    return this.locally(async (tx, onUndo) => {
      const p = await this.rulePolicy(policy, tx);
      const r = p.stored ? await tx.getRule(ruleId, p.name) : null;
      if (r === null) throw new EngineServiceError('rule_not_found', `rule_id ${ruleId} does not exist in policy ${p.name}`, `ID: ${ruleId}, policy_name: ${policy}`);
      // The non-persistent path, like loading: a rule parked for a missing schema is un-parked.
      const applied = this.runtime.update([{ formula: parseOneRule(r.rule), insert: false, target: p.name }]);
      onUndo(() => this.undo(applied));
      const deleted = await tx.deleteRule(ruleId, p.name);
      if (deleted === null) throw new EngineServiceError('rule_not_found', `rule_id ${ruleId} does not exist in policy ${p.name}`, `ID: ${ruleId}, policy_name: ${policy}`);
      return ruleInfo(deleted);
    });
  }

  private checkRuleSpec(spec: RuleSpec): void {
    checkLength('rule name', spec.name);
    checkLength('rule comment', spec.comment);
  }

  /** Reverts applied events after the database refused the write that followed them. */
  private undo(applied: readonly AppliedEvent[]): void {
    if (applied.length === 0) return;
    try {
      this.runtime.update(applied.map((e) => ({ formula: e.formula, insert: !e.insert, target: e.target })));
    } catch (err) {
      // Cannot happen for an exact inverse; if it does, the engine and the store disagree.
      this.log.error(`engine and store diverged, undo failed: ${(err as Error).message}`);
    }
  }

  // ------------------------------------------------------------------ tables and rows

  /** A user policy (not a datasource's mirror) by name or id. */
  private policyForTables(nameOrId: string): Policy | undefined {
    const p = this.runtime.getPolicy(nameOrId);
    return p !== undefined && !p.mirror && !p.name.startsWith('__') ? p : undefined;
  }

  async listTables(policy: string): Promise<string[]> {
    const p = this.runtime.getPolicy(policy);
    if (p === undefined) throw new EngineServiceError('policy_not_found', `No policy found with name or id ${policy}`);
    // Datasource tables are read through /v1/data-sources, not through the policy paths.
    if (p.mirror) return [];
    // Tables of other policies and datasources that the rules read (`doc:events`) are listed
    // with their prefix, as the original's theory tablenames are (observed).
    return [...this.runtime.tablenames(p.name)];
  }

  generation(): number {
    return this.runtime.generation;
  }

  async rows(policy: string, table: string, trace: boolean): Promise<TableRows> {
    const p = this.policyForTables(policy);
    if (p === undefined) throw new EngineServiceError('table_not_found', `table '${table}' doesn't exist`);
    const rows = this.runtime.rows(p.name, table);
    if (!trace) return { rows };
    const width = rows.length > 0 ? rows[0].length : (this.runtime.arity(table, p.name) ?? 0);
    const query = `${table}(${Array.from({ length: width }, (_, i) => 'x' + i).join(', ')})`;
    const answers = this.runtime.selectStrings(query, p.name);
    return { rows, trace: traceText(p.abbr, query, answers) };
  }

  // ------------------------------------------------------------------ actions

  async simulate(policy: string, spec: SimulateSpec): Promise<SimulateResult> {
    const theory = this.runtime.getPolicy(policy)?.name ?? policy;
    const actionTheory = this.runtime.getPolicy(spec.actionPolicy)?.name ?? spec.actionPolicy;
    const result = simulate(
      this.runtime,
      { query: spec.query, theory, sequence: spec.sequence, actionTheory, delta: spec.delta === true },
      randomUUID,
    );
    if (spec.trace !== true) return { result };
    const abbr = this.runtime.getPolicy(theory)?.abbr ?? theory;
    return { result, trace: traceText(abbr, spec.query, result) };
  }

  checkExecuteService(service: string): void {
    if (!this.actions.hasService(service)) throw new EngineServiceError('execute_service_not_found', `Service ${service} not found`);
  }

  async execute(spec: ExecuteSpec): Promise<void> {
    this.checkExecuteService(spec.service);
    // Checked after the service, as upstream: an unknown service is named even without an action.
    if (spec.action === '') throw new EngineServiceError('execute_action_missing', 'Action not found');
    this.actions.request({ ...spec, explicit: true });
  }
}

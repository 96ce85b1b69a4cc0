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
import { insertRulePersistent, parseOneRule } from '../../datalog/runtime/persistent';
import type { AppliedEvent } from '../../datalog/runtime/runtime';
import { Runtime } from '../../datalog/runtime/runtime';
import { simulate } from '../../datalog/runtime/simulate';
import type { Policy } from '../../datalog/runtime/policy';
import { DuplicateError, type PolicyRecord, type PolicyStore, type RuleRecord } from '../../db';
import { loadEngine, type LoadReport } from './engine-loader';
import { EngineServiceError } from './errors';
import { LibraryService } from './library-service';
import { type EngineLogger, silentLogger } from './logger';
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
  /** Called after every write that may change which datasource tables the rules read. */
  readonly onRulesChanged?: () => void;
}

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
  private readonly rulesChanged: () => void;

  private constructor(
    private readonly store: PolicyStore,
    /** The in-memory engine; exposed for tests and the later bus adapter. */
    readonly runtime: Runtime,
    options: EngineServiceOptions,
  ) {
    this.log = options.logger ?? silentLogger;
    this.actions = options.actions ?? NO_SERVICES;
    this.rulesChanged = options.onRulesChanged ?? (() => undefined);
    this.library = new LibraryService(store);
    const execute = options.enableExecuteAction ?? true;
    runtime.setActionHandler((service, action, positional, policy) => {
      const text = `${service}:${action}(${positional.map(String).join(', ')}) from policy ${policy}`;
      if (!execute) return void this.log.info(`action not executed (enable_execute_action is off): ${text}`);
      if (!this.actions.hasService(service)) return void this.log.warn(`action for unknown service: ${text}`);
      this.actions.request({ service, action, positional, named: {} });
    });
  }

  /** Builds the engine from the store: policies, system policies, rules. */
  static async start(store: PolicyStore, options: EngineServiceOptions = {}): Promise<{ engine: PolicyEngineService; report: LoadReport }> {
    const runtime = new Runtime({ allowRecursion: options.allowRecursion ?? false, newId: randomUUID });
    const engine = new PolicyEngineService(store, runtime, options);
    const report = await loadEngine(store, runtime, engine.log);
    return { engine, report };
  }

  /** Waits for writes in progress (graceful shutdown). */
  drain(): Promise<void> {
    return this.writes.drain();
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
    return this.writes.run(async () => {
      this.addToEngine(record);
      try {
        return policyInfo(await this.store.createPolicy(record));
      } catch (err) {
        this.runtime.deletePolicy(record.name);
        throw err instanceof DuplicateError ? policyExists(record.name) : err;
      }
    });
  }

  createPolicyWithRules(spec: PolicySpec, rules: readonly RuleSpec[]): Promise<PolicyWithRules> {
    const record = this.policyRecord(spec);
    for (const r of rules) this.checkRuleSpec(r);
    return this.writes.run(async () => {
      this.addToEngine(record);
      try {
        const ids = rules.map(() => randomUUID());
        // Checks every rule against the policy as it grows; the first refusal aborts them all.
        for (const r of rules) insertRulePersistent(this.runtime, record.name, r.rule);
        const stored = await this.store.withTableLock(async (tx) => {
          const policy = await tx.createPolicy(record);
          const out: RuleRecord[] = [];
          for (const [i, r] of rules.entries()) out.push(await tx.createRule(record.name, { id: ids[i], rule: r.rule, name: r.name ?? null, comment: r.comment ?? '' }));
          return { policy, rules: out };
        });
        this.rulesChanged();
        return { policy: policyInfo(stored.policy), rules: stored.rules.map(ruleInfo) };
      } catch (err) {
        this.runtime.deletePolicy(record.name);
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
    return this.writes.run(async () => {
      const p = await this.store.getPolicy(nameOrId);
      const missing = (): EngineServiceError => new EngineServiceError('policy_delete_not_found', `Policy Name or ID '${nameOrId}' does not exist`);
      if (p === null) throw missing();
      if (isSystemPolicy(p.name)) throw new EngineServiceError('system_policy', `Cannot delete system-maintained policy ${p.name}`);
      const deleted = await this.store.deletePolicy(p.id);
      if (deleted === null) throw missing();
      if (this.runtime.hasPolicy(p.name)) this.runtime.deletePolicy(p.name);
      this.rulesChanged();
      return policyInfo(deleted);
    });
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

  private addToEngine(p: PolicyRecord): void {
    this.runtime.createPolicy(p.name, { kind: p.kind, id: p.id, abbr: p.abbreviation, description: p.description, owner: p.ownerId });
  }

  // ------------------------------------------------------------------ rules

  /** The stored policy a rule path names (name or id), or the engine policy of a datasource. */
  private async rulePolicy(nameOrId: string): Promise<{ name: string; stored: boolean }> {
    const p = await this.store.getPolicy(nameOrId);
    if (p !== null) return { name: p.name, stored: true };
    const live = this.runtime.getPolicy(nameOrId);
    if (live !== undefined && live.kind === 'datasource') return { name: live.name, stored: false };
    throw policyNotExist(nameOrId);
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
    return this.writes.run(async () => {
      const target = this.runtime.getPolicy(policy)?.name ?? policy;
      const applied = insertRulePersistent(this.runtime, target, spec.rule);
      try {
        const r = await this.store.withTableLock((tx) =>
          tx.createRule(target, { id: randomUUID(), rule: spec.rule, name: spec.name ?? null, comment: spec.comment ?? '' }),
        );
        this.rulesChanged();
        return ruleInfo(r);
      } catch (err) {
        this.undo([applied]);
        throw err;
      }
    });
  }

  deleteRule(policy: string, ruleId: string): Promise<RuleInfo> {
    return this.writes.run(async () => {
      const p = await this.rulePolicy(policy);
      const r = p.stored ? await this.store.getRule(ruleId, p.name) : null;
      if (r === null) throw new EngineServiceError('rule_not_found', `rule_id ${ruleId} does not exist in policy ${p.name}`, `ID: ${ruleId}, policy_name: ${policy}`);
      // The non-persistent path, like loading: a rule parked for a missing schema is un-parked.
      const applied = this.runtime.update([{ formula: parseOneRule(r.rule), insert: false, target: p.name }]);
      try {
        const deleted = await this.store.deleteRule(ruleId, p.name);
        if (deleted === null) throw new EngineServiceError('rule_not_found', `rule_id ${ruleId} does not exist in policy ${p.name}`, `ID: ${ruleId}, policy_name: ${policy}`);
        this.rulesChanged();
        return ruleInfo(deleted);
      } catch (err) {
        this.undo(applied);
        throw err;
      }
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
    return p !== undefined && p.kind !== 'datasource' && !p.name.startsWith('__') ? p : undefined;
  }

  async listTables(policy: string): Promise<string[]> {
    const p = this.runtime.getPolicy(policy);
    if (p === undefined) throw new EngineServiceError('policy_not_found', `No policy found with name or id ${policy}`);
    // Datasource tables are read through /v1/data-sources, not through the policy paths.
    if (p.kind === 'datasource') return [];
    return [...this.runtime.tablenames(p.name)].filter((t) => !t.includes(':'));
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

  async execute(spec: ExecuteSpec): Promise<void> {
    if (!this.actions.hasService(spec.service)) {
      throw new EngineServiceError('execute_service_not_found', `Service ${spec.service} not found`);
    }
    this.actions.request(spec);
  }
}

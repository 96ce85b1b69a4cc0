/**
 * The policy engine runtime: policies, the update pipeline with every static check, queries,
 * rows, datasource data, triggers and `execute[...]` actions (spec 6, 10, 11, 14, 15).
 *
 * Every update is a batch of insert/delete events and is all-or-nothing: it is checked as a
 * whole (column references, schemas, kind-specific checks, recursion) before anything changes.
 */
import {
  constant,
  formatStatement,
  literal,
  type Literal,
  type Rule,
  type Statement,
  tableRef,
  type Term,
  variable,
} from '../ast';
import { actionRuleErrors, actionRuleUnsafe, bodyLimitErrors, factErrors, isDatalog, reorderForSafety, ruleErrors, schemaErrors } from '../compile/checks';
import { eliminateColumnRefs, IncompleteSchemaError, type PolicyLookup } from '../compile/columns';
import { DependencyGraph } from '../compile/graph';
import { type ColumnSpec, Schema, type SchemaChange } from '../compile/schema';
import { PolicyError, UpdateRejected } from '../errors';
import { type CompiledLiteral, compiledLiteral, type Predicate } from '../eval/predicate';
import type { Tuple, TupleKey } from '../eval/relation';
import { type Env, type EvalOptions, literalSlots, rawTupleKey, specialLiteral, Store } from '../eval/store';
import { parse } from '../parse';
import { formatValue, type Value } from '../value';
import { isPolicyKind, Policy, type PolicyKind, ruleIdentity } from './policy';
import { pyRepr } from '../parse/pyrepr';

/** One insert or delete of a rule or fact. `target` null means the runtime's default policy. */
export interface PolicyEvent {
  readonly formula: Statement;
  readonly insert: boolean;
  readonly target: string | null;
}

/** A change that an update actually made (no-ops are left out). */
export interface AppliedEvent {
  readonly formula: Statement;
  readonly insert: boolean;
  readonly target: string;
  /**
   * The event of the batch this change came from (its formula before column references were
   * resolved); absent when the change is that event itself.
   */
  readonly source?: PolicyEvent;
}

/** Called for every new row of an `execute[...]` table: service, action, positional arguments. */
export type ActionHandler = (service: string, action: string, positional: readonly Value[], policy: string) => void;

/** Called with the net change of a watched table after each batch. */
export type TableListener = (added: readonly Tuple[], removed: readonly Tuple[]) => void;

export interface RuntimeOptions {
  /** Allow recursive rules (stratified negation only). Off by default, as in Congress. */
  readonly allowRecursion?: boolean;
  /** Id generator for policies (the server uses UUIDs). */
  readonly newId?: () => string;
}

interface Watcher {
  readonly policy: string;
  readonly table: string;
  readonly modal: string | null;
  readonly listener: TableListener;
}

let idCounter = 0;

/** Where a fact goes and its storage key, computed once per literal of a batch. */
interface FactRef {
  readonly pred: Predicate;
  readonly tuple: Tuple;
  readonly raw: TupleKey;
}

/** Batches larger than this that are only ground facts are checked per table, not per fact. */
const BULK_BATCH = 64;

/** One fact of a checked bulk batch, with where it goes and whether it changes anything. */
interface GroundFact {
  readonly policy: Policy;
  readonly pred: Predicate;
  readonly tuple: Tuple;
  readonly raw: TupleKey;
  readonly insert: boolean;
  live: boolean;
}

/**
 * Outcome of the checks of each (policy, table, width, direction) group of a bulk batch. Facts
 * of one group arrive together, so the previous fact's group is recognised without a key.
 */
class GroupChecks {
  private readonly known = new Map<string, boolean>();
  private last: { policy: Policy; table: string; width: number; insert: boolean } | null = null;

  constructor(private readonly check: (p: Policy, representative: Literal, insert: boolean) => boolean) {}

  ok(policy: Policy, table: string, width: number, insert: boolean, representative: () => Literal): boolean {
    const l = this.last;
    if (l !== null && l.policy === policy && l.table === table && l.width === width && l.insert === insert) return true;
    const key = `${policy.name}\u0000${table}\u0000${width}\u0000${insert ? 1 : 0}`;
    let ok = this.known.get(key);
    if (ok === undefined) {
      ok = this.check(policy, representative(), insert);
      this.known.set(key, ok);
    }
    this.last = ok ? { policy, table, width, insert } : null;
    return ok;
  }
}

export class Runtime {
  readonly store: Store;
  private readonly policies = new Map<string, Policy>();
  private readonly graph = new DependencyGraph();
  private disabled: PolicyEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  /** Predicates that appear as `execute[...]` heads, with the number of rules defining them. */
  private readonly executeHeads = new Map<Predicate, number>();
  private actionHandler: ActionHandler | null = null;
  private readonly allowRecursion: boolean;
  private readonly newId: () => string;
  private policyGeneration = 0;
  /** Per-batch cache of fact locations (facts of large batches are looked at several times). */
  private factRefs = new Map<Literal, FactRef>();

  constructor(opts: RuntimeOptions = {}) {
    this.allowRecursion = opts.allowRecursion ?? false;
    this.store = new Store(this.allowRecursion);
    this.newId = opts.newId ?? (() => `policy-${++idCounter}`);
  }

  // ------------------------------------------------------------------ policies

  createPolicy(
    name: string,
    opts: { kind?: string; id?: string; abbr?: string; description?: string; owner?: string; mirror?: boolean } = {},
  ): Policy {
    const kind = (opts.kind ?? 'nonrecursive').toLowerCase();
    if (kind === 'z3') throw new PolicyError('Z3 not available. Please install it', 'policy_kind_invalid');
    if (!isPolicyKind(kind)) throw new PolicyError(`Unknown kind of policy: ${kind}`, 'policy_kind_invalid');
    if (this.policies.has(name)) throw new PolicyError(`Policy with name ${name} already exists`, 'policy_exists', 'KeyError');
    const mirror = opts.mirror === true;
    if (mirror && kind !== 'datasource') throw new PolicyError(`A datasource mirror must be of kind datasource, not ${kind}`);
    const p = new Policy(name, kind as PolicyKind, opts.id ?? this.newId(), opts.abbr ?? name.slice(0, 5), opts.description ?? '', opts.owner ?? 'user', mirror);
    this.policies.set(name, p);
    this.policyGeneration++;
    this.store.setVirtual(name, kind === 'action');
    return p;
  }

  /** Creates the policy mirroring a datasource and installs the driver's schema. */
  createDatasourcePolicy(name: string, schema: Readonly<Record<string, readonly ColumnSpec[]>>, id?: string): Policy {
    if (this.policies.has(name)) throw new PolicyError(`Datasource name ${name} already in use`, 'datasource_name_in_use');
    const p = this.createPolicy(name, { kind: 'datasource', id, mirror: true });
    this.setSchema(name, schema);
    return p;
  }

  /**
   * Changes whenever any answer may have changed (facts, rules, policies, schemas): callers may
   * cache answers and serialised rows for as long as it stays the same.
   */
  get generation(): number {
    return this.store.generation + this.policyGeneration;
  }

  hasPolicy(name: string): boolean {
    return this.policies.has(name);
  }

  /** A policy by name or id. */
  getPolicy(nameOrId: string): Policy | undefined {
    const byName = this.policies.get(nameOrId);
    if (byName !== undefined) return byName;
    for (const p of this.policies.values()) if (p.id === nameOrId) return p;
    return undefined;
  }

  /**
   * The policy a rule or status request addresses: any policy by name or id, except that a
   * datasource's mirror is addressed by its name only (upstream resolves ids among stored
   * policies, so a datasource's id names no policy there).
   */
  addressedPolicy(nameOrId: string): Policy | undefined {
    const p = this.getPolicy(nameOrId);
    return p?.mirror === true && p.name !== nameOrId ? undefined : p;
  }

  policyNames(): string[] {
    return [...this.policies.keys()];
  }

  /**
   * Every table some rule body reads, as `service:table` (the policy's own name for literals
   * without a prefix); kept by the dependency graph, so asking costs the number of tables read,
   * not the number of rules.
   */
  readTables(): IterableIterator<string> {
    return this.graph.readNodes();
  }

  private target(name: string | null): Policy {
    if (name === null) {
      if (this.policies.size === 1) return this.policies.values().next().value as Policy;
      if (this.policies.size === 0) throw new PolicyError('No policies exist.');
      throw new PolicyError('Must choose a policy to operate on');
    }
    const p = this.policies.get(name);
    if (p === undefined) throw new PolicyError(`Unknown policy ${name}`, 'policy_not_exist');
    return p;
  }

  /**
   * Deletes a policy: its rules leave the dependency graph first, then its facts go. Rules in
   * other policies that reference it stay (their literals become false), unless
   * `disallowDanglingRefs` asks to refuse.
   */
  deletePolicy(nameOrId: string, opts: { disallowDanglingRefs?: boolean } = {}): Policy {
    const p = this.getPolicy(nameOrId);
    if (p === undefined) throw new PolicyError(`Policy ${nameOrId} could not be found`, 'policy_not_exist', 'KeyError');
    if (opts.disallowDanglingRefs === true) {
      const refs: string[] = [];
      for (const other of this.policies.values()) {
        for (const r of other.rules.values()) {
          if (r.rule.body.some((l) => l.service === p.name) || r.rule.heads.some((h) => h.service === p.name)) {
            refs.push(`${other.name}: ${formatStatement(r.rule)}`);
          }
        }
      }
      if (refs.length > 0) {
        throw new PolicyError(`Cannot delete ${p.name} because it would leave dangling references: ${refs.join(';')}`, null, 'DanglingReference');
      }
    }
    this.removeUnchecked([...p.rules.values()].map((r) => ({ formula: r.rule, insert: false, target: p.name })));
    this.withTracking(() => {
      for (const pred of this.store.predicatesOf(p.name)) this.store.clearPredicate(pred);
    });
    this.disabled = this.disabled.filter((e) => e.target !== p.name);
    this.policies.delete(p.name);
    this.policyGeneration++;
    this.store.setVirtual(p.name, false);
    return p;
  }

  /** Installs a fixed schema on a policy (datasources); parked statements are retried. */
  setSchema(name: string, tables: Readonly<Record<string, readonly ColumnSpec[]>>, complete = false): void {
    const p = this.policies.get(name);
    if (p === undefined) throw new PolicyError(`Cannot set policy for ${name} because it has not been created`);
    if (p.schemaSet) throw new PolicyError(`Schema for ${name} already set`);
    p.schema = Schema.fixed(tables, complete);
    p.schemaSet = true;
    this.policyGeneration++;
    this.retryDisabled();
  }

  private lookup: PolicyLookup = (name) => this.policies.get(name);

  // ------------------------------------------------------------------ updates

  /** Parses `text` and inserts its statements into `target` as one batch (runtime mode). */
  insert(text: string, target: string | null = null): AppliedEvent[] {
    return this.update(parse(text).map((formula) => ({ formula, insert: true, target })));
  }

  /** Parses `text` and deletes its statements from `target` as one batch (runtime mode). */
  delete(text: string, target: string | null = null): AppliedEvent[] {
    return this.update(parse(text).map((formula) => ({ formula, insert: false, target })));
  }

  /**
   * Applies a batch of events, all or nothing (spec 6.1). In persistent (API) mode, statements
   * whose column references cannot be resolved are errors; otherwise they are parked until a
   * schema arrives. Throws {@link UpdateRejected} with every error found.
   */
  update(events: readonly PolicyEvent[], opts: { persistent?: boolean } = {}): AppliedEvent[] {
    if (events.length > BULK_BATCH) {
      const fast = this.updateGroundFacts(events);
      if (fast !== null) return fast;
    }
    const persistent = opts.persistent ?? false;
    const errors: string[] = [];
    const resolved: AppliedEvent[] = [];
    for (const e of events) {
      try {
        resolved.push({ formula: e.formula, insert: e.insert, target: this.target(e.target).name, source: e });
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
    if (errors.length > 0) throw new UpdateRejected(errors, 'rule_syntax');

    // Step 2: column references, padding and schema consistency.
    const enabled: AppliedEvent[] = [];
    const parked: PolicyEvent[] = [];
    for (const e of resolved) {
      if (e.formula.kind === 'event') {
        errors.push(`Non-formula found: ${formatStatement(e.formula)}`);
        continue;
      }
      try {
        const formula = eliminateColumnRefs(e.formula, this.lookup, e.target);
        const errs = schemaErrors(formula, this.lookup, e.target);
        if (errs.length > 0) errors.push(...errs);
        else enabled.push({ ...e, formula });
      } catch (err) {
        if (err instanceof IncompleteSchemaError) {
          if (persistent) throw new UpdateRejected([err.message], 'rule_syntax');
          parked.push(e);
        } else if (err instanceof PolicyError) errors.push(err.message);
        else throw err;
      }
    }
    if (errors.length > 0) throw new UpdateRejected(errors, 'rule_syntax');
    const applied = this.updateDatalog(enabled);
    this.disabled.push(...parked);
    return applied;
  }

  /**
   * Bulk loads (datasource deltas, fact batches) are ground facts of a few tables. Their checks
   * depend only on the table, width and policy, so they run once per table instead of once per
   * fact. Returns null when the batch is anything else, or when a check fails, so that the general
   * path produces the exact error messages.
   */
  private updateGroundFacts(events: readonly PolicyEvent[]): AppliedEvent[] | null {
    const groups = new GroupChecks((p, lit, insert) => this.groundGroupOk(p, lit, insert));
    const facts: GroundFact[] = new Array(events.length);
    let lastTarget: string | null = null;
    let lastPolicy: Policy | undefined;
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      const f = e.formula;
      if (f.kind !== 'literal' || f.negated || f.named.length > 0 || f.service !== null || f.modal !== null) return null;
      for (const t of f.args) if (t.kind !== 'const') return null;
      if (e.target !== lastTarget || lastPolicy === undefined) {
        if (e.target === null) return null;
        lastTarget = e.target;
        lastPolicy = this.policies.get(e.target);
        if (lastPolicy === undefined) return null;
      }
      const p = lastPolicy;
      if (!groups.ok(p, f.table, f.args.length, e.insert, () => f)) return null;
      facts[i] = this.groundFact(p, f.table, groundTuple(f), e.insert);
    }
    const applied = this.applyGroundFacts(facts);
    return applied.map((i) => {
      const e = events[i];
      // The event itself when it named its policy (no allocation per fact of a bulk load).
      return e.target === facts[i].policy.name ? (e as AppliedEvent) : { formula: e.formula, insert: e.insert, target: facts[i].policy.name, source: e };
    });
  }

  /**
   * Inserts rows into tables of `target` as one batch, exactly as {@link update} inserts the
   * equivalent facts, without a statement per row (bulk loads). Returns false, having changed
   * nothing, when the batch needs the general pipeline (small, or a check fails): the caller
   * then updates with statements, which reports the exact errors.
   */
  insertRows(target: string, tables: readonly { readonly table: string; readonly rows: readonly Tuple[] }[]): boolean {
    const p = this.policies.get(target);
    let total = 0;
    for (const t of tables) total += t.rows.length;
    if (p === undefined || total <= BULK_BATCH) return false;
    const groups = new GroupChecks((pol, lit, insert) => this.groundGroupOk(pol, lit, insert));
    for (const { table, rows } of tables) {
      for (const row of rows) if (!groups.ok(p, table, row.length, true, () => rowLiteral(table, row))) return false;
    }
    // Inserts only: storing finds the no-ops itself. Rows of one table and width go in as one run.
    this.withTracking(() => {
      for (const { table, rows } of tables) {
        for (let start = 0; start < rows.length; ) {
          const width = rows[start].length;
          let end = start + 1;
          while (end < rows.length && rows[end].length === width) end++;
          const run = start === 0 && end === rows.length ? rows : rows.slice(start, end);
          const pred = this.store.predicate(p.name, null, p.name, table, width);
          p.schema.addUses(table, width, this.store.insertFacts(pred, run));
          start = end;
        }
      }
    });
    return true;
  }

  /** The checks of one representative fact stand for every fact of its table, width and direction. */
  private groundGroupOk(p: Policy, f: Literal, insert: boolean): boolean {
    const arity = p.schema.arity(f.table);
    const ok = (arity === undefined || arity === f.args.length) && (p.kind !== 'materialized' || !insert || !this.definedByRules(f, p.name));
    return ok && this.kindErrors({ formula: f, insert, target: p.name }).length === 0;
  }

  private groundFact(policy: Policy, table: string, tuple: Tuple, insert: boolean): GroundFact {
    const pred = this.store.predicate(policy.name, null, policy.name, table, tuple.length);
    return { policy, pred, tuple, raw: rawTupleKey(tuple), insert, live: false };
  }

  /**
   * Applies checked ground facts: the pipeline's steps 3 and 6 without the per-event generality.
   * No-ops are dropped against the state before the batch (so a delete and re-insert of one
   * fact in a batch keeps only the delete, as in the general path). Returns the positions of
   * the facts that changed something.
   */
  private applyGroundFacts(facts: GroundFact[]): number[] {
    let any = false;
    let onlyInserts = true;
    for (const f of facts) if (!f.insert) onlyInserts = false;
    for (const f of facts) {
      // Without deletes, storing finds the no-ops itself: one probe less per fact of a bulk load.
      f.live = onlyInserts || f.pred.facts.has(f.raw) !== f.insert;
      if (f.live) any = true;
    }
    const applied: number[] = [];
    if (!any) return applied;
    this.withTracking(() => {
      for (let i = 0; i < facts.length; i++) {
        const f = facts[i];
        if (!f.live) continue;
        const changed = f.insert ? this.store.insertFact(f.pred, f.tuple, f.raw) : this.store.deleteFact(f.pred, f.tuple, f.raw);
        if (!changed) continue;
        f.policy.schema.update(f.pred.table, f.tuple.length, f.insert);
        applied.push(i);
      }
    });
    return applied;
  }

  private updateDatalog(events: readonly AppliedEvent[]): AppliedEvent[] {
    this.factRefs = new Map();
    try {
      return this.updateDatalogBatch(events);
    } finally {
      this.factRefs = new Map();
    }
  }

  private updateDatalogBatch(events: readonly AppliedEvent[]): AppliedEvent[] {
    // Step 3: drop no-ops against the current state.
    const actual = events.filter((e) => this.wouldChange(e));
    if (actual.length === 0) return [];

    // Step 4: kind-specific checks.
    const errors: string[] = [];
    for (const e of actual) errors.push(...this.kindErrors(e));
    if (errors.length > 0) throw new UpdateRejected(errors, 'rule_syntax');

    // Step 5: the global dependency graph.
    const graphEvents = actual.map((e) => ({ formula: e.formula, target: e.target, insert: e.insert }));
    const changes = this.graph.update(graphEvents);
    const cyclic = this.allowRecursion ? this.graph.hasNewCycle(changes, true) : this.graph.hasNewCycle(changes);
    if (cyclic) {
      this.graph.undo(changes);
      throw new UpdateRejected([this.allowRecursion ? 'Rules are recursive through negation' : 'Rules are recursive'], 'rule_syntax');
    }
    // Step 6's own refusal: the first action rule that cannot be stored, alone.
    for (const e of actual) {
      const unsafe = e.insert && e.formula.kind === 'rule' && this.target(e.target).kind === 'action' ? actionRuleUnsafe(e.formula) : null;
      if (unsafe !== null) {
        this.graph.undo(changes);
        throw new UpdateRejected([unsafe], 'rule_syntax');
      }
    }
    return this.applyBatch(actual);
  }

  /**
   * Removes stored rules without the checks of an update. A policy being deleted must go whatever
   * its rules now look like: a rule accepted earlier can fail today's schema check (a name used
   * as a builtin, then as a table of another width), and refusing would leave the policy in the
   * engine after the database dropped it. Removing rules cannot create a cycle.
   */
  private removeUnchecked(events: readonly AppliedEvent[]): void {
    this.factRefs = new Map();
    try {
      const actual = events.filter((e) => this.wouldChange(e));
      if (actual.length === 0) return;
      this.graph.update(actual.map((e) => ({ formula: e.formula, target: e.target, insert: false })));
      this.applyBatch(actual);
    } finally {
      this.factRefs = new Map();
    }
  }

  /** Step 6: apply checked events, with triggers watching. */
  private applyBatch(actual: readonly AppliedEvent[]): AppliedEvent[] {
    const applied: AppliedEvent[] = [];
    this.withTracking(
      () => {
        for (const e of actual) if (this.applyEvent(e)) applied.push(e);
      },
      actual,
    );
    return applied;
  }

  /** Whether an event would change the policy (insert of something absent, delete of something present). */
  private wouldChange(e: AppliedEvent): boolean {
    const present = this.contains(e.formula, e.target);
    if (e.insert && !present && this.alreadyDerived(e)) return false;
    return e.insert ? !present : present;
  }

  /**
   * A fact its materialized policy already derives: the original's materialized table holds it,
   * so inserting it changes nothing (`rule_already_exists` through the API), where a fact the
   * rules do not derive is refused (C20).
   */
  private alreadyDerived(e: AppliedEvent): boolean {
    const f = e.formula;
    if (f.kind !== 'literal' || f.negated || !f.args.every((t) => t.kind === 'const')) return false;
    const p = this.policies.get(e.target);
    if (p === undefined || p.kind !== 'materialized' || !this.definedByRules(f, p.name)) return false;
    return this.select(f, p.name).length > 0;
  }

  private factRef(lit: Literal, target: string): FactRef {
    let ref = this.factRefs.get(lit);
    if (ref === undefined || ref.pred.policy !== target) {
      const tuple = groundTuple(lit);
      // A fact keeps only its table and values, as in the original: `execute[p(1)]` stored as a
      // fact is a row of `p`, not an `execute` answer (modal rule heads stay modal).
      const head = lit.modal === null ? lit : { ...lit, modal: null };
      ref = { pred: this.store.headPredicate(head, target), tuple, raw: rawTupleKey(tuple) };
      this.factRefs.set(lit, ref);
    }
    return ref;
  }

  private contains(formula: Statement, target: string): boolean {
    if (formula.kind === 'literal') {
      if (!formula.args.every((t) => t.kind === 'const')) return false;
      const ref = this.factRef(formula, target);
      return ref.pred.facts.has(ref.raw);
    }
    if (formula.kind !== 'rule') return false;
    const p = this.policies.get(target);
    return p !== undefined && p.rules.has(ruleIdentity(formula));
  }

  private kindErrors(e: AppliedEvent): string[] {
    const p = this.target(e.target);
    const f = e.formula;
    if (p.kind === 'database') {
      if (f.kind !== 'literal' || f.negated) return [`Non-atomic formula is not permitted: ${formatStatement(f)}`];
      return factErrors(f, this.lookup, p.name);
    }
    if (!isDatalog(f)) return [`Non-formula found: ${formatStatement(f)}`];
    if (f.kind === 'literal') {
      const errs = factErrors(f, this.lookup, p.name);
      if (errs.length === 0 && p.kind === 'materialized' && e.insert && this.definedByRules(f, p.name)) {
        errs.push('Cannot directly modify tables computed from other tables');
      }
      return errs;
    }
    const rule = f as Rule;
    const limit = bodyLimitErrors(rule);
    if (limit.length > 0) return limit;
    if (p.kind === 'action') return actionRuleErrors(rule);
    return ruleErrors(rule, this.lookup, p.name);
  }

  private definedByRules(atom: Literal, policy: string): boolean {
    return this.store.headPredicate(atom, policy).rules.length > 0;
  }

  /** Applies one checked event; returns whether it changed anything. */
  private applyEvent(e: AppliedEvent): boolean {
    const p = this.target(e.target);
    const schemaChanges = this.updateSchemas(e.formula, p, e.insert);
    const changed = this.applyToPolicy(p, e.formula, e.insert);
    if (!changed) for (const [policy, c] of schemaChanges) policy.schema.revert(c);
    return changed;
  }

  /**
   * Inserts or deletes a statement in a policy without checks (used by the pipeline after its
   * checks, and by simulate, which bypasses them as the original does).
   */
  private applyToPolicy(p: Policy, formula: Statement, insert: boolean): boolean {
    if (formula.kind === 'literal') {
      const ref = this.factRef(formula, p.name);
      return insert ? this.store.insertFact(ref.pred, ref.tuple, ref.raw) : this.store.deleteFact(ref.pred, ref.tuple, ref.raw);
    }
    if (formula.kind !== 'rule') return false;
    const key = ruleIdentity(formula);
    if (insert) {
      if (p.rules.has(key)) return false;
      const reordered = reorderForSafety(formula);
      if ('error' in reordered) throw new UpdateRejected([reordered.error], 'rule_syntax');
      const rule: Rule = { ...formula, body: reordered.body };
      const compiled = this.store.compile(rule, p.name);
      p.rules.set(key, { rule, key, compiled });
      if (rule.heads[0].modal === 'execute') this.countExecuteHead(compiled.head, 1);
      this.store.addRule(compiled);
      return true;
    }
    const stored = p.rules.get(key);
    if (stored === undefined) return false;
    p.rules.delete(key);
    this.store.removeRule(stored.compiled);
    if (stored.rule.heads[0].modal === 'execute') this.countExecuteHead(stored.compiled.head, -1);
    return true;
  }

  /** Inferred-schema bookkeeping (spec 6.4); returns what to revert if the event was a no-op. */
  private updateSchemas(formula: Statement, p: Policy, insert: boolean): [Policy, SchemaChange][] {
    const out: [Policy, SchemaChange][] = [];
    const reg = (policy: Policy | undefined, lit: Literal): void => {
      if (policy === undefined) return;
      const c = policy.schema.update(lit.table, lit.args.length, insert);
      if (c !== null) out.push([policy, c]);
    };
    if (formula.kind === 'literal') reg(p, formula);
    else if (formula.kind === 'rule') {
      reg(p, formula.heads[0]);
      // As the original, in the order the rule is stored: reordered for safety (spec 6.5), which
      // decides the width of a table the body uses with two widths.
      const stored = reorderForSafety(formula);
      for (const lit of 'error' in stored ? formula.body : stored.body) {
        // `true` and `false` are tables to the schema, as in the original, only builtins are not.
        if (specialLiteral(lit)?.kind === 'builtin') continue;
        reg(this.policies.get(lit.service ?? p.name), lit);
      }
    }
    return out;
  }

  private countExecuteHead(pred: Predicate, d: number): void {
    const n = (this.executeHeads.get(pred) ?? 0) + d;
    if (n > 0) {
      if (!this.executeHeads.has(pred)) pred.pinned++;
      this.executeHeads.set(pred, n);
    } else if (this.executeHeads.delete(pred)) pred.pinned--;
  }

  /** Retries parked statements after a schema change (spec 6.9). */
  private retryDisabled(): void {
    if (this.disabled.length === 0) return;
    const parked = this.disabled;
    this.disabled = [];
    for (const e of parked) {
      try {
        this.update([e]);
      } catch {
        // The statement now fails for good; the original keeps it in an error list.
      }
    }
  }

  /** Statements waiting for a schema. */
  disabledEvents(): readonly PolicyEvent[] {
    return this.disabled;
  }

  // ------------------------------------------------------------------ triggers

  /** Calls `handler` for every new row of every `execute[...]` table (spec 15.2). */
  setActionHandler(handler: ActionHandler | null): void {
    this.actionHandler = handler;
  }

  /** Watches a table of a policy (any width); the listener gets each batch's net change. */
  watchTable(policy: string, table: string, listener: TableListener, modal: string | null = null): () => void {
    const w: Watcher = { policy, table, modal, listener };
    this.watchers.add(w);
    for (const pred of this.watchedPredicates(w)) {
      pred.pinned++;
      this.store.ensure(pred);
    }
    return () => {
      if (!this.watchers.delete(w)) return;
      for (const pred of this.watchedPredicates(w)) pred.pinned = Math.max(0, pred.pinned - 1);
    };
  }

  private watchedPredicates(w: Watcher): Predicate[] {
    return this.store
      .predicatesOf(w.policy)
      .filter((p) => p.table === w.table && p.modal === w.modal && p.service === w.policy);
  }

  /**
   * Runs `fn` (which changes facts or rules), propagates the changes and fires the triggers of
   * every watched table whose contents changed, once per batch.
   */
  private withTracking(fn: () => void, events: readonly AppliedEvent[] = []): void {
    const watched = new Set<Predicate>(this.executeHeads.keys());
    for (const e of events) {
      if (e.insert && e.formula.kind === 'rule' && e.formula.heads[0].modal === 'execute') {
        watched.add(this.store.headPredicate(e.formula.heads[0], e.target));
      }
    }
    for (const w of this.watchers) for (const p of this.watchedPredicates(w)) watched.add(p);
    this.store.beginTracking(watched);
    try {
      fn();
      this.store.propagate();
    } finally {
      const changes = this.store.endTracking();
      this.fire(changes);
    }
  }

  private fire(changes: ReturnType<Store['endTracking']>): void {
    for (const c of changes) {
      if (c.pred.modal === 'execute' && this.executeHeads.has(c.pred) && this.actionHandler !== null) {
        const service = c.pred.service;
        for (const row of c.added) this.actionHandler(service, c.pred.table, row, c.pred.policy);
      }
      for (const w of this.watchers) {
        if (w.policy === c.pred.policy && w.table === c.pred.table && w.modal === c.pred.modal) w.listener(c.added, c.removed);
      }
    }
  }

  // ------------------------------------------------------------------ datasource data

  /**
   * Replaces the contents of `tables` of a policy with `facts` (a full snapshot): their facts and
   * rules are cleared and the rows stored without checks (spec 11, 14.4).
   */
  initializeTables(policy: string, tables: readonly string[], facts: readonly { table: string; row: Tuple }[]): void {
    const p = this.target(policy);
    const names = new Set(tables);
    this.withTracking(() => {
      for (const pred of this.store.predicatesOf(p.name)) {
        if (!names.has(pred.table) || pred.modal !== null || pred.service !== p.name) continue;
        for (const [key, r] of [...p.rules]) {
          if (r.compiled.head === pred) {
            p.rules.delete(key);
            this.store.removeRule(r.compiled);
          }
        }
        for (const t of [...pred.facts.values()]) this.store.deleteFact(pred, t);
      }
      // Consecutive rows of one table and width go in as one run.
      for (let start = 0; start < facts.length; ) {
        const { table, row } = facts[start];
        let end = start + 1;
        while (end < facts.length && facts[end].table === table && facts[end].row.length === row.length) end++;
        if (names.has(table)) {
          const run: Tuple[] = new Array(end - start);
          for (let i = start; i < end; i++) run[i - start] = facts[i].row;
          const pred = this.store.predicate(p.name, null, p.name, table, row.length);
          p.schema.addUses(table, row.length, this.store.insertFacts(pred, run));
        }
        start = end;
      }
    });
  }

  /**
   * Applies a published delta to a datasource table through the normal pipeline (width checks and
   * padding apply). Deletes go first, then inserts, in one batch.
   */
  applyDelta(policy: string, table: string, add: readonly Tuple[], del: readonly Tuple[]): AppliedEvent[] {
    const events: PolicyEvent[] = [
      ...del.map((row) => ({ formula: rowLiteral(table, row), insert: false, target: policy })),
      ...add.map((row) => ({ formula: rowLiteral(table, row), insert: true, target: policy })),
    ];
    try {
      return this.update(events);
    } catch (err) {
      if (err instanceof UpdateRejected) throw new UpdateRejected(['Update not permitted.' + err.errors.join(';')], null);
      throw err;
    }
  }

  // ------------------------------------------------------------------ queries

  /**
   * All instances of a query (an atom or a rule) that hold in `policy` (spec 10.1), as
   * statements, without duplicates. Query rules are evaluated left to right as written.
   */
  select(query: Statement | string, policy: string | null, opts: EvalOptions = {}): Statement[] {
    const pq = this.prepareQuery(query, policy);
    const { q, lits, slots } = pq;
    const env: Env = new Array(slots.size);
    if (isSingleTable(pq, opts)) {
      // One stored table: distinct tuples give distinct answers, no de-duplication needed.
      const answers: Statement[] = [];
      this.store.solve(lits, pq.order, 0, env, opts, () => answers.push(instantiateLiteral(q as Literal, slots, env)));
      return answers;
    }
    const out = new Map<string, Statement>();
    this.store.solve(lits, pq.order, 0, env, opts, () => {
      const inst = instantiateStatement(q, slots, env);
      const text = formatStatement(inst);
      if (!out.has(text)) out.set(text, inst);
    });
    return [...out.values()];
  }

  /** Printed answers of {@link select}; a query of one stored table is printed without building statements. */
  selectStrings(query: Statement | string, policy: string | null, opts: EvalOptions = {}): string[] {
    const pq = this.prepareQuery(query, policy);
    if (!isSingleTable(pq, opts)) return this.select(pq.q, policy, opts).map((s) => formatStatement(s));
    const lit = pq.q as Literal;
    const print = answerPrinter(lit, pq.slots);
    const env: Env = new Array(pq.slots.size);
    const answers: string[] = [];
    this.store.solve(pq.lits, pq.order, 0, env, opts, () => answers.push(print(env)));
    return answers;
  }

  private prepareQuery(query: Statement | string, policy: string | null): PreparedQuery {
    let q: Statement;
    if (typeof query === 'string') {
      const parsed = parse(query);
      if (parsed.length !== 1) {
        throw new PolicyError(`Queries can have only 1 statement: [${parsed.map((s) => pyRepr(formatStatement(s))).join(', ')}]`, 'query_error');
      }
      q = parsed[0];
    } else q = query;
    const target = this.target(policy).name;
    if (q.kind === 'event') throw new PolicyError(`Cannot query an event: ${formatStatement(q)}`, 'query_error');
    if (q.kind === 'rule' && bodyLimitErrors(q).length > 0) throw new PolicyError(bodyLimitErrors(q)[0], 'query_error');
    const body: readonly Literal[] = q.kind === 'literal' ? [q] : q.body;
    const { lits, slots } = this.compileBody(body, target);
    return { q, lits, slots, order: lits.map((_, i) => i) };
  }

  private compileBody(body: readonly Literal[], policy: string): { lits: CompiledLiteral[]; slots: Map<string, number> } {
    const slots = new Map<string, number>();
    const lits = body.map((lit): CompiledLiteral => {
      const { vars, consts } = literalSlots(lit, slots);
      // Column references are not eliminated in queries: such literals never match (spec 10.1).
      if (lit.named.length > 0) return compiledLiteral({ kind: 'false', pred: null, builtin: null }, lit, vars, consts);
      return compiledLiteral(this.store.resolve(lit, policy), lit, vars, consts);
    });
    return { lits, slots };
  }

  /** Table names used in a policy: rule heads (not modal), body tables, fact tables (spec 10.2). */
  tablenames(policyName: string): Set<string> {
    const p = this.target(policyName);
    const out = new Set<string>();
    for (const r of p.rules.values()) {
      for (const h of r.rule.heads) if (h.modal === null) out.add(h.service === null ? h.table : `${h.service}:${h.table}`);
      for (const lit of r.rule.body) {
        if (specialLiteral(lit)?.kind === 'builtin') continue;
        out.add(lit.service === null ? lit.table : `${lit.service}:${lit.table}`);
      }
    }
    for (const pred of this.store.predicatesOf(p.name)) {
      if (pred.facts.size > 0) out.add(pred.service === p.name ? pred.table : `${pred.service}:${pred.table}`);
    }
    return out;
  }

  /** Width of a table in a policy: its schema, else its first rule head, else the named policy's (spec 18). */
  arity(table: string, policyName: string, modal: string | null = null): number | undefined {
    const p = this.policies.get(policyName);
    if (p !== undefined) {
      const a = p.schema.arity(table);
      if (a !== undefined) return a;
      for (const r of p.rules.values()) {
        const h = r.rule.heads[0];
        if (h.table === table && h.modal === modal) return h.args.length;
      }
      for (const pred of this.store.predicatesOf(p.name)) {
        if (pred.table === table && pred.modal === modal && pred.facts.size > 0) return pred.arity;
      }
    }
    const i = table.indexOf(':');
    if (i < 0) return undefined;
    const other = table.slice(0, i);
    // A prefix naming the policy itself is local (spec 5.4): `alpha:q` in alpha is alpha's `q`.
    if (!this.policies.has(other)) return undefined;
    return this.arity(table.slice(i + 1), other, modal);
  }

  /** Rows of a table as `GET /v1/policies/<p>/tables/<t>/rows` returns them (spec 10.2). */
  rows(policyName: string, table: string): Tuple[] {
    const p = this.target(policyName);
    if (!this.tablenames(p.name).has(table)) throw new PolicyError(`table '${table}' doesn't exist`, 'table_not_found', 'NotFound');
    const width = this.arity(table, p.name);
    if (width === undefined) throw new PolicyError(`Known table but unknown arity for '${table}' in policy '${p.name}'`);
    const i = table.indexOf(':');
    const lit = literal(
      i < 0 ? table : table.slice(i + 1),
      Array.from({ length: width }, (_, k) => variable('x' + k)),
      { service: i < 0 ? null : table.slice(0, i) },
    );
    const pq = this.prepareQuery(lit, p.name);
    if (!isSingleTable(pq, {})) return this.select(lit, p.name).map((s) => (s as Literal).args.map((t) => (t.kind === 'const' ? t.value : t.name)));
    const vars = pq.lits[0].vars;
    const env: Env = new Array(pq.slots.size);
    const out: Tuple[] = [];
    this.store.solve(pq.lits, pq.order, 0, env, {}, () => out.push(vars.map((s) => env[s] as Value)));
    return out;
  }

  /** Rules of a policy, as stored (checked, reordered). */
  rulesOf(policyName: string): Rule[] {
    return [...this.target(policyName).rules.values()].map((r) => r.rule);
  }

  /** Stored facts of a policy's tables. */
  factsOf(policyName: string): { table: string; row: Tuple }[] {
    const p = this.target(policyName);
    const out: { table: string; row: Tuple }[] = [];
    for (const pred of this.store.predicatesOf(p.name)) {
      if (pred.modal !== null) continue;
      for (const t of pred.facts.values()) out.push({ table: pred.service === p.name ? pred.table : `${pred.service}:${pred.table}`, row: t });
    }
    return out;
  }

  /** Applies a statement to a policy directly, bypassing checks and triggers (simulate's projection). */
  applyUnchecked(policyName: string, formula: Statement, insert: boolean): boolean {
    const p = this.target(policyName);
    const changed = this.applyToPolicy(p, formula, insert);
    this.store.propagate();
    return changed;
  }
}

interface PreparedQuery {
  readonly q: Statement;
  readonly lits: CompiledLiteral[];
  readonly slots: Map<string, number>;
  readonly order: readonly number[];
}

/** Whether a query reads exactly one stored table, whose distinct tuples are distinct answers. */
function isSingleTable(pq: PreparedQuery, opts: EvalOptions): boolean {
  const first = pq.lits[0];
  return pq.q.kind === 'literal' && first.kind === 'pos' && opts.virtualPolicies === undefined && !(first.pred as Predicate).virtual;
}

/**
 * Prints an answer of a one-literal query straight from the bindings: the same text as
 * formatting the instantiated literal (the literal has no column references, or it would not
 * read a stored table), without building it.
 */
function answerPrinter(lit: Literal, slots: Map<string, number>): (env: Env) => string {
  const open = (lit.modal === null ? '' : lit.modal + '[') + tableRef(lit) + '(';
  const close = lit.modal === null ? ')' : ')]';
  const fixed = lit.args.map((t) => (t.kind === 'const' ? formatValue(t.value) : t.name));
  const argSlots = lit.args.map((t) => (t.kind === 'var' ? (slots.get(t.name) as number) : -1));
  return (env) => {
    let text = open;
    for (let i = 0; i < argSlots.length; i++) {
      if (i > 0) text += ', ';
      const s = argSlots[i];
      const v = s < 0 ? undefined : env[s];
      text += v === undefined ? fixed[i] : formatValue(v);
    }
    return text + close;
  };
}

function groundTuple(lit: Literal): Tuple {
  return lit.args.map((t) => (t.kind === 'const' ? t.value : (undefined as unknown as Value)));
}

function rowLiteral(table: string, row: Tuple): Literal {
  return literal(
    table,
    row.map((v) => constant(v)),
  );
}

function instantiateTerm(t: Term, slots: Map<string, number>, env: Env): Term {
  if (t.kind !== 'var') return t;
  const s = slots.get(t.name);
  const v = s === undefined ? undefined : env[s];
  return v === undefined ? t : constant(v);
}

function instantiateLiteral(lit: Literal, slots: Map<string, number>, env: Env): Literal {
  return { ...lit, args: lit.args.map((t) => instantiateTerm(t, slots, env)) };
}

function instantiateStatement(q: Statement, slots: Map<string, number>, env: Env): Statement {
  if (q.kind === 'literal') return instantiateLiteral(q, slots, env);
  if (q.kind === 'rule') {
    return { kind: 'rule', heads: q.heads.map((h) => instantiateLiteral(h, slots, env)), body: q.body.map((l) => instantiateLiteral(l, slots, env)) };
  }
  return q;
}


/**
 * The fact and rule store of all policies, with demand-driven materialization and incremental
 * maintenance.
 *
 * - A predicate's rules are evaluated bottom-up the first time something needs its contents
 *   (a query, a rule reading it, a trigger); from then on it stays materialized.
 * - Changes (facts, rules, upstream deltas) are queued as derivation-count deltas and propagated
 *   in dependency order to every materialized predicate that reads the changed one. Because the
 *   rules are non-recursive, counting is exact: a change costs time proportional to what it
 *   affects, never a recomputation of the whole table.
 * - Tables of action policies are "virtual": evaluated top-down on demand (their rules may leave
 *   head variables unbound, which simulate turns into fresh ids). Materialized tables that read a
 *   virtual one are dropped back to lazy when it changes.
 */
import { formatLiteral, type Literal, type Rule } from '../ast';
import { findBuiltin } from '../builtins';
import { PolicyError } from '../errors';
import { int, sameValue, type Value } from '../value';
import { type CompiledLiteral, compiledLiteral, type CompiledRule, currentReaderEpoch, Predicate, predicateKey } from './predicate';
import { type Found, isSingle, matchesBound, Relation, type Tuple, type TupleKey, tupleKey } from './relation';
import type { RowTable } from './row-table';

/** Variable bindings of one rule evaluation, by slot. */
export type Env = (Value | undefined)[];

/** Old-state view of one predicate for positions after the delta literal (telescoping deltas). */
interface Overlay {
  readonly pred: Predicate;
  readonly after: number;
  readonly added: ReadonlySet<TupleKey>;
  readonly removed: Relation;
}

/** Options of one evaluation. */
export interface EvalOptions {
  /** Policies whose tables are evaluated top-down for this evaluation (simulate's action policy). */
  readonly virtualPolicies?: ReadonlySet<string>;
  /** Policies consulted after a policy's own facts and rules (simulate's includes). */
  readonly includes?: ReadonlyMap<string, readonly string[]>;
  readonly overlay?: Overlay;
}

const NO_OPTIONS: EvalOptions = {};

/** What a watched predicate looked like before a batch, to compute its net change. */
interface Tracking {
  /** First known presence of each key that changed during the batch. */
  readonly changed: Map<TupleKey, { tuple: Tuple; was: boolean }>;
  /** Full contents before the batch, when the predicate had to be recomputed. */
  before: Map<TupleKey, Tuple> | null;
}

/** The net change of a watched predicate over one batch. */
export interface TableChange {
  readonly pred: Predicate;
  readonly added: Tuple[];
  readonly removed: Tuple[];
}

/** Where each argument of a compiled literal comes from: a slot, or (-1) the constant beside it. */
export interface LiteralSlots {
  readonly vars: number[];
  readonly consts: (Value | undefined)[];
}

/**
 * Gives each variable of `lit` its slot in `slots` (a new one at first sight); constants and the
 * variables `unbound` picks get -1 (the constant, or nothing to bind).
 */
export function literalSlots(lit: Literal, slots: Map<string, number>, unbound?: (name: string) => boolean): LiteralSlots {
  const vars: number[] = [];
  const consts: (Value | undefined)[] = [];
  for (const t of lit.args) {
    if (t.kind !== 'var') {
      vars.push(-1);
      consts.push(t.value);
    } else if (unbound?.(t.name) === true) {
      vars.push(-1);
      consts.push(undefined);
    } else {
      let s = slots.get(t.name);
      if (s === undefined) {
        s = slots.size;
        slots.set(t.name, s);
      }
      vars.push(s);
      consts.push(undefined);
    }
  }
  return { vars, consts };
}

export class Store {
  private readonly preds = new Map<string, Predicate>();
  private readonly byPolicy = new Map<string, Set<Predicate>>();
  private lastPredicate: Predicate | null = null;
  /** Bumped by every fact or rule change: answers can only differ between generations. */
  generation = 0;
  private readonly pending = new Map<Predicate, Map<TupleKey, { tuple: Tuple; d: number }>>();
  private levels = new Map<Predicate, number>();
  private tracking: Map<Predicate, Tracking> | null = null;
  private readonly virtualPolicies = new Set<string>();
  /** Strongly connected components of the rule graph; only computed when recursion is allowed. */
  private components: Map<Predicate, Component> | null = null;

  constructor(private readonly recursive = false) {}

  /** The predicate with this identity, created empty on first use. */
  predicate(policy: string, modal: string | null, service: string, table: string, arity: number): Predicate {
    const last = this.lastPredicate;
    // Bulk loads ask for the same table many times in a row: skip building the key.
    if (last !== null && last.table === table && last.arity === arity && last.policy === policy && last.service === service && last.modal === modal) {
      return last;
    }
    const key = predicateKey(policy, modal, service, table, arity);
    let p = this.preds.get(key);
    if (p === undefined) {
      p = new Predicate(key, policy, modal, service, table, arity);
      p.virtual = this.virtualPolicies.has(policy);
      this.preds.set(key, p);
      let set = this.byPolicy.get(policy);
      if (set === undefined) {
        set = new Set();
        this.byPolicy.set(policy, set);
      }
      set.add(p);
    }
    this.lastPredicate = p;
    return p;
  }

  /** Predicates of one policy. */
  predicatesOf(policy: string): Predicate[] {
    return [...(this.byPolicy.get(policy) ?? [])];
  }

  /** Marks a policy's tables as evaluated top-down (action policies) or materializable. */
  setVirtual(policy: string, virtual: boolean): void {
    if (virtual) this.virtualPolicies.add(policy);
    else this.virtualPolicies.delete(policy);
    for (const p of this.byPolicy.get(policy) ?? []) {
      if (p.virtual === virtual) continue;
      p.virtual = virtual;
      this.invalidateConsumers(p);
      if (!virtual) p.materialized = p.rules.length === 0;
    }
  }

  /**
   * The predicate a body or query literal reads in `policy`, or what evaluates it instead.
   * A prefix naming another policy hands the literal to that policy (spec 8.6), except for
   * modal literals and update tables, which stay local with their prefix.
   */
  resolve(lit: Literal, policy: string): Pick<CompiledLiteral, 'kind' | 'pred' | 'builtin'> {
    const special = specialLiteral(lit);
    if (special !== null) return special;
    const kind = lit.negated ? 'neg' : 'pos';
    const isUpdate = lit.table.endsWith('+') || lit.table.endsWith('-');
    if (lit.service !== null && lit.service !== policy && lit.modal === null && !isUpdate) {
      return { kind, pred: this.predicate(lit.service, null, lit.service, lit.table, lit.args.length), builtin: null };
    }
    return { kind, pred: this.predicate(policy, lit.modal, lit.service ?? policy, lit.table, lit.args.length), builtin: null };
  }

  /** The predicate a rule head or fact of `policy` defines. */
  headPredicate(head: Literal, policy: string): Predicate {
    return this.predicate(policy, head.modal, head.service ?? policy, head.table, head.args.length);
  }

  /**
   * Compiles a rule (already checked and reordered) of `policy`. A variable that occurs once in
   * the whole rule, in a body literal reading a table, gets no slot: no other literal and not
   * the head reads it, so binding it per row (datasource literals bind a dozen such columns)
   * would change nothing.
   */
  compile(rule: Rule, policy: string): CompiledRule {
    const uses = new Map<string, number>();
    for (const lit of [rule.heads[0], ...rule.body]) {
      for (const t of lit.args) if (t.kind === 'var') uses.set(t.name, (uses.get(t.name) ?? 0) + 1);
    }
    const slots = new Map<string, number>();
    const args = (lit: Literal, dropSingles: boolean): LiteralSlots =>
      literalSlots(lit, slots, dropSingles ? (name) => uses.get(name) === 1 : undefined);
    const head = rule.heads[0];
    const h = args(head, false);
    const body = rule.body.map((lit): CompiledLiteral => {
      const r = this.resolve(lit, policy);
      const a = args(lit, r.kind === 'pos');
      return compiledLiteral(r, lit, a.vars, a.consts);
    });
    return {
      rule,
      policy,
      head: this.headPredicate(head, policy),
      headVars: h.vars,
      headConsts: h.consts,
      body,
      varNames: [...slots.keys()],
    };
  }

  // ---------------------------------------------------------------- updates

  /** Stores a fact; false when an equal fact (by raw value) is already stored. */
  insertFact(pred: Predicate, tuple: Tuple, raw: TupleKey = rawTupleKey(tuple)): boolean {
    if (pred.facts.getOrAdd(raw, tuple) !== undefined) return false;
    this.generation++;
    this.change(pred, tuple, 1, typedKey(tuple, raw));
    return true;
  }

  /**
   * Stores many facts of one predicate, as {@link insertFact} for each in turn would; returns how
   * many were new. Bulk loads: when nothing materialized reads the table, nothing is watched and
   * it is not virtual, each row costs its key and two probes, with the per-fact questions asked
   * once for the whole run.
   */
  insertFacts(pred: Predicate, tuples: readonly Tuple[]): number {
    let added = 0;
    if (pred.virtual || this.tracking?.has(pred) === true || this.hasMaterializedConsumer(pred)) {
      for (let i = 0; i < tuples.length; i++) if (this.insertFact(pred, tuples[i])) added++;
      return added;
    }
    const facts = pred.facts;
    const rel = pred.rel;
    for (let i = 0; i < tuples.length; i++) {
      const t = tuples[i];
      let floats = false;
      for (let j = 0; j < t.length; j++) if (typeof t[j] === 'object') floats = true;
      const key = tupleKey(t);
      // A float-free tuple's raw key is its typed key: one key for both tables.
      const raw = floats ? rawTupleKey(t) : key;
      if (facts.getOrAdd(raw, t) !== undefined) continue;
      added++;
      rel.add(t, 1, key);
    }
    this.generation += added;
    if (added > 0 && this.hasVirtualConsumer(pred)) this.invalidateThroughVirtual(pred);
    return added;
  }

  /** Removes a fact; false when it was not stored. */
  deleteFact(pred: Predicate, tuple: Tuple, raw: TupleKey = rawTupleKey(tuple)): boolean {
    const stored = pred.facts.get(raw);
    if (stored === undefined) return false;
    this.generation++;
    pred.facts.delete(raw);
    this.change(pred, stored, -1, typedKey(stored, raw));
    return true;
  }


  /** Removes every fact and rule of a predicate (snapshot loads, policy deletion). */
  clearPredicate(pred: Predicate): void {
    for (const r of [...pred.rules]) this.removeRule(r);
    for (const t of [...pred.facts.values()]) this.deleteFact(pred, t);
  }

  addRule(cr: CompiledRule): void {
    const head = cr.head;
    const hadRules = head.rules.length > 0;
    this.generation++;
    head.rules.push(cr);
    for (const cl of cr.body) if (cl.pred !== null) cl.pred.addConsumer(cr);
    this.levels = new Map();
    this.components = null;
    if (head.virtual) {
      this.invalidateConsumers(head);
      return;
    }
    if (!head.materialized) return;
    if (!hadRules && head.pinned === 0 && !this.hasMaterializedConsumer(head)) {
      // Stay lazy: nothing materialized reads this table, so compute it when something does. What
      // was materialized from it through a virtual table saw it without this rule.
      head.materialized = false;
      if (this.hasVirtualConsumer(head)) this.invalidateThroughVirtual(head);
      return;
    }
    this.evaluateRule(cr, NO_OPTIONS, (t) => this.queue(head, t, 1));
  }

  removeRule(cr: CompiledRule): void {
    const head = cr.head;
    const i = head.rules.indexOf(cr);
    if (i < 0) return;
    this.generation++;
    if (head.virtual) {
      head.rules.splice(i, 1);
      this.detach(cr);
      this.invalidateConsumers(head);
      return;
    }
    if (head.materialized) this.evaluateRule(cr, NO_OPTIONS, (t) => this.queue(head, t, -1));
    head.rules.splice(i, 1);
    this.detach(cr);
    if (head.rules.length === 0 && !head.materialized) {
      // Only facts remain, and the relation holds exactly those.
      head.materialized = true;
    }
  }

  private detach(cr: CompiledRule): void {
    for (const cl of cr.body) if (cl.pred !== null) cl.pred.deleteConsumer(cr);
    this.levels = new Map();
    this.components = null;
  }

  private hasMaterializedConsumer(p: Predicate): boolean {
    this.checkReaders(p);
    return p.materializedReader;
  }

  private hasVirtualConsumer(p: Predicate): boolean {
    this.checkReaders(p);
    return p.virtualReader;
  }

  private checkReaders(p: Predicate): void {
    const epoch = currentReaderEpoch();
    if (p.readerCheckedAt === epoch) return;
    let materialized = false;
    let virtual = false;
    for (const c of p.consumers) {
      if (c.head.virtual) virtual = true;
      else if (c.head.materialized) materialized = true;
    }
    p.readerCheckedAt = epoch;
    p.materializedReader = materialized;
    p.virtualReader = virtual;
  }

  /**
   * Tables materialized from virtual (top-down) tables that read `pred` cannot take a delta: no
   * delta passes through a virtual table. They are dropped and computed again when read.
   */
  private invalidateThroughVirtual(pred: Predicate): void {
    let seen: Set<Predicate> | null = null;
    for (const cr of pred.consumers) {
      const head = cr.head;
      if (!head.virtual) continue;
      seen ??= new Set<Predicate>([pred]);
      if (seen.has(head)) continue;
      seen.add(head);
      this.invalidateConsumers(head, seen);
    }
  }

  /** Records a change of derivation count of a tuple of `pred`. */
  private change(pred: Predicate, tuple: Tuple, d: number, key: TupleKey): void {
    if (pred.virtual) {
      pred.rel.add(tuple, d, key);
      this.invalidateConsumers(pred);
      return;
    }
    if (this.hasVirtualConsumer(pred)) this.invalidateThroughVirtual(pred);
    if (this.tracking?.has(pred) !== true && !this.hasMaterializedConsumer(pred)) {
      // Nothing materialized reads this table: apply now, no delta to propagate.
      pred.rel.add(tuple, d, key);
      return;
    }
    this.queue(pred, tuple, d, key);
  }

  private queue(pred: Predicate, tuple: Tuple, d: number, key: TupleKey = tupleKey(tuple)): void {
    let m = this.pending.get(pred);
    if (m === undefined) {
      m = new Map();
      this.pending.set(pred, m);
    }
    const e = m.get(key);
    if (e === undefined) m.set(key, { tuple, d });
    else e.d += d;
  }

  /**
   * Applies every queued change, lowest dependency level first, pushing set-level deltas to the
   * materialized rules that read each changed predicate.
   */
  propagate(): void {
    while (this.pending.size > 0) {
      let next: Predicate | null = null;
      let best = Infinity;
      for (const p of this.pending.keys()) {
        const l = this.level(p);
        if (l < best) {
          best = l;
          next = p;
        }
      }
      const pred = next as Predicate;
      const comp = this.recursive ? this.component(pred) : null;
      if (comp !== null && comp.cyclic) {
        this.recomputeComponent(comp);
        continue;
      }
      const changes = this.pending.get(pred) as Map<TupleKey, { tuple: Tuple; d: number }>;
      this.pending.delete(pred);
      const added: Tuple[] = [];
      const removed: Tuple[] = [];
      const track = this.tracking?.get(pred);
      for (const [key, { tuple, d }] of changes) {
        if (d === 0) continue;
        const before = pred.rel.get(key);
        const r = pred.rel.add(tuple, d, key);
        if (r === 1) added.push(tuple);
        else if (r === -1) removed.push(before ?? tuple);
        if (r !== 0 && track !== undefined && !track.changed.has(key)) track.changed.set(key, { tuple: before ?? tuple, was: r === -1 });
      }
      if (added.length > 0 || removed.length > 0) this.pushToConsumers(pred, added, removed);
    }
  }

  private pushToConsumers(pred: Predicate, added: Tuple[], removed: Tuple[]): void {
    if (this.hasVirtualConsumer(pred)) this.invalidateThroughVirtual(pred);
    const addedKeys = new Set(added.map(tupleKey));
    const removedRel = new Relation();
    for (const t of removed) removedRel.add(t, 1);
    // Only the rules whose heads are materialized now get the change. A solve below can
    // materialize a lazy table that reads `pred` (ensuring what it reads); that table is computed
    // from `pred` with the change already applied, so giving it the change too counted its
    // derivations twice, and a later removal left them standing.
    const targets: CompiledRule[] = [];
    for (const cr of pred.consumers) if (cr.head.materialized && !cr.head.virtual) targets.push(cr);
    for (const cr of targets) {
      const head = cr.head;
      if (!head.materialized || head.virtual) continue;
      if (this.recursive) {
        const comp = this.component(head);
        if (comp.cyclic) {
          // Recomputed as a whole when its turn comes; an empty entry schedules it.
          if (comp !== this.component(pred) && !this.pending.has(head)) this.pending.set(head, new Map());
          continue;
        }
      }
      for (let j = 0; j < cr.body.length; j++) {
        const cl = cr.body[j];
        if (cl.pred !== pred) continue;
        const opts: EvalOptions = { overlay: { pred, after: j, added: addedKeys, removed: removedRel } };
        const order = cr.body.map((_, i) => i).filter((i) => i !== j);
        const sign = cl.kind === 'neg' ? -1 : 1;
        for (const [tuples, s] of [
          [added, sign],
          [removed, -sign],
        ] as const) {
          for (const t of tuples) {
            const env: Env = new Array(cr.varNames.length);
            if (!bindTuple(cl, t, env)) continue;
            this.solve(cr.body, order, 0, env, opts, () => {
              const h = instantiate(cr.headVars, cr.headConsts, env);
              if (h !== null) this.queue(head, h, s);
            });
          }
        }
      }
    }
  }

  /** Dependency level: 0 for fact-only predicates, else one more than anything a rule reads. */
  private level(p: Predicate): number {
    if (this.recursive) return this.component(p).level;
    const known = this.levels.get(p);
    if (known !== undefined) return known;
    // Iterative post-order, so that long chains of rules cannot exhaust the call stack.
    for (const q of postOrder(p, (x) => !this.levels.has(x))) {
      let l = 0;
      for (const r of q.rules) for (const cl of r.body) if (cl.pred !== null) l = Math.max(l, (this.levels.get(cl.pred) ?? 0) + 1);
      this.levels.set(q, l);
    }
    return this.levels.get(p) ?? 0;
  }

  /** Computes a lazily kept predicate's derived tuples now (and first those of what it reads). */
  ensure(pred: Predicate): void {
    if (pred.materialized || pred.virtual) return;
    for (const q of postOrder(pred, (x) => !x.materialized && !x.virtual)) this.materializeOne(q);
  }

  private materializeOne(pred: Predicate): void {
    if (pred.materialized || pred.virtual) return;
    if (this.recursive) {
      const comp = this.component(pred);
      if (comp.cyclic) {
        this.fixpoint(comp);
        return;
      }
    }
    for (const cr of pred.rules) this.evaluateRule(cr, NO_OPTIONS, (t) => pred.rel.add(t, 1));
    pred.materialized = true;
  }

  /** Drops derived tuples of everything materialized that reads `pred` (used when it cannot be maintained incrementally). */
  private invalidateConsumers(pred: Predicate, passed: Set<Predicate> | null = null): void {
    for (const cr of pred.consumers) {
      const head = cr.head;
      if (!head.virtual) {
        this.dematerialize(head);
        continue;
      }
      // A virtual (top-down) table keeps no answers of its own, but what is materialized from it
      // (an execution trigger in another policy reading an action policy's table) depends on
      // `pred` just the same, however many virtual tables lie in between.
      const seen = passed ?? new Set<Predicate>([pred]);
      if (seen.has(head)) continue;
      seen.add(head);
      this.invalidateConsumers(head, seen);
    }
  }

  private dematerialize(pred: Predicate): void {
    if (!pred.materialized || pred.rules.length === 0 || pred.virtual) return;
    const track = this.tracking?.get(pred);
    if (track !== undefined && track.before === null) {
      const before = new Map<TupleKey, Tuple>();
      for (const [key, t] of pred.rel.entries()) before.set(key, t);
      for (const [key, c] of track.changed) {
        if (c.was) before.set(key, c.tuple);
        else before.delete(key);
      }
      track.before = before;
    }
    this.pending.delete(pred);
    pred.rel.clear();
    for (const t of pred.facts.values()) pred.rel.add(t, 1);
    pred.materialized = false;
    this.invalidateConsumers(pred);
  }

  // ---------------------------------------------------------------- recursion (optional)

  /** The component of `p` in the rule graph (Tarjan's algorithm over all predicates, cached). */
  private component(p: Predicate): Component {
    if (this.components === null) this.components = computeComponents(this.preds.values());
    let c = this.components.get(p);
    if (c === undefined) {
      c = { members: [p], cyclic: false, level: 0 };
      this.components.set(p, c);
    }
    return c;
  }

  /**
   * Semi-naive evaluation of a recursive component: each round joins only the tuples new in the
   * previous round against the full relations, until nothing new appears.
   */
  private fixpoint(comp: Component): void {
    const members = new Set(comp.members);
    let delta = new Map<Predicate, Tuple[]>();
    for (const m of comp.members) {
      m.rel.clear();
      for (const t of m.facts.values()) m.rel.add(t, 1);
      m.materialized = true; // reads inside the component see the relation as it grows
    }
    const derive = (head: Predicate, t: Tuple, next: Map<Predicate, Tuple[]>): void => {
      if (head.rel.add(t, 1) === 1) {
        let l = next.get(head);
        if (l === undefined) next.set(head, (l = []));
        l.push(t);
      } else head.rel.add(t, -1);
    };
    // Round 0: every rule once over the current relations.
    for (const m of comp.members) for (const cr of m.rules) this.evaluateRule(cr, NO_OPTIONS, (t) => derive(m, t, delta));
    while (delta.size > 0) {
      const next = new Map<Predicate, Tuple[]>();
      for (const m of comp.members) {
        for (const cr of m.rules) {
          cr.body.forEach((cl, j) => {
            if (cl.kind !== 'pos' || cl.pred === null || !members.has(cl.pred)) return;
            const fresh = delta.get(cl.pred);
            if (fresh === undefined) return;
            const order = cr.body.map((_, i) => i).filter((i) => i !== j);
            for (const t of fresh) {
              const env: Env = new Array(cr.varNames.length);
              if (!bindTuple(cl, t, env)) continue;
              this.solve(cr.body, order, 0, env, NO_OPTIONS, () => {
                const h = instantiate(cr.headVars, cr.headConsts, env);
                if (h !== null) derive(m, h, next);
              });
            }
          });
        }
      }
      delta = next;
    }
  }

  /** Brings a materialized recursive component up to date and passes the net change on. */
  private recomputeComponent(comp: Component): void {
    for (const m of comp.members) this.pending.delete(m);
    if (!comp.members.every((m) => m.materialized)) {
      // Lazy: only facts are held, and they are already current in `facts`.
      for (const m of comp.members) {
        m.rel.clear();
        for (const t of m.facts.values()) m.rel.add(t, 1);
        m.materialized = m.rules.length === 0;
      }
      return;
    }
    const before = new Map<Predicate, Map<TupleKey, Tuple>>();
    for (const m of comp.members) {
      const snap = new Map<TupleKey, Tuple>();
      for (const [key, t] of m.rel.entries()) snap.set(key, t);
      before.set(m, snap);
    }
    this.fixpoint(comp);
    for (const m of comp.members) {
      const old = before.get(m) as Map<TupleKey, Tuple>;
      const added: Tuple[] = [];
      const removed: Tuple[] = [];
      for (const [key, t] of m.rel.entries()) if (!old.has(key)) added.push(t);
      for (const [k, t] of old) if (m.rel.get(k) === undefined) removed.push(t);
      const track = this.tracking?.get(m);
      if (track !== undefined) {
        for (const t of added) if (!track.changed.has(tupleKey(t))) track.changed.set(tupleKey(t), { tuple: t, was: false });
        for (const t of removed) if (!track.changed.has(tupleKey(t))) track.changed.set(tupleKey(t), { tuple: t, was: true });
      }
      if (added.length > 0 || removed.length > 0) this.pushToConsumers(m, added, removed);
    }
  }

  // ---------------------------------------------------------------- change tracking (triggers)

  /** Starts recording the net change of `preds` (their contents are computed now if needed). */
  beginTracking(preds: Iterable<Predicate>): void {
    this.tracking = new Map();
    for (const p of preds) {
      if (p.virtual) {
        const before = new Map<TupleKey, Tuple>();
        this.scanVirtual(p, new Array(p.arity).fill(undefined), NO_OPTIONS, (t) => {
          if (t.every((v) => v !== undefined)) before.set(tupleKey(t as Tuple), t as Tuple);
        });
        this.tracking.set(p, { changed: new Map(), before });
      } else {
        this.ensure(p);
        this.tracking.set(p, { changed: new Map(), before: null });
      }
    }
  }

  /** Ends recording and returns every watched predicate whose contents changed. */
  endTracking(): TableChange[] {
    const tracking = this.tracking;
    this.tracking = null;
    if (tracking === null) return [];
    const out: TableChange[] = [];
    for (const [pred, t] of tracking) {
      const added: Tuple[] = [];
      const removed: Tuple[] = [];
      if (t.before !== null) {
        const after = this.contents(pred);
        for (const [k, tuple] of after) if (!t.before.has(k)) added.push(tuple);
        for (const [k, tuple] of t.before) if (!after.has(k)) removed.push(tuple);
      } else {
        for (const [key, c] of t.changed) {
          const now = pred.rel.get(key) !== undefined;
          if (now && !c.was) added.push(c.tuple);
          else if (!now && c.was) removed.push(c.tuple);
        }
      }
      if (added.length > 0 || removed.length > 0) out.push({ pred, added, removed });
    }
    return out;
  }

  /** Full contents of a predicate by tuple key (ground tuples only). */
  contents(pred: Predicate, opts: EvalOptions = NO_OPTIONS): Map<TupleKey, Tuple> {
    const out = new Map<TupleKey, Tuple>();
    this.scan(pred, new Array(pred.arity).fill(undefined), -1, opts, (t) => {
      if (t.every((v) => v !== undefined)) {
        const tt = t as Tuple;
        out.set(tupleKey(tt), tt);
      }
    });
    return out;
  }

  // ---------------------------------------------------------------- evaluation

  /** Every ground head tuple a rule derives, once per derivation. */
  evaluateRule(cr: CompiledRule, opts: EvalOptions, emit: (t: Tuple) => void): void {
    const env: Env = new Array(cr.varNames.length);
    const order = cr.body.map((_, i) => i);
    this.solve(cr.body, order, 0, env, opts, () => {
      const h = instantiate(cr.headVars, cr.headConsts, env);
      if (h !== null) emit(h);
    });
  }

  /**
   * Depth-first evaluation of body literals in `order`, extending `env`; calls `emit` once per
   * solution. Bindings made here are undone before returning, so `env` can be reused.
   */
  solve(body: readonly CompiledLiteral[], order: readonly number[], k: number, env: Env, opts: EvalOptions, emit: () => void): void {
    if (k === order.length) {
      emit();
      return;
    }
    const idx = order[k];
    const cl = body[idx];
    switch (cl.kind) {
      case 'true':
        this.solve(body, order, k + 1, env, opts, emit);
        return;
      case 'false':
        return;
      case 'builtin':
        this.solveBuiltin(cl, body, order, k, env, opts, emit);
        return;
      case 'neg': {
        const pattern = patternOf(cl, env);
        for (let i = 0; i < pattern.length; i++) {
          if (pattern[i] === undefined) {
            throw new PolicyError(`Negated literal not ground when evaluated: ${formatLiteral(plug(cl.lit, cl, env))}`, 'query_error');
          }
        }
        const pred = cl.pred as Predicate;
        let found: boolean;
        if (isPlain(opts) && !pred.virtual) {
          this.ensure(pred);
          found = pred.rel.get(tupleKey(pattern as Tuple)) !== undefined;
        } else found = this.exists(pred, pattern as Tuple, idx, opts);
        if (!found) this.solve(body, order, k + 1, env, opts, emit);
        return;
      }
      default: {
        const pattern = patternOf(cl, env);
        const pred = cl.pred as Predicate;
        if (isPlain(opts) && !pred.virtual) {
          this.ensure(pred);
          this.join(cl, pattern, pred.rel.lookup(pattern), body, order, k, env, emit);
        } else this.solveScan(cl, pattern, body, order, k, env, opts, emit);
      }
    }
  }

  /**
   * A positive literal through `scan` (virtual tables, overlays, includes). Apart from `solve`
   * because its closure captures this block's variables: in `solve` they would live in a context
   * object allocated on every entry to the block, whichever path then ran.
   */
  private solveScan(
    cl: CompiledLiteral,
    pattern: readonly (Value | undefined)[],
    body: readonly CompiledLiteral[],
    order: readonly number[],
    k: number,
    env: Env,
    opts: EvalOptions,
    emit: () => void,
  ): void {
    const pred = cl.pred as Predicate;
    const idx = order[k];
    const vars = cl.vars;
    // Slots this literal binds, reused for every matching tuple.
    const bound: number[] = new Array(vars.length);
    const visit = (t: readonly (Value | undefined)[]): void => {
      let n = 0;
      let ok = true;
      for (let i = 0; i < vars.length; i++) {
        const s = vars[i];
        if (s < 0) continue;
        const v = t[i];
        if (v === undefined) continue;
        const cur = env[s];
        if (cur === undefined) {
          env[s] = v;
          bound[n++] = s;
        } else if (pattern[i] === undefined && !sameValue(cur, v)) {
          ok = false;
          break;
        }
      }
      if (ok) this.solve(body, order, k + 1, env, opts, emit);
      for (let i = 0; i < n; i++) env[bound[i]] = undefined;
    };
    this.scan(pred, pattern, idx, opts, visit);
  }

  /**
   * One positive literal over stored, ground rows: binds the literal's free variables to each
   * row and continues with the next literal. The common case of every evaluation, so it runs
   * without per-row closures or arrays.
   */
  private join(
    cl: CompiledLiteral,
    pattern: readonly (Value | undefined)[],
    found: Found | undefined,
    body: readonly CompiledLiteral[],
    order: readonly number[],
    k: number,
    env: Env,
    emit: () => void,
  ): void {
    if (found === undefined) return;
    const vars = cl.vars;
    // Argument positions this literal binds; a variable repeated among them is checked against its first binding.
    let free = 0;
    for (let i = 0; i < vars.length; i++) if (pattern[i] === undefined && vars[i] >= 0) free |= 1 << i;
    if (isSingle(found)) {
      if (free === 0 || bindFree(vars, free, found, env)) this.solve(body, order, k + 1, env, NO_OPTIONS, emit);
      if (free !== 0) unbindFree(vars, free, env);
      return;
    }
    // Index loops over list buckets: until the JIT has optimized this loop, `for...of` allocates
    // an iterator result per row (a sixth of what the join cases allocated cold).
    if (Array.isArray(found)) {
      for (let i = 0; i < found.length; i++) this.joinRow(vars, free, found[i], body, order, k, env, emit);
    } else this.joinEach(found, vars, free, body, order, k, env, emit);
  }

  /** A set bucket or every row; apart from `join` so that its closure's context is allocated only here. */
  private joinEach(found: Set<Tuple> | RowTable<Tuple>, vars: readonly number[], free: number, body: readonly CompiledLiteral[], order: readonly number[], k: number, env: Env, emit: () => void): void {
    found.forEach((t: Tuple) => this.joinRow(vars, free, t, body, order, k, env, emit));
  }

  private joinRow(vars: readonly number[], free: number, t: Tuple, body: readonly CompiledLiteral[], order: readonly number[], k: number, env: Env, emit: () => void): void {
    if (free === 0) {
      this.solve(body, order, k + 1, env, NO_OPTIONS, emit);
      return;
    }
    if (bindFree(vars, free, t, env)) this.solve(body, order, k + 1, env, NO_OPTIONS, emit);
    unbindFree(vars, free, env);
  }

  private solveBuiltin(
    cl: CompiledLiteral,
    body: readonly CompiledLiteral[],
    order: readonly number[],
    k: number,
    env: Env,
    opts: EvalOptions,
    emit: () => void,
  ): void {
    const b = cl.builtin as NonNullable<CompiledLiteral['builtin']>;
    // Sized up front: growing an empty array by pushes allocates a larger backing store per call.
    const inputs: Value[] = new Array(b.inputs);
    for (let i = 0; i < b.inputs; i++) {
      const v = cl.vars[i] >= 0 ? env[cl.vars[i]] : cl.consts[i];
      if (v === undefined) {
        throw new PolicyError(`Builtin ${formatLiteral(plug(cl.lit, cl, env))} has an unbound input`, 'query_error');
      }
      inputs[i] = v;
    }
    let result: boolean | readonly Value[] | null;
    try {
      result = b.apply(inputs);
    } catch {
      result = null; // any error in a builtin makes the literal false (spec 8.5)
    }
    if (cl.lit.negated) {
      // `not builtin(...)`: every argument is bound (body safety); true when the builtin is not.
      let holds = result === true;
      if (result !== null && typeof result !== 'boolean') {
        holds = result.length === b.width - b.inputs;
        for (let i = b.inputs; holds && i < b.width; i++) {
          const cur = cl.vars[i] >= 0 ? env[cl.vars[i]] : cl.consts[i];
          if (cur === undefined) {
            throw new PolicyError(`Negated literal not ground when evaluated: ${formatLiteral(plug(cl.lit, cl, env))}`, 'query_error');
          }
          holds = sameValue(cur, result[i - b.inputs]);
        }
      }
      if (!holds) this.solve(body, order, k + 1, env, opts, emit);
      return;
    }
    if (result === null) return;
    if (b.width === b.inputs) {
      if (result === true) this.solve(body, order, k + 1, env, opts, emit);
      return;
    }
    const outs = result as readonly Value[];
    const bound: number[] = [];
    let ok = outs.length === b.width - b.inputs;
    for (let i = b.inputs; ok && i < b.width; i++) {
      const v = outs[i - b.inputs];
      const s = cl.vars[i];
      const cur = s >= 0 ? env[s] : cl.consts[i];
      if (cur === undefined) {
        env[s] = v;
        bound.push(s);
      } else if (!sameValue(cur, v)) ok = false;
    }
    if (ok) this.solve(body, order, k + 1, env, opts, emit);
    for (const s of bound) env[s] = undefined;
  }

  /** Tuples of `pred` matching `pattern`; virtual ones may contain unbound (undefined) values. */
  scan(pred: Predicate, pattern: readonly (Value | undefined)[], litIndex: number, opts: EvalOptions, visit: (t: readonly (Value | undefined)[]) => void): void {
    if (pred.virtual || opts.virtualPolicies?.has(pred.policy) === true) {
      this.scanVirtual(pred, pattern, opts, visit);
      return;
    }
    this.ensure(pred);
    const ov = opts.overlay;
    if (ov !== undefined && ov.pred === pred && litIndex > ov.after) {
      pred.rel.match(pattern, (t) => {
        if (!ov.added.has(tupleKey(t))) visit(t);
      });
      ov.removed.match(pattern, visit);
      return;
    }
    pred.rel.match(pattern, visit);
    this.scanIncludes(pred, pattern, opts, visit);
  }

  private exists(pred: Predicate, tuple: Tuple, litIndex: number, opts: EvalOptions): boolean {
    let found = false;
    if (pred.virtual || opts.virtualPolicies?.has(pred.policy) === true) {
      this.scanVirtual(pred, tuple, opts, () => {
        found = true;
      });
      return found;
    }
    this.ensure(pred);
    const key = tupleKey(tuple);
    const ov = opts.overlay;
    if (ov !== undefined && ov.pred === pred && litIndex > ov.after) {
      return (pred.rel.get(key) !== undefined && !ov.added.has(key)) || ov.removed.get(key) !== undefined;
    }
    if (pred.rel.get(key) !== undefined) return true;
    this.scanIncludes(pred, tuple, opts, () => {
      found = true;
    });
    return found;
  }

  /** Top-down evaluation of a virtual predicate: its facts, then each rule, then included policies. */
  private scanVirtual(pred: Predicate, pattern: readonly (Value | undefined)[], opts: EvalOptions, visit: (t: readonly (Value | undefined)[]) => void): void {
    if (pred.virtual || pred.rules.length === 0) pred.rel.match(pattern, visit);
    else {
      // A materializable table evaluated top-down for once (simulate): its relation may also hold derived rows.
      for (const t of pred.facts.values()) if (matchesBound(t, pattern)) visit(t);
    }
    for (const cr of pred.rules) {
      const env: Env = new Array(cr.varNames.length);
      let ok = true;
      for (let i = 0; i < pattern.length && ok; i++) {
        const want = pattern[i];
        if (want === undefined) continue;
        const s = cr.headVars[i];
        if (s < 0) ok = sameValue(cr.headConsts[i] as Value, want);
        else if (env[s] === undefined) env[s] = want;
        else ok = sameValue(env[s] as Value, want);
      }
      if (!ok) continue;
      const order = cr.body.map((_, i) => i);
      this.solve(cr.body, order, 0, env, opts, () => {
        const t: (Value | undefined)[] = [];
        for (let i = 0; i < cr.headVars.length; i++) {
          const s = cr.headVars[i];
          t.push(s < 0 ? cr.headConsts[i] : env[s]);
        }
        visit(t);
      });
    }
    this.scanIncludes(pred, pattern, opts, visit);
  }

  private scanIncludes(pred: Predicate, pattern: readonly (Value | undefined)[], opts: EvalOptions, visit: (t: readonly (Value | undefined)[]) => void): void {
    const inc = opts.includes?.get(pred.policy);
    if (inc === undefined) return;
    for (const other of inc) {
      const service = pred.service === pred.policy ? other : pred.service;
      const p = this.preds.get(predicateKey(other, pred.modal, service, pred.table, pred.arity));
      if (p !== undefined) this.scan(p, pattern, -1, { ...opts, includes: undefined }, visit);
    }
  }
}

/** What evaluates a literal that reads no table: `true`, `false` or a builtin; null for a table. */
export function specialLiteral(lit: Literal): Pick<CompiledLiteral, 'kind' | 'pred' | 'builtin'> | null {
  if (lit.service === null && lit.modal === null && (lit.table === 'true' || lit.table === 'false')) {
    return { kind: lit.table, pred: null, builtin: null };
  }
  if (lit.modal === null) {
    const b = findBuiltin(lit.table, lit.args.length);
    if (b !== undefined) return { kind: 'builtin', pred: null, builtin: b };
  }
  return null;
}

/**
 * Raw-value key of a tuple: `1` and `1.0` collide, as in fact storage of the original. It is the
 * typed key of the tuple with integral floats read as integers, so a float-free fact costs one
 * key, not two.
 */
export function rawTupleKey(t: Tuple): TupleKey {
  let integral = false;
  for (const v of t) if (typeof v === 'object' && Number.isInteger(v.v)) integral = true;
  if (!integral) return tupleKey(t);
  return tupleKey(t.map((v) => (typeof v === 'object' && Number.isInteger(v.v) ? int(BigInt(v.v)) : v)));
}

/** The typed key of a fact whose raw key is known (the same unless the tuple has floats). */
function typedKey(t: Tuple, raw: TupleKey): TupleKey {
  for (const v of t) if (typeof v === 'object') return tupleKey(t);
  return raw;
}

/** Options that change nothing (queries pass `{}`): evaluation may take the direct path. */
function isPlain(opts: EvalOptions): boolean {
  return opts === NO_OPTIONS || (opts.virtualPolicies === undefined && opts.includes === undefined && opts.overlay === undefined);
}

/** Binds the variables at the `free` argument positions (a bitmask) to a row's values; false on a clash of a repeated variable. */
function bindFree(vars: readonly number[], free: number, t: Tuple, env: Env): boolean {
  for (let i = 0; i < vars.length; i++) {
    if ((free & (1 << i)) === 0) continue;
    const s = vars[i];
    const cur = env[s];
    if (cur === undefined) env[s] = t[i];
    else if (!sameValue(cur, t[i])) return false;
  }
  return true;
}

function unbindFree(vars: readonly number[], free: number, env: Env): void {
  for (let i = 0; i < vars.length; i++) if ((free & (1 << i)) !== 0) env[vars[i]] = undefined;
}

function patternOf(cl: CompiledLiteral, env: Env): (Value | undefined)[] {
  const p: (Value | undefined)[] = new Array(cl.vars.length);
  for (let i = 0; i < cl.vars.length; i++) {
    const s = cl.vars[i];
    p[i] = s < 0 ? cl.consts[i] : env[s];
  }
  return p;
}

/** Binds a literal's variables to a tuple's values; false if constants or repeated variables clash. */
function bindTuple(cl: CompiledLiteral, t: Tuple, env: Env): boolean {
  for (let i = 0; i < cl.vars.length; i++) {
    const s = cl.vars[i];
    if (s < 0) {
      const c = cl.consts[i];
      // No constant: a variable without a slot, which matches anything.
      if (c !== undefined && !sameValue(c, t[i])) return false;
    } else if (env[s] === undefined) env[s] = t[i];
    else if (!sameValue(env[s] as Value, t[i])) return false;
  }
  return true;
}

function instantiate(vars: readonly number[], consts: readonly (Value | undefined)[], env: Env): Tuple | null {
  const out: Value[] = new Array(vars.length);
  for (let i = 0; i < vars.length; i++) {
    const s = vars[i];
    const v = s < 0 ? consts[i] : env[s];
    if (v === undefined) return null;
    out[i] = v;
  }
  return out;
}

/** The literal with bound variables replaced by their values (for messages). */
function plug(lit: Literal, cl: CompiledLiteral, env: Env): Literal {
  return {
    ...lit,
    args: lit.args.map((t, i) => {
      const s = cl.vars[i];
      const v = s >= 0 ? env[s] : undefined;
      return v === undefined ? t : { kind: 'const' as const, value: v };
    }),
  };
}

/** A strongly connected component of predicates; `cyclic` when its rules are recursive. */
interface Component {
  readonly members: Predicate[];
  readonly cyclic: boolean;
  level: number;
}

/** Tarjan's algorithm over the predicates' rule dependencies, with a level per component. */
function computeComponents(all: Iterable<Predicate>): Map<Predicate, Component> {
  const index = new Map<Predicate, number>();
  const low = new Map<Predicate, number>();
  const onStack = new Set<Predicate>();
  const stack: Predicate[] = [];
  const out = new Map<Predicate, Component>();
  let counter = 0;
  const deps = (p: Predicate): Predicate[] => {
    const d: Predicate[] = [];
    for (const r of p.rules) for (const cl of r.body) if (cl.pred !== null) d.push(cl.pred);
    return d;
  };
  const visit = (root: Predicate): void => {
    // Iterative Tarjan: deep rule chains must not overflow the call stack.
    const work: [Predicate, Predicate[], number][] = [[root, deps(root), 0]];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [v, ds] = frame;
      if (frame[2] < ds.length) {
        const w = ds[frame[2]++];
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push([w, deps(w), 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent) as number, low.get(v) as number));
      }
      if (low.get(v) === index.get(v)) {
        const members: Predicate[] = [];
        let w: Predicate;
        do {
          w = stack.pop() as Predicate;
          onStack.delete(w);
          members.push(w);
        } while (w !== v);
        const set = new Set(members);
        const cyclic = members.length > 1 || deps(v).includes(v);
        // Components are completed in reverse topological order: dependencies first.
        let level = 0;
        for (const m of members) for (const d of deps(m)) if (!set.has(d)) level = Math.max(level, (out.get(d)?.level ?? 0) + 1);
        const comp: Component = { members, cyclic, level };
        for (const m of members) out.set(m, comp);
      }
    }
  };
  for (const p of all) if (!index.has(p)) visit(p);
  return out;
}

/**
 * Predicates reachable from `root` through rule bodies that satisfy `want`, dependencies first.
 * Iterative, so that deep rule chains cannot overflow the stack; cycles are visited once.
 */
function postOrder(root: Predicate, want: (p: Predicate) => boolean): Predicate[] {
  const out: Predicate[] = [];
  const seen = new Set<Predicate>([root]);
  const stack: [Predicate, Predicate[], number][] = [[root, bodyPredicates(root), 0]];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame[2] < frame[1].length) {
      const next = frame[1][frame[2]++];
      if (!seen.has(next) && want(next)) {
        seen.add(next);
        stack.push([next, bodyPredicates(next), 0]);
      }
      continue;
    }
    stack.pop();
    out.push(frame[0]);
  }
  return out;
}

function bodyPredicates(p: Predicate): Predicate[] {
  const out: Predicate[] = [];
  for (const r of p.rules) for (const cl of r.body) if (cl.pred !== null) out.push(cl.pred);
  return out;
}

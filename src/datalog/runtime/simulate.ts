/**
 * `simulate` (spec 13): apply a sequence of state updates, rule updates and action invocations
 * to a policy, evaluate a query, and roll everything back. Actions are described by an action
 * policy: `action("name")` facts, `p+`/`p-` effect rules and optional `result` rules.
 */
import { constant, formatStatement, type Literal, type Rule, type Statement, type Term, variable } from '../ast';
import { PolicyError } from '../errors';
import type { EvalOptions } from '../eval/store';
import { parse } from '../parse';
import type { Value } from '../value';
import type { Runtime } from './runtime';
import { literalRepr, ruleRepr } from '../literal-repr';

export interface SimulateRequest {
  readonly query: string;
  readonly theory: string;
  readonly sequence: string;
  readonly actionTheory: string;
  readonly delta?: boolean;
}

let scratchCounter = 0;

function isUpdateTable(table: string): boolean {
  return table.endsWith('+') || table.endsWith('-');
}

function head(f: Literal | Rule): Literal {
  return f.kind === 'literal' ? f : f.heads[0];
}

function tableName(lit: Literal): string {
  return lit.service === null ? lit.table : `${lit.service}:${lit.table}`;
}

function withTable(lit: Literal, table: string): Literal {
  return { ...lit, table };
}

/** `p+` -> `p`, `p-` -> `p`. */
function dropUpdate(lit: Literal): Literal {
  return isUpdateTable(lit.table) ? withTable(lit, lit.table.slice(0, -1)) : lit;
}

function invertUpdate(lit: Literal): Literal {
  if (lit.table.endsWith('+')) return withTable(lit, lit.table.slice(0, -1) + '-');
  if (lit.table.endsWith('-')) return withTable(lit, lit.table.slice(0, -1) + '+');
  return lit;
}

function mapHeads(f: Literal | Rule, fn: (l: Literal) => Literal): Literal | Rule {
  return f.kind === 'literal' ? fn(f) : { ...f, heads: f.heads.map(fn) };
}

/** Runs a simulation and returns the printed answers (spec 13.2). Errors are `simulate_error`s. */
export function simulate(rt: Runtime, req: SimulateRequest, newUuid: () => string): string[] {
  try {
    return run(rt, req, newUuid);
  } catch (err) {
    if (err instanceof PolicyError) throw new PolicyError(err.message, 'simulate_error');
    throw err;
  }
}

function run(rt: Runtime, req: SimulateRequest, newUuid: () => string): string[] {
  // Both policies are looked up before the texts are parsed, as in the original: an unknown
  // action policy is reported even when the query or sequence does not parse.
  if (!rt.hasPolicy(req.theory)) throw new PolicyError(`Unknown policy ${req.theory}`);
  if (!rt.hasPolicy(req.actionTheory)) throw new PolicyError(`Unknown policy ${req.actionTheory}`);
  const queries = parse(req.query);
  // The original indexes the first statement and crashes (500) on an empty query.
  if (queries.length === 0) throw new PolicyError('Empty string passed. Not a valid query');
  if (queries.length !== 1) {
    // The original formats the parsed list with %s, which shows each statement's repr().
    const reprs = queries.map((q) => (q.kind === 'literal' ? literalRepr(q) : q.kind === 'rule' ? ruleRepr(q) : formatStatement(q)));
    throw new PolicyError(`Query [${reprs.join(', ')}] contained more than 1 rule`);
  }
  const query = queries[0];
  if (query.kind === 'event' || (query.kind === 'rule' && query.heads.length !== 1)) {
    throw new PolicyError(`Query must be a formula: ${formatStatement(query)}`);
  }
  const sequence = parse(req.sequence);
  for (const f of sequence) {
    if (f.kind === 'event' || (f.kind === 'literal' && f.negated) || (f.kind === 'rule' && f.heads.some((h) => h.negated))) {
      throw new PolicyError(`Sequence must be an iterable of Rules: ${formatStatement(f)}`);
    }
  }
  const before = req.delta === true ? rt.select(query, req.theory) : [];
  const undo = project(rt, sequence as (Literal | Rule)[], req.theory, req.actionTheory, newUuid);
  let after: Statement[];
  try {
    after = rt.select(query, req.theory);
  } finally {
    project(rt, undo, req.theory, req.actionTheory, newUuid);
  }
  if (req.delta !== true) return after.map(formatStatement);
  const oldText = new Set(before.map(formatStatement));
  const newText = new Set(after.map(formatStatement));
  const plus = after.filter((s) => !oldText.has(formatStatement(s))).map((s) => makeUpdate(s, '+'));
  const minus = before.filter((s) => !newText.has(formatStatement(s))).map((s) => makeUpdate(s, '-'));
  return [...plus, ...minus].map(formatStatement);
}

function makeUpdate(s: Statement, sign: '+' | '-'): Statement {
  if (s.kind === 'literal') return withTable(s, s.table + sign);
  if (s.kind === 'rule') return { ...s, heads: s.heads.map((h) => withTable(h, h.table + sign)) };
  return s;
}

/**
 * Applies `sequence` and returns the updates that undo it, in the order to apply them.
 * The action policy is evaluated top-down with a scratch policy of current action atoms and the
 * simulated policy included (spec 13.2).
 */
function project(rt: Runtime, sequence: readonly (Literal | Rule)[], theory: string, actionTheory: string, newUuid: () => string): (Literal | Rule)[] {
  const scratch = `__simulate_${++scratchCounter}`;
  rt.createPolicy(scratch, { kind: 'action' });
  const includes = new Map<string, string[]>([[actionTheory, actionTheory === theory ? [scratch] : [scratch, theory]]]);
  const opts: EvalOptions = { virtualPolicies: new Set([actionTheory, scratch]), includes };
  const undos: (Literal | Rule)[] = [];
  try {
    const actions = new Set(
      rt.select(variableAtom('action', 1), actionTheory, opts).flatMap((s) => {
        const a = (s as Literal).args[0];
        return a.kind === 'const' && typeof a.value === 'string' ? [a.value] : [];
      }),
    );
    let lastResults: Literal[] = [];
    for (const formula of sequence) {
      const h = head(formula);
      let updates: (Literal | Rule)[];
      if (!actions.has(tableName(h))) {
        if (!isUpdateTable(h.table)) throw new PolicyError(`Sequence contained non-action, non-update: ${formatStatement(formula)}`);
        // A state update is stored unchecked, as in the original, whose fact store keeps a
        // variable as its name: `p+(x, 1)` simulates the row ("x", 1).
        updates = [formula.kind === 'literal' ? { ...formula, args: formula.args.map(groundByName) } : formula];
      } else {
        if (formula.kind === 'literal') {
          if (!formula.args.every((t) => t.kind === 'const')) throw new PolicyError(`Projection atomic updates must be ground: ${formatStatement(formula)}`);
          defineScratch(rt, scratch, [formula]);
        } else {
          defineScratch(rt, scratch, lastResults);
          const grounds = firstInstance(rt, formula, actionTheory, opts);
          if (grounds === null) continue;
          defineScratch(rt, scratch, grounds);
        }
        updates = skolemize(resolveConflicts(consequences(rt, actionTheory, opts, isUpdateTable)), newUuid);
        for (const u of updates) rt.applyUnchecked(scratch, u as Literal, true);
        lastResults = consequences(rt, actionTheory, opts, (t) => t === 'result').filter((l) => l.args.every((a) => a.kind === 'const'));
      }
      for (const u of updates) {
        const undo = projectUpdate(rt, u, theory);
        if (undo !== null) undos.push(undo);
      }
    }
  } catch (err) {
    // A step failed (e.g. an unsafe rule update): undo what earlier steps did, then report.
    for (const u of undos.reverse()) projectUpdate(rt, u, theory);
    throw err;
  } finally {
    rt.deletePolicy(scratch);
  }
  return undos.reverse();
}

function groundByName(t: Term): Term {
  return t.kind === 'const' ? t : constant(t.name);
}

function variableAtom(table: string, width: number): Literal {
  return { kind: 'literal', table, service: null, modal: null, args: Array.from({ length: width }, (_, i) => variable('x' + i)), named: [], negated: false };
}

function defineScratch(rt: Runtime, scratch: string, atoms: readonly Literal[]): void {
  for (const f of rt.factsOf(scratch)) {
    rt.applyUnchecked(scratch, { ...variableAtom(f.table, 0), args: f.row.map((v) => constant(v)) }, false);
  }
  for (const a of atoms) rt.applyUnchecked(scratch, { ...a, service: null, negated: false }, true);
}

/** The heads of an action rule instantiated with the first answer of its body; ground ones only. */
function firstInstance(rt: Runtime, rule: Rule, actionTheory: string, opts: EvalOptions): Literal[] | null {
  const answers = rt.select({ kind: 'rule', heads: rule.heads, body: rule.body }, actionTheory, opts);
  if (answers.length === 0) return null;
  const inst = answers[0] as Rule;
  return inst.heads.filter((h) => h.args.every((t) => t.kind === 'const'));
}

/** Every row of the action policy's own tables whose name satisfies `want` (spec 18 `consequences`). */
function consequences(rt: Runtime, actionTheory: string, opts: EvalOptions, want: (table: string) => boolean): Literal[] {
  const out = new Map<string, Literal>();
  for (const pred of rt.store.predicatesOf(actionTheory)) {
    if (pred.modal !== null || !want(pred.table)) continue;
    if (pred.rules.length === 0 && pred.facts.size === 0) continue;
    const atom: Literal = { ...variableAtom(pred.table, pred.arity), service: pred.service === actionTheory ? null : pred.service };
    for (const s of rt.select(atom, actionTheory, opts)) out.set(formatStatement(s), s as Literal);
  }
  return [...out.values()];
}

/** When both `p+(args)` and `p-(args)` are derived, insertion wins. */
function resolveConflicts(atoms: Literal[]): Literal[] {
  const texts = new Set(atoms.map((a) => formatStatement(a)));
  return atoms.filter((a) => !(a.table.endsWith('-') && texts.has(formatStatement(invertUpdate(a)))));
}

/** Replaces variables left in derived updates by fresh ids, the same id for the same variable. */
function skolemize(atoms: Literal[], newUuid: () => string): Literal[] {
  const ids = new Map<string, Value>();
  const fix = (t: Term): Term => {
    if (t.kind !== 'var') return t;
    let v = ids.get(t.name);
    if (v === undefined) {
      v = newUuid();
      ids.set(t.name, v);
    }
    return constant(v);
  };
  return atoms.map((a) => ({ ...a, args: a.args.map(fix) }));
}

/**
 * Applies one `t+`/`t-` update (atom or rule) to the policy its prefix names, else `theory`.
 * Returns the update that undoes it, or null if it changed nothing.
 */
function projectUpdate(rt: Runtime, update: Literal | Rule, theory: string): Literal | Rule | null {
  const h = head(update);
  const target = h.service ?? theory;
  const insert = h.table.endsWith('+');
  const plain = mapHeads(update, (l) => ({ ...dropUpdate(l), service: null }));
  const changed = rt.applyUnchecked(target, plain, insert);
  return changed ? mapHeads(update, invertUpdate) : null;
}

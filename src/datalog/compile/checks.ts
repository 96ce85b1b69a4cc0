/**
 * Static checks of rules and facts (spec 6.2, catalogue C5-C17) and the body-safety reordering
 * that also fixes evaluation order (spec 6.5). Messages are Congress's exact texts.
 */
import { formatLiteral, formatRule, type Literal, type Rule, type Statement } from '../ast';
import { findBuiltin, isBuiltinName } from '../builtins';
import { PySet, strHash, variableHash } from '../python-set';
import { literalsEqual, type PolicyLookup } from './columns';

/** Variable names of the positional arguments, in order, repeats included. */
function argVarNames(lit: Literal): string[] {
  const out: string[] = [];
  for (const t of lit.args) if (t.kind === 'var') out.push(t.name);
  return out;
}

/** Literal variable names (positional arguments only: elimination has removed named ones). */
function varNames(lit: Literal): string[] {
  const out: string[] = [];
  for (const t of lit.args) if (t.kind === 'var' && !out.includes(t.name)) out.push(t.name);
  return out;
}

/**
 * The original's text of a deferred literal's unsafe variables: `str(target_vars - safe_vars)`,
 * where target_vars is the set of the variable names among the literal's first `n` arguments.
 */
function unsafeVarsText(entry: MissingEntry): string {
  const names: string[] = [];
  for (let i = 0; i < entry.n; i++) {
    const t = entry.lit.args[i];
    if (t.kind === 'var') names.push(t.name);
  }
  return PySet.from(names, strHash).without((k) => !entry.missing.has(k), entry.safeSize).repr();
}

/** True when a body literal is evaluated by a builtin: table name and width both match. */
export function isBuiltinLiteral(lit: Literal): boolean {
  return lit.modal === null && findBuiltin(lit.table, lit.args.length) !== undefined;
}

/**
 * Reorders a rule body so that left-to-right evaluation binds every variable a negated literal
 * or builtin input needs before it runs. Stable: an already safe order is kept. Returns the new
 * body, or the C8 error text.
 */
export function reorderForSafety(rule: Rule): { body: Literal[] } | { error: string } {
  // The checks, the schema bookkeeping and the store each ask for the rule just inserted; rules
  // are immutable, so the answer for the same object is the same.
  if (rule === lastReordered.rule) return lastReordered.result;
  const result = reorder(rule);
  lastReordered = { rule, result };
  return result;
}

let lastReordered: { rule: Rule | null; result: { body: Literal[] } | { error: string } } = { rule: null, result: { body: [] } };

function reorder(rule: Rule): { body: Literal[] } | { error: string } {
  const safe = new Set<string>();
  const out: Literal[] = [];
  const pending: Literal[] = [];
  // The original keeps each deferred literal's missing variables in a dict keyed by the literal, so
  // equal literals (a repeated `not q(x, y)`) share the set recorded last, for flushing and messages.
  const missingByLit: MissingEntry[] = [];
  for (const lit of rule.body) {
    let n = -1;
    if (lit.negated) n = lit.args.length;
    else {
      const b = lit.modal === null ? findBuiltin(lit.table, lit.args.length) : undefined;
      if (b !== undefined) n = b.inputs;
    }
    const missing = n < 0 ? null : missingVars(lit, n, safe);
    if (missing !== null) {
      pending.push(lit);
      const entry = missingByLit.find((m) => literalsEqual(m.lit, lit));
      if (entry === undefined) missingByLit.push({ lit, missing, n, safeSize: safe.size });
      else Object.assign(entry, { missing, n, safeSize: safe.size });
      continue;
    }
    makeSafe(lit, safe, out);
    // Each literal made safe may let deferred ones follow, first deferred first, until none can.
    for (let moved = pending.length > 0; moved; ) {
      moved = false;
      for (let i = 0; i < pending.length; i++) {
        if (allSafe(missingOf(missingByLit, pending[i]), safe)) {
          makeSafe(pending[i], safe, out);
          pending.splice(i, 1);
          moved = true;
          break;
        }
      }
    }
  }
  if (pending.length > 0) {
    const lits = pending.map((lit) => `${formatLiteral(lit)} (vars ${unsafeVarsText(entryOf(missingByLit, lit))})`).join('; ');
    return { error: `Could not reorder rule ${formatRule(rule)}.  Unsafe lits: ${lits}` };
  }
  return { body: out };
}

/** A deferred literal's unsafe variables, and what the original's message needs to print them. */
interface MissingEntry {
  readonly lit: Literal;
  missing: Set<string>;
  /** How many leading arguments must be bound (all for a negation, a builtin's inputs). */
  n: number;
  /** How many variables were safe when the literal was deferred. */
  safeSize: number;
}

/**
 * Variables among the first `n` arguments that are not safe yet, in order of first appearance;
 * null when there are none (the common case allocates nothing).
 */
function missingVars(lit: Literal, n: number, safe: ReadonlySet<string>): Set<string> | null {
  let missing: Set<string> | null = null;
  for (let i = 0; i < n; i++) {
    const t = lit.args[i];
    if (t.kind === 'var' && !safe.has(t.name)) (missing ??= new Set()).add(t.name);
  }
  return missing;
}

function entryOf(entries: readonly MissingEntry[], lit: Literal): MissingEntry {
  const entry = entries.find((m) => literalsEqual(m.lit, lit));
  if (entry === undefined) throw new Error('a deferred literal has no entry');
  return entry;
}

function missingOf(entries: readonly MissingEntry[], lit: Literal): Set<string> {
  return entryOf(entries, lit).missing;
}

function allSafe(names: ReadonlySet<string>, safe: ReadonlySet<string>): boolean {
  for (const v of names) if (!safe.has(v)) return false;
  return true;
}

function makeSafe(lit: Literal, safe: Set<string>, out: Literal[]): void {
  for (const t of lit.args) if (t.kind === 'var') safe.add(t.name);
  out.push(lit);
}

/** C5/C6 for one literal: unknown table in a complete schema, or wrong width. */
export function literalSchemaErrors(lit: Literal, policies: PolicyLookup, target: string): readonly string[] {
  if (lit.named.length > 0) return NO_ERRORS;
  const policyName = lit.service ?? target;
  const policy = policies(policyName);
  if (policy === undefined) return NO_ERRORS;
  const schema = policy.schema;
  if (schema.complete && !schema.has(lit.table)) {
    return [`Literal ${formatLiteral(lit)} uses unknown table ${lit.table} from policy ${policyName}`];
  }
  const arity = schema.arity(lit.table);
  if (arity !== undefined && lit.args.length !== arity) {
    return [`Literal ${formatLiteral(lit)} contained ${lit.args.length} arguments but exactly ${arity} arguments are permitted`];
  }
  return NO_ERRORS;
}

/** The answer of a check that found nothing (shared: the answers are read-only). */
const NO_ERRORS: readonly string[] = Object.freeze([]);

export function schemaErrors(stmt: Statement, policies: PolicyLookup, target: string): readonly string[] {
  if (stmt.kind === 'literal') return literalSchemaErrors(stmt, policies, target);
  if (stmt.kind === 'event') return [];
  let errors: readonly string[] = NO_ERRORS;
  // Most literals have no error: no combined list of literals, no spread of empty lists.
  for (const lits of [stmt.heads, stmt.body]) {
    for (const lit of lits) {
      const e = literalSchemaErrors(lit, policies, target);
      if (e.length > 0) errors = errors.concat(e);
    }
  }
  return errors;
}

/**
 * Rule bodies are evaluated depth-first, one stack level per literal; beyond this many literals
 * the engine refuses the rule instead of risking the process (the original failed far earlier,
 * at Python's recursion limit).
 */
export const MAX_BODY_LITERALS = 500;

export function bodyLimitErrors(rule: Rule): string[] {
  if (rule.body.length <= MAX_BODY_LITERALS) return [];
  return [`Rule body has ${rule.body.length} literals; at most ${MAX_BODY_LITERALS} are supported: ${formatLiteral(rule.heads[0])} :- ...`];
}

/** Datalog proper: an atom, or a rule with exactly one non-negated head. */
export function isDatalog(stmt: Statement): boolean {
  if (stmt.kind === 'literal') return !stmt.negated;
  if (stmt.kind === 'event') return false;
  return stmt.heads.length === 1 && !stmt.heads[0].negated;
}

/**
 * C13. The original prints the whole table name, modal and policy included (`execute:nova:lt`),
 * as Python's `str(Tablename)` joins them with `:`.
 */
function builtinConflict(lit: Literal): string {
  const name = [lit.modal, lit.service, lit.table].filter((x) => x !== null).join(':');
  return `Conflict with built-in tablename: ${name}`;
}

/** C15, C5/C6, C16, C13 for a fact. */
export function factErrors(atom: Literal, policies: PolicyLookup, target: string): string[] {
  const errors: string[] = [];
  if (!atom.args.every((t) => t.kind === 'const')) errors.push(`Fact not ground: ${formatLiteral(atom)}`);
  errors.push(...literalSchemaErrors(atom, policies, target));
  if (atom.service !== null) errors.push(`Fact ${formatLiteral(atom)} should not reference any policy: ${atom.service}`);
  if (isBuiltinName(atom.table)) errors.push(builtinConflict(atom));
  return errors;
}

/**
 * Head variables missing from the body, in the original's order: it iterates `head_vars -
 * body_vars`, two sets of its Variable objects unioned literal by literal.
 */
function headOnlyVars(rule: Rule): Iterable<string> {
  const bodyVars = new Set<string>();
  for (const lit of rule.body) for (const v of varNames(lit)) bodyVars.add(v);
  let unsafe = false;
  for (const h of rule.heads) for (const v of varNames(h)) if (!bodyVars.has(v)) unsafe = true;
  if (!unsafe) return [];
  const heads = new PySet(variableHash);
  for (const h of rule.heads) heads.update(PySet.from(argVarNames(h), variableHash));
  return heads.without((v) => bodyVars.has(v), bodyVars.size);
}

/** C7, C8, C5/C6, C9, C10/C12, C13 for a rule of an ordinary policy. */
export function ruleErrors(rule: Rule, policies: PolicyLookup, target: string): string[] {
  const errors: string[] = [];
  for (const v of headOnlyVars(rule)) errors.push(`Variable ${v} found in head but not in body, rule ${formatRule(rule)}`);
  const reordered = modalInBody(rule) ? null : reorderForSafety(rule);
  if (reordered !== null && 'error' in reordered) errors.push(reordered.error);
  // The original reorders the body in place when it can, so the later messages print that order.
  const shown: Rule = reordered !== null && 'body' in reordered ? { ...rule, body: reordered.body } : rule;
  errors.push(...schemaErrors(rule, policies, target));
  errors.push(...headPolicyErrors(shown, () => false));
  errors.push(...modalErrors(shown));
  if (isBuiltinName(rule.heads[0].table)) errors.push(builtinConflict(rule.heads[0]));
  return errors;
}

/** Checks of action policies: only C9 (with update-table heads allowed) and body safety. */
export function actionRuleErrors(rule: Rule): string[] {
  return headPolicyErrors(rule, (h) => h.table.endsWith('+') || h.table.endsWith('-'));
}

/**
 * The body-safety error of an action policy's rule. The original does not collect it with the
 * other errors of a batch: it comes up when the rule is stored, after every other check passed
 * (the original answers it with 500; here it stays a 400, see docs/differences.md).
 */
export function actionRuleUnsafe(rule: Rule): string | null {
  if (modalInBody(rule)) return null;
  const reordered = reorderForSafety(rule);
  return 'error' in reordered ? reordered.error : null;
}

function modalInBody(rule: Rule): boolean {
  return rule.body.some((l) => l.modal !== null);
}

function headPolicyErrors(rule: Rule, permit: (head: Literal) => boolean): string[] {
  const errors: string[] = [];
  for (const h of rule.heads) {
    if (h.service !== null && h.modal === null && !permit(h)) {
      errors.push(`Non-modal rule head ${formatLiteral(h)} should not reference any policy: ${formatRule(rule)}`);
    }
  }
  return errors;
}

function modalErrors(rule: Rule): string[] {
  const errors: string[] = [];
  let modalInHead = false;
  for (const h of rule.heads) {
    if (h.modal !== null) {
      modalInHead = true;
      if (h.modal !== 'execute') errors.push(`Only 'execute' modal is allowed; found ${h.modal} in head ${formatLiteral(h)}`);
    }
  }
  if (modalInHead && rule.heads.length > 1) {
    errors.push(`May not have multiple rule heads with a modal: ${rule.heads.map(formatLiteral).join(', ')}`);
  }
  for (const l of rule.body) {
    if (l.modal !== null) errors.push(`Modals not allowed in the rule body; found ${l.modal} in body literal ${formatLiteral(l)}`);
  }
  return errors;
}

/**
 * Column-reference elimination and positional padding (spec 5.6).
 *
 * `nova:servers(id=x, status="ERROR")` becomes a purely positional literal of the schema's full
 * width; short positional literals are padded with fresh variables whenever the target policy's
 * schema (fixed or inferred) knows the table. Fresh variable names follow the original
 * (`x_01`, ...), because they are visible in stored rules and error messages.
 */
import { formatLiteral, formatTerm, type Literal, type Rule, type Statement, type Term, variable } from '../ast';
import { PolicyError } from '../errors';
import { sameValue, typeOf, type Value } from '../value';
import type { Schema } from './schema';

/** What elimination needs to know about a policy. */
export interface SchemaSource {
  readonly kind: string;
  readonly schema: Schema;
}

export type PolicyLookup = (name: string) => SchemaSource | undefined;

/**
 * The schema needed to resolve column references is not known yet (missing policy or table).
 * Outside the API such statements are parked until a schema arrives (spec 6.9).
 */
export class IncompleteSchemaError extends PolicyError {
  constructor(message: string) {
    super(message);
    this.name = 'IncompleteSchemaError';
  }
}

export function eliminateColumnRefs(stmt: Statement, policies: PolicyLookup, target: string): Statement {
  if (stmt.kind === 'literal') return eliminateLiteral(stmt, policies, target, '');
  if (stmt.kind === 'event') return stmt;
  return eliminateRule(stmt, policies, target);
}

function eliminateRule(r: Rule, policies: PolicyLookup, target: string): Rule {
  // Most rules have nothing to eliminate: skip ranking the body and naming fresh variables.
  if (!r.heads.some((l) => needsElimination(l, policies, target)) && !r.body.some((l) => needsElimination(l, policies, target))) {
    return { kind: 'rule', heads: r.heads, body: r.body };
  }
  const prefix = unusedVariablePrefix(r);
  const heads = r.heads.map((h, i) => eliminateLiteral(h, policies, target, prefix + i));
  const ranked = [...r.body].sort(compareLiterals);
  const body = r.body.map((lit) => eliminateLiteral(lit, policies, target, prefix + bodyRank(ranked, lit)));
  return { kind: 'rule', heads, body };
}

/**
 * The original maps each body literal to its position in the sorted body through a dict, so equal
 * literals (a repeated `nova:servers(id=x)`) share the position of the last of them, and with it
 * their fresh variables.
 */
function bodyRank(ranked: readonly Literal[], lit: Literal): number {
  for (let i = ranked.length - 1; i >= 0; i--) if (literalsEqual(ranked[i], lit)) return i;
  return ranked.indexOf(lit);
}

/** Python's `Literal.__eq__`: same table (with policy and modal), sign, arguments and references. */
export function literalsEqual(a: Literal, b: Literal): boolean {
  return (
    a.table === b.table &&
    a.service === b.service &&
    a.modal === b.modal &&
    a.negated === b.negated &&
    termListsEqual(a.args, b.args) &&
    a.named.length === b.named.length &&
    a.named.every((n, i) => n.key === b.named[i].key && termsEqual(n.term, b.named[i].term))
  );
}

function termListsEqual(a: readonly Term[], b: readonly Term[]): boolean {
  return a.length === b.length && a.every((t, i) => termsEqual(t, b[i]));
}

function termsEqual(a: Term, b: Term): boolean {
  if (a.kind === 'var' && b.kind === 'var') return a.name === b.name;
  if (a.kind === 'const' && b.kind === 'const') return sameValue(a.value, b.value);
  return false;
}

/** `x_`, lengthened with `_` until no variable of the rule starts with it. */
function unusedVariablePrefix(r: Rule): string {
  const names: string[] = [];
  for (const lit of [...r.heads, ...r.body]) {
    for (const t of lit.args) if (t.kind === 'var') names.push(t.name);
  }
  let prefix = 'x_';
  while (names.some((n) => n.startsWith(prefix))) prefix += '_';
  return prefix;
}

/** Whether {@link eliminateLiteral} would change (or reject) the literal: column references, or fewer arguments than its known schema. */
function needsElimination(lit: Literal, policies: PolicyLookup, target: string): boolean {
  if (lit.named.length > 0) return true;
  const schema = policies(lit.service ?? target)?.schema;
  if (schema === undefined || !schema.has(lit.table)) return false;
  return lit.args.length < (schema.arity(lit.table) ?? lit.args.length);
}

function eliminateLiteral(lit: Literal, policies: PolicyLookup, target: string, prefix: string): Literal {
  const policyName = lit.service ?? target;
  const policy = policies(policyName);
  const termAt = new Map<number, Term>();
  let schema: Schema;
  if (lit.named.length > 0) {
    const text = formatLiteral(lit);
    if (policy === undefined) throw new IncompleteSchemaError(`Literal ${text} uses named arguments, but the schema is unknown.`);
    if (policy.kind !== 'datasource') {
      throw new PolicyError(`Literal ${text} uses column references, but '${policyName}' does not reference a datasource policy.`);
    }
    schema = policy.schema;
    const arity = schema.arity(lit.table);
    if (arity === undefined) throw new IncompleteSchemaError(`Literal ${text} uses unknown table ${lit.table}.`);
    const errors: string[] = [];
    const namedKeys = new Set(lit.named.map((n) => n.key));
    for (const { key, term } of lit.named) {
      if (typeof key === 'string') {
        const index = schema.columnNumber(lit.table, key);
        if (index === undefined) {
          errors.push(`In literal ${text} column name ${key} does not exist`);
          continue;
        }
        if (index < lit.args.length) {
          errors.push(`In literal ${text} column name ${key} references position ${index}, which is already provided by position.`);
        }
        if (namedKeys.has(index)) {
          errors.push(`In literal ${text} column name ${key} references position ${index}, which is also referenced by number.))`);
        }
        const prior = termAt.get(index);
        if (prior !== undefined) {
          errors.push(`In literal ${text}, column name ${key} references position ${index}, which already has reference ${formatTerm(prior)}`);
        }
        termAt.set(index, term);
      } else {
        if (key >= arity) errors.push(`In literal ${text} column index ${key} is too large`);
        if (key < lit.args.length) errors.push(`In literal ${text} column index ${key}  is already provided by position.`);
        const name = schema.columnName(lit.table, key);
        if (name !== undefined && namedKeys.has(name)) {
          errors.push(`In literal ${text} column index ${key} references column ${name}, which is also referenced by name.))`);
        }
        const prior = termAt.get(key);
        if (prior !== undefined) errors.push(`In literal ${text} column index ${key} already has a reference ${formatTerm(prior)}`);
        termAt.set(key, term);
      }
    }
    if (errors.length > 0) throw new PolicyError(errors.join(' '));
  } else {
    if (policy === undefined || !policy.schema.has(lit.table)) return lit;
    schema = policy.schema;
  }
  const arity = schema.arity(lit.table) ?? lit.args.length;
  if (lit.named.length === 0 && lit.args.length >= arity) return lit;
  const args: Term[] = [...lit.args];
  for (let i = args.length; i < arity; i++) args.push(termAt.get(i) ?? variable(prefix + i));
  return { ...lit, args, named: [] };
}


/**
 * The original's literal order (used only to rank body literals for fresh variable names):
 * modal, service, table, negation, argument counts, then arguments.
 */
export function compareLiterals(a: Literal, b: Literal): number {
  return (
    cmpNullable(a.modal, b.modal) ||
    cmpNullable(a.service, b.service) ||
    cmp(a.table, b.table) ||
    Number(a.negated) - Number(b.negated) ||
    a.args.length - b.args.length ||
    a.named.length - b.named.length ||
    compareTermLists(a.args, b.args) ||
    compareTermLists(
      a.named.map((n) => n.term),
      b.named.map((n) => n.term),
    )
  );
}

function compareTermLists(a: readonly Term[], b: readonly Term[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareTerms(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function compareTerms(a: Term, b: Term): number {
  if (a.kind !== b.kind) return a.kind === 'var' ? -1 : 1;
  if (a.kind === 'var' && b.kind === 'var') return cmp(a.name, b.name);
  if (a.kind === 'const' && b.kind === 'const') {
    if (sameValue(a.value, b.value)) return 0;
    return compareValues(a.value, b.value) || cmp(typeOf(a.value), typeOf(b.value));
  }
  return 0;
}

function compareValues(a: Value, b: Value): number {
  if (typeof a === 'string' && typeof b === 'string') return cmp(a, b);
  if (typeof a === 'string') return 1;
  if (typeof b === 'string') return -1;
  const x = typeof a === 'object' ? a.v : Number(a);
  const y = typeof b === 'object' ? b.v : Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpNullable(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return cmp(a, b);
}

/**
 * Abstract syntax of the policy language and its printing.
 *
 * Printing is part of the contract: answers, error messages and stored rule text are compared
 * as strings with the original, so `formatLiteral`/`formatRule` reproduce Congress's layout
 * exactly (`p(1, "a")`, `nova:servers(x, y,id=z)`, `not q(x)`, `execute[p(x)]`).
 */
import { formatValue, type Value } from './value';

export interface Variable {
  readonly kind: 'var';
  readonly name: string;
}

export interface Constant {
  readonly kind: 'const';
  readonly value: Value;
}

export type Term = Variable | Constant;

export type Modal = 'execute' | 'insert' | 'delete';

/** A column reference `name=term` or `3=term` (column number, 0-based). */
export interface NamedArg {
  readonly key: string | number;
  readonly term: Term;
}

/** An atom, possibly negated, possibly with column references. */
export interface Literal {
  readonly kind: 'literal';
  /** Table name; update tables keep their `+`/`-` suffix (`p+`). */
  readonly table: string;
  /** Policy prefix (`nova` in `nova:servers`), or null. */
  readonly service: string | null;
  readonly modal: Modal | null;
  readonly args: readonly Term[];
  /** Column references, sorted: numeric keys ascending, then names ascending. */
  readonly named: readonly NamedArg[];
  readonly negated: boolean;
}

/** `heads :- body`. Only single, non-negated heads survive the engine's checks. */
export interface Rule {
  readonly kind: 'rule';
  readonly heads: readonly Literal[];
  readonly body: readonly Literal[];
}

/** `insert[...]` / `delete[...]`: parsed for completeness, rejected by every update path. */
export interface Event {
  readonly kind: 'event';
  readonly insert: boolean;
  readonly formula: Rule | Literal;
  readonly target: string | null;
}

/** What one statement of policy text parses to. */
export type Statement = Rule | Literal | Event;

export const variable = (name: string): Variable => ({ kind: 'var', name });
export const constant = (value: Value): Constant => ({ kind: 'const', value });

export function literal(
  table: string,
  args: readonly Term[],
  opts: { service?: string | null; modal?: Modal | null; negated?: boolean; named?: readonly NamedArg[] } = {},
): Literal {
  return {
    kind: 'literal',
    table,
    service: opts.service ?? null,
    modal: opts.modal ?? null,
    args,
    named: opts.named ?? [],
    negated: opts.negated ?? false,
  };
}

export function rule(heads: readonly Literal[], body: readonly Literal[]): Rule {
  return { kind: 'rule', heads, body };
}

export function formatTerm(t: Term): string {
  return t.kind === 'var' ? t.name : formatValue(t.value);
}

/** `service:table` or `table`. */
export function tableRef(lit: Pick<Literal, 'table' | 'service'>): string {
  return lit.service === null ? lit.table : lit.service + ':' + lit.table;
}

/** The atom without negation: `nova:servers(x, y,id=z)`, wrapped in its modal if any. */
export function formatAtom(lit: Literal): string {
  const pos = lit.args.map(formatTerm).join(', ');
  const named = lit.named.map((n) => `${n.key}=${formatTerm(n.term)}`).join(', ');
  const args = pos && named ? pos + ',' + named : pos || named;
  const atom = `${tableRef(lit)}(${args})`;
  return lit.modal === null ? atom : `${lit.modal}[${atom}]`;
}

export function formatLiteral(lit: Literal): string {
  return (lit.negated ? 'not ' : '') + formatAtom(lit);
}

export function formatRule(r: Rule): string {
  const heads = r.heads.map(formatLiteral).join(', ');
  if (r.body.length === 0) return heads;
  return heads + ' :- ' + r.body.map(formatLiteral).join(', ');
}

export function formatStatement(s: Statement): string {
  switch (s.kind) {
    case 'literal':
      return formatLiteral(s);
    case 'rule':
      return formatRule(s);
    default: {
      const inner = formatStatement(s.formula);
      const target = s.target === null ? '' : `; "${s.target}"`;
      return `${s.insert ? 'insert' : 'delete'}[${inner}${target}]`;
    }
  }
}

/** Variables of a literal (positional and named), in order of first occurrence. */
export function literalVars(lit: Literal, into: string[] = []): string[] {
  for (const t of lit.args) if (t.kind === 'var' && !into.includes(t.name)) into.push(t.name);
  for (const n of lit.named) if (n.term.kind === 'var' && !into.includes(n.term.name)) into.push(n.term.name);
  return into;
}

export function isGround(lit: Literal): boolean {
  return lit.args.every((t) => t.kind === 'const') && lit.named.every((n) => n.term.kind === 'const');
}

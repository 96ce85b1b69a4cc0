/**
 * Python's `repr()` of a parsed literal or rule, as the original's messages show them when they
 * format a list of parsed statements with `%s` (a simulate query of several statements:
 * `Query [Literal(table=Tablename(table=p, service=None, modal=None), arguments=[Variable(name='x')],
 * negated=False, named_arguments={})] contained more than 1 rule`).
 */
import type { Literal, Rule, Term } from './ast';
import { pyRepr } from './parse/pyrepr';
import { Float, formatFloat } from './value';

function termRepr(t: Term): string {
  if (t.kind === 'var') return `Variable(name=${pyRepr(t.name)})`;
  const v = t.value;
  if (typeof v === 'string') return `ObjectConstant(name=${pyRepr(v)}, type='STRING')`;
  if (v instanceof Float) return `ObjectConstant(name=${formatFloat(v.v)}, type='FLOAT')`;
  return `ObjectConstant(name=${v.toString()}, type='INTEGER')`;
}

/** `repr(literal)`: the original joins arguments with a bare comma, and prints None for an absent service or modal. */
export function literalRepr(l: Literal): string {
  const table = `Tablename(table=${l.table}, service=${l.service ?? 'None'}, modal=${l.modal ?? 'None'})`;
  const args = l.args.map(termRepr).join(',');
  const named = l.named.map((n) => `${typeof n.key === 'number' ? String(n.key) : pyRepr(n.key)}: ${termRepr(n.term)}`).join(',');
  return `Literal(table=${table}, arguments=[${args}], negated=${l.negated ? 'True' : 'False'}, named_arguments={${named}})`;
}

/**
 * `repr(rule)`. The original records a rule's location from the parser's imaginary AND token,
 * so every parsed rule shows line 0, column -1.
 */
export function ruleRepr(r: Rule): string {
  return `Rule(head=[${r.heads.map(literalRepr).join(',')}], body=[${r.body.map(literalRepr).join(',')}], location=Location(line=0, col=-1))`;
}

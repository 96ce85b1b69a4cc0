/**
 * From the pieces of a parsed atom to a {@link Literal}: the table reference, the constants and
 * the parse-time checks of column references (spec 5.6).
 *
 * The original converts its syntax tree in a separate pass that runs twice, so its
 * `Compiler found errors:` message lists every error twice; the parser collects each error
 * once here and {@link compilerErrors} doubles the list.
 */
import { constant, variable, type Literal, type Modal, type NamedArg, type Term } from '../ast';
import { Float, int, type Value } from '../value';
import * as T from './tokens';

/** One parameter as written: `term`, or `key=term` where the key is a column name or number. */
export interface ParsedParam {
  /** Column reference text (`id`, `3`), or null for a positional parameter. */
  readonly key: string | null;
  readonly keyIsNumber: boolean;
  readonly valueKind: number;
  /** The value's source text, quotes included; error messages show it raw. */
  readonly valueText: string;
  /** Offsets of the key and value tokens, for reporting unsupported integer forms. */
  readonly keyOffset: number;
  readonly valueOffset: number;
}

/** Collects what converting atoms finds wrong, in the order the original converts them. */
export interface ConversionLog {
  /** Column-reference errors, each once. */
  readonly errors: string[];
  /** The first integer literal the original cannot convert (`0x1F`), if any. */
  badInteger: { text: string; offset: number } | null;
}

/** `Compiler found errors:` with every error listed twice, as the original reports it. */
export function compilerErrors(errors: readonly string[]): string {
  return 'Compiler found errors:' + errors.concat(errors).join('\n');
}

/** Only decimal integer literals are supported; the original crashes on `0x..`, `0o..`, `0b..`. */
function isDecimal(text: string): boolean {
  return text.length < 2 || text.charCodeAt(1) <= 57;
}

function integerValue(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : int(BigInt(text));
}

/** The constant or variable a parameter value denotes. */
export function term(kind: number, text: string, offset: number, log: ConversionLog): Term {
  switch (kind) {
    case T.ID:
      return variable(text);
    case T.STRING:
      return constant(text.slice(1, -1));
    case T.FLOAT:
      return constant(new Float(Number(text)));
    default: {
      if (!isDecimal(text)) {
        if (log.badInteger === null) log.badInteger = { text, offset };
        return constant(0);
      }
      const value: Value = integerValue(text);
      return constant(value);
    }
  }
}

/** Column numbers compare by value; `00` and `0` are the same column. */
function canonicalNumber(text: string): string {
  const stripped = text.replace(/^0+/, '');
  return stripped === '' ? '0' : stripped;
}

function compareNumbers(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

/** Splits `a:b:c+` into service `a` and table `b:c+`. */
export function tableName(pieces: readonly string[], sign: string): { service: string | null; table: string } {
  if (pieces.length === 1) return { service: null, table: pieces[0] + sign };
  return { service: pieces[0], table: pieces.slice(1).join(':') + sign };
}

/**
 * Builds the literal of one atom and records its column-reference errors: a positional
 * parameter after a named one, a column named or numbered twice, a number already covered
 * by a positional parameter.
 */
export function buildLiteral(
  pieces: readonly string[],
  sign: string,
  modal: Modal | null,
  negated: boolean,
  params: readonly ParsedParam[],
  log: ConversionLog,
): Literal {
  const { service, table } = tableName(pieces, sign);
  const args: Term[] = [];
  let i = 0;
  for (; i < params.length && params[i].key === null; i++) {
    const p = params[i];
    args.push(term(p.valueKind, p.valueText, p.valueOffset, log));
  }
  let named: NamedArg[] = [];
  if (i < params.length) named = namedArgs(service, table, params, i, args.length, log);
  return { kind: 'literal', table, service, modal, args, named, negated };
}

function namedArgs(
  service: string | null,
  table: string,
  params: readonly ParsedParam[],
  first: number,
  positional: number,
  log: ConversionLog,
): NamedArg[] {
  const shown = params
    .filter((p) => p.key !== null)
    .map((p) => `${p.key}=${p.valueText}`)
    .join(',');
  const atom = `${service === null ? table : service + ':' + table}(${shown})`;
  const byName = new Map<string, Term>();
  const byNumber = new Map<string, Term>();
  for (let i = first; i < params.length; i++) {
    const p = params[i];
    if (p.key === null) {
      log.errors.push(`Atom ${atom} has a positional parameter after a reference parameter`);
    } else if (!p.keyIsNumber) {
      if (byName.has(p.key)) log.errors.push(`In atom ${atom} multiple values for column name ${p.key} were provided`);
      byName.set(p.key, term(p.valueKind, p.valueText, p.valueOffset, log));
    } else {
      if (!isDecimal(p.key) && log.badInteger === null) log.badInteger = { text: p.key, offset: p.keyOffset };
      const n = canonicalNumber(p.key);
      if (byNumber.has(n)) log.errors.push(`In atom ${atom} multiple values for column number ${n} were provided.`);
      byNumber.set(n, term(p.valueKind, p.valueText, p.valueOffset, log));
      if (n.length < 16 && Number(n) < positional) {
        log.errors.push(`In atom ${atom} column number ${n} is already provided by position arguments.`);
      }
    }
  }
  const numbers = [...byNumber.keys()].sort(compareNumbers);
  const names = [...byName.keys()].sort();
  return [
    ...numbers.map((n) => ({ key: Number(n), term: byNumber.get(n) as Term })),
    ...names.map((n) => ({ key: n, term: byName.get(n) as Term })),
  ];
}

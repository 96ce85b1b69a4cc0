/**
 * From the tokens of a parsed atom to a {@link Literal}: the table reference, the constants and
 * the parse-time checks of column references (spec 5.6).
 *
 * The original converts its syntax tree in a separate pass that runs twice, so its
 * `Compiler found errors:` message lists every error twice; this builder records each error
 * once, in the original's order, and {@link compilerErrors} doubles the list.
 */
import { constant, variable, type Literal, type Modal, type NamedArg, type Term } from '../ast';
import { Float, int } from '../value';
import { MAX_REPORTED_ERRORS, type TokenBuffer } from './lexer';
import * as T from './tokens';

/** `Compiler found errors:` with every error listed twice, as the original reports it. */
export function compilerErrors(errors: readonly string[]): string {
  return 'Compiler found errors:' + errors.concat(errors).join('\n');
}

/** Only decimal integer literals are supported; the original crashes on `0x..`, `0o..`, `0b..`. */
function isDecimal(text: string): boolean {
  return text.length < 2 || text.charCodeAt(1) <= 57;
}

/** Column numbers compare by value; `00` and `0` are the same column. */
function canonicalNumber(text: string): string {
  let i = 0;
  while (i < text.length - 1 && text.charCodeAt(i) === 48) i++;
  return i === 0 ? text : text.slice(i);
}

function compareKeys(a: NamedArg, b: NamedArg): number {
  const x = a.key;
  const y = b.key;
  if (typeof x === 'number') return typeof y === 'number' ? x - y : -1;
  if (typeof y === 'number') return 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

const NO_NAMED: readonly NamedArg[] = Object.freeze([]);

/** Texts longer than this share equal terms and names; shorter ones are not worth the maps. */
const SHARING_THRESHOLD = 2048;

/**
 * Converts atoms of one parse. Terms are immutable, so equal terms of a large program share
 * one object: it then allocates (and keeps) far fewer objects.
 */
export class AtomBuilder {
  /** Column-reference errors, each once, in the original's order (the first so many). */
  readonly errors: string[] = [];
  /** The first integer literal the original cannot convert (`0x1F`), as a token index, or -1. */
  badInteger = -1;
  private readonly terms: Map<string, Term> | null;
  private readonly names: Map<string, string> | null;

  constructor(private readonly tokens: TokenBuffer) {
    const share = tokens.text.length > SHARING_THRESHOLD;
    this.terms = share ? new Map() : null;
    this.names = share ? new Map() : null;
  }

  private text(i: number): string {
    return this.tokens.text.slice(this.tokens.starts[i], this.tokens.ends[i]);
  }

  private error(message: string): void {
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push(message);
  }

  /** One shared copy of each table or policy name. */
  name(text: string): string {
    if (this.names === null) return text;
    const known = this.names.get(text);
    if (known !== undefined) return known;
    this.names.set(text, text);
    return text;
  }

  /** The variable or constant that token `i` denotes. */
  term(i: number): Term {
    const text = this.text(i);
    const known = this.terms?.get(text);
    if (known !== undefined) return known;
    let t: Term;
    switch (this.tokens.kinds[i]) {
      case T.ID:
        t = variable(text);
        break;
      case T.STRING:
        t = constant(text.slice(1, -1));
        break;
      case T.FLOAT:
        t = constant(new Float(Number(text)));
        break;
      default: {
        if (!isDecimal(text)) {
          if (this.badInteger < 0) this.badInteger = i;
          return constant(0);
        }
        const n = Number(text);
        t = constant(Number.isSafeInteger(n) ? n : int(BigInt(text)));
      }
    }
    this.terms?.set(text, t);
    return t;
  }

  /**
   * The literal of one atom. `args` are the positional parameters before the first column
   * reference, already converted; `rest` holds the parameters from the first column reference
   * on as token index pairs (key or -1 for a misplaced positional one, value), or is null.
   */
  literal(
    service: string | null,
    table: string,
    modal: Modal | null,
    negated: boolean,
    args: Term[],
    rest: readonly number[] | null,
  ): Literal {
    const named = rest === null ? NO_NAMED : this.namedArgs(service, table, rest, args.length);
    return { kind: 'literal', table, service, modal, args, named, negated };
  }

  /**
   * Converts the column references of an atom and records its errors: a positional parameter
   * after a named one, a column named or numbered twice, a number already covered by a
   * positional parameter. Named arguments come back sorted: numbers, then names.
   */
  private namedArgs(service: string | null, table: string, rest: readonly number[], positional: number): NamedArg[] {
    // The original shows the atom with its column references only, values as written.
    const atom = (): string => {
      const shown: string[] = [];
      for (let k = 0; k < rest.length; k += 2) {
        if (rest[k] >= 0) shown.push(this.text(rest[k]) + '=' + this.text(rest[k + 1]));
      }
      return `${service === null ? table : service + ':' + table}(${shown.join(',')})`;
    };
    const out: NamedArg[] = [];
    const seen = new Set<string | number>();
    for (let k = 0; k < rest.length; k += 2) {
      const keyToken = rest[k];
      if (keyToken < 0) {
        this.error(`Atom ${atom()} has a positional parameter after a reference parameter`);
        continue;
      }
      const keyText = this.text(keyToken);
      if (this.tokens.kinds[keyToken] === T.ID) {
        const value = this.term(rest[k + 1]);
        if (seen.has(keyText)) this.error(`In atom ${atom()} multiple values for column name ${keyText} were provided`);
        else out.push({ key: keyText, term: value });
        seen.add(keyText);
        continue;
      }
      if (!isDecimal(keyText) && this.badInteger < 0) this.badInteger = keyToken;
      const digits = canonicalNumber(keyText);
      const n = Number(digits);
      // Numbers beyond 2^53 are distinct columns all the same; they are far too large anyway.
      const id = Number.isSafeInteger(n) ? n : digits;
      if (seen.has(id)) this.error(`In atom ${atom()} multiple values for column number ${digits} were provided.`);
      const value = this.term(rest[k + 1]);
      if (!seen.has(id)) out.push({ key: n, term: value });
      seen.add(id);
      if (n < positional) {
        this.error(`In atom ${atom()} column number ${digits} is already provided by position arguments.`);
      }
    }
    if (out.length > 1) out.sort(compareKeys);
    return out.slice();
  }
}

/**
 * JSONPath as Python's jsonpath-rw 1.4.0 understands it, because the original Congress JSON
 * ingester configs were written against that library: the same text must select the same values
 * in the same order here.
 *
 * Grammar and binding, as jsonpath-rw's PLY parser resolves them (loosest first):
 *   `[..]` postfix < `..` < `.` < `|` < `&` < `where`, all left-associative. PLY gives tokens
 *   without a declared precedence level 0, so a `[` reduces everything before it (up to the
 *   enclosing parenthesis): `$.a.b[0]` is `($.a.b)[0]`, `a|b[0]` is `(a|b)[0]`.
 *
 * Where jsonpath-rw raises during find, only the branch that would raise yields nothing; the
 * rest of the matches stand (the original would abort the whole poll instead).
 *
 * Deliberate differences from jsonpath-rw, all forced by the host or by safety:
 *   - Objects are JavaScript objects, which list integer-like keys first; `*` and `..` follow that
 *     order, Python follows the document's.
 *   - Expressions nested deeper than MAX_DEPTH are rejected instead of exhausting the stack.
 */
import { Float } from '../../../datalog/value';

export class JsonPathError extends Error {
  constructor(
    problem: string,
    readonly position: number,
  ) {
    super(`${problem} at position ${position}`);
    this.name = 'JsonPathError';
  }
}

export interface JsonPath {
  /** Values of the matches, in jsonpath-rw's order. Never throws. */
  find(data: unknown): unknown[];
}

/** Keeps parser recursion and the evaluation closure chain far from the engine's stack limit. */
const MAX_DEPTH = 256;

// ---------------------------------------------------------------- lexer

type Literal = '*' | '.' | '[' | ']' | '(' | ')' | '$' | ',' | ':' | '|' | '&';
type TokenKind = Literal | 'id' | 'number' | 'named' | 'where' | '..' | 'eof';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly num: number;
  readonly pos: number;
}

const LITERALS: ReadonlySet<string> = new Set<Literal>(['*', '.', '[', ']', '(', ')', '$', ',', ':', '|', '&']);
const ID_RE = /[A-Za-z_@][A-Za-z0-9_@-]*/y;
// Python's `\d` is any Unicode decimal digit, and int() accepts them all.
const NUMBER_RE = /-?\p{Nd}+/uy;
const DIGIT_RE = /\p{Nd}/u;
const QUOTES: Readonly<Record<string, string>> = { "'": 'quoted name', '"': 'quoted name', '`': 'named operator' };

function token(kind: TokenKind, text: string, pos: number, num = 0): Token {
  return { kind, text, num, pos };
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n') {
      i++;
      continue;
    }
    ID_RE.lastIndex = i;
    const id = ID_RE.exec(text);
    if (id !== null) {
      tokens.push(token(id[0] === 'where' ? 'where' : 'id', id[0], i));
      i += id[0].length;
      continue;
    }
    NUMBER_RE.lastIndex = i;
    const num = NUMBER_RE.exec(text);
    if (num !== null) {
      tokens.push(token('number', num[0], i, numberValue(num[0])));
      i += num[0].length;
      continue;
    }
    if (Object.hasOwn(QUOTES, c)) {
      const [value, end] = quoted(text, i);
      tokens.push(token(c === '`' ? 'named' : 'id', value, i));
      i = end;
      continue;
    }
    if (c === '.' && text[i + 1] === '.') {
      tokens.push(token('..', '..', i));
      i += 2;
      continue;
    }
    if (LITERALS.has(c)) {
      tokens.push(token(c as Literal, c, i));
      i++;
      continue;
    }
    throw new JsonPathError(`unexpected character ${JSON.stringify(String.fromCodePoint(text.codePointAt(i) ?? 0))}`, i);
  }
  tokens.push(token('eof', '', text.length));
  return tokens;
}

/** Reads a quoted name or operator starting at `start`; returns its value and the index past it. */
function quoted(text: string, start: number): [string, number] {
  const close = text[start];
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === close) return [value, i + 1];
    if (c === '\\') {
      const cp = text.codePointAt(i + 1);
      // Python's `\\.` cannot escape a newline (nor the end of text).
      if (cp === undefined || cp === 0x0a) throw new JsonPathError(`bad escape in ${QUOTES[close]}`, i);
      const escaped = String.fromCodePoint(cp);
      value += escaped;
      i += 1 + escaped.length;
    } else {
      value += c;
      i++;
    }
  }
  throw new JsonPathError(`unterminated ${QUOTES[close]}`, start);
}

function numberValue(text: string): number {
  let digits = '';
  for (const ch of text) {
    if (ch === '-' || (ch >= '0' && ch <= '9')) {
      digits += ch;
      continue;
    }
    // Unicode assigns decimal digits only in aligned runs of ten, so a digit's value is its
    // distance from the start of its run, modulo ten.
    let cp = ch.codePointAt(0) ?? 0;
    let offset = 0;
    while (DIGIT_RE.test(String.fromCodePoint(cp - 1))) {
      cp--;
      offset++;
    }
    digits += String(offset % 10);
  }
  // Python has no negative zero; `+ 0` turns -0 into 0.
  return Number(digits) + 0;
}

// ---------------------------------------------------------------- parser

type Binary = 'child' | 'descendants' | 'where' | 'union' | 'intersect';

type Node =
  | { readonly t: 'root' | 'this' | 'parent'; readonly depth: number }
  | { readonly t: 'fields'; readonly names: readonly string[]; readonly depth: number }
  | { readonly t: 'index'; readonly index: number; readonly depth: number }
  | { readonly t: 'slice'; readonly start: number | null; readonly end: number | null; readonly depth: number }
  | { readonly t: Binary; readonly l: Node; readonly r: Node; readonly depth: number };

const BINARY: Partial<Record<TokenKind, { readonly op: Binary; readonly level: number }>> = {
  '..': { op: 'descendants', level: 2 },
  '.': { op: 'child', level: 3 },
  '|': { op: 'union', level: 4 },
  '&': { op: 'intersect', level: 5 },
  where: { op: 'where', level: 6 },
};

class Parser {
  private at = 0;
  private nesting = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parseAll(): Node {
    const node = this.expression(0);
    this.expect('eof');
    return node;
  }

  /** Precedence climbing; `[` has level 0, so it only applies at the outermost level of a group. */
  private expression(minLevel: number): Node {
    let left = this.primary();
    for (;;) {
      const next = this.peek();
      if (next.kind === '[') {
        if (minLevel > 0) return left;
        this.take();
        left = this.binary('child', left, this.bracket(), next);
        continue;
      }
      const binary = BINARY[next.kind];
      if (binary === undefined || binary.level < minLevel) return left;
      this.take();
      this.enter(next);
      const right = this.expression(binary.level + 1);
      this.nesting--;
      left = this.binary(binary.op, left, right, next);
    }
  }

  private primary(): Node {
    const tok = this.take();
    switch (tok.kind) {
      case '$':
        return { t: 'root', depth: 1 };
      case '*':
        return { t: 'fields', names: ['*'], depth: 1 };
      case 'id':
        return this.fields(tok);
      case 'named':
        if (tok.text === 'this' || tok.text === 'parent') return { t: tok.text, depth: 1 };
        throw new JsonPathError(`unknown named operator \`${tok.text}\``, tok.pos);
      case '[':
        return this.bracket();
      case '(': {
        this.enter(tok);
        const inner = this.expression(0);
        this.nesting--;
        this.expect(')');
        return inner;
      }
      default:
        throw this.unexpected(tok);
    }
  }

  /** The inside of `[...]` after the `[`: an index, a slice, or field names. */
  private bracket(): Node {
    const tok = this.take();
    let node: Node;
    if (tok.kind === '*') {
      node = { t: 'slice', start: null, end: null, depth: 1 };
    } else if (tok.kind === 'id') {
      node = this.fields(tok);
    } else if (tok.kind === 'number' && this.peek().kind !== ':') {
      node = { t: 'index', index: tok.num, depth: 1 };
    } else if (tok.kind === 'number' || tok.kind === ':') {
      if (tok.kind === 'number') this.expect(':');
      const end = this.peek().kind === 'number' ? this.take().num : null;
      node = { t: 'slice', start: tok.kind === 'number' ? tok.num : null, end, depth: 1 };
    } else {
      throw this.unexpected(tok);
    }
    this.expect(']');
    return node;
  }

  private fields(first: Token): Node {
    const names = [first.text];
    while (this.peek().kind === ',') {
      this.take();
      const tok = this.take();
      if (tok.kind !== 'id') throw this.unexpected(tok);
      names.push(tok.text);
    }
    return { t: 'fields', names, depth: 1 };
  }

  private binary(op: Binary, l: Node, r: Node, at: Token): Node {
    const depth = 1 + Math.max(l.depth, r.depth);
    if (depth > MAX_DEPTH) throw new JsonPathError(`expression nested more than ${MAX_DEPTH} levels deep`, at.pos);
    return { t: op, l, r, depth };
  }

  private enter(at: Token): void {
    if (++this.nesting > MAX_DEPTH) throw new JsonPathError(`expression nested more than ${MAX_DEPTH} levels deep`, at.pos);
  }

  private peek(): Token {
    return this.tokens[this.at];
  }

  private take(): Token {
    const tok = this.tokens[this.at];
    if (tok.kind !== 'eof') this.at++;
    return tok;
  }

  private expect(kind: TokenKind): void {
    const tok = this.take();
    if (tok.kind !== kind) throw this.unexpected(tok);
  }

  private unexpected(tok: Token): JsonPathError {
    if (tok.kind === 'eof') return new JsonPathError('unexpected end of expression', tok.pos);
    const shown = tok.kind === 'id' || tok.kind === 'named' ? `${tok.kind === 'id' ? 'name' : 'operator'} ${JSON.stringify(tok.text)}` : `'${tok.text}'`;
    return new JsonPathError(`unexpected ${shown}`, tok.pos);
  }
}

// ---------------------------------------------------------------- evaluation

/**
 * A match's place in the document: jsonpath-rw's DatumInContext, reduced to what `parent` and a
 * non-leading `$` need. Only built when the expression uses either.
 */
interface Datum {
  readonly value: unknown;
  readonly parent: Datum | null;
}

/** Receives each match of a step, with its context (null when contexts are not tracked). */
type Sink = (value: unknown, parent: Datum | null) => void;

/**
 * `parent` of a top-level datum: jsonpath-rw yields a bare None there, which later steps treat as
 * a context-free null and which makes the final `m.value` raise; it is dropped from the results.
 */
const ORPHAN: Datum = { value: null, parent: null };

type JsonObject = Record<string, unknown>;

/** A JSON object; a boxed float (from `parseJson`) is a number, not an object. */
function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Float);
}

/** Python string indexing counts code points, not UTF-16 units. */
function codePointAt(text: string, index: number): string | undefined {
  const chars = /[\uD800-\uDFFF]/.test(text) ? Array.from(text) : text;
  const i = index < 0 ? index + chars.length : index;
  return i >= 0 && i < chars.length ? chars[i] : undefined;
}

/** Python's range(len)[start:end] bounds. */
function sliceBounds(length: number, start: number | null, end: number | null): [number, number] {
  const clamp = (n: number): number => Math.min(Math.max(n < 0 ? n + length : n, 0), length);
  return [start === null ? 0 : clamp(start), end === null ? length : clamp(end)];
}

/**
 * jsonpath-rw's slice hack wraps exactly these as one-element lists (bool and int, not float).
 * Documents parsed by `parseJson` box every float, so a plain number is an int there.
 */
function wrappedBySlice(value: unknown): boolean {
  return isObject(value) || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
}

/** True when some step may look above its input: `parent`, or `$` anywhere but the very start. */
function needsContext(node: Node, leading: boolean): boolean {
  switch (node.t) {
    case 'parent':
      return true;
    case 'root':
      return !leading;
    case 'child':
    case 'descendants':
    case 'where':
    case 'union':
    case 'intersect':
      return needsContext(node.l, leading) || needsContext(node.r, false);
    default:
      return false;
  }
}

/** Compiles `node` into a sink that feeds each of its matches to `next` (continuation style, so no intermediate lists). */
function compile(node: Node, next: Sink, track: boolean): Sink {
  const here = (value: unknown, parent: Datum | null): Datum | null => (track ? { value, parent } : null);
  switch (node.t) {
    case 'root':
      return (value, parent) => {
        let top = parent;
        if (top === null) return next(value, null);
        while (top.parent !== null) top = top.parent;
        next(top.value, null);
      };
    case 'this':
      return (value, parent) => next(value, parent === ORPHAN ? null : parent);
    case 'parent':
      return (_value, parent) => (parent === null || parent === ORPHAN ? next(null, ORPHAN) : next(parent.value, parent.parent));
    case 'fields': {
      const names = node.names;
      if (names.includes('*')) {
        return (value, parent) => {
          if (!isObject(value)) return;
          const self = here(value, parent);
          for (const key of Object.keys(value)) next(value[key], self);
        };
      }
      return (value, parent) => {
        if (!isObject(value)) return;
        const self = here(value, parent);
        // Own properties only: `constructor` or `__proto__` must not resolve through the prototype.
        for (const name of names) if (Object.hasOwn(value, name)) next(value[name], self);
      };
    }
    case 'index': {
      const index = node.index;
      // jsonpath-rw raises on dicts (KeyError), numbers, booleans and null (TypeError) and on
      // out-of-range negative indices (IndexError): no match here.
      return (value, parent) => {
        if (Array.isArray(value)) {
          const i = index < 0 ? index + value.length : index;
          if (i >= 0 && i < value.length) next(value[i], here(value, parent));
        } else if (typeof value === 'string') {
          const char = codePointAt(value, index);
          if (char !== undefined) next(char, here(value, parent));
        }
      };
    }
    case 'slice': {
      const { start, end } = node;
      return (value, parent) => {
        if (Array.isArray(value)) {
          const [from, to] = sliceBounds(value.length, start, end);
          const self = from < to ? here(value, parent) : null;
          for (let i = from; i < to; i++) next(value[i], self);
        } else if (wrappedBySlice(value)) {
          const [from, to] = sliceBounds(1, start, end);
          // The wrapping list becomes the element's parent, as in jsonpath-rw.
          if (from < to) next(value, here([value], parent));
        }
        // null and non-integer numbers: jsonpath-rw raises TypeError (len of None/float); no match.
      };
    }
    case 'child':
      return compile(node.l, compile(node.r, next, track), track);
    case 'descendants': {
      const right = compile(node.r, next, track);
      const walk: Sink = (value, parent) => {
        // jsonpath-rw raises AttributeError descending from a bare None; no match.
        if (parent === ORPHAN) return;
        // Explicit stack: documents may nest deeper than the call stack allows.
        const values: unknown[] = [value];
        const parents: (Datum | null)[] = [parent];
        while (values.length > 0) {
          const v = values.pop();
          const p = parents.pop() ?? null;
          right(v, p);
          if (Array.isArray(v)) {
            const self = here(v, p);
            for (let i = v.length - 1; i >= 0; i--) {
              values.push(v[i]);
              parents.push(self);
            }
          } else if (isObject(v)) {
            const self = here(v, p);
            const keys = Object.keys(v);
            for (let i = keys.length - 1; i >= 0; i--) {
              values.push(v[keys[i]]);
              parents.push(self);
            }
          }
        }
      };
      return compile(node.l, walk, track);
    }
    case 'where': {
      let found = false;
      const test = compile(node.r, () => (found = true), track);
      return compile(
        node.l,
        (value, parent) => {
          const outer = found;
          found = false;
          test(value, parent);
          const keep = found;
          found = outer;
          if (keep) next(value, parent);
        },
        track,
      );
    }
    case 'union': {
      const left = compile(node.l, next, track);
      const right = compile(node.r, next, track);
      return (value, parent) => {
        left(value, parent);
        right(value, parent);
      };
    }
    case 'intersect':
      // jsonpath-rw's Intersect.find raises NotImplementedError: never a match.
      return () => undefined;
  }
}

export function parseJsonPath(text: string): JsonPath {
  const ast = new Parser(tokenize(text)).parseAll();
  let out: unknown[] = [];
  // A bare None reaching the end makes jsonpath-rw raise on `m.value`; drop it.
  const entry = compile(ast, (value, parent) => (parent === ORPHAN ? undefined : void out.push(value)), needsContext(ast, true));
  return {
    find(data: unknown): unknown[] {
      const outer = out;
      out = [];
      try {
        entry(data, null);
        return out;
      } finally {
        out = outer;
      }
    },
  };
}

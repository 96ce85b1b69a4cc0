/**
 * The lexer: policy text to a flat token buffer, or `Lex failure.` with the original's errors.
 *
 * The original is an ANTLR3 lexer; which characters it rejects, where it reports them and where
 * it resumes afterwards follow from how its generated decisions look ahead. This lexer
 * reproduces those decisions (so every lex failure lists the same errors at the same places)
 * but is written as plain scanning loops. Deliberate differences, from the specification:
 * string prefixes (`u"x"`, `r'x'`, `b"x"`) are not recognised, so the letter lexes as an
 * identifier and the statement fails to parse instead of yielding a mangled value.
 *
 * Characters outside the Basic Multilingual Plane are outside the original's vocabulary (its
 * character sets stop at U+FFFF), so they are lex errors even inside strings and comments.
 */
import { PolicyError } from '../errors';
import { header, isLowSurrogate, PositionMap } from './position';
import { pyRepr } from './pyrepr';
import * as T from './tokens';

/** Tokens on the parser's channel (whitespace and comments dropped), as parallel arrays. */
export interface TokenBuffer {
  readonly text: string;
  /** Token kinds (see `tokens.ts`); entries at and beyond `count` are unused. */
  readonly kinds: Uint8Array;
  /** UTF-16 start offset of each token. */
  readonly starts: Int32Array;
  /** UTF-16 end offset (exclusive) of each token. */
  readonly ends: Int32Array;
  readonly count: number;
}

/** The original reports every error; past this many the message is useless and only costs memory. */
export const MAX_REPORTED_ERRORS = 1000;

const EOF_CHAR = -1;
/** Stands for any code point above U+FFFF: no character set of the grammar contains it. */
const ASTRAL = 0x110000;

// Character classes for the ASCII range.
const ID_START = 1;
const ID_PART = 2;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_.]/.test(ch)) CLASS[c] |= ID_START | ID_PART;
  if (/[0-9]/.test(ch)) CLASS[c] |= ID_PART;
}

const isIdPart = (c: number): boolean => c >= 0 && c < 128 && (CLASS[c] & ID_PART) !== 0;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** A lexer error: where the original reports it, what it says, and where lexing resumes. */
class LexError {
  constructor(
    readonly offset: number,
    readonly message: string,
    readonly resume: number,
  ) {}
}

/**
 * Lexes the whole text; throws `Lex failure.` listing the errors, if any.
 *
 * The buffer of a short text is shared scratch space, overwritten by the next call: parsing
 * one rule at a time is the hot path, and allocating the arrays dominated it.
 */
export function lex(text: string): TokenBuffer {
  return new Lexer(text).run();
}

/** Texts up to this many UTF-16 units (hence tokens) lex into the shared buffer. */
const SHARED_CAPACITY = 4096;
let shared: { kinds: Uint8Array; starts: Int32Array; ends: Int32Array } | null = null;

class Lexer {
  private readonly n: number;
  private kinds: Uint8Array;
  private starts: Int32Array;
  private ends: Int32Array;
  private count = 0;
  private readonly errors: LexError[] = [];

  constructor(private readonly text: string) {
    this.n = text.length;
    if (this.n < SHARED_CAPACITY) {
      shared ??= {
        kinds: new Uint8Array(SHARED_CAPACITY),
        starts: new Int32Array(SHARED_CAPACITY),
        ends: new Int32Array(SHARED_CAPACITY),
      };
      ({ kinds: this.kinds, starts: this.starts, ends: this.ends } = shared);
    } else {
      // Typical policy text has a token every four to six characters; the arrays grow if not.
      const cap = this.n >> 2;
      this.kinds = new Uint8Array(cap);
      this.starts = new Int32Array(cap);
      this.ends = new Int32Array(cap);
    }
  }

  run(): TokenBuffer {
    const { text, n } = this;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) {
        i++;
        continue;
      }
      let result: number | LexError;
      if (c < 128 && (CLASS[c] & ID_START) !== 0 && c !== 46) result = this.word(i);
      else if (c >= 49 && c <= 57) result = this.decimal(i);
      else {
        switch (c) {
          case 48: // '0'
            result = this.zero(i);
            break;
          case 46: // '.'
            result = this.dot(i);
            break;
          case 58: // ':'
            result = text.charCodeAt(i + 1) === 45 ? this.emit(T.COLONMINUS, i, i + 2) : this.emit(T.COLON, i, i + 1);
            break;
          case 44:
            result = this.emit(T.COMMA, i, i + 1);
            break;
          case 40:
            result = this.emit(T.LPAREN, i, i + 1);
            break;
          case 41:
            result = this.emit(T.RPAREN, i, i + 1);
            break;
          case 91:
            result = this.emit(T.LBRACKET, i, i + 1);
            break;
          case 93:
            result = this.emit(T.RBRACKET, i, i + 1);
            break;
          case 59:
            result = this.emit(T.SEMI, i, i + 1);
            break;
          case 61:
            result = this.emit(T.EQUAL, i, i + 1);
            break;
          case 43: // '+'
          case 45: // '-'
            result = this.emit(T.SIGN, i, i + 1);
            break;
          case 33: // '!'
            result = this.emit(T.NEGATION, i, i + 1);
            break;
          case 34: // '"'
          case 39: // "'"
            result = this.string(i);
            break;
          case 35: // '#'
            result = this.lineComment(i + 1);
            break;
          case 47: // '/'
            result = this.slash(i);
            break;
          default:
            result = this.noViableAlternative(i, i);
        }
      }
      if (typeof result === 'number') {
        i = result;
      } else {
        this.errors.push(result);
        if (this.errors.length >= MAX_REPORTED_ERRORS) break;
        i = result.resume;
      }
    }
    if (this.errors.length > 0) throw new PolicyError('Lex failure.\n' + this.describe());
    return { text, kinds: this.kinds, starts: this.starts, ends: this.ends, count: this.count };
  }

  private describe(): string {
    const positions = new PositionMap(this.text);
    return this.errors.map((e) => `${header(positions.at(e.offset))}  ${e.message}`).join('\n');
  }

  /** Records a token and returns where the next one starts. */
  private emit(kind: number, start: number, end: number): number {
    if (this.count === this.kinds.length) this.grow();
    const k = this.count++;
    this.kinds[k] = kind;
    this.starts[k] = start;
    this.ends[k] = end;
    return end;
  }

  private grow(): void {
    const cap = this.kinds.length * 2;
    const kinds = new Uint8Array(cap);
    kinds.set(this.kinds);
    const starts = new Int32Array(cap);
    starts.set(this.starts);
    const ends = new Int32Array(cap);
    ends.set(this.ends);
    this.kinds = kinds;
    this.starts = starts;
    this.ends = ends;
  }

  /** The code point at `i`, {@link EOF_CHAR} at the end, {@link ASTRAL} for a surrogate pair. */
  private cp(i: number): number {
    if (i >= this.n) return EOF_CHAR;
    const c = this.text.charCodeAt(i);
    return c >= 0xd800 && c <= 0xdbff && isLowSurrogate(this.text.charCodeAt(i + 1)) ? ASTRAL : c;
  }

  /** The offset after the character at `i` (the original's one-character `consume()`). */
  private after(i: number): number {
    const c = this.cp(i);
    if (c === EOF_CHAR) return i;
    return c === ASTRAL ? i + 2 : i + 1;
  }

  /** How the original displays the character at `i` in a message. */
  private display(i: number): string {
    if (i >= this.n) return pyRepr('<EOF>');
    return pyRepr(this.text.slice(i, this.after(i)));
  }

  /**
   * A failed prediction: reported at `at`; the original then drops one character at `from`
   * (where its prediction started) and tries again.
   */
  private noViableAlternative(at: number, from: number): LexError {
    return new LexError(at, 'no viable alternative at character ' + this.display(at), this.after(from));
  }

  /** A failed single-character match at `at`; the original drops that character. */
  private mismatch(at: number, expected: string): LexError {
    return new LexError(at, `mismatched character ${this.display(at)} expecting ${pyRepr(expected)}`, this.after(at));
  }

  /** A `(...)+` loop with no iteration at `at`; the original resumes right there. */
  private earlyExit(at: number): LexError {
    return new LexError(at, 'required (...)+ loop did not match anything at character ' + this.display(at), at);
  }

  /** An identifier or keyword starting with a letter or underscore. */
  private word(i: number): number {
    const text = this.text;
    const n = this.n;
    let j = i + 1;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c < 128 && (CLASS[c] & ID_PART) !== 0) j++;
      else break;
    }
    return this.emit(this.keyword(i, j - i), i, j);
  }

  private keyword(i: number, len: number): number {
    const text = this.text;
    if (len === 3) {
      if (text.startsWith('not', i) || text.startsWith('NOT', i)) return T.NEGATION;
    } else if (len === 6) {
      if (text.startsWith('delete', i)) return T.DELETE;
      if (text.startsWith('insert', i)) return T.INSERT;
    } else if (len === 7 && text.startsWith('execute', i)) {
      return T.EXECUTE;
    }
    return T.ID;
  }

  /** An identifier (any start, including `.`) running to the last identifier character. */
  private identifier(i: number): number {
    let j = i + 1;
    while (isIdPart(this.cp(j))) j++;
    return this.emit(T.ID, i, j);
  }

  private skipDigits(j: number): number {
    while (isDigit(this.cp(j))) j++;
    return j;
  }

  /** Text starting with 1-9: an INT unless `.`, `e` or `E` follows the digits. */
  private decimal(i: number): number | LexError {
    const j = this.skipDigits(i + 1);
    const c = this.cp(j);
    if (c === 46 || c === 69 || c === 101) return this.float(i);
    return this.emit(T.INT, i, j);
  }

  /** Text starting with 0: zeros, a hex/octal/binary INT, or a FLOAT. */
  private zero(i: number): number | LexError {
    let j = i + 1;
    while (this.cp(j) === 48) j++;
    const c = this.cp(j);
    // Any further digit, `.`, `e` or `E` makes the original commit to FLOAT (`007` then fails).
    if (isDigit(c) || c === 46 || c === 69 || c === 101) return this.float(i);
    if (j === i + 1) {
      if (c === 111 || c === 79) return this.radix(i, j + 1, (d) => d >= 48 && d <= 55);
      if (c === 120 || c === 88) {
        return this.radix(i, j + 1, (d) => isDigit(d) || (d >= 65 && d <= 70) || (d >= 97 && d <= 102));
      }
      if (c === 98 || c === 66) return this.radix(i, j + 1, (d) => d === 48 || d === 49);
    }
    return this.emit(T.INT, i, j);
  }

  /** `0o17`, `0x1F`, `0b11`: lexed as INT like the original; the parser rejects them. */
  private radix(i: number, j: number, isRadixDigit: (c: number) => boolean): number | LexError {
    let k = j;
    while (isRadixDigit(this.cp(k))) k++;
    if (k === j) return this.earlyExit(j);
    return this.emit(T.INT, i, k);
  }

  /**
   * Text starting with `.`: an identifier, a FLOAT such as `.5` or `.5e3`, or the `.` token.
   * The original decides by looking past the digits: `.5.5` and `.5e` are identifiers.
   */
  private dot(i: number): number | LexError {
    const c = this.cp(i + 1);
    if (!isDigit(c)) return isIdPart(c) ? this.identifier(i) : this.emit(T.DOT, i, i + 1);
    const j = this.skipDigits(i + 2);
    const d = this.cp(j);
    if (d === 69 || d === 101) {
      const e = this.cp(j + 1);
      if (e === 43 || e === 45) return this.float(i);
      if (!isDigit(e)) return this.identifier(i);
      const k = this.skipDigits(j + 2);
      return isIdPart(this.cp(k)) ? this.identifier(i) : this.float(i);
    }
    return isIdPart(d) ? this.identifier(i) : this.float(i);
  }

  /**
   * A FLOAT the original has committed to: `digits? . digits`, `digits .`, either followed by
   * an exponent, or `digits exponent`. Digits followed by anything else is its "no viable
   * alternative" at that character, after which it retries one character further on.
   */
  private float(i: number): number | LexError {
    let j = i;
    let c = this.cp(j);
    if (isDigit(c)) {
      j = this.skipDigits(j + 1);
      c = this.cp(j);
      if (c === 69 || c === 101) return this.exponent(i, j);
      if (c !== 46) return this.noViableAlternative(j, i);
    }
    // At the `.`: fraction digits are optional after integer digits, required otherwise.
    j++;
    c = this.cp(j);
    if (!isDigit(c) && j === i + 1) return this.noViableAlternative(j, i);
    j = this.skipDigits(j);
    c = this.cp(j);
    if (c === 69 || c === 101) return this.exponent(i, j);
    return this.emit(T.FLOAT, i, j);
  }

  /** `e`/`E`, an optional sign, then at least one digit. */
  private exponent(i: number, j: number): number | LexError {
    let k = j + 1;
    const c = this.cp(k);
    if (c === 43 || c === 45) k++;
    if (!isDigit(this.cp(k))) return this.earlyExit(k);
    return this.emit(T.FLOAT, i, this.skipDigits(k + 1));
  }

  /** One STRING token: one or more quoted pieces with no space between (`"ab"'cd'`). */
  private string(i: number): number | LexError {
    let j = i;
    do {
      const q = this.cp(j);
      const next = this.cp(j + 1);
      let end: number | LexError;
      if (next === q) end = this.cp(j + 2) === q ? this.tripleQuoted(j, q) : j + 2;
      else if (next === EOF_CHAR || next === 10 || next === 13 || next === ASTRAL) return this.noViableAlternative(j, j);
      else end = this.singleQuoted(j, q);
      if (typeof end !== 'number') return end;
      j = end;
    } while (this.cp(j) === 34 || this.cp(j) === 39);
    return this.emit(T.STRING, i, j);
  }

  /** `'...'` on one line; a backslash takes the next character (any) literally. */
  private singleQuoted(start: number, q: number): number | LexError {
    const text = this.text;
    const n = this.n;
    let j = start + 1;
    for (;;) {
      if (j >= n) break;
      const c = text.charCodeAt(j);
      if (c === 92) {
        j = this.after(j + 1);
      } else if (c === q || c === 10 || c === 13) {
        break;
      } else if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(text.charCodeAt(j + 1))) {
        break;
      } else {
        j++;
      }
    }
    if (this.cp(j) !== q) return this.mismatch(j, String.fromCharCode(q));
    return j + 1;
  }

  /**
   * `'''...'''`: the original's loop only stops at three quotes followed by the end of the
   * text, so in practice it runs to the end and fails there.
   */
  private tripleQuoted(start: number, q: number): number | LexError {
    let j = start + 3;
    for (;;) {
      const c = this.cp(j);
      if (c === EOF_CHAR || c === ASTRAL) break;
      if (c === 92) {
        j = this.after(j + 1);
        continue;
      }
      if (c === q) {
        const c1 = this.cp(j + 1);
        if (c1 === EOF_CHAR || c1 === ASTRAL) break;
        if (c1 === q) {
          const c2 = this.cp(j + 2);
          if (c2 === EOF_CHAR || c2 === ASTRAL) break;
          if (c2 === q) {
            const c3 = this.cp(j + 3);
            if (c3 === EOF_CHAR || c3 === ASTRAL) break;
          }
        }
      }
      j++;
    }
    for (let k = 0; k < 3; k++, j++) {
      if (this.cp(j) !== q) return this.mismatch(j, String.fromCharCode(q));
    }
    return j;
  }

  /** `/`: must start `//` or `/*`. */
  private slash(i: number): number | LexError {
    const c = this.cp(i + 1);
    if (c === 47) return this.lineComment(i + 2);
    if (c === 42) return this.blockComment(i + 2);
    return this.noViableAlternative(i, i);
  }

  /** The rest of a `//` or `#` comment, which must end with a newline (optionally `\r\n`). */
  private lineComment(j: number): number | LexError {
    const text = this.text;
    const n = this.n;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 10 || c === 13) break;
      if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(text.charCodeAt(j + 1))) break;
      j++;
    }
    if (this.cp(j) === 13) j++;
    if (this.cp(j) !== 10) return this.mismatch(j, '\n');
    return j + 1;
  }

  /** The rest of a `/* ... *\/` comment. */
  private blockComment(j: number): number | LexError {
    for (;;) {
      const c = this.cp(j);
      if (c === EOF_CHAR || c === ASTRAL) break;
      if (c === 42) {
        const c1 = this.cp(j + 1);
        if (c1 === 47 || c1 === EOF_CHAR || c1 === ASTRAL) break;
      }
      j++;
    }
    if (this.cp(j) !== 42) return this.mismatch(j, '*');
    if (this.cp(j + 1) !== 47) return this.mismatch(j + 1, '/');
    return j + 2;
  }
}

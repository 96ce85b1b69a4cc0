/**
 * Python `re` patterns run on JavaScript's engine, for `validate_string`. The pattern is
 * translated token by token (into a `v`-flag RegExp) so that what differs between the dialects
 * keeps Python's meaning: `$` also matches before a final newline, `.` excludes only `\n`,
 * `\d \w \s \b` are Unicode-aware, `(?P<name>...)` and `{,n}` exist, a `{` that does not start
 * a valid repeat is a literal, and Python's errors (bad escapes, nothing to repeat, references
 * to unknown groups) stay errors. Features JavaScript cannot express (scoped flags, atomic
 * groups, possessive repeats, conditionals, `\N{...}`) raise, i.e. make the builtin fail.
 */
import { fail } from './failure';

const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SYNTAX = new Set(Array.from('^$\\.*+?()[]{}|/'));
const VERBOSE_SPACE = new Set([' ', '\t', '\n', '\r', '\v', '\f']);

interface Flags {
  ignoreCase: boolean;
  dotAll: boolean;
  multiline: boolean;
  verbose: boolean;
  ascii: boolean;
}

function reError(message: string): never {
  return fail('re.error', message);
}

function hexEscape(cp: number): string {
  return '\\u{' + cp.toString(16) + '}';
}

/** Class contents (without brackets) for `\d \w \s`, Unicode or ASCII. */
function classBody(letter: 'd' | 'w' | 's', ascii: boolean): string {
  if (letter === 'd') return ascii ? '0-9' : '\\p{Nd}';
  if (letter === 'w') return ascii ? 'A-Za-z0-9_' : '\\p{L}\\p{N}_';
  return ascii ? ' \\t\\n\\r\\f\\v' : PY_SPACE;
}

type Last = 'none' | 'at' | 'item' | 'repeat';

class Translator {
  private readonly chars: string[];
  private pos = 0;
  private out = '';
  private last: Last = 'none';
  private groups = 0;
  private readonly closed = new Set<number>();
  private readonly open: (number | null)[] = []; // capture number per open paren (null: not capturing)
  private lookbehindDepth = 0;
  private readonly lookbehindAt: number[] = [];

  constructor(
    pattern: string,
    private readonly flags: Flags,
  ) {
    this.chars = Array.from(pattern);
  }

  translate(): string {
    this.leadingFlags();
    while (this.pos < this.chars.length) this.step();
    if (this.open.length > 0) reError('missing ), unterminated subpattern');
    return this.out;
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.pos + offset];
  }

  /** `(?aiLmsux)` groups at the very start set global flags. */
  private leadingFlags(): void {
    for (;;) {
      const m = /^\(\?([aiLmsux]+)\)/.exec(this.chars.slice(this.pos, this.pos + 12).join(''));
      if (m === null) return;
      for (const f of m[1]) {
        if (f === 'i') this.flags.ignoreCase = true;
        else if (f === 's') this.flags.dotAll = true;
        else if (f === 'm') this.flags.multiline = true;
        else if (f === 'x') this.flags.verbose = true;
        else if (f === 'a') this.flags.ascii = true;
        else if (f === 'L') reError('bad inline flags: cannot use \'L\' flag with a str pattern');
      }
      if (this.flags.ascii && m[1].includes('u')) reError("bad inline flags: flags 'a' and 'u' are incompatible");
      this.pos += Array.from(m[0]).length;
    }
  }

  private emit(text: string, kind: Last): void {
    this.out += text;
    this.last = kind;
  }

  private literal(ch: string): void {
    this.emit(SYNTAX.has(ch) ? '\\' + ch : ch, 'item');
  }

  private step(): void {
    const ch = this.chars[this.pos++];
    const f = this.flags;
    if (f.verbose && VERBOSE_SPACE.has(ch)) return;
    if (f.verbose && ch === '#') {
      while (this.pos < this.chars.length && this.chars[this.pos] !== '\n') this.pos++;
      return;
    }
    switch (ch) {
      case '\\':
        return this.escape();
      case '.':
        return this.emit(f.dotAll ? '[\\s\\S]' : '[^\\n]', 'item');
      case '^':
        return this.emit(f.multiline ? '(?<![^\\n])' : '(?<![\\s\\S])', 'at');
      case '$':
        return this.emit(f.multiline ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))', 'at');
      case '[':
        return this.emit(this.charClass(), 'item');
      case '(':
        return this.group();
      case ')':
        return this.closeGroup();
      case '|':
        return this.emit('|', 'none');
      case '*':
      case '+':
      case '?':
        return this.repeat(ch, ch === '?' ? 0 : ch === '*' ? 0 : 1, ch === '?' ? 1 : Infinity);
      case '{': {
        const q = /^\{(\d*)(?:(,)(\d*))?\}/.exec(this.chars.slice(this.pos - 1, this.pos + 40).join(''));
        if (q === null || (q[2] === undefined && q[1] === '')) return this.literal('{');
        this.pos += q[0].length - 1;
        const lo = q[1] === '' ? 0 : Number(q[1]);
        const hi = q[2] === undefined ? lo : q[3] === '' ? Infinity : Number(q[3]);
        if (hi < lo) reError('min repeat greater than max repeat');
        return this.repeat(hi === Infinity ? `{${lo},}` : `{${lo},${hi}}`, lo, hi);
      }
      default:
        return this.literal(ch);
    }
  }

  private repeat(text: string, lo: number, hi: number): void {
    if (this.last === 'none' || this.last === 'at') reError('nothing to repeat');
    if (this.last === 'repeat') reError('multiple repeat');
    if (this.lookbehindDepth > 0 && lo !== hi) reError('look-behind requires fixed-width pattern');
    let q = text;
    if (this.peek() === '?') {
      q += '?';
      this.pos++;
    } else if (this.peek() === '+') reError('possessive repeats are not supported');
    this.emit(q, 'repeat');
  }

  private group(): void {
    if (this.peek() !== '?') {
      this.groups++;
      this.open.push(this.groups);
      return this.emit('(', 'none');
    }
    this.pos++;
    const rest = this.chars.slice(this.pos, this.pos + 3).join('');
    if (rest.startsWith(':')) {
      this.pos++;
      this.open.push(null);
      return this.emit('(?:', 'none');
    }
    if (rest.startsWith('=') || rest.startsWith('!')) {
      this.pos++;
      this.open.push(null);
      return this.emit('(?' + rest[0], 'none');
    }
    if (rest.startsWith('<=') || rest.startsWith('<!')) {
      this.pos += 2;
      this.open.push(null);
      this.lookbehindDepth++;
      this.lookbehindAt.push(this.open.length);
      return this.emit('(?' + rest.slice(0, 2), 'none');
    }
    if (rest.startsWith('#')) {
      while (this.pos < this.chars.length && this.chars[this.pos] !== ')') this.pos++;
      if (this.pos >= this.chars.length) reError('missing ), unterminated comment');
      this.pos++;
      return;
    }
    if (rest.startsWith('P<')) {
      this.pos += 2;
      const name = this.readName('>');
      this.groups++;
      this.open.push(this.groups);
      return this.emit(`(?<${name}>`, 'none');
    }
    if (rest.startsWith('P=')) {
      this.pos += 2;
      const name = this.readName(')');
      return this.emit(`\\k<${name}>`, 'item');
    }
    if (/^[aiLmsux-]/.test(rest)) {
      if (/^[aiLmsux]+\)/.test(this.chars.slice(this.pos, this.pos + 12).join(''))) {
        reError('global flags not at the start of the expression');
      }
      reError('scoped inline flags are not supported');
    }
    return reError(`unknown extension ?${rest.slice(0, 1)}`);
  }

  private readName(end: string): string {
    let name = '';
    while (this.pos < this.chars.length && this.chars[this.pos] !== end) name += this.chars[this.pos++];
    if (this.pos >= this.chars.length) reError(`missing ${end}, unterminated name`);
    this.pos++;
    if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name)) reError(`bad character in group name '${name}'`);
    return name;
  }

  private closeGroup(): void {
    if (this.open.length === 0) reError('unbalanced parenthesis');
    if (this.lookbehindAt.length > 0 && this.lookbehindAt[this.lookbehindAt.length - 1] === this.open.length) {
      this.lookbehindAt.pop();
      this.lookbehindDepth--;
    }
    const n = this.open.pop();
    if (n !== null && n !== undefined) this.closed.add(n);
    this.emit(')', 'item');
  }

  private wordBoundary(negated: boolean): string {
    const w = '[' + classBody('w', this.flags.ascii) + ']';
    return negated ? `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))` : `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
  }

  /** An escape outside a class. */
  private escape(): void {
    const c = this.chars[this.pos++];
    if (c === undefined) return reError('bad escape (end of pattern)');
    const f = this.flags;
    switch (c) {
      case 'd':
      case 'w':
      case 's':
        return this.emit('[' + classBody(c, f.ascii) + ']', 'item');
      case 'D':
      case 'W':
      case 'S':
        return this.emit('[^' + classBody(c.toLowerCase() as 'd' | 'w' | 's', f.ascii) + ']', 'item');
      case 'b':
        return this.emit(this.wordBoundary(false), 'at');
      case 'B':
        return this.emit(this.wordBoundary(true), 'at');
      case 'A':
        return this.emit('(?<![\\s\\S])', 'at');
      case 'Z':
        return this.emit('(?![\\s\\S])', 'at');
    }
    if (c >= '1' && c <= '9') {
      const d2 = this.peek();
      const d3 = this.peek(1);
      if (c <= '7' && d2 !== undefined && d2 >= '0' && d2 <= '7' && d3 !== undefined && d3 >= '0' && d3 <= '7') {
        this.pos += 2;
        return this.emit(hexEscape(this.octal(c + d2 + d3)), 'item');
      }
      let ref = c;
      if (d2 !== undefined && d2 >= '0' && d2 <= '9') {
        ref += d2;
        this.pos++;
      }
      const n = Number(ref);
      if (!this.closed.has(n)) reError(n > this.groups ? `invalid group reference ${n}` : 'cannot refer to an open group');
      return this.emit(`(?:\\${n})`, 'item');
    }
    return this.emit(hexEscape(this.charEscape(c)), 'item');
  }

  private octal(digits: string): number {
    const v = parseInt(digits, 8);
    if (v > 0o377) reError(`octal escape value \\${digits} outside of range 0-0o377`);
    return v;
  }

  /** Escapes that stand for one character (shared by both contexts); returns the code point. */
  private charEscape(c: string): number {
    switch (c) {
      case 'n':
        return 10;
      case 't':
        return 9;
      case 'r':
        return 13;
      case 'f':
        return 12;
      case 'v':
        return 11;
      case 'a':
        return 7;
      case '0': {
        let digits = '0';
        while (digits.length < 3 && /^[0-7]$/.test(this.peek() ?? '')) digits += this.chars[this.pos++];
        return this.octal(digits);
      }
      case 'x':
        return this.hexDigits(2, c);
      case 'u':
        return this.hexDigits(4, c);
      case 'U': {
        const cp = this.hexDigits(8, c);
        if (cp > 0x10ffff) reError(`bad escape \\U${cp.toString(16)}`);
        return cp;
      }
      case 'N':
        return reError('named Unicode escapes are not supported');
    }
    if (/^[A-Za-z0-9]$/.test(c)) reError(`bad escape \\${c}`);
    return c.codePointAt(0) as number;
  }

  private hexDigits(n: number, c: string): number {
    const digits = this.chars.slice(this.pos, this.pos + n).join('');
    if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) reError(`incomplete escape \\${c}${digits}`);
    this.pos += n;
    return parseInt(digits, 16);
  }

  /** `[...]` with Python's rules: a leading `]` is literal, `[` inside is literal. */
  private charClass(): string {
    let body = '';
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    let first = true;
    for (;;) {
      const ch = this.chars[this.pos++];
      if (ch === undefined) return reError('unterminated character set');
      if (ch === ']' && !first) break;
      first = false;
      const item = this.classItem(ch);
      if (this.peek() === '-' && this.peek(1) !== undefined && this.peek(1) !== ']') {
        this.pos++;
        const hiCh = this.chars[this.pos++];
        const hi = this.classItem(hiCh);
        if (typeof item !== 'number' || typeof hi !== 'number') reError('bad character range');
        if (hi < item) reError('bad character range');
        body += hexEscape(item) + '-' + hexEscape(hi);
      } else {
        body += typeof item === 'number' ? hexEscape(item) : item;
      }
    }
    return '[' + (negated ? '^' : '') + body + ']';
  }

  /** One class member: a code point, or a nested class for `\d \w \s` and their negations. */
  private classItem(ch: string): number | string {
    if (ch !== '\\') return ch.codePointAt(0) as number;
    const c = this.chars[this.pos++];
    if (c === undefined) return reError('bad escape (end of pattern)');
    const ascii = this.flags.ascii;
    if (c === 'd' || c === 'w' || c === 's') return '[' + classBody(c, ascii) + ']';
    if (c === 'D' || c === 'W' || c === 'S') return '[^' + classBody(c.toLowerCase() as 'd' | 'w' | 's', ascii) + ']';
    if (c === 'b') return 8;
    if (c >= '1' && c <= '7') {
      let digits = c;
      while (digits.length < 3 && /^[0-7]$/.test(this.peek() ?? '')) digits += this.chars[this.pos++];
      return this.octal(digits);
    }
    return this.charEscape(c);
  }
}

const compiled = new Map<string, RegExp>();
const COMPILED_LIMIT = 1_000;

/** Python's `re.compile(pattern, re.IGNORECASE if ignoreCase else 0)`; throws re.error. */
export function compilePyRegex(pattern: string, ignoreCase: boolean): RegExp {
  const key = (ignoreCase ? 'i' : '-') + pattern;
  const hit = compiled.get(key);
  if (hit !== undefined) return hit;
  const flags: Flags = { ignoreCase, dotAll: false, multiline: false, verbose: false, ascii: false };
  const source = new Translator(pattern, flags).translate();
  let re: RegExp;
  try {
    re = new RegExp(source, flags.ignoreCase ? 'vi' : 'v');
  } catch (e) {
    return reError(e instanceof Error ? e.message : String(e));
  }
  if (compiled.size >= COMPILED_LIMIT) compiled.clear();
  compiled.set(key, re);
  return re;
}

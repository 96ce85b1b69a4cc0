/**
 * Python `re` patterns run on JavaScript's engine, for `validate_string`. The pattern is
 * translated token by token (into a `v`-flag RegExp) so that what differs between the dialects
 * keeps Python's meaning: `$` also matches before a final newline, `.` excludes only `\n`,
 * `\d \w \s \b` are Unicode-aware, `(?P<name>...)` and `{,n}` exist, a `{` that does not start
 * a valid repeat is a literal, and Python's errors (bad escapes, nothing to repeat, references
 * to unknown groups) stay errors. Scoped flags other than `i`, atomic groups and possessive
 * repeats are emulated; what JavaScript cannot express (a scoped change
 * of case sensitivity, conditionals, `\N{...}`) raises, i.e. makes the builtin fail. One known
 * difference remains: a backreference to a group that did not take part matches the empty
 * string in JavaScript but fails in Python.
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

/** What the last emitted item was, for Python's repeat rules. */
type Last = 'none' | 'at' | 'assert' | 'item' | 'repeat';

type GroupKind = 'capture' | 'plain' | 'lookahead' | 'lookbehind' | 'atomic';

interface OpenGroup {
  readonly kind: GroupKind;
  /** Python group number of a capture group. */
  readonly number: number | null;
  /** Where the group starts in the output. */
  readonly start: number;
  /** Helper name of an atomic group. */
  readonly helper: string | null;
  /** Flags to restore when a scoped-flags group closes. */
  readonly saved: Flags | null;
}

/**
 * Capture groups are named in the output (`$1`, or the Python name), and so are the helper
 * groups that emulate atomic groups and possessive repeats: wrapping an item in a helper never
 * renumbers anything. `$` cannot occur in Python group names, so the names never collide.
 */
class Translator {
  private readonly chars: string[];
  private pos = 0;
  private out = '';
  private last: Last = 'none';
  private lastStart = 0;
  private groups = 0;
  private helpers = 0;
  private readonly jsNames = new Map<number, string>();
  private readonly byName = new Map<string, number>();
  private readonly closed = new Set<number>();
  private readonly open: OpenGroup[] = [];
  private lookbehinds = 0;

  constructor(
    pattern: string,
    private readonly flags: Flags,
  ) {
    this.chars = Array.from(pattern);
  }

  translate(): string {
    while (this.pos < this.chars.length) this.step();
    if (this.open.length > 0) reError('missing ), unterminated subpattern');
    return this.out;
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.pos + offset];
  }

  private ahead(n: number): string {
    return this.chars.slice(this.pos, this.pos + n).join('');
  }

  private emit(text: string, kind: Last): void {
    this.lastStart = this.out.length;
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
        return this.repeat('*', 0, Infinity);
      case '+':
        return this.repeat('+', 1, Infinity);
      case '?':
        return this.repeat('?', 0, 1);
      case '{': {
        const q = /^\{(\d*)(?:(,)(\d*))?\}/.exec('{' + this.ahead(40));
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

  private newHelper(): string {
    return `$a${++this.helpers}`;
  }

  private repeat(text: string, lo: number, hi: number): void {
    if (this.last === 'none' || this.last === 'at') reError('nothing to repeat');
    if (this.last === 'repeat') reError('multiple repeat');
    if (this.lookbehinds > 0 && lo !== hi) reError('look-behind requires fixed-width pattern');
    let item = this.out.slice(this.lastStart);
    // Python may repeat an assertion; JavaScript only a group containing one.
    if (this.last === 'assert') item = `(?:${item})`;
    let q = item + text;
    if (this.peek() === '?') {
      q += '?';
      this.pos++;
    } else if (this.peek() === '+') {
      // Possessive: match greedily inside a lookahead (which never backtracks), then consume it.
      this.pos++;
      const h = this.newHelper();
      q = `(?:(?=(?<${h}>${q}))\\k<${h}>)`;
    }
    this.out = this.out.slice(0, this.lastStart) + q;
    this.last = 'repeat';
  }

  private openGroup(kind: GroupKind, text: string, number: number | null = null, helper: string | null = null, saved: Flags | null = null): void {
    this.open.push({ kind, number, start: this.out.length, helper, saved });
    if (kind === 'lookbehind') this.lookbehinds++;
    this.out += text;
    this.last = 'none';
  }

  /** A global flags group: allowed only before anything else in the pattern. */
  private globalFlags(letters: string): void {
    if (this.out !== '' || this.open.length > 0) reError('global flags not at the start of the expression');
    for (const f of letters) {
      if (f === 'i') this.flags.ignoreCase = true;
      else if (f === 's') this.flags.dotAll = true;
      else if (f === 'm') this.flags.multiline = true;
      else if (f === 'x') this.flags.verbose = true;
      else if (f === 'a') this.flags.ascii = true;
      else if (f === 'L') reError("bad inline flags: cannot use 'L' flag with a str pattern");
    }
    if (letters.includes('a') && letters.includes('u')) reError("bad inline flags: flags 'a' and 'u' are incompatible");
  }

  private group(): void {
    if (this.peek() !== '?') {
      const n = ++this.groups;
      this.jsNames.set(n, `$${n}`);
      return this.openGroup('capture', `(?<$${n}>`, n);
    }
    this.pos++;
    const rest = this.ahead(2);
    if (rest.startsWith(':')) {
      this.pos++;
      return this.openGroup('plain', '(?:');
    }
    if (rest.startsWith('=') || rest.startsWith('!')) {
      this.pos++;
      return this.openGroup('lookahead', '(?' + rest[0]);
    }
    if (rest === '<=' || rest === '<!') {
      this.pos += 2;
      return this.openGroup('lookbehind', '(?' + rest);
    }
    if (rest.startsWith('>')) {
      this.pos++;
      const h = this.newHelper();
      return this.openGroup('atomic', `(?:(?=(?<${h}>`, null, h);
    }
    if (rest.startsWith('#')) {
      while (this.pos < this.chars.length && this.chars[this.pos] !== ')') this.pos++;
      if (this.pos >= this.chars.length) reError('missing ), unterminated comment');
      this.pos++;
      return;
    }
    if (rest === 'P<') {
      this.pos += 2;
      const name = this.readName('>');
      if (this.byName.has(name)) reError(`redefinition of group name '${name}'`);
      const n = ++this.groups;
      this.byName.set(name, n);
      this.jsNames.set(n, name);
      return this.openGroup('capture', `(?<${name}>`, n);
    }
    if (rest === 'P=') {
      this.pos += 2;
      const name = this.readName(')');
      const n = this.byName.get(name);
      if (n === undefined) reError(`unknown group name '${name}'`);
      return this.backref(n);
    }
    const flags = /^([aiLmsux]+)\)/.exec(this.ahead(12));
    if (flags !== null) {
      this.pos += flags[0].length;
      return this.globalFlags(flags[1]);
    }
    const scoped = /^([aiLmsux]*)(?:-([aiLmsux]*))?:/.exec(this.ahead(20));
    if (scoped !== null && (scoped[1] !== '' || (scoped[2] ?? '') !== '')) {
      this.pos += scoped[0].length;
      return this.scopedFlags(scoped[1], scoped[2] ?? '');
    }
    if (/^[aiLmsux-]/.test(rest)) reError('bad inline flags');
    return reError(`unknown extension ?${rest.slice(0, 1)}`);
  }

  /**
   * `(?s-m:...)`: flags for one group. Those that only change how the pattern is translated are
   * supported; a scoped change of case sensitivity is not expressible in this JavaScript.
   */
  private scopedFlags(on: string, off: string): void {
    const f = this.flags;
    const saved: Flags = { ...f };
    if (on.includes('L') || off.includes('L')) reError("bad inline flags: cannot use 'L' flag with a str pattern");
    if (/[au]/.test(off)) reError('bad inline flags: cannot turn off flags \'a\', \'u\' and \'L\'');
    if ((on.includes('i') && !f.ignoreCase) || (off.includes('i') && f.ignoreCase)) {
      reError('scoped case-insensitivity is not supported');
    }
    for (const [letters, value] of [
      [on, true],
      [off, false],
    ] as const) {
      if (letters.includes('s')) f.dotAll = value;
      if (letters.includes('m')) f.multiline = value;
      if (letters.includes('x')) f.verbose = value;
      if (letters.includes('a')) f.ascii = value;
    }
    this.openGroup('plain', '(?:', null, null, saved);
  }

  private backref(n: number): void {
    if (!this.closed.has(n)) reError(n > this.groups ? `invalid group reference ${n}` : 'cannot refer to an open group');
    this.emit(`(?:\\k<${this.jsNames.get(n) as string}>)`, 'item');
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
    const g = this.open.pop();
    if (g === undefined) return reError('unbalanced parenthesis');
    if (g.kind === 'lookbehind') this.lookbehinds--;
    if (g.saved !== null) Object.assign(this.flags, g.saved);
    if (g.number !== null) this.closed.add(g.number);
    this.out += g.kind === 'atomic' ? `))\\k<${g.helper as string}>)` : ')';
    this.lastStart = g.start;
    this.last = g.kind === 'lookahead' || g.kind === 'lookbehind' ? 'assert' : 'item';
  }

  private wordBoundary(negated: boolean): string {
    const w = '[' + classBody('w', this.flags.ascii) + ']';
    // Like SRE, neither boundary assertion matches anywhere in an empty string.
    const nonEmpty = '(?:(?<=[\\s\\S])|(?=[\\s\\S]))';
    return negated ? `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w})${nonEmpty})` : `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
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
      return this.backref(Number(ref));
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

/**
 * Python's text semantics where they differ from JavaScript's: strings are sequences of code
 * points (not UTF-16 units), `str.strip()` knows more whitespace, `repr()` picks its quotes, and
 * `%g` rounds half to even. Builtins use these to reproduce results and error texts exactly.
 */
import { Float, type Value } from '../value';

/** Python's `str.isspace()` for one code point (Py_UNICODE_ISSPACE). */
export function isPyWhitespace(cp: number): boolean {
  if (cp <= 0x20) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x1f);
  if (cp < 0x85) return false;
  return (
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/** Python's `str.strip()` without arguments. All its whitespace lies in the BMP. */
export function pyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isPyWhitespace(s.charCodeAt(start))) start++;
  while (end > start && isPyWhitespace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Python's `len(str)`: code points; a surrogate pair counts once. */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * Python's string order: by code point. JavaScript compares UTF-16 units, which disagrees only
 * when a surrogate meets a unit in U+E000..U+FFFF; that one case is fixed up.
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x < y ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, '0');
}

/** Python's `repr(str)`, as error messages embed it (`'abc'`, `"it's"`). */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + hex(cp, 2);
    else if (cp < 0x7f || ch === ' ' || !NOT_PRINTABLE.test(ch)) out += ch;
    else if (cp < 0x100) out += '\\x' + hex(cp, 2);
    else if (cp < 0x10000) out += '\\u' + hex(cp, 4);
    else out += '\\U' + hex(cp, 8);
  }
  return out + quote;
}

/** Python's type name of a value, as TypeError messages print it. */
export function pyTypeName(v: Value): 'str' | 'int' | 'float' {
  if (typeof v === 'string') return 'str';
  return v instanceof Float ? 'float' : 'int';
}

/** Python's `bool(v)`. */
export function pyTruthy(v: Value): boolean {
  if (typeof v === 'string') return v.length > 0;
  if (v instanceof Float) return v.v !== 0;
  return typeof v === 'bigint' ? v !== 0n : v !== 0;
}

const DECIMAL_DIGIT = /\p{Nd}/u;

/** The value of a Unicode decimal digit: Nd digits come in aligned runs of ten starting at 0. */
function digitValue(cp: number): number {
  let start = cp;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

/**
 * Python accepts any Unicode decimal digit where it accepts `0-9` (in `int()`, `float()`,
 * `Decimal()`); this maps them to ASCII. ASCII input is returned unchanged without copying.
 */
export function asciiDigits(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return s;
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    out += cp > 0x7f && DECIMAL_DIGIT.test(ch) ? String(digitValue(cp)) : ch;
  }
  return out;
}

/** Python's `'%g' % x` (six significant digits, trailing zeros removed, round half to even). */
export function formatG(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const neg = x < 0;
  // 100 digits are (for all practical purposes) the exact expansion, so the tie test is exact.
  const [mant, expText] = Math.abs(x).toPrecision(100).split('e');
  let digits = mant.replace('.', '');
  let exp = expText === undefined ? mant.indexOf('.') - 1 : Number(expText);
  if (expText === undefined && mant.indexOf('.') < 0) exp = mant.length - 1;
  const lead = digits.replace(/^0+/, '');
  exp -= digits.length - lead.length;
  digits = lead;
  let kept = digits.slice(0, 6);
  const rest = digits.slice(6);
  const roundUp =
    rest.length > 0 &&
    (rest[0] > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || Number(kept[kept.length - 1]) % 2 === 1)));
  if (roundUp) {
    const n = (BigInt(kept) + 1n).toString();
    if (n.length > kept.length) exp++;
    kept = n.slice(0, 6);
  }
  kept = kept.padEnd(6, '0');
  let body: string;
  if (exp < -4 || exp >= 6) {
    const m = (kept[0] + '.' + kept.slice(1)).replace(/\.?0+$/, '');
    body = m + 'e' + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
  } else if (exp >= 0) {
    const intPart = kept.slice(0, exp + 1);
    const frac = kept.slice(exp + 1).replace(/0+$/, '');
    body = frac.length > 0 ? intPart + '.' + frac : intPart;
  } else {
    body = ('0.' + '0'.repeat(-exp - 1) + kept).replace(/0+$/, '');
  }
  return neg ? '-' + body : body;
}

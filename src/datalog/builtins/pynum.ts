/**
 * Python's numeric conversions: `int(x)` and `float(x)` of strings and numbers, and the exact
 * int-to-float conversion Python uses when it mixes the two. Values follow value.ts: INTEGER is a
 * number while safe and a bigint beyond, FLOAT is boxed.
 */
import { Float, int, type Value } from '../value';
import { fail } from './failure';
import { asciiDigits, pyRepr, pyStrip } from './pytext';

/** Python 3.11's default limit on digits in `int(str)` (sys.get_int_max_str_digits()). */
const INT_MAX_STR_DIGITS = 4300;

/** Digits with single underscores between them, as `int()` and `float()` allow (PEP 515). */
const INT_TEXT = /^[+-]?\d+(?:_\d+)*$/;
const FLOAT_TEXT = /^[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?$/;
const FLOAT_SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/** Python's `int(s)` for a string, base 10. Throws ValueError with Python's text. */
export function parsePyInt(s: string): number | bigint {
  const t = asciiDigits(pyStrip(s));
  if (!INT_TEXT.test(t)) fail('ValueError', `invalid literal for int() with base 10: ${pyRepr(s)}`);
  const clean = t.includes('_') ? t.replace(/_/g, '') : t;
  const digits = clean.length - (clean[0] === '-' || clean[0] === '+' ? 1 : 0);
  if (digits > INT_MAX_STR_DIGITS) {
    fail(
      'ValueError',
      `Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion: value has ${digits} digits; use sys.set_int_max_str_digits() to increase the limit`,
    );
  }
  if (digits <= 15) return Number(clean) + 0; // "+ 0" turns "-0" into 0
  return int(BigInt(clean));
}

/** Python's `float(s)` for a string. Throws ValueError with Python's text. */
export function parsePyFloat(s: string): number {
  const t = asciiDigits(pyStrip(s));
  const special = FLOAT_SPECIAL.exec(t);
  if (special !== null) {
    const v = special[2].toLowerCase() === 'nan' ? NaN : Infinity;
    return special[1] === '-' ? -v : v;
  }
  if (!FLOAT_TEXT.test(t)) fail('ValueError', `could not convert string to float: ${pyRepr(s)}`);
  // Number() rounds correctly, as Python does; "1e999" gives inf in both.
  return Number(t.includes('_') ? t.replace(/_/g, '') : t);
}

/** Python's implicit int-to-float conversion (exact rounding; OverflowError beyond the range). */
export function intToFloat(n: number | bigint): number {
  if (typeof n === 'number') return n;
  const f = Number(n);
  if (!Number.isFinite(f)) fail('OverflowError', 'int too large to convert to float');
  return f;
}

/** Python's `int(f)` for a float: truncation toward zero. */
export function floatToInt(f: number): number | bigint {
  if (Number.isNaN(f)) fail('ValueError', 'cannot convert float NaN to integer');
  if (!Number.isFinite(f)) fail('OverflowError', 'cannot convert float infinity to integer');
  const t = Math.trunc(f);
  return Number.isSafeInteger(t) ? t + 0 : int(BigInt(t));
}

/** Python's `int(x)` for any constant. */
export function pyInt(x: Value): number | bigint {
  if (typeof x === 'string') return parsePyInt(x);
  if (x instanceof Float) return floatToInt(x.v);
  return x;
}

/** Python's `float(x)` for any constant. */
export function pyFloat(x: Value): number {
  if (typeof x === 'string') return parsePyFloat(x);
  if (x instanceof Float) return x.v;
  return intToFloat(x);
}

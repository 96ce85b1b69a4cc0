/**
 * Constant values of the policy language and their Python-compatible behaviour.
 *
 * Congress distinguishes INTEGER, FLOAT and STRING constants: unification compares value *and*
 * type (`1` never unifies with `1.0`), while fact storage and builtins compare raw values
 * (`1 == 1.0`). JavaScript numbers cannot carry that distinction, so floats are boxed in
 * {@link Float}; integers are plain numbers while they are safe integers and bigints beyond.
 */

/** A FLOAT constant. Boxed so that `1.0` stays distinguishable from the INTEGER `1`. */
export class Float {
  constructor(readonly v: number) {}

  /** Python's `str()` (`2.0`, `inf`): what a driver gets when it turns an action argument into text. */
  toString(): string {
    return formatFloat(this.v);
  }
}

/** A constant value: STRING (string), INTEGER (number or bigint), FLOAT ({@link Float}). */
export type Value = string | number | bigint | Float;

/** Column data as it arrives from JSON (rows, facts in case files). */
export type JsonScalar = string | number | boolean | null;

export type ValueType = 'STRING' | 'INTEGER' | 'FLOAT';

export function typeOf(v: Value): ValueType {
  if (typeof v === 'string') return 'STRING';
  if (v instanceof Float) return 'FLOAT';
  return 'INTEGER';
}

/** An INTEGER constant, normalised so that typed equality is `===`. */
export function int(n: number | bigint): number | bigint {
  if (typeof n === 'bigint') {
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  return n;
}

/** Typed equality, as unification uses it: same type and same value. */
export function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a instanceof Float && b instanceof Float) return a.v === b.v || (Number.isNaN(a.v) && Number.isNaN(b.v));
  return false;
}

/** Raw (Python `==`) equality, as fact storage and builtins use it: `1 == 1.0`. */
export function rawEqual(a: Value, b: Value): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return numericValue(a) === numericValue(b) || (typeof a === 'bigint' && typeof b === 'bigint' && a === b);
}

/** The numeric value of a non-string constant (bigints lose precision; only for comparisons). */
export function numericValue(v: number | bigint | Float): number {
  if (v instanceof Float) return v.v;
  return typeof v === 'bigint' ? Number(v) : v;
}

/**
 * A string that identifies a value by type and value, for hashing tuples.
 * Strings are length-prefixed so that no separator can be forged by data.
 */
export function valueKey(v: Value): string {
  switch (typeof v) {
    case 'string':
      return 's' + v.length + ':' + v;
    case 'number':
      return 'i' + v;
    case 'bigint':
      return 'i' + v.toString();
    default:
      return 'f' + (v as Float).v;
  }
}

/**
 * Like {@link valueKey} but with Python's raw equality: a float with an integral value has the
 * key of the equal integer. Used for fact storage, where `q(1.0)` after `q(1)` is a no-op.
 */
export function rawValueKey(v: Value): string {
  if (v instanceof Float && Number.isInteger(v.v)) return 'i' + BigInt(v.v).toString();
  return valueKey(v);
}

/** Python's `repr(float)`: shortest round-trip digits, exponent form outside [1e-4, 1e16). */
export function formatFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const exp = x.toExponential(); // shortest round-trip mantissa, e.g. "1.2345e+2"
  const [mantissa, expPart] = exp.split('e');
  const e = Number(expPart);
  if (e >= -4 && e < 16) {
    const s = String(x);
    if (!s.includes('e')) return s.includes('.') ? s : s + '.0';
    // JS switches to exponent form below 1e-6; expand by hand.
    const neg = mantissa.startsWith('-');
    const digits = mantissa.replace('-', '').replace('.', '');
    const fixed = '0.' + '0'.repeat(-e - 1) + digits;
    return (neg ? '-' : '') + fixed;
  }
  const sign = e < 0 ? '-' : '+';
  const abs = Math.abs(e);
  return mantissa + 'e' + sign + (abs < 10 ? '0' + abs : String(abs));
}

/** How the engine prints a constant inside an atom: strings raw in double quotes. */
export function formatValue(v: Value): string {
  if (typeof v === 'string') return '"' + v + '"';
  if (v instanceof Float) return formatFloat(v.v);
  return v.toString();
}

/** Python's `str()` of a value (used by builtins that turn values into text). */
export function pythonStr(v: Value): string {
  if (typeof v === 'string') return v;
  if (v instanceof Float) return formatFloat(v.v);
  return v.toString();
}

/**
 * A constant from a JSON scalar, the way the engine reads facts and published rows:
 * integral JSON numbers are INTEGER, others FLOAT. `true`/`false`/`null` become the strings
 * `"True"`, `"False"`, `"None"`, as Congress stores them.
 */
export function fromJson(x: JsonScalar | Value): Value {
  if (x === null) return 'None';
  if (x === true) return 'True';
  if (x === false) return 'False';
  if (typeof x === 'number') return Number.isInteger(x) ? x : new Float(x);
  return x;
}

/**
 * A constant from a JSON number whose source text is known: `1.0` in the source is a FLOAT even
 * though JSON.parse yields the integer 1. Callers that have the text use this.
 */
export function numberFromText(text: string): Value {
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : int(BigInt(text));
  }
  return new Float(Number(text));
}

/** The JSON value of a constant, for rows in API answers. */
export function toJson(v: Value): string | number {
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (v instanceof Float) return v.v;
  return Number(v);
}

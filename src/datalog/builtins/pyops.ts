/**
 * Python's binary operators on constants, as the builtins apply them to raw values: `+` adds
 * numbers or joins strings, `*` repeats strings, `//` floors, `/` divides exactly, comparisons
 * of a string with a number raise. Integer results stay exact (bigint beyond 2^53); a float
 * operand makes the result a float. Errors carry CPython's messages.
 */
import { Float, int, type Value } from '../value';
import { fail } from './failure';
import { intToFloat } from './pynum';
import { compareStrings, pyTypeName } from './pytext';

/** A numeric constant without its box: floats become plain numbers (for comparisons only). */
function unboxed(v: number | bigint | Float): number | bigint {
  return v instanceof Float ? v.v : v;
}

function unsupported(op: string, x: Value, y: Value): never {
  return fail('TypeError', `unsupported operand type(s) for ${op}: '${pyTypeName(x)}' and '${pyTypeName(y)}'`);
}

function toBig(n: number | bigint): bigint {
  return typeof n === 'bigint' ? n : BigInt(n);
}

/** Python's `x + y`. */
export function pyAdd(x: Value, y: Value): Value {
  if (typeof x === 'number' && typeof y === 'number') {
    const r = x + y;
    return Number.isSafeInteger(r) ? r : int(BigInt(x) + BigInt(y));
  }
  if (typeof x === 'string') {
    if (typeof y === 'string') return x + y;
    return fail('TypeError', `can only concatenate str (not "${pyTypeName(y)}") to str`);
  }
  if (typeof y === 'string') return unsupported('+', x, y);
  if (x instanceof Float || y instanceof Float) return new Float(floatOf(x) + floatOf(y));
  return int(toBig(x) + toBig(y));
}

/** Python's `x - y`. */
export function pySub(x: Value, y: Value): Value {
  if (typeof x === 'number' && typeof y === 'number') {
    const r = x - y;
    return Number.isSafeInteger(r) ? r : int(BigInt(x) - BigInt(y));
  }
  if (typeof x === 'string' || typeof y === 'string') return unsupported('-', x, y);
  if (x instanceof Float || y instanceof Float) return new Float(floatOf(x) - floatOf(y));
  return int(toBig(x) - toBig(y));
}

/** Longest string `str * int` builds; Python would exhaust memory long before JavaScript does. */
const MAX_REPEAT_LENGTH = 1 << 28;

function repeat(s: string, n: Value): string {
  if (typeof n === 'string' || n instanceof Float) {
    return fail('TypeError', `can't multiply sequence by non-int of type '${pyTypeName(n)}'`);
  }
  if (n <= 0) return '';
  if (typeof n === 'bigint' && n > 0x7fffffffffffffffn) {
    return fail('OverflowError', "cannot fit 'int' into an index-sized integer");
  }
  if (s.length === 0) return '';
  if (s.length * Number(n) > MAX_REPEAT_LENGTH) return fail('MemoryError', '');
  return s.repeat(Number(n));
}

/** Python's `x * y` (numbers multiply; a string times an int repeats). */
export function pyMul(x: Value, y: Value): Value {
  if (typeof x === 'number' && typeof y === 'number') {
    const r = x * y;
    return Number.isSafeInteger(r) ? r + 0 : int(BigInt(x) * BigInt(y));
  }
  if (typeof x === 'string') return repeat(x, y);
  if (typeof y === 'string') return repeat(y, x);
  if (x instanceof Float || y instanceof Float) return new Float(floatOf(x) * floatOf(y));
  return int(toBig(x) * toBig(y));
}

/** Python's `x // y` for two ints: the quotient rounded toward negative infinity. */
export function pyFloorDiv(x: number | bigint, y: number | bigint): number | bigint {
  if (y === 0 || y === 0n) return fail('ZeroDivisionError', 'integer division or modulo by zero');
  if (typeof x === 'number' && typeof y === 'number') {
    // Exact for safe integers: x - r is a multiple of y no larger than x.
    const r = x % y;
    const q = (x - r) / y;
    return (r !== 0 && r < 0 !== y < 0 ? q - 1 : q) + 0;
  }
  const a = toBig(x);
  const b = toBig(y);
  const q = a / b;
  return int(a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q);
}

/** Python's `x / y` (true division; always a float for numbers). */
export function pyTrueDiv(x: Value, y: Value): Value {
  if (typeof x === 'string' || typeof y === 'string') return unsupported('/', x, y);
  const d = floatOf(y);
  if (d === 0) return fail('ZeroDivisionError', 'float division by zero');
  return new Float(floatOf(x) / d);
}

function floatOf(v: number | bigint | Float): number {
  return v instanceof Float ? v.v : intToFloat(v);
}

/** Comparison operators, named as Python prints them in TypeErrors. */
export type CompareOp = '<' | '<=' | '>' | '>=';

/** Python's `x <op> y`: strings by code point, numbers exactly, a string and a number raise. */
export function pyCompare(op: CompareOp, x: Value, y: Value): boolean {
  if (typeof x === 'number' && typeof y === 'number') return numericTest(op, x, y);
  if (typeof x === 'string' && typeof y === 'string') {
    const c = compareStrings(x, y);
    return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
  }
  if (typeof x === 'string' || typeof y === 'string') {
    return fail('TypeError', `'${op}' not supported between instances of '${pyTypeName(x)}' and '${pyTypeName(y)}'`);
  }
  // JavaScript compares a bigint with a number by exact mathematical value, as Python does.
  return numericTest(op, unboxed(x), unboxed(y));
}

function numericTest(op: CompareOp, a: number | bigint, b: number | bigint): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

/** Python's `x == y`: numbers by exact value (`1 == 1.0`), never a string with a number. */
export function pyEquals(x: Value, y: Value): boolean {
  if (x === y) return typeof x !== 'object' || !Number.isNaN(x.v);
  if (typeof x === 'string' || typeof y === 'string') return false;
  const a = unboxed(x);
  const b = unboxed(y);
  return a <= b && a >= b;
}

/** Python's `max(x, y)`: the first argument unless the second is greater. */
export function pyMax(x: Value, y: Value): Value {
  return pyCompare('>', y, x) ? y : x;
}

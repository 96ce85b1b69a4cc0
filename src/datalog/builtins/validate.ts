/**
 * Config-option validators (`validate_int`, `validate_float`, `validate_string`), mirroring
 * oslo.config's `types.Integer`, `types.Float` and `types.String` as the original calls them:
 * the result is `""` when the value passes and otherwise the text of the ValueError or
 * TypeError oslo.config raises. Other exceptions (an overflowing int, an invalid regex) escape,
 * which makes the literal fail. A bound of `""` means "no bound"; the first argument is the
 * minimum, whatever the original's declared argument names say.
 */
import { Float, pythonStr, type Value } from '../value';
import { BuiltinFailure } from './failure';
import { pyCompare } from './pyops';
import { intToFloat, pyFloat, pyInt } from './pynum';
import { codePointLength, formatG, pyRepr, pyStrip, pyTruthy } from './pytext';
import { compilePyRegex } from './pyregex';
import { builtin, type Builtin } from './registry';

/** Runs an oslo.config check; a ValueError or TypeError becomes its message, success `""`. */
function messageOf(check: () => void): string {
  try {
    check();
    return '';
  } catch (e) {
    if (e instanceof BuiltinFailure && (e.pythonType === 'ValueError' || e.pythonType === 'TypeError')) return e.message;
    throw e;
  }
}

/** Python's `'%g' % bound` (bounds are numbers once the comparison succeeded). */
function g(bound: Value): string {
  if (typeof bound === 'string') return bound; // unreachable: comparing with a string raised first
  return formatG(bound instanceof Float ? bound.v : intToFloat(bound));
}

/** oslo.config's Number type: convert unless already of the type, then check the bounds. */
function checkNumber(minArg: Value, maxArg: Value, value: Value, convert: (v: Value) => Value, isType: (v: Value) => boolean): void {
  const min = minArg === '' ? null : minArg;
  const max = maxArg === '' ? null : maxArg;
  if (min !== null && max !== null && pyCompare('<', max, min)) throw new BuiltinFailure('ValueError', 'Max value is less than min value');
  let v = value;
  if (!isType(v)) {
    if (pyStrip(pythonStr(v)) === '') return; // blank means "unset": accepted
    v = convert(v);
  }
  if (min !== null && pyCompare('<', v, min)) {
    throw new BuiltinFailure('ValueError', `Should be greater than or equal to ${g(min)}`);
  }
  if (max !== null && pyCompare('>', v, max)) {
    throw new BuiltinFailure('ValueError', `Should be less than or equal to ${g(max)}`);
  }
}

const isInt = (v: Value): boolean => typeof v === 'number' || typeof v === 'bigint';
const isFloat = (v: Value): boolean => v instanceof Float;

/** Python's `'%d' % n` for a number (floats truncate). */
function d(n: Value): string {
  if (n instanceof Float) return String(Math.trunc(n.v));
  return pythonStr(n);
}

/** oslo.config's String type with `regex`, `max_length`, `quotes` and `ignore_case`. */
function checkString(regexArg: Value, maxLengthArg: Value, quotes: Value, ignoreCase: Value, value: Value): void {
  const maxLength: Value = pyTruthy(maxLengthArg) ? maxLengthArg : 0;
  let regex: RegExp | null = null;
  if (regexArg !== '') {
    if (typeof regexArg !== 'string') throw new BuiltinFailure('AttributeError', `'${typeof regexArg}' object has no attribute 'pattern'`);
    regex = compilePyRegex(regexArg, pyTruthy(ignoreCase));
  }
  let s = pythonStr(value);
  if (pyTruthy(quotes) && s.length > 0 && (s[0] === '"' || s[0] === "'")) {
    if (s.length === 1 || s[s.length - 1] !== s[0]) throw new BuiltinFailure('ValueError', `Non-closed quote: ${s}`);
    s = s.slice(1, -1);
  }
  if (pyCompare('>', maxLength, 0) && pyCompare('>', codePointLength(s), maxLength)) {
    throw new BuiltinFailure('ValueError', `Value '${s}' exceeds maximum length ${d(maxLength)}`);
  }
  if (regex !== null && !regex.test(s)) {
    throw new BuiltinFailure('ValueError', `Value ${pyRepr(s)} doesn't match regex ${pyRepr(regexArg as string)}`);
  }
}

/** `validate_int validate_float validate_string`. */
export const VALIDATE_BUILTINS: readonly Builtin[] = [
  builtin('validate_int', 4, 3, (a) => [messageOf(() => checkNumber(a[0], a[1], a[2], pyInt, isInt))]),
  builtin('validate_float', 4, 3, (a) => [
    messageOf(() => checkNumber(a[0], a[1], a[2], (v) => new Float(pyFloat(v)), isFloat)),
  ]),
  builtin('validate_string', 6, 5, (a) => [messageOf(() => checkString(a[0], a[1], a[2], a[3], a[4]))]),
];

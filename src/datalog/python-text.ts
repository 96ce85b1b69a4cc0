/**
 * Python's `str()` and `repr()` of JSON values: how the original renders a value it does not type
 * (a nested value in published datasource data, an API field it coerces with `str()`). Policies
 * compare against these strings, so they must come out exactly as Python prints them: dicts keep
 * their key order, strings inside structures are quoted as `repr()` quotes them.
 */
import { pyRepr } from './parse/pyrepr';
import { Float, formatFloat } from './value';

/** `str(v)`: a string is itself, anything else its `repr()`. */
export function pythonStr(v: unknown): string {
  return typeof v === 'string' ? v : pythonRepr(v);
}

/** `repr(v)` of a value decoded from JSON (JavaScript numbers: integral ones print as ints). */
export function pythonRepr(v: unknown): string {
  if (typeof v === 'string') return pyRepr(v);
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : formatFloat(v);
  if (v instanceof Float) return formatFloat(v.v);
  if (Array.isArray(v)) return '[' + v.map(pythonRepr).join(', ') + ']';
  if (typeof v === 'object') {
    return '{' + Object.entries(v).map(([k, x]) => `${pyRepr(k)}: ${pythonRepr(x)}`).join(', ') + '}';
  }
  return String(v);
}

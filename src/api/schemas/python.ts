/** How the original's Python reads body values it does not type-check. */
import { isJsonObject, type JsonValue } from '../../datalog/json';
import { pythonStr } from '../../datalog/python-text';

/** A body's value as Python's `str()` would print it, for fields the original coerces. */
export function pyStr(v: JsonValue): string {
  return pythonStr(v);
}

/** Python truthiness of a JSON value (`""`, `0`, `[]`, `{}`, `null`, `false` are false). */
export function truthy(v: JsonValue | undefined): boolean {
  if (v === undefined || v === null || v === false || v === '' || v === 0) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isJsonObject(v)) return Object.keys(v).length > 0;
  return true;
}

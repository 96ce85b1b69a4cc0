/**
 * Generated ids for nested objects, bit-for-bit as the original computes them (spec §2.7): sort
 * the values by `str(type(x)) + repr(x)`, serialise with Python's `json.dumps(..., sort_keys=True)`
 * (", " and ": " separators, ASCII-only escapes), and take the hex MD5.
 *
 * An integral float arrives boxed ({@link Float}, from `parseDataJson`) and hashes as Python's
 * float (`1.0`), an integer beyond 2^53 as a bigint with all its digits, so ids of objects
 * holding one match the original's.
 */
import { createHash } from 'node:crypto';
import { stringifyJson } from '../../../datalog/json';
import { Float, formatFloat } from '../../../datalog/value';
import type { NativeValue } from './values';

/** A hashable element: a column value or a tuple of them (VDICT pairs). */
export type HashInput = NativeValue | readonly NativeValue[];

function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + quote;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

function pyScalarRepr(v: NativeValue): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v instanceof Float) return formatFloat(v.v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatFloat(v);
  if (typeof v === 'bigint') return v.toString();
  return pyStrRepr(v);
}

function pyTypeName(v: HashInput): string {
  if (Array.isArray(v)) return 'tuple';
  if (v === null) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof Float) return 'float';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  return 'str';
}

function pyRepr(v: HashInput): string {
  if (Array.isArray(v)) {
    const items = (v as readonly NativeValue[]).map(pyScalarRepr);
    return '(' + items.join(', ') + (items.length === 1 ? ',)' : ')');
  }
  return pyScalarRepr(v as NativeValue);
}

function sortKey(v: HashInput): string {
  return `<class '${pyTypeName(v)}'>` + pyRepr(v);
}

function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    // Python escapes every non-ASCII UTF-16 unit (surrogates one by one), in lowercase hex.
    else if (c < 0x20 || c > 0x7e) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += s[i];
  }
  return out + '"';
}

function jsonScalar(v: NativeValue): string {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (v instanceof Float) return stringifyJson(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatFloat(v);
  if (typeof v === 'bigint') return v.toString();
  return jsonString(v);
}

function jsonOf(v: HashInput): string {
  if (Array.isArray(v)) return '[' + (v as readonly NativeValue[]).map(jsonScalar).join(', ') + ']';
  return jsonScalar(v as NativeValue);
}

/** The serialised form the original hashes (exposed for tests and diagnostics). */
export function hashText(values: readonly HashInput[]): string {
  const keyed = values.map((v) => ({ v, k: sortKey(v) }));
  // Python sorts by code point; JS's default string comparison is by UTF-16 unit, which agrees
  // except for astral characters against U+E000..U+FFFF, irrelevant for ids.
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return '[' + keyed.map((e) => jsonOf(e.v)).join(', ') + ']';
}

/** The generated id of an ordered list of values, child ids or (key, value) pairs. */
export function computeHash(values: readonly HashInput[]): string {
  return createHash('md5').update(hashText(values), 'ascii').digest('hex');
}

/** The id of an empty or missing sub-object: `d751713988987e9331980363e24189ce`. */
export const EMPTY_HASH = computeHash([]);

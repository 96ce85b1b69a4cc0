/**
 * JSON text as the original's `json.dumps(value, sort_keys=True)` writes it: keys sorted,
 * `, ` and `: ` separators, everything outside printable ASCII escaped, floats as Python's
 * `repr` (`1.0` stays `1.0`) and integers with all their digits. It identifies a polled document
 * (two polls returning the same object in another key order must not look like a change), is
 * the text stored in `jsonb`, and is the `_key` of a webhook table's rows, where it must match
 * the original's text. Documents come from `parseJson`, which keeps floats boxed and big
 * integers exact.
 */
import { Float, formatFloat } from '../../../datalog/value';
import { errors } from '../errors';

const escapeNonAscii = (s: string): string => s.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));

const text = (s: string): string => escapeNonAscii(JSON.stringify(s));

/** Python orders strings by code point; JavaScript's sort by UTF-16 unit puts U+10000 before U+FFFF. */
function byCodePoint(a: string, b: string): number {
  if (!/[\uD800-\uDFFF]/.test(a + b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

function write(v: unknown, sortKeys: boolean, out: string[]): void {
  if (v === null || v === undefined) out.push('null');
  else if (typeof v === 'string') out.push(text(v));
  else if (typeof v === 'boolean') out.push(v ? 'true' : 'false');
  else if (typeof v === 'bigint') out.push(v.toString());
  else if (typeof v === 'number' || v instanceof Float) {
    const n = typeof v === 'number' ? v : v.v;
    // Python writes Infinity and NaN, which PostgreSQL's jsonb refuses; say why instead.
    if (!Number.isFinite(n)) throw errors.badPush(`the JSON number ${String(n)} is outside the range of a double-precision float and cannot be stored`);
    out.push(typeof v === 'number' && Number.isInteger(v) ? v.toString() : formatFloat(n));
  } else if (Array.isArray(v)) {
    out.push('[');
    v.forEach((x, i) => {
      if (i > 0) out.push(', ');
      write(x, sortKeys, out);
    });
    out.push(']');
  } else if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    out.push('{');
    const keys = Object.keys(o);
    if (sortKeys) keys.sort(byCodePoint);
    keys.forEach((k, i) => {
      if (i > 0) out.push(', ');
      out.push(text(k), ': ');
      write(o[k], sortKeys, out);
    });
    out.push('}');
  } else {
    out.push('null');
  }
}

/** Python's `json.dumps(value)`: as {@link canonicalJson}, keys in the order they come. */
export function pythonJson(value: unknown): string {
  const out: string[] = [];
  write(value, false, out);
  return out.join('');
}

export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, true, out);
  return out.join('');
}

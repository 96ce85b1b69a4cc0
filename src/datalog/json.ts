/**
 * JSON with Python's number semantics: `1.0` stays a FLOAT and `1` an INTEGER, and integers
 * beyond 2^53 keep every digit. `JSON.parse` loses both distinctions, which the policy language
 * observes (`q(1.0)` and `q(1)` are different constants), so case files, API bodies and published
 * rows are read with this parser and written with {@link stringifyJson}.
 */
import { Float, formatFloat, numberFromText, type Value } from './value';
import { PolicyError } from './errors';

export type JsonValue = Value | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** JSON as `JSON.parse` returns it: no boxed floats, no big integers. */
export type PlainJson = string | number | boolean | null | PlainJson[] | { [key: string]: PlainJson };

const MAX_DEPTH = 512;

const NON_FINITE: readonly (readonly [string, number])[] = [
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
];

/** Parses JSON text; throws a PolicyError with the position on malformed input. */
export function parseJson(text: string): JsonValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new PolicyError(`Malformed JSON at offset ${i}: ${what}`);
  };
  const ws = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const str = (): string => {
    i++; // opening quote
    let out = '';
    let start = i;
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (c < 32) fail('control character in string');
      if (c === 92) {
        out += text.slice(start, i);
        const e = text[i + 1];
        i += 2;
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = text.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad unicode escape');
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default:
            fail('bad escape');
        }
        start = i;
        continue;
      }
      i++;
    }
  };
  const num = (): Value => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m === null) return fail('bad number');
    i += m[0].length;
    return numberFromText(m[0]);
  };
  const value = (depth: number): JsonValue => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: { [key: string]: JsonValue } = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const k = str();
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        const v = value(depth + 1);
        // A `__proto__` key is data, as JSON.parse keeps it; plain assignment would set the prototype.
        if (k === '__proto__') Object.defineProperty(obj, k, { value: v, writable: true, enumerable: true, configurable: true });
        else obj[k] = v;
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const arr: JsonValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    // Python's json reads (and writes) the non-finite floats under these names.
    if (c === 'N' || c === 'I' || (c === '-' && text[i + 1] === 'I')) {
      for (const [name, v] of NON_FINITE) {
        if (text.startsWith(name, i)) {
          i += name.length;
          return new Float(v);
        }
      }
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return num();
    return fail(c === undefined ? 'unexpected end of input' : `unexpected '${c}'`);
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail('trailing characters');
  return v;
}

/**
 * Serialises like Python's `json.dumps`: floats keep their `.0`, big integers all digits, and
 * non-finite floats are `NaN`, `Infinity`, `-Infinity` (not JSON, but what the original writes).
 */
export function stringifyJson(v: JsonValue): string {
  return write(v, null);
}

/** The same, laid out as `JSON.stringify(v, null, 2)` lays it out (for people reading it). */
export function prettyJson(v: JsonValue): string {
  return write(v, '');
}

/**
 * A request body for an upstream service, written as `JSON.stringify` writes it (compact, members
 * that are undefined left out), except that a FLOAT keeps its `.0` and a big integer its digits:
 * the original's clients write its action arguments with Python's json, where `2.0` stays `2.0`.
 */
export function requestJson(v: unknown): string {
  return writeRequest(v) ?? 'null';
}

function writeRequest(v: unknown): string | undefined {
  if (v instanceof Float) return write(v, null);
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return '[' + v.map((x) => writeRequest(x) ?? 'null').join(',') + ']';
  if (typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON !== 'function') {
    const members: string[] = [];
    for (const [k, x] of Object.entries(v)) {
      const text = writeRequest(x);
      if (text !== undefined) members.push(JSON.stringify(k) + ':' + text);
    }
    return '{' + members.join(',') + '}';
  }
  // Strings, numbers, booleans, null and objects with toJSON as JSON.stringify writes them;
  // undefined (and functions) are left out by the caller.
  return JSON.stringify(v) as string | undefined;
}

/** `indent` is the current line's indentation when laying out, null for one line. */
function write(v: JsonValue, indent: string | null): string {
  if (v === null) return 'null';
  if (v instanceof Float) return Number.isFinite(v.v) ? formatFloat(v.v) : Number.isNaN(v.v) ? 'NaN' : v.v > 0 ? 'Infinity' : '-Infinity';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      break;
  }
  const inner = indent === null ? null : indent + '  ';
  const sep = inner === null ? ', ' : ',\n' + inner;
  const open = inner === null ? '' : '\n' + inner;
  const close = indent === null ? '' : '\n' + indent;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return '[' + open + v.map((x) => write(x, inner)).join(sep) + close + ']';
  }
  const entries = Object.entries(v as { [key: string]: JsonValue });
  if (entries.length === 0) return '{}';
  return '{' + open + entries.map(([k, x]) => JSON.stringify(k) + ': ' + write(x, inner)).join(sep) + close + '}';
}

export function isJsonObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Float);
}

/**
 * A parsed value as plain JSON, for data whose numbers are only values (datasource configs,
 * library policy fields, action arguments, comparisons by value): the parser boxes floats and
 * keeps big integers exact, which such data has no use for, and a box sent as is would arrive
 * as `{"v": 2.5}`. Rows and documents that reach policies keep the types ({@link dataJson}).
 */
export function plainJson(v: JsonValue): PlainJson {
  if (v instanceof Float) return v.v;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(plainJson);
  if (isJsonObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainJson(x)]));
  return v;
}

/**
 * A parsed document as datasource drivers read it: plain JSON as `JSON.parse` gives it, except
 * that a float with an integral value stays a boxed {@link Float} and an integer beyond 2^53 a
 * bigint. Python reads `"ram": 1.0` as a float, and the original's rows keep it one (`1.0`
 * matches `1.0` in a rule, not `1`), and it keeps every digit of an integer; a plain number would
 * lose both. Other floats need no box, except an overflow (`1e400` is Python's `inf`).
 */
export type DataJson = string | number | bigint | boolean | null | Float | DataJson[] | { [key: string]: DataJson };

export function dataJson(v: JsonValue): DataJson {
  if (v instanceof Float) return Number.isInteger(v.v) || !Number.isFinite(v.v) ? v : v.v;
  if (Array.isArray(v)) return v.map(dataJson);
  if (isJsonObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, dataJson(x)]));
  return v;
}

/**
 * A number token where a value starts that JSON.parse could misread: with a fraction or an
 * exponent, or 16 digits and more. It may be a false alarm inside a string (then the exact
 * parser runs for nothing).
 */
const SPECIAL_NUMBER = /[:,[]\s*-?(?:\d+[.eE]|\d{16}|Infinity|NaN)/;

/**
 * Parses a document for a datasource driver ({@link dataJson}); JSON.parse when the text holds no
 * float and no long integer, which is most OpenStack answers, as it is about twice as fast.
 */
export function parseDataJson(text: string): DataJson {
  if (!SPECIAL_NUMBER.test(text) && !/^\s*-?(?:\d|Infinity|NaN)/.test(text)) return JSON.parse(text) as DataJson;
  return dataJson(parseJson(text));
}

/**
 * Compares case results with the original's expected outputs, by the rules of
 * `shared/conformance/README.md`: answers and rows as sets, rule errors as (index, code) pairs,
 * any error object matching any error object; rule-error messages are scored separately.
 */
import { isJsonObject, plainJson, stringifyJson, type JsonValue } from '../datalog/json';

type Obj = { [key: string]: JsonValue };

/** A JSON array of case results (expected or actual) by case name. */
export function resultsByName(list: JsonValue): Map<string, Obj> {
  const out = new Map<string, Obj>();
  for (const r of Array.isArray(list) ? list : []) if (isJsonObject(r)) out.set(String(r.name), r);
  return out;
}

/** The tags of a case (for {@link compareResult}). */
export function tagsOf(c: Obj): string[] {
  return Array.isArray(c.tags) ? c.tags.map(String) : [];
}

export interface Comparison {
  readonly name: string;
  readonly mismatches: string[];
  readonly messagesSame: number;
  readonly messagesTotal: number;
}

function isError(v: JsonValue | undefined): boolean {
  return isJsonObject(v) && typeof v.error === 'string';
}

function asSet(v: JsonValue | undefined, key: (x: JsonValue) => string): Set<string> {
  return new Set(Array.isArray(v) ? v.map(key) : []);
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** Canonical text of a row for set comparison: numbers compared by value (JSON `1` equals `1.0`). */
function rowKey(r: JsonValue): string {
  return JSON.stringify(plainJson(r));
}

function compareAnswers(what: string, expected: JsonValue | undefined, actual: JsonValue | undefined, key: (x: JsonValue) => string, out: string[]): void {
  if (isError(expected)) {
    if (!isError(actual)) out.push(`${what}: expected an error, got ${stringifyJson(actual ?? null)}`);
    return;
  }
  if (isError(actual)) {
    out.push(`${what}: expected ${stringifyJson(expected ?? null)}, got error ${stringifyJson(actual ?? null)}`);
    return;
  }
  const e = asSet(expected, key);
  const a = asSet(actual, key);
  if (!sameSet(e, a)) {
    const missing = [...e].filter((x) => !a.has(x));
    const extra = [...a].filter((x) => !e.has(x));
    out.push(`${what}: missing ${JSON.stringify(missing.slice(0, 5))} extra ${JSON.stringify(extra.slice(0, 5))}`);
  }
}

/**
 * Deliberate difference (docs/differences.md): published datasource data keeps non-ASCII text,
 * where the original dropped those characters. For cases with datasource data, answers are
 * compared after dropping non-ASCII characters from ours, so that only that difference is forgiven.
 */
function dropNonAscii(v: JsonValue): JsonValue {
  if (typeof v === 'string') return v.replace(/[^\x00-\x7f]/g, '');
  if (Array.isArray(v)) return v.map(dropNonAscii);
  if (isJsonObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, dropNonAscii(x)]));
  return v;
}

export function compareResult(expected: Obj, actual: Obj, tags: readonly string[] = []): Comparison {
  const strict = compareStrict(expected, actual);
  if (strict.mismatches.length === 0 || !tags.includes('datasource')) return strict;
  const relaxed = compareStrict(expected, { ...actual, results: dropNonAscii(actual.results ?? {}), rows: dropNonAscii(actual.rows ?? {}) });
  return relaxed.mismatches.length === 0 ? relaxed : strict;
}

function compareStrict(expected: Obj, actual: Obj): Comparison {
  const out: string[] = [];
  const name = String(expected.name);
  const eres = isJsonObject(expected.results) ? expected.results : {};
  const ares = isJsonObject(actual.results) ? actual.results : {};
  for (const k of Object.keys(eres)) compareAnswers(`query ${k}`, eres[k], ares[k], (x) => String(x), out);
  const erows = isJsonObject(expected.rows) ? expected.rows : {};
  const arows = isJsonObject(actual.rows) ? actual.rows : {};
  for (const k of Object.keys(erows)) compareAnswers(`rows ${k}`, erows[k], arows[k], rowKey, out);
  const errKey = (x: JsonValue): string => (isJsonObject(x) ? `${String(x.index)}:${String(x.code)}` : '');
  const eErr = asSet(expected.rule_errors, errKey);
  const aErr = asSet(actual.rule_errors, errKey);
  if (!sameSet(eErr, aErr)) out.push(`rule_errors: expected ${[...eErr].join(' ')} got ${[...aErr].join(' ')}`);
  const esim = Array.isArray(expected.simulate_results) ? expected.simulate_results : [];
  const asim = Array.isArray(actual.simulate_results) ? actual.simulate_results : [];
  esim.forEach((e, i) => compareAnswers(`simulate[${i}]`, e, asim[i], (x) => String(x), out));
  let same = 0;
  let total = 0;
  const amsg = new Map<string, string>();
  for (const x of Array.isArray(actual.rule_errors) ? actual.rule_errors : []) {
    if (isJsonObject(x)) amsg.set(String(x.index), String(x.message));
  }
  for (const x of Array.isArray(expected.rule_errors) ? expected.rule_errors : []) {
    if (!isJsonObject(x)) continue;
    total++;
    if (amsg.get(String(x.index)) === String(x.message)) same++;
  }
  return { name, mismatches: out, messagesSame: same, messagesTotal: total };
}

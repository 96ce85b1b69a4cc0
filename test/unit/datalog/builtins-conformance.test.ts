/**
 * The shared conformance samples that use builtins, checked at builtin level: a deliberately
 * naive evaluator (nested loops over the sample facts, builtins applied once their inputs are
 * bound, negation once ground) computes each query's answers with our builtins, and they must
 * equal the answers the original engine gave. It is independent of the real evaluator, so a
 * mismatch here points at a builtin.
 */
import { readFileSync } from 'fs';
import path from 'path';
import { findBuiltin } from '../../../src/datalog/builtins';
import { formatValue, fromJson, numberFromText, rawValueKey, sameValue, type Value } from '../../../src/datalog/value';

// ---- JSON that keeps number text (1.0 stays a FLOAT) -------------------------------------------

/** A JSON number with its source text. */
class RawNumber {
  constructor(readonly text: string) {}

  toValue(): Value {
    return numberFromText(this.text);
  }
}

type RawObject = { readonly [k: string]: Raw };
type Raw = string | RawNumber | boolean | null | readonly Raw[] | RawObject;

function parseRawJson(text: string): Raw {
  let i = 0;
  const ws = (): void => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  const value = (): Raw => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: { [k: string]: Raw } = {};
      ws();
      if (text[i] === '}') return i++, obj;
      for (;;) {
        ws();
        const key = value() as string;
        ws();
        i++; // ':'
        obj[key] = value();
        ws();
        if (text[i++] === '}') return obj;
      }
    }
    if (c === '[') {
      i++;
      const arr: Raw[] = [];
      ws();
      if (text[i] === ']') return i++, arr;
      for (;;) {
        arr.push(value());
        ws();
        if (text[i++] === ']') return arr;
      }
    }
    if (c === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i)) as RegExpExecArray;
      i += m[0].length;
      return JSON.parse(m[0]) as string;
    }
    const m = /^(true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i)) as RegExpExecArray;
    i += m[0].length;
    if (m[0] === 'true') return true;
    if (m[0] === 'false') return false;
    if (m[0] === 'null') return null;
    return new RawNumber(m[0]);
  };
  return value();
}

const isObj = (r: Raw): r is RawObject => typeof r === 'object' && r !== null && !Array.isArray(r) && !(r instanceof RawNumber);

function constantOf(r: Raw): Value {
  if (r instanceof RawNumber) return r.toValue();
  if (typeof r === 'string' || typeof r === 'boolean' || r === null) return fromJson(r);
  throw new Error('not a scalar');
}

// ---- Rules: atoms with variables, constants and named column references ------------------------

type Term = { readonly v: string } | { readonly c: Value };
interface Lit {
  readonly neg: boolean;
  readonly service: string | null;
  readonly table: string;
  readonly args: readonly Term[];
}

function parseTerm(text: string): Term {
  const t = text.trim();
  if (t.startsWith('"') || t.startsWith("'")) return { c: t.slice(1, -1) };
  if (/^[0-9]/.test(t)) return { c: numberFromText(t) };
  return { v: t };
}

/** Splits on commas outside quotes and parentheses. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (const ch of text) {
    if (quote !== '') {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim() !== '') parts.push(cur);
  return parts;
}

let fresh = 0;

function parseLit(text: string, schemas: ReadonlyMap<string, readonly string[]>): Lit {
  const m = /^\s*(not\s+)?(?:([\w.]+):)?(\w+)\((.*)\)\s*$/s.exec(text);
  if (m === null) throw new Error(`unsupported literal ${text}`);
  const [, neg, service, table, argText] = m;
  const parts = splitTop(argText);
  let args: Term[];
  if (parts.some((p) => /^\s*\w+\s*=/.test(p))) {
    const cols = schemas.get(`${service}:${table}`);
    if (cols === undefined) throw new Error(`no schema for ${service}:${table}`);
    args = cols.map((): Term => ({ v: `_fresh${fresh++}` }));
    for (const p of parts) {
      const eq = p.indexOf('=');
      args[cols.indexOf(p.slice(0, eq).trim())] = parseTerm(p.slice(eq + 1));
    }
  } else args = parts.map(parseTerm);
  return { neg: neg !== undefined, service: service ?? null, table, args };
}

interface Rule {
  readonly head: Lit;
  readonly body: readonly Lit[];
}

// ---- Naive evaluation ---------------------------------------------------------------------------

type Env = Map<string, Value>;

class NaiveEngine {
  private readonly rules: Rule[] = [];
  private readonly relations = new Map<string, Value[][]>();

  constructor(private readonly schemas: ReadonlyMap<string, readonly string[]>) {}

  /** Stores facts the way the engine does: a row raw-equal to a stored one (`7.0` after `7`) is a no-op. */
  addFacts(key: string, rows: readonly Value[][]): void {
    const stored = this.relations.get(key) ?? [];
    const seen = new Set(stored.map((t) => t.map(rawValueKey).join('|')));
    for (const row of rows) {
      const k = row.map(rawValueKey).join('|');
      if (!seen.has(k)) stored.push(row);
      seen.add(k);
    }
    this.relations.set(key, stored);
  }

  addRule(text: string): void {
    const [head, body] = text.split(':-');
    this.rules.push({ head: parseLit(head, this.schemas), body: splitTop(body).map((l) => parseLit(l, this.schemas)) });
  }

  private keyOf(lit: Lit): string {
    return lit.service === null ? lit.table : `${lit.service}:${lit.table}`;
  }

  /** All tuples of a table: its facts plus what its rules derive. */
  private tuples(key: string, width: number): Value[][] {
    const out = (this.relations.get(key) ?? []).filter((t) => t.length === width);
    for (const r of this.rules) {
      if (r.head.service !== null || r.head.table !== key || r.head.args.length !== width) continue;
      this.solve(r.body, new Map(), (env) => out.push(r.head.args.map((a) => ('c' in a ? a.c : (env.get(a.v) as Value)))));
    }
    return out;
  }

  private value(t: Term, env: Env): Value | undefined {
    return 'c' in t ? t.c : env.get(t.v);
  }

  private ready(lit: Lit, env: Env): boolean {
    const b = findBuiltin(lit.table, lit.args.length);
    const needed = lit.neg ? lit.args.length : b !== undefined ? b.inputs : 0;
    return lit.args.slice(0, needed).every((a) => this.value(a, env) !== undefined);
  }

  /** Calls `emit` once per way the literals hold, evaluating each as soon as it can be. */
  solve(lits: readonly Lit[], env: Env, emit: (env: Env) => void): void {
    if (lits.length === 0) return emit(env);
    const k = lits.findIndex((l) => this.ready(l, env));
    if (k < 0) throw new Error('unsafe body');
    const lit = lits[k];
    const rest = lits.filter((_, i) => i !== k);
    if (lit.neg) {
      let found = false;
      this.match({ ...lit, neg: false }, env, () => {
        found = true;
      });
      if (!found) this.solve(rest, env, emit);
      return;
    }
    this.match(lit, env, (e) => this.solve(rest, e, emit));
  }

  /** Calls `emit` with each extension of `env` that makes the positive literal true. */
  match(lit: Lit, env: Env, emit: (env: Env) => void): void {
    const b = findBuiltin(lit.table, lit.args.length);
    let candidates: Value[][];
    if (b !== undefined) {
      const inputs = lit.args.slice(0, b.inputs).map((a) => this.value(a, env) as Value);
      let result: boolean | readonly Value[];
      try {
        result = b.apply(inputs);
      } catch {
        return; // a raising builtin makes the literal false
      }
      if (b.width === b.inputs) {
        if (result === true) emit(env);
        return;
      }
      candidates = [[...inputs, ...(result as Value[])]];
    } else candidates = this.tuples(this.keyOf(lit), lit.args.length);
    for (const tuple of candidates) {
      const e = new Map(env);
      const ok = lit.args.every((a, i) => {
        const cur = this.value(a, e);
        if (cur === undefined && 'v' in a) {
          e.set(a.v, tuple[i]);
          return true;
        }
        return sameValue(cur as Value, tuple[i]);
      });
      if (ok) emit(e);
    }
  }

  /** The printed answers of a query atom. */
  query(text: string): Set<string> {
    const lit = parseLit(text, this.schemas);
    const answers = new Set<string>();
    const name = lit.service === null ? lit.table : `${lit.service}:${lit.table}`;
    this.solve([lit], new Map(), (env) => {
      answers.add(`${name}(${lit.args.map((a) => formatValue(this.value(a, env) as Value)).join(', ')})`);
    });
    return answers;
  }
}

// ---- The samples --------------------------------------------------------------------------------

const dir = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'conformance', 'datalog');
const cases = parseRawJson(readFileSync(path.join(dir, 'cases.json'), 'utf8')) as readonly Raw[];
const expectedByName = new Map<string, Raw>();
for (const e of parseRawJson(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as readonly Raw[]) {
  if (isObj(e)) expectedByName.set(e.name as string, e);
}

const BUILTIN_CALL =
  /\b(lt|lteq|gt|gteq|equal|max|plus|minus|mul|div|float|int|concat|len|now|unpack_\w+|pack_\w+|extract_\w+|datetime_\w+|ips_\w+|networks_\w+|ip_in_network|validate_\w+)\(/;

/** Cases this evaluator can run: builtins used, plain rules and facts, no expected rule errors. */
function supported(c: RawObject): boolean {
  const exp = expectedByName.get(c.name as string);
  const unsupportedKeys = ['simulate', 'policies', 'deletes', 'delete_policies', 'datasource_updates', 'mode', 'kind'];
  return (
    BUILTIN_CALL.test(JSON.stringify([c.rules, c.queries])) &&
    !unsupportedKeys.some((k) => k in c) &&
    (c.rules as readonly Raw[] | undefined)?.every((r) => typeof r === 'string') !== false &&
    (c.facts === undefined || (isObj(c.facts) && Object.keys(c.facts).every((k) => !k.includes(':')))) &&
    exp !== undefined &&
    isObj(exp) &&
    (exp.rule_errors as readonly Raw[]).length === 0
  );
}

const runnable = cases.filter(isObj).filter(supported);

function engineFor(c: RawObject): NaiveEngine {
  const schemas = new Map<string, readonly string[]>();
  const sources = isObj(c.datasources ?? null) ? (c.datasources as RawObject) : {};
  for (const [ds, spec] of Object.entries(sources)) {
    if (!isObj(spec)) continue;
    for (const [table, cols] of Object.entries(spec.schema as RawObject)) {
      schemas.set(`${ds}:${table}`, (cols as readonly Raw[]).map((col) => (isObj(col) ? (col.name as string) : (col as string))));
    }
  }
  const engine = new NaiveEngine(schemas);
  for (const [ds, spec] of Object.entries(sources)) {
    if (!isObj(spec) || !isObj(spec.data ?? null)) continue;
    for (const [table, rows] of Object.entries(spec.data as RawObject)) {
      engine.addFacts(`${ds}:${table}`, (rows as readonly (readonly Raw[])[]).map((row) => row.map(constantOf)));
    }
  }
  for (const [table, rows] of Object.entries((c.facts ?? {}) as RawObject)) {
    engine.addFacts(table, (rows as readonly (readonly Raw[])[]).map((row) => row.map(constantOf)));
  }
  for (const r of (c.rules ?? []) as readonly string[]) engine.addRule(r);
  return engine;
}

describe('builtin-level check of the conformance samples', () => {
  it('covers every sample whose rules use builtins and that this evaluator can run', () => {
    const names = runnable.map((c) => c.name);
    for (const name of [
      'safety-reorder-builtin',
      'builtins-compare-ints',
      'builtins-compare-type-mismatch',
      'builtins-prefixed',
      'builtins-arith-basic',
      'builtins-arith-floats',
      'builtins-arith-output-constant',
      'builtins-string-concat-numbers',
      'builtins-datetime-extract',
      'builtins-datetime-plus-minus',
      'builtins-netaddr-networks',
      'builtins-validate-int',
      'unicode-data-facts',
      'real-port-security',
      'real-vm-on-foreign-network',
    ]) {
      expect(names).toContain(name);
    }
  });

  it.each(runnable.map((c) => [c.name as string, c] as const))('%s', (name, c) => {
    const engine = engineFor(c);
    const results = (expectedByName.get(name) as RawObject).results as RawObject;
    let checked = 0;
    for (const [query, answers] of Object.entries(results)) {
      if (!Array.isArray(answers)) continue; // an expected error object
      expect([...engine.query(query)].sort()).toEqual([...(answers as string[])].sort());
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

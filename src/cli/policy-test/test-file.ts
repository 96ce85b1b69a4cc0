/**
 * The test file format of `congress test` (JSON or YAML, the same structure): datasource
 * tables, facts, extra rules and expectations, checked field by field so that a typo is an
 * error naming its place rather than a check silently skipped.
 */
import yaml from 'js-yaml';
import { MalformedFile } from './malformed-file';

/** A JSON scalar as written in a test file. */
export type Scalar = string | number | boolean | null;

/** A datasource table in a test: optional column names and its rows. */
export interface DatasourceTable {
  readonly columns?: readonly string[];
  readonly rows: readonly (readonly Scalar[])[];
}

/** An extra rule a test inserts, and the error it must raise if any (code or message fragment). */
export interface ExtraRule {
  readonly policy: string;
  readonly rule: string;
  readonly error?: string;
}

/** One expectation of a test. */
export type Expectation =
  | { readonly kind: 'query'; readonly policy: string; readonly query: string; readonly answers?: readonly string[]; readonly error?: string }
  | { readonly kind: 'rows'; readonly policy: string; readonly table: string; readonly rows?: readonly (readonly Scalar[])[]; readonly error?: string }
  | {
      readonly kind: 'simulate';
      readonly policy: string;
      readonly query: string;
      readonly sequence: string;
      readonly actionPolicy: string;
      readonly delta: boolean;
      readonly answers?: readonly string[];
      readonly error?: string;
    };

/** One test case. */
export interface TestCase {
  readonly file: string;
  readonly name: string;
  /** datasource → table → data. */
  readonly datasources: ReadonlyMap<string, ReadonlyMap<string, DatasourceTable>>;
  /** policy → table → rows. */
  readonly facts: ReadonlyMap<string, ReadonlyMap<string, readonly (readonly Scalar[])[]>>;
  readonly rules: readonly ExtraRule[];
  readonly expect: readonly Expectation[];
}

type Obj = { [key: string]: unknown };

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: unknown, where: string, allowed: readonly string[]): Obj {
  if (!isObj(v)) throw new MalformedFile(`${where}: expected a mapping`);
  const unknown = Object.keys(v).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new MalformedFile(`${where}: unknown field ${unknown.map((k) => JSON.stringify(k)).join(', ')} (allowed: ${allowed.join(', ')})`);
  return v;
}

/** A mapping whose keys are names the user chooses (datasources, policies, tables). */
function mapping(v: unknown, where: string): Obj {
  if (!isObj(v)) throw new MalformedFile(`${where}: expected a mapping`);
  return v;
}

function text(v: unknown, where: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new MalformedFile(`${where}: expected text`);
}

function optText(v: unknown, where: string): string | undefined {
  return v === undefined ? undefined : text(v, where);
}

function list(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw new MalformedFile(`${where}: expected a list`);
  return v;
}

function scalar(v: unknown, where: string): Scalar {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString();
  throw new MalformedFile(`${where}: expected a string, number, boolean or null`);
}

function rows(v: unknown, where: string): Scalar[][] {
  return list(v, where).map((r, i) => list(r, `${where}[${i}]`).map((x, j) => scalar(x, `${where}[${i}][${j}]`)));
}

function strings(v: unknown, where: string): string[] {
  return list(v, where).map((x, i) => text(x, `${where}[${i}]`));
}

/** Datasource tables: `{ds: {table: [rows]} | {table: {columns, rows}}}`. */
export function datasources(v: unknown, where: string): Map<string, Map<string, DatasourceTable>> {
  const out = new Map<string, Map<string, DatasourceTable>>();
  if (v === undefined) return out;
  for (const [ds, tables] of Object.entries(mapping(v, where))) {
    const m = new Map<string, DatasourceTable>();
    for (const [t, spec] of Object.entries(mapping(tables, `${where}.${ds}`))) {
      const w = `${where}.${ds}.${t}`;
      if (Array.isArray(spec)) m.set(t, { rows: rows(spec, w) });
      else {
        const o = obj(spec, w, ['columns', 'rows']);
        const columns = o.columns === undefined ? undefined : strings(o.columns, `${w}.columns`);
        const data = o.rows === undefined ? [] : rows(o.rows, `${w}.rows`);
        data.forEach((r, i) => {
          if (columns !== undefined && r.length !== columns.length) throw new MalformedFile(`${w}.rows[${i}]: ${r.length} values for ${columns.length} columns`);
        });
        m.set(t, { columns, rows: data });
      }
    }
    out.set(ds, m);
  }
  return out;
}

/** `{policy: {table: [rows]}}` */
function facts(v: unknown, where: string): Map<string, Map<string, Scalar[][]>> {
  const out = new Map<string, Map<string, Scalar[][]>>();
  if (v === undefined) return out;
  for (const [p, tables] of Object.entries(mapping(v, where))) {
    const m = new Map<string, Scalar[][]>();
    for (const [t, r] of Object.entries(mapping(tables, `${where}.${p}`))) m.set(t, rows(r, `${where}.${p}.${t}`));
    out.set(p, m);
  }
  return out;
}

/** File-level fixtures first, the test's own tables replacing them table by table. */
export function merged<T>(base: ReadonlyMap<string, ReadonlyMap<string, T>>, own: ReadonlyMap<string, ReadonlyMap<string, T>>): Map<string, Map<string, T>> {
  const out = new Map<string, Map<string, T>>();
  for (const src of [base, own]) {
    for (const [k, tables] of src) {
      const m = out.get(k) ?? new Map<string, T>();
      for (const [t, v] of tables) m.set(t, v);
      out.set(k, m);
    }
  }
  return out;
}

/** A test's own rows keep the file's column names when the test does not repeat them. */
export function withColumns(tables: Map<string, Map<string, DatasourceTable>>, base: ReadonlyMap<string, ReadonlyMap<string, DatasourceTable>>): Map<string, Map<string, DatasourceTable>> {
  for (const [ds, m] of tables) {
    for (const [t, d] of m) {
      const columns = d.columns ?? base.get(ds)?.get(t)?.columns;
      if (columns === undefined) continue;
      d.rows.forEach((r, i) => {
        if (r.length !== columns.length) throw new MalformedFile(`datasources.${ds}.${t}.rows[${i}]: ${r.length} values for ${columns.length} columns`);
      });
      m.set(t, { columns, rows: d.rows });
    }
  }
  return tables;
}

function extraRules(v: unknown, where: string, policy: string): ExtraRule[] {
  if (v === undefined) return [];
  return list(v, where).map((r, i) => {
    const w = `${where}[${i}]`;
    if (typeof r === 'string') return { policy, rule: r };
    const o = obj(r, w, ['rule', 'policy', 'error']);
    return { policy: optText(o.policy, `${w}.policy`) ?? policy, rule: text(o.rule, `${w}.rule`), error: optText(o.error, `${w}.error`) };
  });
}

function expectation(v: unknown, where: string, policy: string): Expectation {
  const o = obj(v, where, ['query', 'table', 'simulate', 'policy', 'answers', 'rows', 'error']);
  const target = optText(o.policy, `${where}.policy`) ?? policy;
  const error = optText(o.error, `${where}.error`);
  const present = ['query', 'table', 'simulate'].filter((k) => o[k] !== undefined);
  if (present.length !== 1) throw new MalformedFile(`${where}: give exactly one of query, table, simulate`);
  const outcome = (field: 'answers' | 'rows'): void => {
    if ((o[field] === undefined) === (error === undefined)) throw new MalformedFile(`${where}: give either ${field} or error`);
  };
  if (o.table !== undefined) {
    outcome('rows');
    if (o.answers !== undefined) throw new MalformedFile(`${where}: a table expectation lists rows, not answers`);
    return { kind: 'rows', policy: target, table: text(o.table, `${where}.table`), rows: o.rows === undefined ? undefined : rows(o.rows, `${where}.rows`), error };
  }
  outcome('answers');
  if (o.rows !== undefined) throw new MalformedFile(`${where}: a query expectation lists answers, not rows`);
  const answers = o.answers === undefined ? undefined : strings(o.answers, `${where}.answers`);
  if (o.query !== undefined) return { kind: 'query', policy: target, query: text(o.query, `${where}.query`), answers, error };
  const s = obj(o.simulate, `${where}.simulate`, ['query', 'sequence', 'action_policy', 'delta']);
  if (s.delta !== undefined && typeof s.delta !== 'boolean') throw new MalformedFile(`${where}.simulate.delta: expected true or false`);
  return {
    kind: 'simulate',
    policy: target,
    query: text(s.query, `${where}.simulate.query`),
    sequence: text(s.sequence, `${where}.simulate.sequence`),
    actionPolicy: optText(s.action_policy, `${where}.simulate.action_policy`) ?? 'action',
    delta: s.delta === true,
    answers,
    error,
  };
}

/**
 * The tests of one file's parsed content; `defaultPolicy` applies where a test names none, and
 * `shared` (the directory's datasources file) under the file's own datasource tables.
 */
export function testsOf(file: string, content: unknown, defaultPolicy: string, shared: ReadonlyMap<string, ReadonlyMap<string, DatasourceTable>> = new Map()): TestCase[] {
  const top = obj(content, file, ['policy', 'datasources', 'facts', 'tests']);
  const policy = optText(top.policy, `${file}: policy`) ?? defaultPolicy;
  const baseDs = withColumns(merged(shared, datasources(top.datasources, `${file}: datasources`)), shared);
  const baseFacts = facts(top.facts, `${file}: facts`);
  const seen = new Set<string>();
  return list(top.tests, `${file}: tests`).map((t, i) => {
    const where = `${file}: tests[${i}]`;
    const o = obj(t, where, ['name', 'datasources', 'facts', 'rules', 'expect']);
    const name = text(o.name, `${where}.name`);
    if (seen.has(name)) throw new MalformedFile(`${where}: a second test named ${JSON.stringify(name)}`);
    seen.add(name);
    const expect = list(o.expect ?? [], `${where}.expect`).map((e, j) => expectation(e, `${where}.expect[${j}]`, policy));
    const rules = extraRules(o.rules, `${where}.rules`, policy);
    if (expect.length === 0 && !rules.some((r) => r.error !== undefined)) throw new MalformedFile(`${where}: expects nothing (add expect entries)`);
    return {
      file,
      name,
      datasources: withColumns(merged(baseDs, datasources(o.datasources, `${where}.datasources`)), baseDs),
      facts: merged(baseFacts, facts(o.facts, `${where}.facts`)),
      rules,
      expect,
    };
  });
}

/** The content of a test or datasources file: JSON for `.json`, YAML otherwise. */
export function parseTestFile(file: string, source: string): unknown {
  try {
    return file.endsWith('.json') ? (JSON.parse(source) as unknown) : yaml.load(source);
  } catch (err) {
    throw new MalformedFile(`${file}: ${(err as Error).message}`);
  }
}

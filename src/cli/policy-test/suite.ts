/**
 * A policy test directory, read and checked: policy files (`NAME.policy` / `NAME.dl`, rules of
 * policy NAME, optional first line `// kind: KIND`), test files (`*_test.json`,
 * `*.test.yaml` / `*.test.yml`) and optionally `datasources.yaml` (or `.json`), the datasource
 * tables every test starts from. Everything is validated here so the runner only meets
 * well-formed tests; a malformed file becomes a load error naming the file and the field.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { isValidPolicyName, parse } from '../../datalog/parse';
import type { Statement } from '../../datalog/ast';
import { PolicyError } from '../../datalog/errors';
import { isPolicyKind, type PolicyKind } from '../../datalog/runtime/policy';

/** A JSON scalar as written in a test file. */
export type Scalar = string | number | boolean | null;

/** One policy file. */
export interface PolicyFile {
  readonly file: string;
  readonly name: string;
  readonly kind: PolicyKind;
  readonly rules: readonly Statement[];
}

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

/** What a directory holds, and what could not be read. */
export interface Suite {
  readonly policies: readonly PolicyFile[];
  readonly tests: readonly TestCase[];
  readonly errors: readonly string[];
}

const POLICY_FILE = /^(.+)\.(policy|dl)$/;
const TEST_FILE = /^(.+?)(?:_test\.json|\.test\.ya?ml)$/;
const DATASOURCES_FILE = /^datasources\.(json|ya?ml)$/;

/** A malformed test file; the message names the place. */
class FormatError extends Error {}

type Obj = { [key: string]: unknown };

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: unknown, where: string, allowed: readonly string[]): Obj {
  if (!isObj(v)) throw new FormatError(`${where}: expected a mapping`);
  const unknown = Object.keys(v).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new FormatError(`${where}: unknown field ${unknown.map((k) => JSON.stringify(k)).join(', ')} (allowed: ${allowed.join(', ')})`);
  return v;
}

/** A mapping whose keys are names the user chooses (datasources, policies, tables). */
function mapping(v: unknown, where: string): Obj {
  if (!isObj(v)) throw new FormatError(`${where}: expected a mapping`);
  return v;
}

function text(v: unknown, where: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new FormatError(`${where}: expected text`);
}

function optText(v: unknown, where: string): string | undefined {
  return v === undefined ? undefined : text(v, where);
}

function list(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw new FormatError(`${where}: expected a list`);
  return v;
}

function scalar(v: unknown, where: string): Scalar {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString();
  throw new FormatError(`${where}: expected a string, number, boolean or null`);
}

function rows(v: unknown, where: string): Scalar[][] {
  return list(v, where).map((r, i) => list(r, `${where}[${i}]`).map((x, j) => scalar(x, `${where}[${i}][${j}]`)));
}

function strings(v: unknown, where: string): string[] {
  return list(v, where).map((x, i) => text(x, `${where}[${i}]`));
}

/** `{ds: {table: [rows]} | {table: {columns, rows}}}` */
function datasources(v: unknown, where: string): Map<string, Map<string, DatasourceTable>> {
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
          if (columns !== undefined && r.length !== columns.length) throw new FormatError(`${w}.rows[${i}]: ${r.length} values for ${columns.length} columns`);
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
function merged<T>(base: ReadonlyMap<string, ReadonlyMap<string, T>>, own: ReadonlyMap<string, ReadonlyMap<string, T>>): Map<string, Map<string, T>> {
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
function withColumns(tables: Map<string, Map<string, DatasourceTable>>, base: ReadonlyMap<string, ReadonlyMap<string, DatasourceTable>>): Map<string, Map<string, DatasourceTable>> {
  for (const [ds, m] of tables) {
    for (const [t, d] of m) {
      const columns = d.columns ?? base.get(ds)?.get(t)?.columns;
      if (columns === undefined) continue;
      d.rows.forEach((r, i) => {
        if (r.length !== columns.length) throw new FormatError(`datasources.${ds}.${t}.rows[${i}]: ${r.length} values for ${columns.length} columns`);
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
  if (present.length !== 1) throw new FormatError(`${where}: give exactly one of query, table, simulate`);
  const outcome = (field: 'answers' | 'rows'): void => {
    if ((o[field] === undefined) === (error === undefined)) throw new FormatError(`${where}: give either ${field} or error`);
  };
  if (o.table !== undefined) {
    outcome('rows');
    if (o.answers !== undefined) throw new FormatError(`${where}: a table expectation lists rows, not answers`);
    return { kind: 'rows', policy: target, table: text(o.table, `${where}.table`), rows: o.rows === undefined ? undefined : rows(o.rows, `${where}.rows`), error };
  }
  outcome('answers');
  if (o.rows !== undefined) throw new FormatError(`${where}: a query expectation lists answers, not rows`);
  const answers = o.answers === undefined ? undefined : strings(o.answers, `${where}.answers`);
  if (o.query !== undefined) return { kind: 'query', policy: target, query: text(o.query, `${where}.query`), answers, error };
  const s = obj(o.simulate, `${where}.simulate`, ['query', 'sequence', 'action_policy', 'delta']);
  if (s.delta !== undefined && typeof s.delta !== 'boolean') throw new FormatError(`${where}.simulate.delta: expected true or false`);
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
    if (seen.has(name)) throw new FormatError(`${where}: a second test named ${JSON.stringify(name)}`);
    seen.add(name);
    const expect = list(o.expect ?? [], `${where}.expect`).map((e, j) => expectation(e, `${where}.expect[${j}]`, policy));
    const rules = extraRules(o.rules, `${where}.rules`, policy);
    if (expect.length === 0 && !rules.some((r) => r.error !== undefined)) throw new FormatError(`${where}: expects nothing (add expect entries)`);
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

/** The kind named on the first line (`// kind: action` or `# kind: action`), default nonrecursive. */
export function kindLine(source: string): PolicyKind | string {
  const first = source.split('\n', 1)[0];
  const m = /^\s*(?:\/\/|#)\s*kind\s*:\s*(\S+)\s*$/.exec(first);
  return m === null ? 'nonrecursive' : m[1].toLowerCase();
}

/** One policy file's rules; throws with the file name on a bad name, kind or syntax. */
export function policyFileOf(file: string, name: string, source: string): PolicyFile {
  if (!isValidPolicyName(name)) throw new FormatError(`${file}: ${JSON.stringify(name)} is not a valid policy name`);
  const kind = kindLine(source);
  if (!isPolicyKind(kind) || kind === 'datasource') throw new FormatError(`${file}: unknown policy kind ${JSON.stringify(kind)} (nonrecursive, action, database, materialized)`);
  try {
    // The lexer wants a comment to end with a newline.
    return { file, name, kind, rules: parse(source.endsWith('\n') ? source : source + '\n') };
  } catch (err) {
    if (err instanceof PolicyError) throw new FormatError(`${file}: ${err.message}`);
    throw err;
  }
}

function parseTestFile(file: string, source: string): unknown {
  try {
    return file.endsWith('.json') ? (JSON.parse(source) as unknown) : yaml.load(source);
  } catch (err) {
    throw new FormatError(`${file}: ${(err as Error).message}`);
  }
}

/** Reads a directory (not its subdirectories). Unreadable directories throw; bad files become `errors`. */
export function loadSuite(dir: string): Suite {
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => d.name)
    .sort();
  const policies: PolicyFile[] = [];
  const tests: TestCase[] = [];
  const errors: string[] = [];
  const collect = (fn: () => void): void => {
    try {
      fn();
    } catch (err) {
      if (!(err instanceof FormatError)) throw err;
      errors.push(err.message);
    }
  };
  for (const n of names) {
    const m = POLICY_FILE.exec(n);
    if (m !== null) collect(() => policies.push(policyFileOf(n, m[1], readFileSync(path.join(dir, n), 'utf8'))));
  }
  let shared = new Map<string, Map<string, DatasourceTable>>();
  for (const n of names.filter((x) => DATASOURCES_FILE.test(x))) {
    collect(() => {
      shared = withColumns(merged(shared, datasources(parseTestFile(n, readFileSync(path.join(dir, n), 'utf8')), n)), shared);
    });
  }
  const policyNames = new Set(policies.map((p) => p.name));
  for (const n of names) {
    const m = TEST_FILE.exec(n);
    if (m === null) continue;
    // `classification_test.json` tests policy classification unless it says otherwise.
    const fallback = policyNames.has(m[1]) ? m[1] : 'classification';
    collect(() => tests.push(...testsOf(n, parseTestFile(n, readFileSync(path.join(dir, n), 'utf8')), fallback, shared)));
  }
  return { policies, tests, errors };
}

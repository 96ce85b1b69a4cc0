/**
 * Runs one policy test on a fresh engine: the directory's policies and their rules, the test's
 * datasource rows and facts, its extra rules, then each expectation. Answers and rows are
 * compared as sets; a failure is described as what is missing and what is unexpected, so the
 * output reads as a diff.
 */
import { constant, formatStatement, literal } from '../../datalog/ast';
import { PolicyError } from '../../datalog/errors';
import { parse } from '../../datalog/parse';
import { applyPersistent, insertRulePersistent } from '../../datalog/runtime/persistent';
import { Runtime } from '../../datalog/runtime/runtime';
import { simulate } from '../../datalog/runtime/simulate';
import { fromJson, toJson, type Value } from '../../datalog/value';
import type { PolicyFile } from './policy-file';
import type { Expectation, Scalar, TestCase } from './test-file';

/** The outcome of one test: passed when `failures` is empty. */
export interface TestResult {
  readonly file: string;
  readonly name: string;
  readonly failures: readonly string[];
  readonly ms: number;
}

/** The policies every Congress deployment has, unless a policy file defines them. */
const SYSTEM_POLICIES = [
  ['classification', 'nonrecursive'],
  ['action', 'action'],
] as const;

function messageOf(err: unknown): { code: string | null; message: string } {
  if (err instanceof PolicyError) return { code: err.code, message: err.message };
  return { code: null, message: err instanceof Error ? err.message : String(err) };
}

/** An expected error matches when it is the engine's error code or part of its message. */
export function errorMatches(err: unknown, expected: string): boolean {
  const e = messageOf(err);
  return e.code === expected || e.message.includes(expected);
}

function describeError(err: unknown): string {
  const e = messageOf(err);
  return e.code === null ? e.message : `${e.code}: ${e.message}`;
}

/** An answer as the engine prints it, so that spacing and quoting in test files do not matter. */
export function canonicalAnswer(text: string): string {
  try {
    const s = parse(text);
    return s.length === 1 ? formatStatement(s[0]) : text;
  } catch {
    return text;
  }
}

const valueOf = (x: Scalar): Value => fromJson(x);
const rowKey = (row: readonly Value[]): string => JSON.stringify(row.map(toJson));

/** The diff of two sets as indented lines (empty when equal). */
export function setDiff(expected: readonly string[], actual: readonly string[]): string[] {
  const e = new Set(expected);
  const a = new Set(actual);
  const lines: string[] = [];
  for (const x of [...e].filter((x) => !a.has(x)).sort()) lines.push(`    missing:    ${x}`);
  for (const x of [...a].filter((x) => !e.has(x)).sort()) lines.push(`    unexpected: ${x}`);
  return lines;
}

/** Builds the engine state of a test; every problem is a failure line. */
function setUp(rt: Runtime, policies: readonly PolicyFile[], t: TestCase, failures: string[]): void {
  const defined = new Set(policies.map((p) => p.name));
  for (const [name, kind] of SYSTEM_POLICIES) if (!defined.has(name) && !t.datasources.has(name)) rt.createPolicy(name, { kind });
  for (const p of policies) rt.createPolicy(p.name, { kind: p.kind });
  for (const [ds, tables] of t.datasources) {
    if (rt.hasPolicy(ds)) {
      failures.push(`datasource ${ds}: a policy has that name`);
      continue;
    }
    rt.createPolicy(ds, { kind: 'datasource', mirror: true });
    const schema: Record<string, readonly string[]> = {};
    for (const [table, d] of tables) if (d.columns !== undefined) schema[table] = d.columns;
    rt.setSchema(ds, schema, false);
    const rows = [...tables].flatMap(([table, d]) => d.rows.map((r) => ({ table, row: r.map(valueOf) })));
    rt.initializeTables(ds, [...tables.keys()], rows);
  }
  // Datasources first: rules with column references need their schemas.
  for (const p of policies) {
    for (const formula of p.rules) {
      try {
        applyPersistent(rt, [{ formula, insert: true, target: p.name }]);
      } catch (err) {
        failures.push(`${p.file}: ${formatStatement(formula)}: ${describeError(err)}`);
      }
    }
  }
  for (const [policy, tables] of t.facts) {
    if (!rt.hasPolicy(policy)) {
      failures.push(`facts for ${policy}: no such policy (datasource rows go under datasources)`);
      continue;
    }
    const events = [...tables].flatMap(([table, rows]) => rows.map((r) => ({ formula: literal(table, r.map((v) => constant(valueOf(v)))), insert: true, target: policy })));
    try {
      applyPersistent(rt, events);
    } catch (err) {
      failures.push(`facts for ${policy}: ${describeError(err)}`);
    }
  }
  for (const r of t.rules) {
    try {
      insertRulePersistent(rt, r.policy, r.rule);
      if (r.error !== undefined) failures.push(`rule ${r.rule} in ${r.policy}: expected error ${JSON.stringify(r.error)}, but it was accepted`);
    } catch (err) {
      if (r.error === undefined) failures.push(`rule ${r.rule} in ${r.policy}: ${describeError(err)}`);
      else if (!errorMatches(err, r.error)) failures.push(`rule ${r.rule} in ${r.policy}: expected error ${JSON.stringify(r.error)}, got ${describeError(err)}`);
    }
  }
}

function title(x: Expectation): string {
  if (x.kind === 'rows') return `rows of ${x.policy}:${x.table}`;
  if (x.kind === 'query') return `query ${x.query} in ${x.policy}`;
  return `simulate ${x.query} in ${x.policy} after ${x.sequence}${x.delta ? ' (delta)' : ''}`;
}

/** Checks one expectation; returns failure lines (empty when it holds). */
function check(rt: Runtime, x: Expectation): string[] {
  let actual: string[];
  let expected: string[];
  try {
    if (x.kind === 'rows') {
      if (!rt.hasPolicy(x.policy)) throw new PolicyError(`Policy ${x.policy} does not exist`, 'policy_not_exist');
      actual = rt.rows(x.policy, x.table).map(rowKey);
      expected = (x.rows ?? []).map((r) => rowKey(r.map(valueOf)));
    } else if (x.kind === 'query') {
      actual = rt.selectStrings(x.query, x.policy);
      expected = (x.answers ?? []).map(canonicalAnswer);
    } else {
      let n = 0;
      const uuid = (): string => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;
      actual = simulate(rt, { query: x.query, theory: x.policy, sequence: x.sequence, actionTheory: x.actionPolicy, delta: x.delta }, uuid);
      expected = (x.answers ?? []).map(canonicalAnswer);
    }
  } catch (err) {
    if (x.error === undefined) return [`  ${title(x)}: ${describeError(err)}`];
    if (errorMatches(err, x.error)) return [];
    return [`  ${title(x)}: expected error ${JSON.stringify(x.error)}, got ${describeError(err)}`];
  }
  if (x.error !== undefined) return [`  ${title(x)}: expected error ${JSON.stringify(x.error)}, got ${actual.length} answer(s)`];
  const diff = setDiff(expected, actual);
  return diff.length === 0 ? [] : [`  ${title(x)}:`, ...diff];
}

/** Runs one test on its own engine. `clock` gives milliseconds (injected: the engine does no I/O). */
export function runTest(policies: readonly PolicyFile[], t: TestCase, clock: () => number = () => 0): TestResult {
  const start = clock();
  const failures: string[] = [];
  const rt = new Runtime();
  try {
    const setup: string[] = [];
    setUp(rt, policies, t, setup);
    failures.push(...setup.map((l) => `  ${l}`));
    for (const x of t.expect) failures.push(...check(rt, x));
  } catch (err) {
    failures.push(`  ${describeError(err)}`);
  }
  return { file: t.file, name: t.name, failures, ms: clock() - start };
}

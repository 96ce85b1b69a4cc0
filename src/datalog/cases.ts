/**
 * Runs conformance cases (the format of `shared/conformance/README.md`) on a fresh engine each:
 * the offline `congress eval` and the conformance suite both use it. Pure: the caller reads and
 * writes files and measures time through the injected clock.
 */
import { constant, literal, type Statement } from './ast';
import { PolicyError, UpdateRejected } from './errors';
import { isJsonObject, type JsonValue } from './json';
import { isValidPolicyName, parse } from './parse';
import { pythonStr } from './python-text';
import { applyPersistent, deleteRulePersistent, insertRulePersistent } from './runtime/persistent';
import { Runtime } from './runtime/runtime';
import { simulate } from './runtime/simulate';
import { fromJson, type JsonScalar, type Value } from './value';
import type { ColumnSpec } from './compile/schema';
import type { Tuple } from './eval/relation';

type Obj = { [key: string]: JsonValue };

export interface CaseOptions {
  /** Adds `timing` to each result, measured with this clock (milliseconds). */
  readonly clock?: () => number;
  readonly allowRecursion?: boolean;
}

interface ErrorObject extends Obj {
  error: string;
  type: string;
  code: string | null;
}

function errorObject(err: unknown): ErrorObject {
  if (err instanceof PolicyError) return { error: err.message, type: err.type, code: err.code };
  if (err instanceof Error) return { error: err.message, type: 'InternalError', code: null };
  return { error: String(err), type: 'InternalError', code: null };
}

function str(v: JsonValue | undefined, fallback: string): string {
  return typeof v === 'string' ? v : fallback;
}

function list(v: JsonValue | undefined): JsonValue[] {
  return Array.isArray(v) ? v : [];
}

function toValue(v: JsonValue): Value {
  if (Array.isArray(v) || isJsonObject(v)) return pythonStr(v);
  return fromJson(v as JsonScalar | Value);
}

/** A JSON row as a tuple: the row itself when every cell already is a constant (strings, integers), saving a copy per fact. */
function rowValues(r: JsonValue): Value[] {
  const cells = list(r);
  for (const v of cells) if (typeof v !== 'string' && !(typeof v === 'number' && Number.isInteger(v))) return cells.map(toValue);
  return cells as Value[];
}

function toJsonValue(v: Value | string): JsonValue {
  return v;
}

/** The policies a freshly started server has (name, kind). */
const DEFAULT_POLICIES = [
  ['classification', 'nonrecursive'],
  ['action', 'action'],
] as const;

/** Runs one case and returns its result object. */
export function runCase(c: Obj, opts: CaseOptions = {}): Obj {
  const clock = opts.clock;
  const t0 = clock?.() ?? 0;
  const rt = new Runtime({ allowRecursion: opts.allowRecursion });
  const name = str(c.name, '');
  const policy = str(c.policy, 'alpha');
  const kind = str(c.kind, 'nonrecursive');
  const mode = str(c.mode, 'api');
  const result: Obj = { name, rule_errors: [], fact_errors: [] };
  const ruleErrors = result.rule_errors as JsonValue[];
  const factErrors = result.fact_errors as JsonValue[];
  const policyErrors: JsonValue[] = [];
  const dsErrors: JsonValue[] = [];

  // 1-2. default and case policies
  for (const [n, k] of DEFAULT_POLICIES) if (n !== policy) rt.createPolicy(n, { kind: k });
  const create = (n: string, k: string): void => {
    try {
      if (!isValidPolicyName(n)) throw new PolicyError(`Policy name ${n} is not a valid tablename`, 'policy_name_invalid');
      // The corpus refuses rules in every policy of kind datasource (conformance README, step 4),
      // as the engine refuses them in a datasource's mirror.
      rt.createPolicy(n, { kind: k, mirror: k.toLowerCase() === 'datasource' });
    } catch (err) {
      policyErrors.push({ ...errorObject(err), policy: n });
    }
  };
  create(policy, kind);
  if (isJsonObject(c.policies)) for (const [n, k] of Object.entries(c.policies)) create(n, str(k, 'nonrecursive'));

  // 3. datasources (early ones now, late ones after the rules)
  const datasources = isJsonObject(c.datasources) ? Object.entries(c.datasources) : [];
  const setupDatasource = (dsName: string, spec: JsonValue): void => {
    if (!isJsonObject(spec)) return;
    try {
      const schema: Record<string, ColumnSpec[]> = {};
      if (isJsonObject(spec.schema)) {
        for (const [t, cols] of Object.entries(spec.schema)) {
          schema[t] = list(cols).map((col) => (isJsonObject(col) ? { name: str(col.name, '') } : String(col)));
        }
      }
      rt.createPolicy(dsName, { kind: 'datasource', mirror: true });
      rt.setSchema(dsName, schema, spec.complete === true);
      if (isJsonObject(spec.data)) {
        for (const [t, rows] of Object.entries(spec.data)) {
          const facts = list(rows).map((r) => ({ table: t, row: rowValues(r) }));
          rt.initializeTables(dsName, [t], facts);
        }
      }
    } catch (err) {
      dsErrors.push({ ...errorObject(err), datasource: dsName });
    }
  };
  for (const [n, spec] of datasources) if (!(isJsonObject(spec) && spec.late === true)) setupDatasource(n, spec);

  // 4. rules, one at a time
  list(c.rules).forEach((entry, index) => {
    let target = policy;
    let text: string;
    let op = 'insert';
    if (isJsonObject(entry)) {
      target = str(entry.policy, policy);
      text = str(entry.rule, '');
      op = str(entry.op, 'insert');
    } else text = str(entry, '');
    try {
      if (op === 'delete') deleteRulePersistent(rt, target, text);
      else if (mode === 'runtime') {
        try {
          rt.insert(text, target);
        } catch (err) {
          if (err instanceof UpdateRejected) throw new PolicyError(err.errors.join(';'), null);
          throw err;
        }
      } else insertRulePersistent(rt, target, text);
    } catch (err) {
      const e = errorObject(err);
      ruleErrors.push({ index, message: e.error, code: mode === 'runtime' ? null : e.code });
    }
  });
  for (const [n, spec] of datasources) if (isJsonObject(spec) && spec.late === true) setupDatasource(n, spec);

  // 5. facts, one batch per target policy
  const batches = new Map<string, Statement[]>();
  const addFact = (target: string, stmt: Statement): void => {
    let b = batches.get(target);
    if (b === undefined) {
      b = [];
      batches.set(target, b);
    }
    b.push(stmt);
  };
  // Facts given as rows stay rows: the runtime stores a large batch of them without a statement per row.
  const rowBatches = new Map<string, { table: string; rows: Tuple[] }[]>();
  if (isJsonObject(c.facts)) {
    for (const [key, rows] of Object.entries(c.facts)) {
      const i = key.indexOf(':');
      const target = i < 0 ? policy : key.slice(0, i);
      const table = i < 0 ? key : key.slice(i + 1);
      let b = rowBatches.get(target);
      if (b === undefined) {
        b = [];
        rowBatches.set(target, b);
      }
      b.push({ table, rows: list(rows).map(rowValues) });
    }
  } else {
    for (const f of list(c.facts)) {
      const target = isJsonObject(f) ? str(f.policy, policy) : policy;
      const text = isJsonObject(f) ? str(f.fact, '') : str(f, '');
      try {
        for (const s of parse(text)) addFact(target, s);
      } catch (err) {
        factErrors.push({ policy: target, message: errorObject(err).error, code: 'rule_syntax' });
      }
    }
  }
  const applyFacts = (target: string, stmts: () => Statement[], rows?: { table: string; rows: Tuple[] }[]): void => {
    try {
      if (!rt.hasPolicy(target)) rt.createPolicy(target, { kind: 'nonrecursive' });
      if (rows !== undefined && rt.insertRows(target, rows)) return;
      applyPersistent(
        rt,
        stmts().map((formula) => ({ formula, insert: true, target })),
      );
    } catch (err) {
      const e = errorObject(err);
      factErrors.push({ policy: target, message: e.error, code: e.code });
    }
  };
  for (const [target, groups] of rowBatches) {
    applyFacts(target, () => groups.flatMap((g) => g.rows.map((row) => literal(g.table, row.map((v) => constant(v))))), groups);
  }
  for (const [target, stmts] of batches) applyFacts(target, () => stmts);
  // The facts now live in the store; their rows and statements would only hold memory through the queries.
  rowBatches.clear();
  batches.clear();

  // 6. datasource deltas
  const updateErrors: JsonValue[] = [];
  for (const u of list(c.datasource_updates)) {
    if (!isJsonObject(u)) continue;
    const ds = str(u.datasource, '');
    try {
      rt.applyDelta(
        ds,
        str(u.table, ''),
        list(u.add).map((r) => list(r).map(toValue)),
        list(u.del).map((r) => list(r).map(toValue)),
      );
    } catch (err) {
      updateErrors.push({ ...errorObject(err), datasource: ds });
    }
  }

  // 7. deletes
  const deleteErrors: JsonValue[] = [];
  list(c.deletes).forEach((d, index) => {
    const target = isJsonObject(d) ? str(d.policy, policy) : policy;
    const text = isJsonObject(d) ? str(d.rule, '') : str(d, '');
    try {
      deleteRulePersistent(rt, target, text);
    } catch (err) {
      const e = errorObject(err);
      deleteErrors.push({ index, message: e.error, code: e.code });
    }
  });

  // 8. policy deletions: the engine's own (the corpus deletes even the built-in policies)
  for (const p of list(c.delete_policies)) {
    try {
      rt.deletePolicy(str(p, ''));
    } catch (err) {
      policyErrors.push({ ...errorObject(err), policy: str(p, '') });
    }
  }
  const tLoad = clock?.() ?? 0;

  // 9. queries
  const timings: Obj = {};
  const results: Obj = {};
  for (const q of list(c.queries)) {
    const text = isJsonObject(q) ? str(q.query, '') : str(q, '');
    const target = isJsonObject(q) ? str(q.policy, policy) : policy;
    const key = isJsonObject(q) ? str(q.key, `${target}::${text}`) : text;
    const t = clock?.() ?? 0;
    try {
      results[key] = rt.selectStrings(text, target);
    } catch (err) {
      results[key] = errorObject(err);
    }
    if (clock !== undefined) timings[key] = clock() - t;
  }
  result.results = results;

  // 10. rows
  const rows: Obj = {};
  for (const r of list(c.rows)) {
    const table = isJsonObject(r) ? str(r.table, '') : str(r, '');
    const target = isJsonObject(r) ? str(r.policy, policy) : policy;
    const key = isJsonObject(r) ? str(r.key, `${target}::${table}`) : table;
    const t = clock?.() ?? 0;
    try {
      rows[key] = rt.rows(target, table).map((row) => row.map(toJsonValue));
    } catch (err) {
      rows[key] = errorObject(err);
    }
    if (clock !== undefined) timings['rows:' + key] = clock() - t;
  }
  result.rows = rows;

  // 11. simulate
  if (Array.isArray(c.simulate)) {
    let uuid = 0;
    result.simulate_results = c.simulate.map((s): JsonValue => {
      if (!isJsonObject(s)) return errorObject(new PolicyError('Bad simulate entry', 'simulate_error'));
      try {
        return simulate(
          rt,
          {
            query: str(s.query, ''),
            theory: str(s.policy, policy),
            sequence: str(s.sequence, ''),
            actionTheory: str(s.action_policy, 'action'),
            delta: s.delta === true,
          },
          () => `sim-${(++uuid).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
        );
      } catch (err) {
        const e = errorObject(err);
        return { ...e, code: 'simulate_error' };
      }
    });
  }
  if (policyErrors.length > 0) result.policy_errors = policyErrors;
  if (dsErrors.length > 0) result.datasource_errors = dsErrors;
  if (updateErrors.length > 0) result.datasource_update_errors = updateErrors;
  if (deleteErrors.length > 0) result.delete_errors = deleteErrors;
  if (clock !== undefined) {
    const end = clock();
    result.timing = { load_ms: tLoad - t0, queries_ms: timings, total_ms: end - t0 };
  }
  return result;
}


/**
 * A policy test directory, read and checked: policy files (`NAME.policy` / `NAME.dl`, rules of
 * policy NAME, optional first line `// kind: KIND`), test files (`*_test.json`,
 * `*.test.yaml` / `*.test.yml`) and optionally `datasources.yaml` (or `.json`), the datasource
 * tables every test starts from. A malformed file becomes a load error naming the file and
 * the field, so the runner only meets well-formed tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MalformedFile } from './malformed-file';
import { policyFileOf, type PolicyFile } from './policy-file';
import { datasources, merged, parseTestFile, testsOf, withColumns, type DatasourceTable, type TestCase } from './test-file';

/** What a directory holds, and what could not be read. */
export interface Suite {
  readonly policies: readonly PolicyFile[];
  readonly tests: readonly TestCase[];
  readonly errors: readonly string[];
}

const POLICY_FILE = /^(.+)\.(policy|dl)$/;
const TEST_FILE = /^(.+?)(?:_test\.json|\.test\.ya?ml)$/;
const DATASOURCES_FILE = /^datasources\.(json|ya?ml)$/;

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
      if (!(err instanceof MalformedFile)) throw err;
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
      shared = withColumns(merged(shared, datasources(parseTestFile(n, readFileSync(path.join(dir, n), 'utf8')), `${n}: datasources`)), shared);
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

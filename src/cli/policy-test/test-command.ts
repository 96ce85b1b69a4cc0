/**
 * `congress test DIR`: runs a directory's policy tests offline (in the spirit of `opa test`) and
 * prints one PASS/FAIL line per test, the diff of each failure, and a summary line.
 */
import { statSync } from 'node:fs';
import { loadSuite } from './suite';
import { runTest, type TestResult } from './runner';

/** Options of `congress test`. */
export interface TestOptions {
  readonly dir: string;
  /** Only tests whose `file: name` matches this regular expression. */
  readonly run?: string;
  /** Print the time each test took. */
  readonly timing?: boolean;
}

/** What to print and the exit code: 0 all passed, 1 a test failed or a file is malformed. */
export interface TestReport {
  readonly text: string;
  readonly code: 0 | 1;
}

/** A problem with the arguments themselves (exit code 2). */
export class TestUsageError extends Error {}

function line(r: TestResult, timing: boolean): string {
  const head = `${r.failures.length === 0 ? 'PASS' : 'FAIL'} ${r.file}: ${r.name}${timing ? ` (${r.ms.toFixed(1)} ms)` : ''}`;
  return [head, ...r.failures].join('\n') + '\n';
}

/** Loads and runs the tests of a directory. */
export function testCommand(opts: TestOptions): TestReport {
  let isDir = false;
  try {
    isDir = statSync(opts.dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new TestUsageError(`${opts.dir} is not a directory`);
  let filter: RegExp | undefined;
  try {
    filter = opts.run === undefined ? undefined : new RegExp(opts.run);
  } catch (err) {
    throw new TestUsageError(`--run: ${(err as Error).message}`);
  }
  const suite = loadSuite(opts.dir);
  const out = suite.errors.map((e) => `ERROR ${e}\n`);
  const tests = suite.tests.filter((t) => filter === undefined || filter.test(`${t.file}: ${t.name}`));
  const clock = (): number => performance.now();
  const results = tests.map((t) => runTest(suite.policies, t, clock));
  out.push(...results.map((r) => line(r, opts.timing === true)));
  const failed = results.filter((r) => r.failures.length > 0).length;
  const summary = [`${results.length} test${results.length === 1 ? '' : 's'}: ${results.length - failed} passed, ${failed} failed`];
  if (suite.errors.length > 0) summary.push(`${suite.errors.length} file error${suite.errors.length === 1 ? '' : 's'}`);
  if (results.length === 0 && suite.tests.length > 0) summary.push(`no test matches --run ${opts.run ?? ''}`);
  else if (results.length === 0) summary.push(`no tests found in ${opts.dir} (*_test.json, *.test.yaml)`);
  out.push('-'.repeat(60) + '\n', summary.join('; ') + '\n');
  return { text: out.join(''), code: failed === 0 && suite.errors.length === 0 && results.length > 0 ? 0 : 1 };
}

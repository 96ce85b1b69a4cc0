/**
 * `congress test DIR`: the documented example directory passes, and each kind of failure (wrong
 * answers, wrong rows, an unexpected error, an expected error that does not happen, a broken
 * rule in a policy file, a malformed test file) is reported with a diff and exit code 1.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testCommand } from '../../../src/cli/policy-test/test-command';
import { canonicalAnswer, setDiff } from '../../../src/cli/policy-test/runner';
import { kindLine } from '../../../src/cli/policy-test/policy-file';

const EXAMPLE = path.resolve(__dirname, '..', '..', '..', 'docs', 'examples', 'policy-tests');
const dirs: string[] = [];

function directory(files: Record<string, string>, base?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'congress-test-'));
  dirs.push(dir);
  if (base !== undefined) cpSync(base, dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('congress test', () => {
  it('passes the documented example directory', () => {
    const r = testCommand({ dir: EXAMPLE });
    expect(r.code).toBe(0);
    const lines = r.text.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('PASS '))).toHaveLength(5);
    expect(lines.filter((l) => l.startsWith('FAIL '))).toHaveLength(0);
    expect(lines[lines.length - 1]).toBe('5 tests: 5 passed, 0 failed');
  });

  it('passes the test file shown in docs/cli.md, with the example policies', () => {
    const doc = readFileSync(path.resolve(EXAMPLE, '..', '..', 'cli.md'), 'utf8');
    const shown = /A test file \(YAML shown[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc);
    expect(shown).not.toBeNull();
    const policies = Object.fromEntries(readdirSync(EXAMPLE).filter((f) => f.endsWith('.policy')).map((f) => [f, readFileSync(path.join(EXAMPLE, f), 'utf8')]));
    const r = testCommand({ dir: directory({ ...policies, 'doc.test.yaml': (shown as RegExpExecArray)[1] }) });
    expect(r.text).toContain('PASS doc.test.yaml: a server in ERROR is a violation\n');
    expect(r.code).toBe(0);
  });

  it('reports wrong answers and rows as a diff and exits 1', () => {
    const dir = directory({
      'wrong.test.yaml': [
        'policy: classification',
        'datasources:',
        '  nova: {servers: {columns: [id, name, status, tenant_id]}}',
        '  keystone: {projects: {columns: [id, name]}}',
        'tests:',
        '  - name: wrong answers',
        '    datasources:',
        '      nova: {servers: {rows: [[s1, web, ERROR, p1], [s2, db, ERROR, p1]]}}',
        '    expect:',
        '      - query: error(id, name)',
        "        answers: ['error(\"s1\",\"web\")', 'error(\"s3\", \"x\")']",
        '      - table: error',
        '        rows: [[s1, web]]',
        '  - name: right answers',
        '    expect:',
        '      - table: error',
        '        rows: []',
      ].join('\n'),
    }, EXAMPLE);
    const r = testCommand({ dir, run: 'wrong' });
    expect(r.code).toBe(1);
    expect(r.text).toContain(
      [
        'FAIL wrong.test.yaml: wrong answers',
        '  query error(id, name) in classification:',
        '    missing:    error("s3", "x")',
        '    unexpected: error("s2", "db")',
        '  rows of classification:error:',
        '    unexpected: ["s2","db"]',
        'PASS wrong.test.yaml: right answers',
      ].join('\n'),
    );
    expect(r.text.trim().split('\n').pop()).toBe('2 tests: 1 passed, 1 failed');
  });

  it('fails on unexpected errors and on expected errors that do not happen', () => {
    const dir = directory({
      'p.policy': 'p(x) :- q(x)\n',
      'p_test.json': JSON.stringify({
        tests: [
          { name: 'unexpected error', expect: [{ query: 'p(x', answers: [] }] },
          { name: 'missing error', rules: [{ rule: 'q(1)', error: 'rule_syntax' }], expect: [{ query: 'p(x)', error: 'query_error' }] },
          { name: 'wrong error', expect: [{ query: 'p(x', error: 'no such text' }] },
          { name: 'facts and an accepted rule', facts: { p: { q: [[1], [2.5]] } }, rules: ['q(3)'], expect: [{ query: 'p(x)', answers: ['p(1)', 'p(2.5)', 'p(3)'] }] },
        ],
      }),
    });
    const r = testCommand({ dir });
    expect(r.code).toBe(1);
    expect(r.text).toMatch(/FAIL p_test.json: unexpected error\n {2}query p\(x in p: .*Parse failure/);
    expect(r.text).toContain('FAIL p_test.json: missing error\n  rule q(1) in p: expected error "rule_syntax", but it was accepted\n  query p(x) in p: expected error "query_error", got 1 answer(s)\n');
    expect(r.text).toMatch(/FAIL p_test.json: wrong error\n {2}query p\(x in p: expected error "no such text", got /);
    expect(r.text).toContain('PASS p_test.json: facts and an accepted rule\n');
  });

  it('reports broken policy files and malformed test files', () => {
    const dir = directory({
      'bad.policy': 'p(x) :- q(y)\n',
      'syntax.dl': 'p(x :-\n',
      'odd.policy': '// kind: quantum\np(1)\n',
      'bad_test.json': JSON.stringify({ tests: [{ name: 'uses bad', expect: [{ query: 'p(x)', policy: 'bad', answers: [] }] }] }),
      'typo.test.yaml': 'tests:\n  - name: t\n    expectt: []\n',
      'broken.test.yml': 'tests: [\n',
      'datasources.yaml': 'nova: [1]\n',
    });
    const r = testCommand({ dir });
    expect(r.code).toBe(1);
    expect(r.text).toMatch(/^ERROR odd.policy: unknown policy kind "quantum"/m);
    expect(r.text).toMatch(/^ERROR syntax.dl: /m);
    expect(r.text).toMatch(/^ERROR typo.test.yaml: tests\[0\]: unknown field "expectt"/m);
    expect(r.text).toMatch(/^ERROR broken.test.yml: /m);
    expect(r.text).toMatch(/^ERROR datasources.yaml: datasources.nova: expected a mapping$/m);
    expect(r.text).toMatch(/FAIL bad_test.json: uses bad\n {2}bad.policy: p\(x\) :- q\(y\): rule_syntax: /);
    expect(r.text.trim().split('\n').pop()).toBe('1 test: 0 passed, 1 failed; 5 file errors');
  });

  it('exits 1 when there are no tests', () => {
    const r = testCommand({ dir: directory({ 'p.policy': 'p(1)\n' }) });
    expect(r.code).toBe(1);
    expect(r.text).toContain('0 tests: 0 passed, 0 failed; no tests found in');
    const filtered = testCommand({ dir: EXAMPLE, run: '^nomatch$' });
    expect(filtered.code).toBe(1);
    expect(filtered.text).toContain('0 tests: 0 passed, 0 failed; no test matches --run ^nomatch$');
  });

  it('reads the kind line and compares answers as the engine prints them', () => {
    expect([kindLine('// kind: action\np(1)'), kindLine('#kind:Database'), kindLine('p(1)')]).toEqual(['action', 'database', 'nonrecursive']);
    expect(canonicalAnswer('p( "a",1 )')).toBe('p("a", 1)');
    expect(setDiff(['a', 'b'], ['b', 'c'])).toEqual(['    missing:    a', '    unexpected: c']);
  });
});

/**
 * Every case of the shared conformance corpus must give the original engine's answers
 * (README of shared/conformance: answers and rows as sets, rule errors by index and code).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compareResult, resultsByName, tagsOf } from '../../../src/cli/conformance';
import { readCases } from '../../../src/cli/eval';
import { runCase } from '../../../src/datalog/cases';
import { parseJson } from '../../../src/datalog/json';

const dir = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'conformance', 'datalog');
const cases = readCases(path.join(dir, 'cases.json'));
const expected = resultsByName(parseJson(readFileSync(path.join(dir, 'expected.json'), 'utf8')));

describe('conformance corpus (policy language)', () => {
  it('has an expected result for every case', () => {
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) expect(expected.has(String(c.name))).toBe(true);
  });

  it.each(cases.map((c) => [String(c.name), c] as const))('%s', (name, c) => {
    const exp = expected.get(name);
    if (exp === undefined) throw new Error(`no expected result for ${name}`);
    const cmp = compareResult(exp, runCase(c), tagsOf(c));
    expect(cmp.mismatches).toEqual([]);
  });
});

/**
 * Cases found by the differential oracle (scripts/congress-oracle), with the answers of the
 * original engine as it gave them. Unlike the shared corpus, rule-error messages are compared
 * exactly too: these cases were added for a message the port got wrong.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compareResult, resultsByName, tagsOf } from '../../../src/cli/conformance';
import { readCases } from '../../../src/cli/eval';
import { runCase } from '../../../src/datalog/cases';
import { parseJson } from '../../../src/datalog/json';

const dir = path.resolve(__dirname, '..', '..', 'fixtures', 'oracle');
const cases = readCases(path.join(dir, 'cases.json'));
const expected = resultsByName(parseJson(readFileSync(path.join(dir, 'expected.json'), 'utf8')));

describe('cases found by the differential oracle', () => {
  it.each(cases.map((c) => [String(c.name), c] as const))('%s', (name, c) => {
    const exp = expected.get(name);
    if (exp === undefined) throw new Error(`no expected result for ${name}`);
    const cmp = compareResult(exp, runCase(c), tagsOf(c));
    expect(cmp.mismatches).toEqual([]);
    expect(cmp.messagesSame).toBe(cmp.messagesTotal);
  });
});

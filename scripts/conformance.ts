/**
 * `npm run conformance`: runs every case of the shared conformance corpus and prints one line
 * per mismatch and a final `conformance: N passed, M failed` line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compareResult, resultsByName, tagsOf } from '../src/cli/conformance';
import { readCases } from '../src/cli/eval';
import { runCase } from '../src/datalog/cases';
import { parseJson } from '../src/datalog/json';

/** Where `shared/` is: beside the repository unless CONGRESS_SHARED_DIR says otherwise. */
export function sharedDir(): string {
  return process.env.CONGRESS_SHARED_DIR ?? path.resolve(__dirname, '..', '..', '..', 'shared');
}

function main(): number {
  const dir = path.join(sharedDir(), 'conformance', 'datalog');
  const cases = readCases(path.join(dir, 'cases.json'));
  const expected = resultsByName(parseJson(readFileSync(path.join(dir, 'expected.json'), 'utf8')));
  let passed = 0;
  let failed = 0;
  let same = 0;
  let total = 0;
  for (const c of cases) {
    const name = String(c.name);
    const exp = expected.get(name);
    if (exp === undefined) continue;
    let mismatches: string[];
    try {
      const cmp = compareResult(exp, runCase(c), tagsOf(c));
      mismatches = cmp.mismatches;
      same += cmp.messagesSame;
      total += cmp.messagesTotal;
    } catch (err) {
      mismatches = [`crashed: ${(err as Error).stack ?? String(err)}`];
    }
    if (mismatches.length === 0) passed++;
    else {
      failed++;
      for (const m of mismatches) console.log(`${name}: ${m}`);
    }
  }
  console.log(`error messages identical ${same}/${total}`);
  console.log(`conformance: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = main();

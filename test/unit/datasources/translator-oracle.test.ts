// The translator engine against the original's recorded answers (scripts/congress-translator-oracle):
// 383 generated translators and documents, a third of them with integral floats in their rows or
// generated ids; schema, rows and refusals must agree.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDataJson } from '../../../src/datalog/json';
import { compareCase, type Answer, type Case } from '../../../scripts/translator-compare';

const fixture = parseDataJson(readFileSync(path.resolve(__dirname, '../../fixtures/oracle/translators.json'), 'utf8')) as unknown as {
  cases: Case[];
  original: Answer[];
};

test('the fixture pairs every case with the original answer', () => {
  expect(fixture.cases.length).toBeGreaterThan(300);
  expect(fixture.original.map((a) => a.name)).toEqual(fixture.cases.map((c) => c.name));
});

test('every case translates as the original translated it', () => {
  const diverging = fixture.cases.map((c, i) => [c.name, compareCase(c, fixture.original[i]).problems] as const).filter(([, problems]) => problems.length > 0);
  expect(diverging).toEqual([]);
});

test('integral floats are among the values compared', () => {
  const floats = fixture.original.filter((a) => JSON.stringify(a.rows ?? []).match(/\{"f":"-?\d+\.0"\}/) !== null);
  expect(floats.length).toBeGreaterThan(50);
});

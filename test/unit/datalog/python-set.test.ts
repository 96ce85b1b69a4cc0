/** CPython's hashes and set order (PYTHONHASHSEED=0), against values recorded from CPython 3.11. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PySet, strHash, variableHash } from '../../../src/datalog/python-set';
import { reorderForSafety, ruleErrors } from '../../../src/datalog/compile/checks';
import { parse } from '../../../src/datalog/parse';
import type { Rule } from '../../../src/datalog/ast';

interface SetCase {
  kind: 'S' | 'V';
  a: string[];
  b: string[][];
  set_a: string[];
  union_b: string[];
  diff: string[];
  copy: string[];
}
const vectors = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'python', 'set-order.json'), 'utf8')) as {
  hashes: [string, string, string][];
  sets: SetCase[];
};
const signed = (h: bigint): string => String(h >= 1n << 63n ? h - (1n << 64n) : h);

test('str and Variable hashes equal CPython 3.11 with PYTHONHASHSEED=0 (Latin-1, BMP, astral, empty)', () => {
  expect(vectors.hashes.length).toBeGreaterThan(90);
  for (const [s, h, hv] of vectors.hashes) {
    expect([s, signed(strHash(s)), signed(variableHash(s))]).toEqual([s, h, hv]);
  }
});

test('set construction, union, difference and copy iterate in CPython order', () => {
  for (const c of vectors.sets) {
    const hashOf = c.kind === 'V' ? variableHash : strHash;
    const a = PySet.from(c.a, hashOf);
    const b = new PySet(hashOf);
    for (const list of c.b) b.update(PySet.from(list, hashOf));
    expect({ a: c.a, set_a: [...a], union_b: [...b], diff: [...a.difference(b)], copy: [...a.copy()] }).toEqual({
      a: c.a,
      set_a: c.set_a,
      union_b: c.union_b,
      diff: c.diff,
      copy: c.copy,
    });
  }
});

const rule = (text: string): Rule => parse(text)[0] as Rule;

test("the original's messages that print a set: unsafe variables and head variables missing from the body", () => {
  // Both texts as the original printed them in the conformance corpus.
  const unsafe = reorderForSafety(rule('g(x) :- q(x, x_01), not q(x, x_11, x_12, x_14, x_15, x_16, x_17, x_18, x_19, x_110)'));
  expect(unsafe).toEqual({
    error:
      'Could not reorder rule g(x) :- q(x, x_01), not q(x, x_11, x_12, x_14, x_15, x_16, x_17, x_18, x_19, x_110).  ' +
      "Unsafe lits: not q(x, x_11, x_12, x_14, x_15, x_16, x_17, x_18, x_19, x_110) (vars {'x_12', 'x_18', 'x_11', 'x_19', 'x_110', 'x_15', 'x_14', 'x_16', 'x_17'})",
  });
  const head = ruleErrors(rule('p(x, y, z) :- q(w)'), () => undefined, 'alpha');
  expect(head.slice(0, 3)).toEqual(['z', 'x', 'y'].map((v) => `Variable ${v} found in head but not in body, rule p(x, y, z) :- q(w)`));
});

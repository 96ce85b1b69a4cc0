/**
 * Lookups on large relations: the first lookup on a set of columns walks the rows, later ones
 * use an index. Both must return exactly the rows a filter by typed equality returns, before
 * and after changes.
 */
import { isSingle, type Found, Relation, type Tuple } from '../../../src/datalog/eval/relation';
import { Float, sameValue, type Value } from '../../../src/datalog/value';

function found(f: Found | undefined): Tuple[] {
  if (f === undefined) return [];
  return isSingle(f) ? [f] : [...f];
}

function expected(rows: Tuple[], pattern: (Value | undefined)[]): Tuple[] {
  return rows.filter((t) => pattern.every((p, i) => p === undefined || sameValue(p, t[i])));
}

const sort = (ts: Tuple[]): string[] => ts.map((t) => JSON.stringify(t.map((v) => (v instanceof Float ? `f${v.v}` : String(v))))).sort();

describe('Relation lookups on large relations', () => {
  it('answer the same by a walk (first lookup) and by an index (later ones), through changes', () => {
    const rel = new Relation();
    const rows: Tuple[] = [];
    for (let i = 0; i < 40000; i++) {
      // Integers, strings and a float equal in value to an integer in the looked-up column.
      const c: Value = i % 7 === 0 ? new Float(i % 100) : i % 5 === 0 ? String(i % 100) : i % 100;
      const t: Tuple = [i, c, i % 3];
      rows.push(t);
      rel.add(t, 1);
    }
    const patterns: (Value | undefined)[][] = [
      [undefined, 42, undefined],
      [undefined, '40', undefined],
      [undefined, new Float(14), undefined],
      [undefined, 12345, undefined],
      [undefined, 42, 0],
      [7, undefined, undefined],
    ];
    for (const p of patterns) {
      const want = sort(expected(rows, p));
      expect(sort(found(rel.lookup(p)))).toEqual(want); // walk
      expect(sort(found(rel.lookup(p)))).toEqual(want); // index
    }
    // Changes after the index exists reach it; a column set looked up for the first time after them walks the current rows.
    for (let i = 0; i < 40000; i += 2) rel.add(rows[i], -1);
    const left = rows.filter((_, i) => i % 2 === 1);
    const more: Tuple = [99999, 42, 1];
    rel.add(more, 1);
    left.push(more);
    for (const p of [...patterns, [undefined, undefined, 1]]) {
      const want = sort(expected(left, p));
      expect(sort(found(rel.lookup(p)))).toEqual(want);
      expect(sort(found(rel.lookup(p)))).toEqual(want);
    }
    rel.clear();
    expect(rel.lookup([undefined, 42, undefined])).toBeUndefined();
  });

  it('keep derivation counts of many tuples exactly (the count table moves into typed arrays)', () => {
    const rel = new Relation();
    const n = 40000;
    const t = (i: number): Tuple => [i, i % 7];
    for (let i = 0; i < n; i++) expect(rel.add(t(i), 1)).toBe(1);
    // A second and third derivation of every tuple: present already, so nothing appears.
    for (let i = 0; i < n; i++) expect(rel.add(t(i), 2)).toBe(0);
    // Take back all but one derivation of the even tuples and all three of the odd ones.
    for (let i = 0; i < n; i += 2) expect(rel.add(t(i), -2)).toBe(0);
    for (let i = 1; i < n; i += 2) {
      expect(rel.add(t(i), -1)).toBe(0);
      expect(rel.add(t(i), -2)).toBe(-1);
    }
    expect(rel.size).toBe(n / 2);
    for (let i = 0; i < n; i += 2) expect(rel.add(t(i), -1)).toBe(-1);
    expect(rel.size).toBe(0);
    expect(rel.add(t(5), -1)).toBe(0);
  });
});

/**
 * The row table behind relations: it must behave as an insertion-ordered Map across its move
 * into typed arrays (large all-numeric tables) and back (a key that is not a number).
 */
import { RowTable } from '../../../src/datalog/eval/row-table';

type Key = string | number;

/** Applies the same operations to a RowTable and a Map and checks they agree. */
function mirror(): { table: RowTable<string>; map: Map<Key, string>; add: (k: Key) => void; del: (k: Key) => void; check: () => void } {
  const table = new RowTable<string>();
  const map = new Map<Key, string>();
  return {
    table,
    map,
    add: (k) => {
      if (map.has(k)) return;
      map.set(k, `v${String(k)}`);
      table.add(k, `v${String(k)}`);
    },
    del: (k) => {
      map.delete(k);
      table.delete(k);
    },
    check: () => {
      expect(table.size).toBe(map.size);
      expect([...table.values()]).toEqual([...map.values()]);
      expect(table.entries()).toEqual([...map.entries()]);
      for (const k of [...map.keys()].slice(0, 50)) expect(table.get(k)).toBe(map.get(k));
      expect(table.get(-12345)).toBeUndefined();
    },
  };
}

describe('RowTable', () => {
  it('keeps insertion order through the move into typed arrays, deletions and squeezing', () => {
    const m = mirror();
    const n = 40000;
    for (let i = 0; i < n; i++) m.add((i * 7919) % 100003);
    m.check();
    // Delete most rows (holes are squeezed out), then add some back and some new.
    for (let i = 0; i < n; i += 1) if (i % 5 !== 0) m.del((i * 7919) % 100003);
    m.check();
    for (let i = 0; i < 2000; i++) m.add(-i - 1);
    for (let i = 0; i < 2000; i++) m.add((i * 7919) % 100003);
    m.check();
    // Large keys (id pairs above 2^30), -0 and 0 as one key.
    m.add(2 ** 30 + 123456 * 2 ** 26 + 654321);
    m.add(0);
    expect(m.table.get(-0)).toBe(m.map.get(0));
    m.check();
  });

  it('moves back to a Map, in order, when a key is not a number', () => {
    const m = mirror();
    for (let i = 0; i < 40000; i++) m.add(i);
    m.add('s');
    for (let i = 40000; i < 40100; i++) m.add(i);
    m.del(5);
    m.check();
  });

  // The evaluator walks whole relations with forEach, other readers with values(): same rows.
  const walks: [string, (t: RowTable<number>, visit: (v: number) => void) => void][] = [
    ['values()', (t, visit) => {
      for (const v of t.values()) visit(v);
    }],
    ['forEach', (t, visit) => t.forEach(visit)],
  ];

  it.each(walks)('%s walks rows appended during a walk, finishes its rows when they move, and stops on clear', (_name, walk) => {
    const t = new RowTable<number>();
    for (let i = 0; i < 40000; i++) t.add(i, i);
    const seen: number[] = [];
    walk(t, (v) => {
      seen.push(v);
      if (v < 10) t.add(100000 + v, 100000 + v);
    });
    expect(seen).toHaveLength(40010);
    expect(seen.slice(-10)).toEqual(Array.from({ length: 10 }, (_, i) => 100000 + i));
    const walked: number[] = [];
    walk(t, (v) => {
      walked.push(v);
      if (v === 0) t.add('x', -1); // back to a Map mid-walk
    });
    expect(walked).toHaveLength(40010);
    let after = 0;
    walk(t, (v) => {
      after++;
      if (v === 1) t.clear();
    });
    expect(after).toBe(2);
    expect(t.size).toBe(0);
  });

  it.each(walks)('%s on a small table (a Map) visits rows appended meanwhile and skips deleted ones', (_name, walk) => {
    const t = new RowTable<number>();
    for (let i = 0; i < 5; i++) t.add(i, i);
    const seen: number[] = [];
    walk(t, (v) => {
      seen.push(v);
      if (v === 0) t.delete(3);
      if (v < 2) t.add(10 + v, 10 + v);
    });
    expect(seen).toEqual([0, 1, 2, 4, 10, 11]);
  });

  it('getOrAdd and set agree with a Map through growth, tombstones and the move back to a Map', () => {
    const t = new RowTable<string>();
    const m = new Map<Key, string>();
    const getOrAdd = (k: Key, v: string): void => {
      const had = m.get(k);
      if (had === undefined) m.set(k, v);
      expect(t.getOrAdd(k, v)).toBe(had);
    };
    for (let i = 0; i < 50000; i++) getOrAdd((i * 7919) % 60013, `a${i}`);
    // Deleted slots are reused by later inserts; the row must still be found exactly once.
    for (let i = 0; i < 60013; i += 3) {
      m.delete(i);
      t.delete(i);
    }
    for (let i = 0; i < 60013; i += 2) getOrAdd(i, `b${i}`);
    for (let i = 0; i < 60013; i += 5) {
      m.set(i, `c${i}`);
      t.set(i, `c${i}`);
    }
    t.set(2 ** 40, 'big');
    m.set(2 ** 40, 'big');
    expect(t.size).toBe(m.size);
    expect([...t.values()]).toEqual([...m.values()]);
    getOrAdd('s', 'string key');
    getOrAdd(7, 'again');
    t.set('s', 'replaced');
    m.set('s', 'replaced');
    expect(t.entries()).toEqual([...m.entries()]);
  });
});

/**
 * Single-fact update cost with derived tables kept current: the perf-join rules over N nodes and
 * 2N edges, every derived table materialized, then edges inserted and deleted one at a time
 * through the full update pipeline (checks included).
 */
import { constant, literal } from '../src/datalog/ast';
import { Runtime } from '../src/datalog/runtime/runtime';

const RULES = [
  'hop2(x, y) :- edge(x, z), edge(z, y)',
  'res(x, y) :- hop2(x, y), not blocked(y), lt(x, y)',
  'has_out(x) :- edge(x, y)',
  'sink(x) :- node(x), not has_out(x)',
];

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function build(n: number, edges: [number, number][]): Runtime {
  const rt = new Runtime();
  rt.createPolicy('alpha');
  for (const r of RULES) rt.insert(r, 'alpha');
  const facts = [
    ...Array.from({ length: n }, (_, i) => literal('node', [constant(i)])),
    ...edges.map(([a, b]) => literal('edge', [constant(a), constant(b)])),
    ...Array.from({ length: Math.floor(n / 10) }, (_, i) => literal('blocked', [constant(i * 10)])),
  ];
  rt.update(facts.map((formula) => ({ formula, insert: true, target: 'alpha' })));
  return rt;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export interface UpdateFigures {
  loadMs: number;
  insertMeanUs: number;
  insertP99Us: number;
  deleteMeanUs: number;
  deleteP99Us: number;
  consistent: boolean;
}

export function measureUpdates(n: number, requested: number): UpdateFigures {
  // A delete follows every second insert: fewer than two would measure no delete.
  const count = Math.max(2, requested);
  const r = prng(7);
  const seen = new Set<number>();
  const edges: [number, number][] = [];
  while (edges.length < 2 * n) {
    const a = Math.floor(r() * n);
    const b = Math.floor(r() * n);
    if (a === b || seen.has(a * n + b)) continue;
    seen.add(a * n + b);
    edges.push([a, b]);
  }
  const t0 = performance.now();
  const rt = build(n, edges);
  for (const q of ['res(x, y)', 'sink(x)', 'hop2(x, y)']) rt.select(q, 'alpha');
  const loadMs = performance.now() - t0;
  const ins: number[] = [];
  const del: number[] = [];
  const added: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    let a: number;
    let b: number;
    do {
      a = Math.floor(r() * n);
      b = Math.floor(r() * n);
    } while (a === b || seen.has(a * n + b));
    seen.add(a * n + b);
    const f = literal('edge', [constant(a), constant(b)]);
    let t = performance.now();
    rt.update([{ formula: f, insert: true, target: 'alpha' }]);
    ins.push((performance.now() - t) * 1000);
    added.push([a, b]);
    if (i % 2 === 1) {
      const [c, d] = added.shift() as [number, number];
      t = performance.now();
      rt.update([{ formula: literal('edge', [constant(c), constant(d)]), insert: false, target: 'alpha' }]);
      del.push((performance.now() - t) * 1000);
      seen.delete(c * n + d);
    }
  }
  const finalEdges = [...seen].map((k): [number, number] => [Math.floor(k / n), k % n]);
  const fresh = build(n, finalEdges);
  let consistent = true;
  for (const q of ['res(x, y)', 'sink(x)', 'hop2(x, y)']) {
    const a = new Set(rt.selectStrings(q, 'alpha'));
    const b = fresh.selectStrings(q, 'alpha');
    if (a.size !== b.length || b.some((x) => !a.has(x))) consistent = false;
  }
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
  return {
    loadMs,
    insertMeanUs: mean(ins),
    insertP99Us: percentile(ins, 99),
    deleteMeanUs: mean(del),
    deleteP99Us: percentile(del, 99),
    consistent,
  };
}

/**
 * Incremental maintenance computes the same answers as evaluation from scratch: random
 * non-recursive programs (joins, self-joins, projections, negation, builtins, cross-policy
 * reads), random fact inserts and deletes applied one batch at a time to an engine whose derived
 * tables are materialized, compared with a fresh engine loaded with the final facts.
 */
import fc from 'fast-check';
import { constant, literal, rule, variable, type Literal, type Rule } from '../../../src/datalog/ast';
import { Runtime } from '../../../src/datalog/runtime/runtime';

const v = variable;
const BASE = ['b0', 'b1', 'b2'];

/** Rule templates over base tables and earlier derived tables (so the program is acyclic). */
function templates(i: number): ((src: string[]) => Rule)[] {
  const d = `d${i}`;
  const pick = (src: string[], k: number): string => src[k % src.length];
  return [
    (s) => rule([literal(d, [v('x'), v('y')])], [literal(pick(s, i), [v('x'), v('z')]), literal(pick(s, i + 1), [v('z'), v('y')])]),
    (s) => rule([literal(d, [v('x'), v('y')])], [literal(pick(s, i), [v('x'), v('y')]), { ...literal(pick(s, i + 2), [v('y'), v('x')]), negated: true }]),
    (s) => rule([literal(d, [v('x'), v('y')])], [literal(pick(s, i + 1), [v('x'), v('y')]), literal('lt', [v('x'), v('y')])]),
    (s) => rule([literal(d, [v('x'), v('x')])], [literal(pick(s, i), [v('x'), v('y')]), literal(pick(s, i), [v('y'), v('x')])]),
    (s) => rule([literal(d, [v('x'), v('y')])], [literal(pick(s, i), [v('x'), v('y')]), literal('plus', [v('x'), constant(1), v('w')]), literal(pick(s, i + 1), [v('w'), v('y')])]),
  ];
}

const fact = (t: string, a: number, b: number): Literal => literal(t, [constant(a), constant(b)]);

function build(rules: Rule[], facts: [string, number, number][]): Runtime {
  const rt = new Runtime();
  rt.createPolicy('alpha');
  rt.createPolicy('other');
  for (const r of rules) rt.update([{ formula: r, insert: true, target: 'alpha' }]);
  rt.update([{ formula: rule([literal('o', [v('x'), v('y')])], [literal('d0', [v('x'), v('y')], { service: 'alpha' })]), insert: true, target: 'other' }]);
  if (facts.length > 0) rt.update(facts.map(([t, a, b]) => ({ formula: fact(t, a, b), insert: true, target: 'alpha' })));
  return rt;
}

function answers(rt: Runtime, n: number): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i < n; i++) out[`d${i}`] = rt.selectStrings(`d${i}(x, y)`, 'alpha').sort();
  out.o = rt.selectStrings('o(x, y)', 'other').sort();
  return out;
}

const factArb = fc.tuple(fc.constantFrom(...BASE), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }));

describe('incremental maintenance', () => {
  it('agrees with evaluation from scratch after random inserts and deletes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(4), { minLength: 1, maxLength: 5 }),
        fc.array(factArb, { maxLength: 25 }),
        fc.array(fc.tuple(fc.boolean(), fc.array(factArb, { minLength: 1, maxLength: 4 })), { maxLength: 12 }),
        (shapes, initial, ops) => {
          const rules = shapes.map((k, i) => templates(i)[k]([...BASE, ...shapes.slice(0, i).map((_, j) => `d${j}`)]));
          const rt = build(rules, initial);
          answers(rt, shapes.length); // materialize every derived table
          const present = new Map<string, [string, number, number]>();
          for (const f of initial) present.set(f.join(','), f);
          for (const [insert, batch] of ops) {
            const events = batch.map(([t, a, b]) => ({ formula: fact(t, a, b), insert, target: 'alpha' }));
            rt.update(events);
            for (const f of batch) {
              if (insert) present.set(f.join(','), f);
              else present.delete(f.join(','));
            }
          }
          const fresh = build(rules, [...present.values()]);
          expect(answers(rt, shapes.length)).toEqual(answers(fresh, shapes.length));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps derived tables current when rules are added and removed after materialization', () => {
    const rt = build([], [['b0', 1, 2], ['b0', 2, 3], ['b1', 2, 9]]);
    const r = rule([literal('d0', [v('x'), v('y')])], [literal('b0', [v('x'), v('z')]), literal('b0', [v('z'), v('y')])]);
    expect(rt.selectStrings('o(x, y)', 'other')).toEqual([]);
    rt.update([{ formula: r, insert: true, target: 'alpha' }]);
    expect(rt.selectStrings('o(x, y)', 'other')).toEqual(['o(1, 3)']);
    rt.update([{ formula: fact('b0', 3, 4), insert: true, target: 'alpha' }]);
    expect(rt.selectStrings('o(x, y)', 'other').sort()).toEqual(['o(1, 3)', 'o(2, 4)']);
    rt.update([{ formula: r, insert: false, target: 'alpha' }]);
    expect(rt.selectStrings('o(x, y)', 'other')).toEqual([]);
  });
});

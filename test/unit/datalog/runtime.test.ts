/**
 * Runtime behaviour beyond the conformance corpus: triggers and execute[...] actions, parked
 * rules, policy deletion, multi-policy batches, simulate, optional recursion, bad input.
 */
import { constant, literal } from '../../../src/datalog/ast';
import { PolicyError, UpdateRejected } from '../../../src/datalog/errors';
import { Runtime } from '../../../src/datalog/runtime/runtime';
import { simulate } from '../../../src/datalog/runtime/simulate';
import type { Value } from '../../../src/datalog/value';

function runtime(opts: ConstructorParameters<typeof Runtime>[0] = {}): Runtime {
  const rt = new Runtime(opts);
  rt.createPolicy('classification');
  rt.createPolicy('action', { kind: 'action' });
  rt.createPolicy('test');
  return rt;
}

function recordActions(rt: Runtime): string[] {
  const calls: string[] = [];
  rt.setActionHandler((service, action, args) => calls.push(`${service}:${action}(${args.map(String).join(',')})`));
  return calls;
}

const sorted = (xs: string[]): string[] => [...xs].sort();

describe('execute[...] actions (TestActionExecution)', () => {
  it('runs an action for data inserted after the rule', () => {
    const rt = runtime();
    const calls = recordActions(rt);
    rt.insert('execute[p(x)] :- q(x)', 'test');
    expect(calls).toEqual([]);
    rt.insert('q(1)', 'test');
    expect(calls).toEqual(['test:p(1)']);
  });

  it('runs an action for data that exists when the rule arrives', () => {
    const rt = runtime();
    const calls = recordActions(rt);
    rt.insert('q(1)', 'test');
    rt.insert('execute[p(x)] :- q(x)', 'test');
    expect(calls).toEqual(['test:p(1)']);
  });

  it('runs nothing when data or the rule is deleted, or an existing fact is re-inserted', () => {
    const rt = runtime();
    const calls = recordActions(rt);
    rt.insert('q(1)', 'test');
    rt.insert('execute[p(x)] :- q(x)', 'test');
    rt.insert('q(1)', 'test');
    rt.delete('q(1)', 'test');
    rt.insert('q(2)', 'test');
    rt.delete('execute[p(x)] :- q(x)', 'test');
    rt.insert('q(3)', 'test');
    expect(calls).toEqual(['test:p(1)', 'test:p(2)']);
  });

  it('runs once per new row, not per derivation, and again when a row reappears', () => {
    const rt = runtime();
    const calls = recordActions(rt);
    rt.insert('execute[p(x)] :- q(x)', 'test');
    rt.insert('execute[p(x)] :- r(x)', 'test');
    rt.insert('q(1) r(1) q(2)', 'test');
    expect(sorted(calls)).toEqual(['test:p(1)', 'test:p(2)']);
    rt.delete('q(1) r(1)', 'test');
    rt.insert('q(1)', 'test');
    expect(sorted(calls)).toEqual(['test:p(1)', 'test:p(1)', 'test:p(2)']);
  });

  it('calls the datasource named by the modal head with a dotted action', () => {
    const rt = runtime();
    rt.createDatasourcePolicy('nova', { servers: ['id', 'status'] });
    const calls = recordActions(rt);
    rt.insert('execute[nova:servers.pause(x)] :- nova:servers(id=x, status="ACTIVE")', 'test');
    rt.initializeTables('nova', ['servers'], [
      { table: 'servers', row: ['s1', 'ACTIVE'] },
      { table: 'servers', row: ['s2', 'ERROR'] },
    ]);
    expect(calls).toEqual(['nova:servers.pause(s1)']);
    rt.applyDelta('nova', 'servers', [['s3', 'ACTIVE']], [['s1', 'ACTIVE']]);
    expect(calls).toEqual(['nova:servers.pause(s1)', 'nova:servers.pause(s3)']);
  });

  it('binds each new execute table to its own name when one update registers several (Q17)', () => {
    const rt = runtime();
    const calls = recordActions(rt);
    rt.insert('q(1)', 'test');
    rt.insert('execute[a(x)] :- q(x) execute[b(x)] :- q(x)', 'test');
    expect(sorted(calls)).toEqual(['test:a(1)', 'test:b(1)']);
  });
});

describe('table watchers (triggers)', () => {
  it('fires once per batch with the net change, and not for failed or no-op batches', () => {
    const rt = runtime();
    rt.insert('p(x) :- q(x), not r(x)', 'test');
    const seen: string[] = [];
    rt.watchTable('test', 'p', (added, removed) => seen.push(`+${added.map(String)} -${removed.map(String)}`));
    rt.insert('q(1) q(2) q(3)', 'test');
    expect(seen).toEqual(['+1,2,3 -']);
    expect(() => rt.insert('q(4) q(5, 6)', 'test')).toThrow(UpdateRejected);
    rt.insert('q(1)', 'test');
    rt.insert('r(2) q(4)', 'test');
    expect(seen).toEqual(['+1,2,3 -', '+4 -2']);
    expect(sorted(rt.selectStrings('p(x)', 'test'))).toEqual(['p(1)', 'p(3)', 'p(4)']);
  });
});

describe('update pipeline', () => {
  it('a failed batch changes nothing (all or nothing)', () => {
    const rt = runtime();
    rt.insert('p(x) :- q(x)', 'test');
    expect(() => rt.insert('q(1) q(2) q(x)', 'test')).toThrow(/Fact not ground: q\(x\)/);
    expect(rt.selectStrings('p(x)', 'test')).toEqual([]);
    expect(() => rt.insert('s(x) :- q(x) s2(x) :- s2(x)', 'test')).toThrow(/Rules are recursive/);
    expect(rt.selectStrings('s(x)', 'test')).toEqual([]);
    rt.insert('s(x) :- q(x)', 'test');
  });

  it('applies each event of a multi-policy batch only to its own policy (Q12)', () => {
    const rt = runtime();
    rt.createPolicy('th2');
    rt.update([
      { formula: literal('p', [constant(1)]), insert: true, target: 'test' },
      { formula: literal('r', [constant(1)]), insert: true, target: 'th2' },
    ]);
    expect(rt.selectStrings('r(x)', 'test')).toEqual([]);
    expect(rt.selectStrings('p(x)', 'th2')).toEqual([]);
    expect(rt.selectStrings('r(x)', 'th2')).toEqual(['r(1)']);
  });

  it('parks column-reference rules until the datasource schema arrives (runtime mode)', () => {
    const rt = runtime();
    rt.insert('bad(x) :- nova:servers(id=x, status="ERROR")', 'test');
    expect(rt.disabledEvents()).toHaveLength(1);
    rt.createDatasourcePolicy('nova', { servers: ['id', 'name', 'status'] });
    expect(rt.disabledEvents()).toHaveLength(0);
    rt.initializeTables('nova', ['servers'], [{ table: 'servers', row: ['s1', 'vm1', 'ERROR'] }]);
    expect(rt.selectStrings('bad(x)', 'test')).toEqual(['bad("s1")']);
  });

  it('refuses to delete a referenced policy when asked to avoid dangling references', () => {
    const rt = runtime();
    rt.createPolicy('other');
    rt.insert('p(x) :- other:q(x)', 'test');
    expect(() => rt.deletePolicy('other', { disallowDanglingRefs: true })).toThrow(/dangling references/);
    rt.insert('q(1)', 'other');
    expect(rt.selectStrings('p(x)', 'test')).toEqual(['p(1)']);
    rt.deletePolicy('other');
    expect(rt.selectStrings('p(x)', 'test')).toEqual([]);
    rt.createPolicy('other');
    rt.insert('q(2)', 'other');
    expect(rt.selectStrings('p(x)', 'test')).toEqual(['p(2)']);
  });

  it('deletes a policy whose rules no longer pass the checks they passed when inserted', () => {
    const rt = runtime();
    rt.createPolicy('alpha');
    rt.insert('b(x, y, z) :- q(x, y), mul(x, y, z)', 'alpha');
    // mul with one argument is a table, not the builtin: the first rule now fails the width check.
    rt.insert('w(x) :- q(a, b), mul(x)', 'alpha');
    rt.insert('q(2, 3)', 'alpha');
    rt.insert('t(z) :- alpha:b(x, y, z)', 'test');
    expect(rt.selectStrings('t(z)', 'test')).toEqual(['t(6)']);
    expect(() => rt.delete('b(x, y, z) :- q(x, y), mul(x, y, z)', 'alpha')).toThrow(/contained 3 arguments but exactly 1/);
    rt.deletePolicy('alpha');
    expect(rt.policyNames()).not.toContain('alpha');
    expect(rt.selectStrings('t(z)', 'test')).toEqual([]);
    rt.createPolicy('alpha');
    rt.insert('b(1, 1, 5)', 'alpha');
    expect(rt.selectStrings('t(z)', 'test')).toEqual(['t(5)']);
  });

  it('reports an unbound builtin input or negation in a query as a clean error (Q18)', () => {
    const rt = runtime();
    rt.insert('q(1)', 'test');
    expect(() => rt.select('z(x) :- lt(x, 3), q(x)', 'test')).toThrow(PolicyError);
    expect(() => rt.select('z(x) :- not q(x)', 'test')).toThrow(/Negated literal not ground/);
  });

  it('rejects event statements and multi-statement queries cleanly', () => {
    const rt = runtime();
    expect(() => rt.insert('insert[p(x) :- q(x)]', 'test')).toThrow(/Non-formula found/);
    // Texts printed by the original: a Python list of each statement's str().
    expect(() => rt.select('p(1) q(2)', 'test')).toThrow(new PolicyError("Queries can have only 1 statement: ['p(1)', 'q(2)']"));
    expect(() => rt.select('q("it\'s") p(x) :- r(x)', 'test')).toThrow(new PolicyError("Queries can have only 1 statement: ['q(\"it\\'s\")', 'p(x) :- r(x)']"));
  });
});

describe('bulk fact batches (checked per table)', () => {
  const facts = (n: number, table = 'e', width = 2): string =>
    Array.from({ length: n }, (_, i) => `${table}(${Array.from({ length: width }, (_, k) => i + k).join(', ')})`).join(' ');

  it('gives the same errors as single facts and changes nothing when one fact is bad', () => {
    const rt = runtime();
    rt.insert('p(x) :- e(x, y)', 'test');
    expect(() => rt.insert(facts(100) + ' e(1, 2, 3)', 'test')).toThrow('Literal e(1, 2, 3) contained 3 arguments but exactly 2 arguments are permitted');
    expect(() => rt.insert(facts(100) + ' e(7)', 'test')).toThrow('Fact not ground: e(7, 1)');
    expect(() => rt.insert(facts(100) + ' lt(1, 2)', 'test')).toThrow('Conflict with built-in tablename: lt');
    expect(rt.selectStrings('p(x)', 'test')).toEqual([]);
    rt.insert(facts(100), 'test');
    expect(rt.selectStrings('p(x)', 'test')).toHaveLength(100);
  });

  it('rejects unknown tables of a complete schema and writes into tables derived by materialized policies', () => {
    const rt = runtime();
    rt.createPolicy('mat', { kind: 'materialized' });
    rt.insert('d(x, y) :- e(x, y)', 'mat');
    expect(() => rt.insert(facts(100, 'd'), 'mat')).toThrow(/Cannot directly modify tables computed from other tables/);
    rt.createPolicy('ds', { kind: 'datasource' });
    rt.setSchema('ds', { t: ['a', 'b'] }, true);
    expect(() => rt.update(Array.from({ length: 80 }, (_, i) => ({ formula: literal('u', [constant(i), constant(i)]), insert: true, target: 'ds' })))).toThrow(
      /uses unknown table u from policy ds/,
    );
  });

  it('stores rows given as rows like the same facts given as statements, and declines what needs the pipeline', () => {
    const rows = (n: number, width = 2): Value[][] => Array.from({ length: n }, (_, i) => Array.from({ length: width }, (_, k) => (i * 7 + k) % 50));
    const viaRows = runtime();
    const viaFacts = runtime();
    for (const rt of [viaRows, viaFacts]) rt.insert('p(x) :- e(x, y), not f(y)', 'test');
    const tables = [
      { table: 'e', rows: rows(100) },
      { table: 'f', rows: rows(30, 1) },
    ];
    expect(viaRows.insertRows('test', tables)).toBe(true);
    viaFacts.update(tables.flatMap((t) => t.rows.map((row) => ({ formula: literal(t.table, row.map((v) => constant(v))), insert: true, target: 'test' }))));
    for (const q of ['p(x)', 'e(x, y)', 'f(x)']) expect(viaRows.selectStrings(q, 'test')).toEqual(viaFacts.selectStrings(q, 'test'));
    expect(viaRows.rows('test', 'e')).toEqual(viaFacts.rows('test', 'e'));
    // Too small, a bad width, an unknown policy: nothing changes and the caller takes the pipeline.
    expect(viaRows.insertRows('test', [{ table: 'g', rows: rows(10) }])).toBe(false);
    expect(viaRows.insertRows('test', [{ table: 'e', rows: [...rows(100), [1, 2, 3]] }])).toBe(false);
    expect(viaRows.insertRows('nope', tables)).toBe(false);
    expect(viaRows.selectStrings('g(x, y)', 'test')).toEqual([]);
    expect(viaRows.selectStrings('e(x, y)', 'test')).toEqual(viaFacts.selectStrings('e(x, y)', 'test'));
  });
});

describe('simulate (TestSimulate)', () => {
  function alice(): Runtime {
    const rt = runtime();
    rt.createPolicy('alice');
    rt.createPolicy('aliceactions', { kind: 'action' });
    rt.insert('p(101, 0) p(202, "abc") p(302, 9)', 'alice');
    rt.insert('error(x) :- p(x, val1), p(x, val2), not equal(val1, val2)', 'alice');
    rt.insert('error(x) :- p(x, 9)', 'alice');
    rt.insert('action("set") p+(x, y) :- set(x, y) p-(x, oldy) :- set(x, y), p(x, oldy)', 'aliceactions');
    return rt;
  }
  const sim = (rt: Runtime, query: string, sequence: string, actionTheory: string, delta = false): string[] =>
    sorted(simulate(rt, { query, theory: 'alice', sequence, actionTheory, delta }, () => 'uuid'));

  it.each([
    ['error(x)', 'p+(101, 5)', 'action', false, ['error(101)', 'error(302)']],
    ['error(x)', 'p+(101, 5) p-(101, 0)', 'action', false, ['error(302)']],
    ['error(x)', 'p+(101, 9) p-(101, 0) p+(202, 9) p-(202, "abc") p+(302, 1) p-(302, 9)', 'action', true, ['error+(101)', 'error+(202)', 'error-(302)']],
    ['error(x)', 'p+(101, 5)   error-(x) :- p(x, val1), p(x, val2), not equal(val1, val2)', 'action', false, ['error(302)']],
    ['error(x)', 'set(101, 5)', 'aliceactions', false, ['error(302)']],
    ['error(x)', 'set(101, 9) set(202, 9) set(302, 1)', 'aliceactions', true, ['error+(101)', 'error+(202)', 'error-(302)']],
    ['error(x)', 'set(101, 9) p+(202, 7)', 'aliceactions', true, ['error+(101)', 'error+(202)']],
    ['error(x)', '', 'action', false, ['error(302)']],
  ] as const)('%s after %s (%s, delta=%s)', (query, sequence, actionTheory, delta, expected) => {
    const rt = alice();
    expect(sim(rt, query, sequence, actionTheory, delta)).toEqual([...expected]);
    // rolled back exactly
    expect(sorted(rt.selectStrings('p(x, y)', 'alice'))).toEqual(['p(101, 0)', 'p(202, "abc")', 'p(302, 9)']);
    expect(rt.rulesOf('alice')).toHaveLength(2);
  });

  it('rolls back earlier steps when a later step of the sequence fails', () => {
    const rt = alice();
    expect(() => sim(rt, 'error(x)', 'p+(101, 5) p+(7, 7) error+(x) :- p(x, y), not q(z)', 'action')).toThrow(/Could not reorder rule/);
    expect(sorted(rt.selectStrings('p(x, y)', 'alice'))).toEqual(['p(101, 0)', 'p(202, "abc")', 'p(302, 9)']);
    expect(rt.rulesOf('alice')).toHaveLength(2);
  });

  it('rejects non-action, non-update sequences with simulate_error', () => {
    const rt = alice();
    expect(() => sim(rt, 'error(x)', 'set(101, 5)', 'action')).toThrow(/Sequence contained non-action, non-update: set\(101, 5\)/);
    try {
      sim(rt, 'error(x)', 'p(1, 2)', 'action');
    } catch (err) {
      expect((err as PolicyError).code).toBe('simulate_error');
    }
  });

  it('chains action results and fills unbound effect variables with fresh ids', () => {
    const rt = runtime();
    rt.createPolicy('alice');
    rt.createPolicy('acts', { kind: 'action' });
    rt.insert('hasval(x) :- p(x, val)', 'alice');
    rt.insert(
      'action("create") action("update") p+(id, val) :- create(val) p+(id, val) :- update(id, val) ' +
        'p-(id, val) :- update(id, newval), p(id, val) result(x) :- create(val), p+(x, val)',
      'acts',
    );
    let n = 0;
    const out = simulate(rt, { query: 'p(x, y)', theory: 'alice', sequence: 'create(0)  update(x, 1) :- result(x)', actionTheory: 'acts' }, () => `id${++n}`);
    expect(out).toEqual(['p("id1", 1)']);
    expect(rt.selectStrings('p(x, y)', 'alice')).toEqual([]);
  });

  it('lets insertion win when an action both inserts and deletes a row', () => {
    const rt = runtime();
    rt.createPolicy('alice');
    rt.createPolicy('acts', { kind: 'action' });
    rt.insert('action("q") action("r") p+(x) :- q(x) p-(x) :- r(x)', 'acts');
    const q = (sequence: string): string[] => simulate(rt, { query: 'p(x)', theory: 'alice', sequence, actionTheory: 'acts' }, () => 'u');
    expect(q('q(1), r(1) :- true')).toEqual(['p(1)']);
    expect(q('q(1) r(1)')).toEqual([]);
    expect(q('r(1) q(1)')).toEqual(['p(1)']);
  });

  it("refuses a query of several statements with the original's text: each statement's Python repr (simulate-e21)", () => {
    const rt = runtime();
    rt.createPolicy('alice');
    rt.createPolicy('acts', { kind: 'action' });
    const refusal = (query: string): string => {
      try {
        simulate(rt, { query, theory: 'alice', sequence: 'q+(1)', actionTheory: 'acts' }, () => 'u');
      } catch (err) {
        if (err instanceof PolicyError) return err.message;
        throw err;
      }
      throw new Error('accepted');
    };
    const lit = (table: string, args: string, extra = 'service=None, modal=None', negated = 'False', named = ''): string =>
      `Literal(table=Tablename(table=${table}, ${extra}), arguments=[${args}], negated=${negated}, named_arguments={${named}})`;
    const x = "Variable(name='x')";
    const y = "Variable(name='y')";
    // Expected texts printed by the original Congress (compile.parse and the simulate message).
    expect(refusal('p(x) q(x)')).toBe(`Query [${lit('p', x)}, ${lit('q', x)}] contained more than 1 rule`);
    expect(refusal('execute[nova:s(x)] p+(y)')).toBe(`Query [${lit('s', x, 'service=nova, modal=execute')}, ${lit('p+', y)}] contained more than 1 rule`);
    expect(refusal('p(1, "a b", 1.5) nova:q(x, 2=y, name=z)')).toBe(
      `Query [${lit('p', "ObjectConstant(name=1, type='INTEGER'),ObjectConstant(name='a b', type='STRING'),ObjectConstant(name=1.5, type='FLOAT')")}, ` +
        `${lit('q', x, 'service=nova, modal=None', 'False', `2: ${y},'name': Variable(name='z')`)}] contained more than 1 rule`,
    );
    expect(refusal('q("it\'s")  p(2.0, 1e3)')).toBe(
      `Query [${lit('q', 'ObjectConstant(name="it\'s", type=\'STRING\')')}, ${lit('p', "ObjectConstant(name=2.0, type='FLOAT'),ObjectConstant(name=1000.0, type='FLOAT')")}] contained more than 1 rule`,
    );
    expect(refusal('q(x)\n\n   p(y), s(y) :- r(y), not t(y)')).toBe(
      `Query [${lit('q', x)}, Rule(head=[${lit('p', y)},${lit('s', y)}], body=[${lit('r', y)},${lit('t', y, undefined, 'True')}], location=Location(line=0, col=-1))] contained more than 1 rule`,
    );
  });

  it('refuses an empty query by name, not as a query of more than one rule (wide-e106)', () => {
    const rt = runtime();
    rt.createPolicy('alice');
    rt.createPolicy('acts', { kind: 'action' });
    for (const query of ['', '   ']) {
      expect(() => simulate(rt, { query, theory: 'alice', sequence: 'q+(1)', actionTheory: 'acts' }, () => 'u')).toThrow(
        new PolicyError('Empty string passed. Not a valid query', 'simulate_error'),
      );
    }
  });
});

describe('variables used once in a rule (bound to no slot)', () => {
  it('match anything, keep derivation counts and stay exact through incremental changes', () => {
    const rt = runtime();
    rt.insert('p(x) :- q(x, y) r(x) :- q(x, y), s(y, z) t(x) :- q(x, 1)', 'test');
    rt.insert('q(1, 1) q(1, 2) q(2, 3) s(2, 9)', 'test');
    expect(sorted(rt.selectStrings('p(x)', 'test'))).toEqual(['p(1)', 'p(2)']);
    expect(rt.selectStrings('r(x)', 'test')).toEqual(['r(1)']);
    expect(rt.selectStrings('t(x)', 'test')).toEqual(['t(1)']);
    // p(1) has two derivations: it stays until both are gone.
    rt.delete('q(1, 1)', 'test');
    expect(sorted(rt.selectStrings('p(x)', 'test'))).toEqual(['p(1)', 'p(2)']);
    expect(rt.selectStrings('t(x)', 'test')).toEqual([]);
    rt.delete('q(1, 2)', 'test');
    expect(rt.selectStrings('p(x)', 'test')).toEqual(['p(2)']);
    expect(rt.selectStrings('r(x)', 'test')).toEqual([]);
    rt.insert('q(3, 1) s(1, 0)', 'test');
    expect(sorted(rt.selectStrings('p(x)', 'test'))).toEqual(['p(2)', 'p(3)']);
    expect(rt.selectStrings('r(x)', 'test')).toEqual(['r(3)']);
    expect(rt.selectStrings('t(x)', 'test')).toEqual(['t(3)']);
  });
});

describe('recursion (opt-in)', () => {
  it('is rejected by default', () => {
    const rt = runtime();
    expect(() => rt.insert('path(x, y) :- edge(x, y) path(x, y) :- edge(x, z), path(z, y)', 'test')).toThrow(/Rules are recursive/);
  });

  it('computes transitive closure and keeps it current as edges change', () => {
    const rt = runtime({ allowRecursion: true });
    rt.insert('path(x, y) :- edge(x, y) path(x, y) :- edge(x, z), path(z, y) far(x) :- path(1, x), not edge(1, x)', 'test');
    rt.insert('edge(1, 2) edge(2, 3) edge(3, 4)', 'test');
    expect(sorted(rt.selectStrings('path(1, y)', 'test'))).toEqual(['path(1, 2)', 'path(1, 3)', 'path(1, 4)']);
    expect(sorted(rt.selectStrings('far(x)', 'test'))).toEqual(['far(3)', 'far(4)']);
    rt.delete('edge(2, 3)', 'test');
    expect(sorted(rt.selectStrings('path(1, y)', 'test'))).toEqual(['path(1, 2)']);
    expect(rt.selectStrings('far(x)', 'test')).toEqual([]);
    rt.insert('edge(2, 4) edge(4, 1)', 'test');
    expect(sorted(rt.selectStrings('path(1, y)', 'test'))).toEqual(['path(1, 1)', 'path(1, 2)', 'path(1, 4)']);
    expect(sorted(rt.selectStrings('far(x)', 'test'))).toEqual(['far(1)', 'far(4)']);
  });

  it('rejects negation through recursion (stratification)', () => {
    const rt = runtime({ allowRecursion: true });
    expect(() => rt.insert('p(x) :- q(x), not p(x)', 'test')).toThrow(UpdateRejected);
    expect(() => rt.insert('a(x) :- q(x), not b(x) b(x) :- a(x)', 'test')).toThrow(UpdateRejected);
  });
});

describe('bad and large input', () => {
  it('evaluates long rule bodies and refuses bodies beyond the documented limit', () => {
    const rt = runtime();
    const body = (n: number): string => Array.from({ length: n }, (_, i) => `q${i}(x)`).join(', ');
    rt.insert(`p(x) :- ${body(500)}`, 'test');
    rt.insert(Array.from({ length: 500 }, (_, i) => `q${i}(1)`).join(' '), 'test');
    expect(rt.selectStrings('p(x)', 'test')).toEqual(['p(1)']);
    expect(() => rt.insert(`r(x) :- ${body(5000)}`, 'test')).toThrow(/at most 500 are supported/);
  });

  it('evaluates a chain of 20,000 rules without exhausting the stack', () => {
    const rt = runtime();
    const rules = Array.from({ length: 20_000 }, (_, i) => `c${i}(x) :- c${i + 1}(x)`).join(' ');
    rt.insert(rules, 'test');
    rt.insert('c20000(7)', 'test');
    expect(rt.selectStrings('c0(x)', 'test')).toEqual(['c0(7)']);
    rt.insert('c20000(8)', 'test');
    expect(rt.selectStrings('c0(x)', 'test').sort()).toEqual(['c0(7)', 'c0(8)']);
  });

  it('loads 100,000 facts in one batch and answers a join over them', () => {
    const rt = runtime();
    rt.insert('two(x, z) :- e(x, y), e(y, z)', 'test');
    const facts = Array.from({ length: 100_000 }, (_, i) => literal('e', [constant(i), constant(i + 1) as { kind: 'const'; value: Value }]));
    rt.update(facts.map((formula) => ({ formula, insert: true, target: 'test' })));
    expect(rt.selectStrings('two(5, z)', 'test')).toEqual(['two(5, 7)']);
    expect(rt.select('two(x, z)', 'test')).toHaveLength(99_999);
  });
});

/**
 * Random sequences of API-style rule and fact inserts and deletes (negation, builtins, modals,
 * column references, cross-policy references, wrong widths, recursion) never make the runtime
 * throw anything but its own PolicyError, and every query afterwards still answers.
 */
import fc from 'fast-check';
import { constant, literal } from '../../../src/datalog/ast';
import { PolicyError } from '../../../src/datalog/errors';
import { deleteRulePersistent, insertRulePersistent } from '../../../src/datalog/runtime/persistent';
import { Runtime } from '../../../src/datalog/runtime/runtime';
import { simulate } from '../../../src/datalog/runtime/simulate';

const tables = ['p', 'q', 'r', 's', 'nova:servers', 'beta:t', 'execute[nova:servers.pause]'];
const terms = ['x', 'y', 'z', '1', '"a"', '2.5', '_'];
const atom = fc
  .tuple(fc.constantFrom(...tables), fc.array(fc.constantFrom(...terms), { maxLength: 3 }), fc.boolean())
  .map(([t, args, named]) => {
    if (t.startsWith('execute[')) return `${t}(${args.join(', ')})]`;
    if (named && t === 'nova:servers') return `nova:servers(id=${args[0] ?? 'x'}, status="ERROR")`;
    return `${t}(${args.join(', ')})`;
  });
const bodyLiteral = fc.tuple(fc.boolean(), atom, fc.constantFrom('', 'lt(x, y)', 'plus(x, 1, z)', 'equal(x, "a")')).map(([neg, a, b]) => (b !== '' && neg ? b : (neg ? 'not ' : '') + a));
const statement = fc.oneof(
  atom,
  fc.tuple(atom, fc.array(bodyLiteral, { minLength: 1, maxLength: 4 })).map(([h, body]) => `${h} :- ${body.join(', ')}`),
);
const op = fc.tuple(fc.constantFrom('insert', 'delete'), fc.constantFrom('alpha', 'beta', 'nova', 'nosuch'), statement);

describe('runtime robustness', () => {
  it('only ever raises PolicyError and keeps answering queries', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        const rt = new Runtime();
        rt.createPolicy('classification');
        rt.createPolicy('action', { kind: 'action' });
        rt.createPolicy('alpha');
        rt.createPolicy('beta');
        rt.createDatasourcePolicy('nova', { servers: ['id', 'name', 'status'] });
        rt.initializeTables('nova', ['servers'], [{ table: 'servers', row: ['s1', 'vm1', 'ERROR'] }]);
        for (const [kind, policy, text] of ops) {
          try {
            if (kind === 'insert') insertRulePersistent(rt, policy, text);
            else deleteRulePersistent(rt, policy, text);
          } catch (err) {
            if (!(err instanceof PolicyError)) throw err;
          }
        }
        // The incrementally maintained state equals a fresh engine loaded with what is stored.
        const fresh = new Runtime();
        fresh.createPolicy('classification');
        fresh.createPolicy('action', { kind: 'action' });
        fresh.createPolicy('alpha');
        fresh.createPolicy('beta');
        fresh.createDatasourcePolicy('nova', { servers: ['id', 'name', 'status'] });
        fresh.initializeTables('nova', ['servers'], [{ table: 'servers', row: ['s1', 'vm1', 'ERROR'] }]);
        for (const policy of ['alpha', 'beta']) {
          const events = [
            ...rt.rulesOf(policy).map((formula) => ({ formula, insert: true, target: policy })),
            ...rt.factsOf(policy).map((f) => ({ formula: literal(f.table, f.row.map((v) => constant(v))), insert: true, target: policy })),
          ];
          for (const e of events) fresh.update([e]);
        }
        for (const q of ['p(x)', 'p(x, y)', 'q(x, y)', 'r(x, y, z)', 's(x)', 'execute[nova:servers.pause(x)]', 'z(x) :- p(x), not q(x)']) {
          for (const policy of ['alpha', 'beta']) expect(rt.selectStrings(q, policy).sort()).toEqual(fresh.selectStrings(q, policy).sort());
        }
        for (const table of rt.tablenames('alpha')) {
          try {
            rt.rows('alpha', table);
          } catch (err) {
            if (!(err instanceof PolicyError)) throw err;
          }
        }
        try {
          simulate(rt, { query: 'p(x)', theory: 'alpha', sequence: 'q+(1) p-(1)', actionTheory: 'action' }, () => 'u');
        } catch (err) {
          if (!(err instanceof PolicyError)) throw err;
        }
      }),
      { numRuns: 300 },
    );
  });
});

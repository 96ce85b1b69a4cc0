/**
 * Engine and database never drift apart, whatever clients do: random sequences of policy and
 * rule writes (good and bad rules, duplicate names, deletes of what exists and of what does
 * not), some sent concurrently, some while the database fails, leave the running engine
 * answering exactly as a new engine loaded from the store answers.
 */
import fc from 'fast-check';
import request from 'supertest';
import type { PolicyStore, PolicyStoreOps } from '../../../src/db';
import { PolicyEngineService, silentLogger } from '../../../src/services/engine';
import { startHarness, type ApiHarness } from './support/harness';

jest.setTimeout(180_000);

/** How the database fails during a step: not at all, before any work (the lock), or at the write itself. */
type Failure = 'none' | 'lock' | 'write';

const WRITES = new Set(['createPolicy', 'deletePolicy', 'createRule', 'deleteRule', 'createPolicyWithRules']);

/** A store that fails as `failing.mode` says (reads keep working). */
function flakyStore(failing: { mode: Failure }): (s: PolicyStore) => PolicyStore {
  const fail = (): Promise<never> => Promise.reject(new Error('database went away'));
  // Inside a transaction the engine has already applied its change when the write fails: the
  // failure it must undo.
  const failingWrites = (tx: PolicyStoreOps): PolicyStoreOps =>
    new Proxy(tx, { get: (target, key) => (failing.mode === 'write' && typeof key === 'string' && WRITES.has(key) ? fail : Reflect.get(target, key)) });
  const wrapped = <T>(run: (fn: (tx: PolicyStoreOps) => Promise<T>) => Promise<T>, fn: (tx: PolicyStoreOps) => Promise<T>): Promise<T> =>
    failing.mode === 'lock' ? fail() : run((tx) => fn(failingWrites(tx)));
  return (s) => ({
    ...s,
    withTableLock: (fn) => wrapped((f) => s.withTableLock(f), fn),
    transaction: (fn, options) => wrapped((f) => s.transaction(f, options), fn),
    createPolicy: (p) => (failing.mode !== 'none' ? fail() : s.createPolicy(p)),
    deletePolicy: (p) => (failing.mode !== 'none' ? fail() : s.deletePolicy(p)),
    createRule: (p, r) => (failing.mode !== 'none' ? fail() : s.createRule(p, r)),
    deleteRule: (id, p) => (failing.mode !== 'none' ? fail() : s.deleteRule(id, p)),
  });
}

const POLICIES = ['alpha', 'beta', 'classification'];
const TABLES = ['p', 'q', 'r', 's', 't'];

/** Rules that are accepted, and rules each of the engine's checks refuses (in some states). */
const RULES = [
  'q(1)',
  'q(2)',
  'q("a")',
  'p(x) :- q(x)',
  'r(x) :- q(x), not s(x)',
  's(1)',
  't(x, y) :- q(x), q(y), lt(x, y)',
  'q(x) :- p(x)', // recursion with p(x) :- q(x)
  'p(x, y) :- q(x)', // unsafe, and p's arity
  'r(x) :- not q(x)', // unsafe negation
  'p(x) :-', // syntax
  'q(1) q(2)', // two statements
  'p(x) :- nosuch:table(x)', // unknown service
];

type Op =
  | { readonly kind: 'createPolicy'; readonly policy: string }
  | { readonly kind: 'deletePolicy'; readonly policy: string }
  | { readonly kind: 'insertRule'; readonly policy: string; readonly rule: string }
  | { readonly kind: 'deleteRule'; readonly policy: string; readonly pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('createPolicy' as const), policy: fc.constantFrom(...POLICIES) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deletePolicy' as const), policy: fc.constantFrom(...POLICIES) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('insertRule' as const), policy: fc.constantFrom(...POLICIES), rule: fc.constantFrom(...RULES) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteRule' as const), policy: fc.constantFrom(...POLICIES), pick: fc.nat(10) }) },
);

/** A step: operations sent together (concurrently when more than one), with the database up or failing. */
const step = fc.record({ ops: fc.array(op, { minLength: 1, maxLength: 3 }), failure: fc.constantFrom<Failure>('none', 'none', 'none', 'none', 'lock', 'write') });

async function send(h: ApiHarness, o: Op): Promise<number> {
  switch (o.kind) {
    case 'createPolicy':
      return (await request(h.app).post('/v1/policies').send({ name: o.policy })).status;
    case 'deletePolicy':
      return (await request(h.app).delete(`/v1/policies/${o.policy}`)).status;
    case 'insertRule':
      return (await request(h.app).post(`/v1/policies/${o.policy}/rules`).send({ rule: o.rule })).status;
    case 'deleteRule': {
      const list = await request(h.app).get(`/v1/policies/${o.policy}/rules`);
      const rules = list.status === 200 ? (list.body as { results: { id: string }[] }).results : [];
      const id = o.pick < rules.length ? rules[o.pick].id : '00000000-0000-4000-8000-000000000000';
      return (await request(h.app).delete(`/v1/policies/${o.policy}/rules/${id}`)).status;
    }
  }
}

/** What an engine answers about every policy: its rules (as stored) and the rows of each table. */
async function observe(engine: PolicyEngineService): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const p of (await engine.listPolicies()).map((x) => x.name).sort()) {
    const rules = (await engine.listRules(p)).map((r) => r.rule).sort();
    const rows: Record<string, unknown> = {};
    for (const t of TABLES) {
      rows[t] = await engine.rows(p, t, false).then(
        (r) => r.rows.map((row) => JSON.stringify(row)).sort(),
        (err: Error) => `error: ${err.message}`,
      );
    }
    out[p] = { rules, rows };
  }
  return out;
}

describe('engine and database, property-based', () => {
  test('after any sequence of writes (some concurrent, some failing) a new engine on the store answers as the running one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const failing: { mode: Failure } = { mode: 'none' };
        const h = await startHarness({ wrapStore: flakyStore(failing) });
        try {
          for (const s of steps) {
            failing.mode = s.failure;
            const statuses = await Promise.all(s.ops.map((o) => send(h, o)));
            failing.mode = 'none';
            // Refusals are the client's (4xx); only the injected failure may be a 500.
            for (const status of statuses) expect(status < 500 || s.failure !== 'none').toBe(true);
          }
          const reloaded = await PolicyEngineService.start(h.store, { logger: silentLogger });
          expect(reloaded.report).toMatchObject({ skippedPolicies: 0, skippedRules: 0 });
          expect(await observe(h.engine)).toEqual(await observe(reloaded.engine));
        } finally {
          failing.mode = 'none';
          await h.close();
        }
      }),
      { numRuns: 40, interruptAfterTimeLimit: 150_000 },
    );
  });
});

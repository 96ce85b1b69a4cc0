/**
 * Start-up: the engine's in-memory state rebuilt from the store (ha.md §1.3 step 3): every
 * live policy, the two system policies created if absent, then every rule. Rules go through
 * the runtime's non-persistent path so that one referring to a schema not known yet is parked
 * instead of lost; a stored rule the engine now refuses is logged and skipped, as upstream.
 */
import { UpdateRejected, PolicyError } from '../../datalog/errors';
import { parseOneRule } from '../../datalog/runtime/persistent';
import type { PolicyEvent, Runtime } from '../../datalog/runtime/runtime';
import { DuplicateError, type PolicyRecord, type PolicyStore, type RuleRecord } from '../../db';
import type { EngineLogger } from './logger';
import { SYSTEM_POLICIES } from './naming';

/** How much of the stored state made it into the engine. */
export interface LoadReport {
  readonly policies: number;
  readonly rules: number;
  readonly skippedPolicies: number;
  readonly skippedRules: number;
}

function addPolicy(rt: Runtime, p: PolicyRecord): void {
  rt.createPolicy(p.name, { kind: p.kind, id: p.id, abbr: p.abbreviation, description: p.description, owner: p.ownerId });
}

/** Creates a system policy in the store unless present; tolerates another node winning the race. */
async function ensureSystemPolicy(store: PolicyStore, spec: (typeof SYSTEM_POLICIES)[number]): Promise<PolicyRecord> {
  const existing = await store.getPolicyByName(spec.name);
  if (existing !== null) return existing;
  try {
    return await store.createPolicy({ ...spec, ownerId: 'user' });
  } catch (err) {
    if (!(err instanceof DuplicateError)) throw err;
    const winner = await store.getPolicyByName(spec.name);
    if (winner === null) throw err;
    return winner;
  }
}

function loadRules(rt: Runtime, policy: string, rules: readonly RuleRecord[], log: EngineLogger): number {
  const events: (PolicyEvent & { record: RuleRecord })[] = [];
  let skipped = 0;
  for (const r of rules) {
    try {
      events.push({ formula: parseOneRule(r.rule), insert: true, target: policy, record: r });
    } catch (err) {
      skipped++;
      log.error(`stored rule ${r.id} of policy ${policy} does not parse, skipped: ${(err as Error).message}`);
    }
  }
  try {
    // One batch is much faster than one update per rule; it is all-or-nothing, hence the fallback.
    rt.update(events);
    return skipped;
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
  }
  for (const e of events) {
    try {
      rt.update([e]);
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err;
      skipped++;
      const why = err instanceof UpdateRejected ? err.errors.join(';') : err.message;
      log.error(`stored rule ${e.record.id} of policy ${policy} refused by the engine, skipped: ${why}`);
    }
  }
  return skipped;
}

/** Loads the store into an empty runtime. */
export async function loadEngine(store: PolicyStore, rt: Runtime, log: EngineLogger): Promise<LoadReport> {
  const snapshot = await store.snapshot();
  let skippedPolicies = 0;
  for (const p of snapshot.policies) {
    try {
      addPolicy(rt, p);
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err;
      skippedPolicies++;
      log.error(`stored policy ${p.name} (${p.id}) cannot be loaded, skipped: ${err.message}`);
    }
  }
  for (const spec of SYSTEM_POLICIES) {
    if (rt.hasPolicy(spec.name)) continue;
    addPolicy(rt, await ensureSystemPolicy(store, spec));
  }
  const byPolicy = new Map<string, RuleRecord[]>();
  for (const r of snapshot.rules) {
    const list = byPolicy.get(r.policyName) ?? [];
    list.push(r);
    byPolicy.set(r.policyName, list);
  }
  let skippedRules = 0;
  for (const [policy, rules] of byPolicy) {
    if (!rt.hasPolicy(policy)) {
      skippedRules += rules.length;
      log.error(`${rules.length} stored rules of unknown policy ${policy} skipped`);
      continue;
    }
    skippedRules += loadRules(rt, policy, rules, log);
  }
  return {
    policies: rt.policyNames().length,
    rules: snapshot.rules.length - skippedRules,
    skippedPolicies,
    skippedRules,
  };
}

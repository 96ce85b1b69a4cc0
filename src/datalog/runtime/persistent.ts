/**
 * The API's rule-insertion semantics on top of the runtime (spec 6.8, api.md §5.3): exactly one
 * statement, no rules in datasources' mirror policies, duplicates are `rule_already_exists`, everything
 * else a `rule_syntax` error. Shared by the REST API and the offline `congress eval`.
 */
import { formatStatement, type Statement } from '../ast';
import { PolicyError, UpdateRejected } from '../errors';
import { parse } from '../parse';
import type { AppliedEvent, PolicyEvent, Runtime } from './runtime';

/** The statements of rule text, at least one; errors carry the API's `rule_syntax`. */
function parseSome(text: string): Statement[] {
  let statements: Statement[];
  try {
    statements = parse(text);
  } catch (err) {
    if (err instanceof PolicyError) throw err.withCode('rule_syntax');
    throw err;
  }
  if (statements.length === 0) throw new PolicyError('Empty string passed. Not a valid rule', 'rule_syntax');
  return statements;
}

/** Parses rule text as the API does: exactly one statement. */
export function parseOneRule(text: string): Statement {
  const statements = parseSome(text);
  if (statements.length > 1) {
    throw new PolicyError('Received multiple rules: ' + statements.map((s) => formatStatement(s)).join('; '), 'multiple_rules');
  }
  return statements[0];
}

/** Inserts one rule or fact given as text into a user policy, with the API's errors. */
export function insertRulePersistent(rt: Runtime, policy: string, text: string): AppliedEvent {
  const p = rt.addressedPolicy(policy);
  if (p !== undefined && p.mirror) {
    throw new PolicyError('(1019) Rules not permitted on non persisted policies.', 'rule_not_permitted');
  }
  const formula = parseOneRule(text);
  if (p === undefined) throw new PolicyError(`Policy ID ${policy} does not exist`, 'policy_not_exist');
  const changes = applyPersistent(rt, [{ formula, insert: true, target: p.name }]);
  if (changes.length === 0) throw new PolicyError('(1008) Rule already exists', 'rule_already_exists');
  return changes[0];
}

/**
 * Inserts several rules or facts into a user policy as one batch, as the original's
 * `persistent_insert_rules` does for a policy created with rules: each text is parsed first (the
 * first that fails is the error), then the batch is checked as a whole (one error listing every
 * rule's problems) and applied in order. Returns, per text, whether it changed the policy (a
 * repeat of an earlier text does not); a batch that changes nothing is `rule_already_exists`.
 */
export function insertRulesPersistent(rt: Runtime, policy: string, texts: readonly string[]): boolean[] {
  const p = rt.addressedPolicy(policy);
  if (p !== undefined && p.mirror) {
    throw new PolicyError('(1019) Rules not permitted on non persisted policies.', 'rule_not_permitted');
  }
  const formulas = texts.map(parseOneRule);
  if (p === undefined) throw new PolicyError(`Policy ID ${policy} does not exist`, 'policy_not_exist');
  const events: PolicyEvent[] = formulas.map((formula) => ({ formula, insert: true, target: p.name }));
  const changed = new Set<PolicyEvent>(applyPersistent(rt, events).map((a) => a.source ?? a));
  if (texts.length > 0 && changed.size === 0) throw new PolicyError('(1008) Rule already exists', 'rule_already_exists');
  return events.map((e) => changed.has(e));
}

/**
 * Deletes a rule or fact given as text, as `DELETE` of a stored rule does; absent is not an
 * error. As in the original, the text's first statement is the one deleted (it parses stored
 * text with `parse1`), and the delete is not checked as a persistent update: one whose column
 * references meet a schema not known yet is parked until the schema arrives (spec 6.9).
 */
export function deleteRulePersistent(rt: Runtime, policy: string, text: string): AppliedEvent[] {
  const formula = parseSome(text)[0];
  const p = rt.getPolicy(policy);
  if (p === undefined) throw new PolicyError(`Policy ID ${policy} does not exist`, 'policy_not_exist');
  return asRuleSyntax(() => rt.update([{ formula, insert: false, target: p.name }]));
}

/** Runs a batch in persistent mode; rejections become one `rule_syntax` error with `;`-joined messages. */
export function applyPersistent(rt: Runtime, events: Parameters<Runtime['update']>[0]): AppliedEvent[] {
  return asRuleSyntax(() => rt.update(events, { persistent: true }));
}

function asRuleSyntax(update: () => AppliedEvent[]): AppliedEvent[] {
  try {
    return update();
  } catch (err) {
    if (err instanceof UpdateRejected) throw new PolicyError(err.errors.join(';'), 'rule_syntax');
    throw err;
  }
}

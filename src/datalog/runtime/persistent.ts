/**
 * The API's rule-insertion semantics on top of the runtime (spec 6.8, api.md §5.3): exactly one
 * statement, no rules in datasource policies, duplicates are `rule_already_exists`, everything
 * else a `rule_syntax` error. Shared by the REST API and the offline `congress eval`.
 */
import { formatStatement, type Statement } from '../ast';
import { PolicyError, UpdateRejected } from '../errors';
import { parse } from '../parse';
import type { AppliedEvent, Runtime } from './runtime';

/** Parses rule text as the API does: exactly one statement. */
export function parseOneRule(text: string): Statement {
  let statements: Statement[];
  try {
    statements = parse(text);
  } catch (err) {
    if (err instanceof PolicyError) throw err.withCode('rule_syntax');
    throw err;
  }
  if (statements.length === 0) throw new PolicyError('Empty string passed. Not a valid rule', 'rule_syntax');
  if (statements.length > 1) {
    throw new PolicyError('Received multiple rules: ' + statements.map((s) => formatStatement(s)).join('; '), 'multiple_rules');
  }
  return statements[0];
}

/** Inserts one rule or fact given as text into a user policy, with the API's errors. */
export function insertRulePersistent(rt: Runtime, policy: string, text: string): AppliedEvent {
  const p = rt.getPolicy(policy);
  if (p !== undefined && p.kind === 'datasource') {
    throw new PolicyError('(1019) Rules not permitted on non persisted policies.', 'rule_not_permitted');
  }
  const formula = parseOneRule(text);
  if (p === undefined) throw new PolicyError(`Policy ID ${policy} does not exist`, 'policy_not_exist');
  const changes = applyPersistent(rt, [{ formula, insert: true, target: p.name }]);
  if (changes.length === 0) throw new PolicyError('(1008) Rule already exists', 'rule_already_exists');
  return changes[0];
}

/** Deletes one rule or fact given as text, as `DELETE` of a stored rule does; absent is not an error. */
export function deleteRulePersistent(rt: Runtime, policy: string, text: string): AppliedEvent[] {
  const formula = parseOneRule(text);
  const p = rt.getPolicy(policy);
  if (p === undefined) throw new PolicyError(`Policy ID ${policy} does not exist`, 'policy_not_exist');
  return applyPersistent(rt, [{ formula, insert: false, target: p.name }]);
}

/** Runs a batch in persistent mode; rejections become one `rule_syntax` error with `;`-joined messages. */
export function applyPersistent(rt: Runtime, events: Parameters<Runtime['update']>[0]): AppliedEvent[] {
  try {
    return rt.update(events, { persistent: true });
  } catch (err) {
    if (err instanceof UpdateRejected) throw new PolicyError(err.errors.join(';'), 'rule_syntax');
    throw err;
  }
}

/**
 * A policy (a "theory" in the original): its kind, schema and the rules stored in it. Facts live
 * in the store's predicates; a policy knows only which rules it holds, by identity.
 */
import { formatLiteral, type Rule } from '../ast';
import { Schema } from '../compile/schema';
import type { CompiledRule } from '../eval/predicate';

/** Policy kinds a user can create; `datasource` policies are made by the datasource layer. */
export const POLICY_KINDS = ['nonrecursive', 'action', 'database', 'materialized', 'datasource'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

export function isPolicyKind(k: string): k is PolicyKind {
  return (POLICY_KINDS as readonly string[]).includes(k);
}

/** A rule as stored: checked, column references eliminated, body reordered for safety. */
export interface StoredRule {
  readonly rule: Rule;
  readonly key: string;
  readonly compiled: CompiledRule;
}

export class Policy {
  readonly rules = new Map<string, StoredRule>();
  schema: Schema = Schema.inferred();
  /** Datasource policies get their fixed schema once (spec 14.1). */
  schemaSet = false;

  constructor(
    readonly name: string,
    readonly kind: PolicyKind,
    readonly id: string,
    readonly abbr: string,
    readonly description: string,
    readonly owner: string,
    /**
     * The engine's mirror of a datasource, fed by its driver: never stored as a policy, so it
     * takes no rules. A policy created with kind `datasource` through the policy API is stored
     * and takes rules, as in the original.
     */
    readonly mirror = false,
  ) {}
}

/**
 * Identity of a rule: head plus the *set* of body literals. Body order does not matter, variable
 * names do (`p(x) :- q(x)` and `p(y) :- q(y)` are two rules), as in the original.
 */
export function ruleIdentity(r: Rule): string {
  // Asked twice per inserted rule (is it stored? then store it); rules are immutable.
  if (r === lastIdentity.rule) return lastIdentity.key;
  const heads = r.heads.map(formatLiteral).sort().join(', ');
  const body = r.body.map(formatLiteral).sort().join(', ');
  const key = heads + ' :- ' + body;
  lastIdentity = { rule: r, key };
  return key;
}

let lastIdentity: { rule: Rule | null; key: string } = { rule: null, key: '' };

/**
 * Authorisation of API operations: the original's default rules (congress/common/policies:
 * everything is admin only), overridden by an operator's policy file, evaluated per operation
 * name. Operations without a rule of their own fall back to the default rule.
 */
import { evaluate, parseRule, RuleSyntaxError, type Credentials, type RuleTree } from './policy-rules';

/** The original's registered defaults, as check strings. */
export const DEFAULT_POLICY_RULES: Readonly<Record<string, string>> = {
  context_is_admin: 'role:admin',
  admin_only: 'rule:context_is_admin',
  regular_user: '',
  default: 'rule:admin_only',
};

/** What the guard asks of an enforcer: whether an operation is allowed, or open to all. */
export type OperationPolicy = Pick<PolicyEnforcer, 'allows' | 'isOpen'>;

/** Decides which callers may perform which operations. */
export class PolicyEnforcer {
  private readonly rules: ReadonlyMap<string, RuleTree>;

  /**
   * @param overrides rules of the policy file (name → check string or legacy list); they replace
   *   the defaults of the same name. Invalid rules throw `RuleSyntaxError` at construction, so a
   *   broken policy file stops start-up instead of denying (or allowing) at random later.
   * @param defaultRule name of the rule for operations without one (`[oslo_policy] policy_default_rule`).
   */
  constructor(
    overrides: Readonly<Record<string, unknown>> = {},
    private readonly defaultRule = 'default',
  ) {
    const rules = new Map<string, RuleTree>();
    for (const [name, text] of Object.entries(DEFAULT_POLICY_RULES)) rules.set(name, parseRule(text));
    for (const [name, rule] of Object.entries(overrides)) {
      try {
        rules.set(name, parseRule(rule));
      } catch (err) {
        if (err instanceof RuleSyntaxError) throw new RuleSyntaxError(err.rule, `${err.message.replace(/^invalid policy rule "[^"]*": /, '')} (rule ${name})`);
        throw err;
      }
    }
    this.rules = rules;
  }

  /** Whether `creds` may perform `operation`. */
  allows(operation: string, creds: Credentials): boolean {
    const rule = this.rules.get(operation) ?? this.rules.get(this.defaultRule);
    // No rule at all (a policy file that removed the default): deny, as oslo does.
    if (rule === undefined) return false;
    return evaluate(rule, creds, (name) => this.rules.get(name));
  }

  /** Whether the operation's rule allows everyone outright (`@` or `""`), whoever asks. */
  isOpen(operation: string): boolean {
    const rule = this.rules.get(operation);
    return rule !== undefined && rule.kind === 'always';
  }

  /** Whether the caller counts as an administrator (`context_is_admin`). */
  isAdmin(creds: Credentials): boolean {
    return this.allows('context_is_admin', creds);
  }
}

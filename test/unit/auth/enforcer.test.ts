/** The original's default policy (admin only) and operator overrides. */
import { PolicyEnforcer, RuleSyntaxError, type Credentials } from '../../../src/api/auth';

const who = (...roles: string[]): Credentials => ({ userId: 'u', userName: null, projectId: null, projectName: null, roles });

describe('PolicyEnforcer', () => {
  it('allows every operation to admins only by default, as the original', () => {
    const e = new PolicyEnforcer();
    for (const op of ['get_policies', 'create_rules', 'delete_data-sources', 'simulate_policies', 'get_metrics']) {
      expect(e.allows(op, who('admin'))).toBe(true);
      expect(e.allows(op, who('member'))).toBe(false);
    }
    expect(e.isAdmin(who('ADMIN'))).toBe(true);
  });

  it('lets a policy file open reads to members and keep writes for admins', () => {
    const e = new PolicyEnforcer({ get_policies: 'rule:regular_user', create_policies: 'rule:admin_only' });
    expect(e.allows('get_policies', who('member'))).toBe(true);
    expect(e.allows('create_policies', who('member'))).toBe(false);
    expect(e.allows('get_rules', who('member'))).toBe(false);
  });

  it('applies an overridden default to every operation without a rule', () => {
    const e = new PolicyEnforcer({ default: 'role:member or rule:admin_only', delete_policies: '!' });
    expect(e.allows('get_rules', who('member'))).toBe(true);
    expect(e.allows('delete_policies', who('admin'))).toBe(false);
  });

  it('honours another default rule name and denies when it does not exist', () => {
    expect(new PolicyEnforcer({ open: '@' }, 'open').allows('get_policies', who())).toBe(true);
    expect(new PolicyEnforcer({}, 'nosuch').allows('get_policies', who('admin'))).toBe(false);
  });

  it('knows which operations are open to anyone', () => {
    const e = new PolicyEnforcer({ get_metrics: '', get_policies: '@', get_rules: 'role:member or @' });
    expect(e.isOpen('get_metrics')).toBe(true);
    expect(e.isOpen('get_policies')).toBe(true);
    expect(e.isOpen('get_rules')).toBe(false);
    expect(e.isOpen('delete_rules')).toBe(false);
  });

  it('refuses an invalid rule at construction, naming it', () => {
    expect(() => new PolicyEnforcer({ get_policies: 'role:admin or' })).toThrow(RuleSyntaxError);
    expect(() => new PolicyEnforcer({ get_policies: 'role:admin or' })).toThrow(/rule get_policies/);
  });
});

/** oslo.policy rule syntax: the subset Congress's defaults and typical overrides use. */
import { evaluate, parseRule, RuleSyntaxError, type Credentials, type RuleTree } from '../../../src/api/auth/policy-rules';

const member: Credentials = { userId: 'u1', userName: 'demo', projectId: 'p1', projectName: 'demo', roles: ['member', 'Reader'] };
const rules = new Map<string, RuleTree>([
  ['is_member', parseRule('role:member')],
  ['loop', parseRule('rule:loop')],
]);
const allows = (text: unknown, creds: Credentials = member): boolean => evaluate(parseRule(text), creds, (n) => rules.get(n));

describe('policy rule syntax', () => {
  it('treats "", @ and the empty list as allow and ! as deny', () => {
    expect(allows('')).toBe(true);
    expect(allows('@')).toBe(true);
    expect(allows([])).toBe(true);
    expect(allows('!')).toBe(false);
  });

  it('checks roles case-insensitively', () => {
    expect(allows('role:member')).toBe(true);
    expect(allows('role:reader')).toBe(true);
    expect(allows('role:admin')).toBe(false);
  });

  it('combines with not, and, or and parentheses, not binding tightest and or loosest', () => {
    expect(allows('role:admin or role:member')).toBe(true);
    expect(allows('role:admin and role:member')).toBe(false);
    expect(allows('not role:admin and role:member')).toBe(true);
    expect(allows('role:admin or role:member and role:nosuch')).toBe(false);
    expect(allows('(role:admin or role:member) and not role:nosuch')).toBe(true);
    expect(allows('role:admin OR role:member')).toBe(true);
  });

  it('follows rule: references; unknown and cyclic ones deny', () => {
    expect(allows('rule:is_member')).toBe(true);
    expect(allows('rule:nosuch')).toBe(false);
    expect(allows('rule:loop')).toBe(false);
  });

  it('matches generic checks against literal credentials only', () => {
    expect(allows('project_id:p1')).toBe(true);
    expect(allows('user_id:u2')).toBe(false);
    expect(allows('project_id:%(project_id)s')).toBe(false);
  });

  it('reads the legacy list-of-lists form as or of ands', () => {
    expect(allows([['role:admin'], ['role:member', 'project_id:p1']])).toBe(true);
    expect(allows([['role:admin'], ['role:member', 'project_id:p2']])).toBe(false);
  });

  it.each([['role:admin and'], ['(role:admin'], ['admin'], ['role:admin )'], ['or role:x']])('refuses %s', (text) => {
    expect(() => parseRule(text)).toThrow(RuleSyntaxError);
  });

  it('refuses values that are neither strings nor lists of lists', () => {
    expect(() => parseRule(42)).toThrow('a rule must be a string');
    expect(() => parseRule(['role:admin'])).toThrow('list of lists');
  });
});

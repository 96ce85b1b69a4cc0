/** Checks on names and free-text fields shared by policies and library policies. */
import { isValidPolicyName } from '../../datalog/parse';
import { EngineServiceError } from './errors';

/** Width of the name, comment and description columns (D19: longer values are refused). */
export const MAX_TEXT_LENGTH = 255;

/** The two policies every engine has; they cannot be deleted. */
export const SYSTEM_POLICIES = [
  { name: 'classification', kind: 'nonrecursive', abbreviation: 'class', description: 'default policy' },
  { name: 'action', kind: 'action', abbreviation: 'actio', description: 'default action policy' },
] as const;

/** Whether `name` is one of the built-in policies. */
export function isSystemPolicy(name: string): boolean {
  return SYSTEM_POLICIES.some((p) => p.name === name);
}

/** Refuses a policy name that cannot prefix a table in a rule, or that is too long. */
export function checkPolicyName(name: string): void {
  if (!isValidPolicyName(name)) {
    throw new EngineServiceError('policy_name_invalid', `Policy name ${name} is not a valid tablename`);
  }
  checkLength('policy name', name);
}

/** Refuses a library policy name as the original's library service words it. */
export function checkLibraryPolicyName(name: string): void {
  if (!isValidPolicyName(name)) {
    throw new EngineServiceError('library_policy_name_invalid', `name \`${name}\` is not a valid policy name`);
  }
  checkLength('policy name', name);
}

/** Refuses a value longer than its column (MySQL would, SQLite would silently keep it). */
export function checkLength(what: string, value: string | null | undefined): void {
  if (value !== null && value !== undefined && value.length > MAX_TEXT_LENGTH) {
    throw new EngineServiceError('value_too_long', `${what} is longer than ${MAX_TEXT_LENGTH} characters`);
  }
}

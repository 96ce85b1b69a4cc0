/** API authentication (Keystone tokens) and authorisation (oslo.policy rules). */
export { DEFAULT_POLICY_RULES, PolicyEnforcer } from './enforcer';
export type { OperationPolicy } from './enforcer';
export { keystoneAuth, UNAUTHORIZED_MESSAGE } from './keystone-guard';
export type { ApiAuth, KeystoneGuardOptions } from './keystone-guard';
export { IdentityUnavailableError, identityV3, KeystoneTokenValidator, type KeystoneAnswer, type KeystoneFetch } from './keystone-tokens';
export type { ServiceCredentials, TokenIdentity, TokenValidator } from './keystone-tokens';
export { operationName, RouteIndex } from './operations';
export type { MatchedRoute } from './operations';
export { parseRule, RuleSyntaxError } from './policy-rules';
export type { Credentials, RuleTree } from './policy-rules';
export { CachingTokenValidator } from './token-cache';
export type { TokenCacheOptions } from './token-cache';

/**
 * Errors raised by the policy engine. Every error the engine reports carries its Congress
 * exception type (`PolicyException`, `NotFound`, ...) and, where the API distinguishes it, an
 * engine error code (`rule_syntax`, `multiple_rules`, ...). The API maps codes to HTTP statuses
 * and numeric Congress codes in its own registry; the engine never knows about HTTP.
 */

/** Engine error codes, named as the Congress API names them. */
export type EngineErrorCode =
  | 'rule_syntax'
  | 'multiple_rules'
  | 'rule_already_exists'
  | 'rule_not_permitted'
  | 'policy_not_exist'
  | 'simulate_error'
  | 'policy_exists'
  | 'policy_name_invalid'
  | 'policy_kind_invalid'
  | 'system_policy'
  | 'table_not_found'
  | 'query_error'
  | 'datasource_name_in_use'
  | 'limit_exceeded';

/** The exception class name the original would have raised. */
export type EngineErrorType = 'PolicyException' | 'NotFound' | 'KeyError' | 'DanglingReference';

export class PolicyError extends Error {
  constructor(
    message: string,
    readonly code: EngineErrorCode | null = null,
    readonly type: EngineErrorType = 'PolicyException',
  ) {
    super(message);
    this.name = 'PolicyError';
  }

  withCode(code: EngineErrorCode): PolicyError {
    return new PolicyError(this.message, code, this.type);
  }
}

/** A batch was refused; the individual messages are kept for the API's `;`-joined text. */
export class UpdateRejected extends PolicyError {
  constructor(readonly errors: readonly string[], code: EngineErrorCode | null = 'rule_syntax') {
    super(errors.join(';'), code);
    this.name = 'UpdateRejected';
  }
}

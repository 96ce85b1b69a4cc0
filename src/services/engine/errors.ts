/**
 * Errors the policy-engine service raises on purpose, beyond the datalog layer's
 * `PolicyError`s (which it lets through unchanged). Each carries a stable code; the API maps
 * codes to Congress's statuses, numeric codes and message templates in its one registry.
 */

// For the API's mapping of an unreachable database to 503 (the API does not import the store).
export { databaseDownReason } from '../../db/unreachable';

/** Stable codes of engine-service errors; `detail` is the variable part of the message. */
export type EngineServiceErrorCode =
  /** `GET /v1/policies/<x>`: no live policy with that name or id. */
  | 'policy_not_found'
  /** `DELETE /v1/policies/<x>`: nothing to delete. */
  | 'policy_delete_not_found'
  /** `classification` and `action` cannot be deleted. */
  | 'system_policy'
  /** A policy name that cannot prefix a table in a rule. */
  | 'policy_name_invalid'
  /** A library policy name that cannot prefix a table in a rule. */
  | 'library_policy_name_invalid'
  /** A name, comment or description longer than the database column allows. */
  | 'value_too_long'
  /** A rule id that names no live rule of the policy. */
  | 'rule_not_found'
  /** A table the policy does not use. */
  | 'table_not_found'
  /** A library policy id that names nothing. */
  | 'library_policy_not_found'
  /** `?action=execute` on a service that is not running. */
  | 'execute_service_not_found'
  /** `?action=execute` naming no action (`nova:`, or no `name` on a datasource). */
  | 'execute_action_missing';

/** An engine-service error: a code for the API and the detail text its message carries. */
export class EngineServiceError extends Error {
  constructor(
    readonly code: EngineServiceErrorCode,
    readonly detail: string,
    /** Extra machine-readable context (Congress's `error_data`). */
    readonly data: string | null = null,
  ) {
    super(detail);
    this.name = 'EngineServiceError';
  }
}

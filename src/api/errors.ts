/**
 * The one registry of API errors: for each error its HTTP status, Congress's `error_code` and
 * message template (api.md §2). Handlers throw `ApiError(key, detail)`; errors from the engine
 * service and the datalog layer carry their own stable codes and are mapped here, and only
 * here, to HTTP.
 */
import type { EngineErrorCode } from '../datalog/errors';
import { PolicyError } from '../datalog/errors';
import { databaseDownReason, EngineServiceError, type EngineServiceErrorCode } from '../services/engine/errors';

/** One registered error: status, Congress code, and the message with `{detail}` in it. */
export interface ErrorSpec {
  readonly status: number;
  readonly code: number;
  /** `{detail}` is replaced by the error's detail text. */
  readonly template: string;
  /** Application errors (1000–1022): `description` alone, or `description::detail`. */
  readonly application?: boolean;
}

const http = (status: number, template: string): ErrorSpec => ({ status, code: status, template });
const app = (status: number, code: number, description: string): ErrorSpec => ({ status, code, template: description, application: true });

/** Every error the API answers with. */
export const API_ERRORS = {
  // generic answers (§2.3)
  route_not_found: http(404, 'The resource could not be found.'),
  method_not_supported: http(501, 'Method not supported'),
  internal: http(500, 'Internal server error'),
  not_found: http(404, 'Not found'),
  // request processing (§1.3, §1.4)
  missing_action: http(400, 'Missing required action parameter.'),
  repeated_action: http(400, 'Action parameter may not be provided multiple times.'),
  unsupported_content_type: http(400, "Unsupported Content-Type; must be 'application/json'"),
  unsupported_charset: http(400, "Unsupported charset: must be 'UTF-8'"),
  malformed_body: http(400, 'Failed to parse body as application/json: {detail}'),
  body_too_large: http(413, 'Request is too large.'),
  // unnamed exceptions: reason phrase + detail (§2.5), or the detail alone on some routes
  bad_request: http(400, 'Bad Request::{detail}'),
  not_found_detail: http(404, 'Not Found::{detail}'),
  service_unavailable: http(503, 'Service Unavailable::{detail}'),
  plain_bad_request: http(400, '{detail}'),
  plain_not_found: http(404, '{detail}'),
  plain_conflict: http(409, '{detail}'),
  schema_violation: http(400, 'Bad Request::Input policy item violates schema.'),
  // application codes (§2.4)
  unknown: app(400, 1000, 'Unknown error'),
  add_item_id: app(400, 1001, 'Add item does not support user-chosen ID'),
  rule_syntax: app(400, 1002, 'Syntax error for rule'),
  multiple_rules: app(400, 1003, 'Received string representing more than 1 rule'),
  incomplete_simulate_args: app(400, 1004, 'Simulate requires parameters: query, sequence, action_policy'),
  simulate_without_policy: app(400, 1005, 'Simulate must be told which policy evaluate the query on'),
  sequence_syntax: app(400, 1006, 'Syntax error in sequence'),
  simulate_error: app(400, 1007, 'Error in simulate procedure'),
  rule_already_exists: app(409, 1008, 'Rule already exists'),
  schema_get_item_id: app(400, 1009, 'Get item for schema does not support user-chosen ID'),
  policy_name_must_be_provided: app(400, 1010, 'A name must be provided when creating a policy'),
  no_policy_update_owner: app(400, 1012, 'The policy owner_id cannot be updated'),
  no_policy_update_kind: app(400, 1013, 'The policy kind cannot be updated'),
  failed_to_create_policy: app(500, 1014, 'A new policy could not be created'),
  policy_id_must_not_be_provided: app(400, 1015, 'An ID may not be provided when creating a policy'),
  execute_error: app(400, 1016, 'Error in execution procedure'),
  service_action_syntax: app(400, 1017, 'Incorrect action syntax. Requires: <service>:<action>'),
  execute_action_args_syntax: app(
    400,
    1018,
    "Incorrect argument syntax. Requires: {'positional': [<args>], 'named': {<key>:<value>,}}",
  ),
  rule_not_permitted: app(400, 1019, 'Rules not permitted on non persisted policies.'),
  policy_not_exist: app(404, 1020, 'The specified policy does not exist.'),
  policy_rule_insertion_failure: app(400, 1021, 'The policy rule could not be inserted.'),
  policy_abbreviation_error: app(
    400,
    1022,
    'The policy abbreviation must be a string and the length of the string must be equal to or less than 5 characters.',
  ),
} as const satisfies Record<string, ErrorSpec>;

/** Name of a registered error. */
export type ApiErrorKey = keyof typeof API_ERRORS;

/** An error the API answers with; everything else becomes `internal`. */
export class ApiError extends Error {
  readonly spec: ErrorSpec;

  constructor(
    readonly key: ApiErrorKey,
    readonly detail: string | null = null,
    /** Congress's `error_data` (null on most errors). */
    readonly data: string | null = null,
  ) {
    const spec: ErrorSpec = API_ERRORS[key];
    super(renderMessage(spec, detail));
    this.spec = spec;
    this.name = 'ApiError';
  }

  get status(): number {
    return this.spec.status;
  }

  /** The body Congress answers errors with. */
  body(): { error: { message: string; error_code: number; error_data: string | null } } {
    return { error: { message: this.message, error_code: this.spec.code, error_data: this.data } };
  }
}

function renderMessage(spec: ErrorSpec, detail: string | null): string {
  if (spec.application === true) return detail === null || detail === '' ? spec.template : `${spec.template}::${detail}`;
  return spec.template.replace('{detail}', detail ?? '');
}

/** Where each engine-service error goes. */
const SERVICE_ERRORS: Record<EngineServiceErrorCode, ApiErrorKey> = {
  policy_not_found: 'not_found_detail',
  policy_delete_not_found: 'plain_not_found',
  system_policy: 'plain_bad_request', // D2: 400, not the original's 404
  policy_name_invalid: 'bad_request', // D1: 400, not 500
  library_policy_name_invalid: 'bad_request', // D1
  value_too_long: 'bad_request', // D19
  rule_not_found: 'not_found_detail', // D4: 404, not 400/1000
  table_not_found: 'not_found_detail',
  library_policy_not_found: 'plain_not_found', // D7
  execute_service_not_found: 'execute_error',
  execute_action_missing: 'execute_error',
};

/** Where each datalog-engine error code goes. */
const ENGINE_ERRORS: Record<EngineErrorCode, ApiErrorKey> = {
  rule_syntax: 'rule_syntax',
  multiple_rules: 'multiple_rules',
  rule_already_exists: 'rule_already_exists',
  rule_not_permitted: 'rule_not_permitted',
  policy_not_exist: 'policy_not_exist',
  simulate_error: 'simulate_error',
  policy_exists: 'plain_conflict',
  policy_name_invalid: 'bad_request', // D1
  policy_kind_invalid: 'bad_request', // D1
  system_policy: 'plain_bad_request', // D2
  table_not_found: 'not_found_detail',
  query_error: 'bad_request',
  datasource_name_in_use: 'plain_conflict',
  limit_exceeded: 'bad_request',
};

/**
 * The API error for anything a handler threw, or null for an unexpected error (a bug: the
 * caller logs it and answers `internal` without details).
 */
export function toApiError(err: unknown): ApiError | null {
  if (err instanceof ApiError) return err;
  if (err instanceof EngineServiceError) return new ApiError(SERVICE_ERRORS[err.code], err.detail, err.data);
  if (err instanceof PolicyError) {
    if (err.code !== null) return new ApiError(ENGINE_ERRORS[err.code], err.message);
    // Unnamed engine errors are user errors (D1: 400 rather than the original's 500).
    return new ApiError(err.type === 'NotFound' ? 'not_found_detail' : 'bad_request', err.message);
  }
  // The store's lock timeout (matched by name: the API layer does not import the store).
  if (err instanceof Error && err.name === 'LockTimeoutError') return new ApiError('service_unavailable', err.message);
  const db = databaseDownReason(err);
  if (db !== null) return new ApiError('service_unavailable', `The database is unavailable (${db}); retry the request`);
  return null;
}

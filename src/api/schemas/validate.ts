/**
 * Request bodies are declared as zod schemas: one declaration gives both the check and the JSON
 * Schema published in `/v1/openapi.json`, so the two cannot drift. Each check names the registry
 * error (errors.ts) a client gets when it fails; zod reports issues in the schema's key order,
 * so declaring fields in the original's order keeps which error wins when several are wrong.
 */
import type { z } from 'zod';
import type { JsonValue } from '../../datalog/json';
import { API_ERRORS, ApiError, type ApiErrorKey } from '../errors';
import type { ApiReply, ApiRequest, Handler, QuerySchema } from '../routing';

/** Separates the registry key from the detail inside an issue's message. */
const SEP = '\u0000';

/** What zod hands an `error` function; only the offending value is used. */
interface FailedCheck {
  readonly input?: unknown;
}

/**
 * A zod `error` option that makes a failed check answer with registry error `key`, with a detail
 * computed from the offending value when given. The pair travels in the issue's message, the
 * only thing zod lets every kind of check carry.
 */
export function answers(key: ApiErrorKey, detail?: (input: unknown) => string): { error: (iss: FailedCheck) => string } {
  return { error: (iss) => (detail === undefined ? key : `${key}${SEP}${detail(iss.input)}`) };
}

function isKey(s: string): s is ApiErrorKey {
  return Object.hasOwn(API_ERRORS, s);
}

/**
 * The error of the first issue. An untagged issue (a check declared without `answers`) still
 * answers 400 with zod's wording rather than a 500.
 */
function firstError(issues: readonly z.core.$ZodIssue[]): ApiError {
  const { message } = issues[0];
  const cut = message.indexOf(SEP);
  const key = cut < 0 ? message : message.slice(0, cut);
  if (!isKey(key)) return new ApiError('bad_request', message);
  return new ApiError(key, cut < 0 ? null : message.slice(cut + 1));
}

/** A body checked by `schema`, or the API error of its first failed check. */
export function validated<T>(schema: z.ZodType<T>, body: JsonValue): T {
  const r = schema.safeParse(body);
  if (!r.success) throw firstError(r.error.issues);
  return r.data;
}

/** A handler whose body `schema` describes in the OpenAPI document (the handler checks it). */
export function describedBy(schema: z.ZodType, handler: (req: ApiRequest) => Promise<ApiReply>): Handler {
  return Object.assign(handler, { requestBody: schema });
}

/** A creation or replacement handler: content type checked (§1.3), then the body by `schema`. */
export function withBody<T>(schema: z.ZodType<T>, fn: (req: ApiRequest, body: T) => Promise<ApiReply>): Handler {
  return describedBy(schema, (req) => fn(req, validated(schema, req.json())));
}

/** An action handler: the body is parsed without a content-type check (as upstream), then checked. */
export function withActionBody<T>(schema: z.ZodType<T>, fn: (req: ApiRequest, body: T) => Promise<ApiReply>): Handler {
  return describedBy(schema, (req) => fn(req, validated(schema, req.actionJson())));
}

/** Query parameters as a record; `ApiRequest.query` already holds one (the last) value per name. */
function queryRecord(params: URLSearchParams): Record<string, string> {
  return Object.fromEntries(params);
}

/** An action handler that also reads query parameters, checked and published by `query`. */
export function withActionBodyAndQuery<T, Q>(
  schema: z.ZodType<T>,
  query: z.ZodType<Q> & QuerySchema,
  fn: (req: ApiRequest, body: T, query: Q) => Promise<ApiReply>,
): Handler {
  const handler = withActionBody(schema, (req, body) => fn(req, body, validated(query, queryRecord(req.query))));
  return Object.assign(handler, { query });
}

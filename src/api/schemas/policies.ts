/** Bodies of `POST /v1/policies` and of library policies (api.md §4.3, §11). */
import { z } from 'zod';
import { type JsonValue } from '../../datalog/json';
import { parsePolicyWithRules, policyWithRulesSchema } from '../../services/engine/library-schema';
import type { LibraryPolicySpec } from '../../services/engine/types';
import { ApiError } from '../errors';
import { truthy } from './python';
import { optionalText, requiredText } from './fields';
import { answers } from './validate';

const nameMissing = answers('policy_name_must_be_provided');
const badAbbreviation = answers('policy_abbreviation_error');

/**
 * An empty policy (§4.3 a), checked in the original's order: the name, then the abbreviation.
 * Non-objects (and D13's `null`) have no name. A falsy abbreviation (`""`, `0`, `[]`…) is no
 * abbreviation, as the original's truthiness test reads it.
 */
/**
 * A truthy abbreviation must be a string of at most 5 characters. A false value means none,
 * except `""`, which the original passes on and stores as the abbreviation.
 */
const abbreviationField = z
  .preprocess((v) => (v === '' || truthy(v as JsonValue | undefined) ? v : undefined), z.string(badAbbreviation).max(5, badAbbreviation).optional())
  .meta({ description: 'at most 5 characters; `""` is kept; another false value (`0`, `null`) means none' });

export const emptyPolicyBody = z.object(
  {
    name: requiredText(nameMissing),
    abbreviation: abbreviationField,
    description: optionalText,
    kind: optionalText,
    // Never checked here (a body with `rules` is read by the other schema): it makes the
    // published alternatives of `policyCreateBody` exclusive.
    rules: z.never().optional(),
  },
  nameMissing,
);

/**
 * What the original checks of a policy with rules before its JSON schema: a `name` key, then the
 * abbreviation as for an empty policy (so a long abbreviation is 1022, not a schema violation).
 */
export const policyWithRulesPrecheck = z.object(
  {
    name: z.unknown().refine((v) => v !== undefined, nameMissing),
    abbreviation: abbreviationField,
  },
  nameMissing,
);

/**
 * A policy or library policy given with its rules: the original's JSON schema (shared with
 * library files read at start). Its violations are one error, schema_violation, whose
 * `error_data` lists them all in the validator's words.
 */
export function policyWithRules(body: JsonValue): LibraryPolicySpec {
  const parsed = parsePolicyWithRules(body);
  if (!parsed.ok) throw new ApiError('schema_violation', null, parsed.error);
  return parsed.spec;
}

export { policyWithRulesSchema };

/** With `?library_policy=<id>` the body must be empty (a falsy JSON value such as `{}`). */
export const fromLibraryBody = z
  .unknown()
  .refine(
    (v) => !truthy(v as JsonValue | undefined),
    answers('plain_bad_request', () => 'Policy creation request with `library_policy` parameter must not have non-empty body.'),
  );

/** What `POST /v1/policies` accepts, as published: a body with `rules` or an empty policy. */
export const policyCreateBody = z
  .union([policyWithRulesSchema, emptyPolicyBody])
  .meta({ description: 'A policy with `rules` (checked against the library schema), or an empty policy. With `?library_policy=<id>` the body must be empty (`{}`).' });

/**
 * The shape of a policy given with its rules: the original's JSON schema for library policies,
 * also applied to `POST /v1/policies` bodies with `rules` and to library files read at start.
 */
import { z } from 'zod';
import { plainJson, type JsonValue } from '../../datalog/json';
import type { LibraryPolicySpec } from './types';

const text255 = z.string().max(255);

/** Policy kinds the schema admits (the engine may still refuse some, e.g. `z3`). */
export const SCHEMA_KINDS = ['database', 'nonrecursive', 'action', 'z3', 'materialized', 'delta', 'datasource'] as const;

/** The policy-with-rules schema; unknown keys are ignored, as JSON schema does by default. */
export const policyWithRulesSchema = z.object({
  name: z.string().min(1).max(255),
  description: z.string().optional(),
  kind: z.enum(SCHEMA_KINDS).optional(),
  abbreviation: z.string().min(1).max(5).optional(),
  rules: z.array(
    z.looseObject({
      rule: z.string(),
      name: text255.optional(),
      comment: text255.optional(),
    }),
  ),
});

/** Validates a policy-with-rules document; the error text is the validator's, for `error_data`. */
export function parsePolicyWithRules(doc: unknown): { ok: true; spec: LibraryPolicySpec } | { ok: false; error: string } {
  const r = policyWithRulesSchema.safeParse(doc);
  if (!r.success) {
    const error = r.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ` : '') + i.message).join('; ');
    return { ok: false, error };
  }
  const d = r.data;
  // Rules keep exactly the keys they were given, unknown ones too (library policies echo them
  // back unchanged, observed).
  const rules = d.rules.map(({ rule, name, comment, ...others }) => ({
    ...Object.fromEntries(Object.entries(others).map(([k, v]) => [k, plainJson(v as JsonValue)])),
    rule,
    ...(name !== undefined ? { name } : {}),
    ...(comment !== undefined ? { comment } : {}),
  }));
  return {
    ok: true,
    spec: { name: d.name, description: d.description, kind: d.kind, abbreviation: d.abbreviation, rules },
  };
}

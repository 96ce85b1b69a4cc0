/** Field schemas shared by the request bodies, with the original's coercions. */
import { z } from 'zod';
import type { JsonValue } from '../../datalog/json';
import { pyStr } from './python';

/**
 * Any JSON value. Bodies come from the JSON reader (request-body.ts), so every value already
 * is a `JsonValue`; the cast only tells the compiler so. Publishes as `{}` (anything).
 */
export const anyJson: z.ZodType<JsonValue> = z.unknown().transform((v) => v as JsonValue);

/** A value the original passes through Python's `str()`; absent and `null` read as null. */
export const optionalText = z
  .unknown()
  .optional()
  .transform((v) => (v === undefined || v === null ? null : pyStr(v as JsonValue)))
  .meta({ description: 'any JSON value, read as Python str() prints it; null = absent' });

/** A required value read through `str()`; absent and `null` fail with `error`. */
export function requiredText(error: { error: (iss: { input?: unknown }) => string }): z.ZodType<string> {
  return z
    .unknown()
    .refine((v) => v !== undefined && v !== null, error)
    .transform((v) => pyStr(v as JsonValue))
    .meta({ description: 'any JSON value but null, read as Python str() prints it' });
}

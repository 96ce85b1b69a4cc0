/**
 * A checker for the part of JSON Schema (OpenAPI 3.0 dialect) that `/v1/openapi.json` uses, so
 * tests can hold a body against the published document without a validator dependency.
 */

/** A JSON Schema node as the document carries it. */
export interface Schema {
  readonly type?: string;
  readonly nullable?: boolean;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: Schema | boolean;
  readonly items?: Schema;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly Schema[];
  readonly not?: Schema;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeMatches(type: string, v: unknown): boolean {
  if (type === 'object') return isObject(v);
  if (type === 'array') return Array.isArray(v);
  if (type === 'integer') return Number.isInteger(v);
  return typeof v === type;
}

/** Whether `value` conforms to `schema`. */
export function conforms(schema: Schema, value: unknown): boolean {
  if (value === null && schema.nullable === true) return true;
  if (schema.anyOf !== undefined && !schema.anyOf.some((s) => conforms(s, value))) return false;
  if (schema.not !== undefined && conforms(schema.not, value)) return false;
  if (schema.type !== undefined && !typeMatches(schema.type, value)) return false;
  if (schema.enum !== undefined && !schema.enum.includes(value)) return false;
  if (typeof value === 'string') {
    if (value.length < (schema.minLength ?? 0) || value.length > (schema.maxLength ?? Infinity)) return false;
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) return false;
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    const items = schema.items;
    if (!value.every((v) => conforms(items, v))) return false;
  }
  if (isObject(value)) {
    if (!(schema.required ?? []).every((k) => k in value)) return false;
    for (const [k, v] of Object.entries(value)) {
      const s = schema.properties?.[k] ?? schema.additionalProperties;
      if (s === false) return false;
      if (typeof s === 'object' && !conforms(s, v)) return false;
    }
  }
  return true;
}

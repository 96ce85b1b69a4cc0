/**
 * Driver options: their declaration (which feeds the driver info's `config` map and `secret`
 * list), validation of a datasource's config against them (spec §1.3 steps 3–4), and strict
 * parsers for the options the framework itself reads.
 */
import type { JsonValue } from '../../../bus/json';
import type { DatasourceConfig } from '../../../db';
import { errors } from '../errors';

/** The marker strings of the driver info's `config` map. */
export type ConfigMarker = 'required' | '(optional)';

/** One accepted config key. */
export interface ConfigOption {
  readonly name: string;
  readonly required: boolean;
  /** Encrypted at rest and masked as `<hidden>` in every description. */
  readonly secret?: boolean;
  /** Listed in the `config` map (the original's keys). False for additions that are only accepted. */
  readonly listed?: boolean;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'list' | 'object' | 'any';
  readonly default?: JsonValue;
  readonly description?: string;
}

/** `config_schema` entry of the driver info (an addition the spec recommends). */
export interface ConfigSchemaEntry {
  readonly required: boolean;
  readonly secret: boolean;
  readonly type: string;
  readonly default?: JsonValue;
  readonly description?: string;
}

/** The `config` map of the driver info. */
export function configMap(options: readonly ConfigOption[]): Record<string, ConfigMarker> {
  const out: Record<string, ConfigMarker> = {};
  for (const o of options) if (o.listed !== false) out[o.name] = o.required ? 'required' : '(optional)';
  return out;
}

/** The `config_schema` of the driver info: every accepted key with its type. */
export function configSchema(options: readonly ConfigOption[]): Record<string, ConfigSchemaEntry> {
  const out: Record<string, ConfigSchemaEntry> = {};
  for (const o of options) {
    const entry: { required: boolean; secret: boolean; type: string; default?: JsonValue; description?: string } = { required: o.required, secret: o.secret === true, type: o.type };
    if (o.default !== undefined) entry.default = o.default;
    if (o.description !== undefined) entry.description = o.description;
    out[o.name] = entry;
  }
  return out;
}

/** Names of the secret options. */
export function secretNames(options: readonly ConfigOption[]): string[] {
  return options.filter((o) => o.secret === true).map((o) => o.name);
}

/**
 * Rejects unknown keys, then missing required ones. A missing `project_name` is excused when
 * `tenant_name` is given, as in the original.
 */
export function checkConfigKeys(options: readonly ConfigOption[], config: DatasourceConfig): void {
  const known = new Set(options.map((o) => o.name));
  const unknown = Object.keys(config).filter((k) => !known.has(k));
  if (unknown.length > 0) throw errors.invalidOptions(unknown);
  const missing = options
    .filter((o) => o.required && config[o.name] === undefined)
    .filter((o) => !(o.name === 'project_name' && config.tenant_name !== undefined))
    .map((o) => o.name);
  if (missing.length > 0) throw errors.missingOptions(missing);
}

/** `poll_time`: a non-negative integer (number or digit string); default 10 s. */
export function parsePollTime(value: unknown, fallback = 10): number {
  if (value === undefined || value === null) return fallback;
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw errors.invalidValue(`poll_time must be a non-negative integer number of seconds, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** `request_timeout`: seconds per upstream request, a positive number; default 30. */
export function parseRequestTimeout(value: unknown, fallback = 30): number {
  if (value === undefined || value === null) return fallback;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) {
    throw errors.invalidValue(`request_timeout must be a positive number of seconds, got ${JSON.stringify(value)}`);
  }
  return n;
}

const TRUE_WORDS = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE_WORDS = ['0', 'f', 'false', 'off', 'n', 'no'];

/** A boolean option: a boolean or one of oslo's boolean words, any case; a 400 naming it otherwise. */
export function parseBooleanOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  const word = String(value).trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  throw errors.invalidValue(`${name} must be a boolean (true/false, yes/no, on/off, 1/0), got ${JSON.stringify(value)}`);
}

/** `persist_data`: a boolean or one of oslo's boolean words. */
export function parsePersistData(value: unknown, fallback: boolean): boolean {
  return parseBooleanOption('persist_data', value, fallback);
}

/** `lazy_tables`: a list of root table names of this driver. */
export function parseLazyTables(value: unknown, roots: readonly string[], datasource: string): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  const bad = list.filter((t) => typeof t !== 'string' || !roots.includes(t));
  if (!Array.isArray(value) || bad.length > 0) {
    throw errors.invalidValue(`Invalid lazy tables: ${JSON.stringify(bad.length > 0 ? bad : value)}. Accepted tables for datasource ${datasource} are ${JSON.stringify(roots)}`);
  }
  return list as string[];
}

/** A string option, or a 400 naming it. */
export function stringOption(config: DatasourceConfig, name: string, fallback?: string): string {
  const v = config[name];
  if (v === undefined || v === null) {
    if (fallback !== undefined) return fallback;
    throw errors.missingOptions([name]);
  }
  if (typeof v !== 'string' && typeof v !== 'number') throw errors.invalidValue(`${name} must be a string`);
  return String(v);
}

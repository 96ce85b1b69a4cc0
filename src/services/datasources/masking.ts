/**
 * Datasource descriptions as the API returns them (spec §1.2, §8.3): secrets replaced by
 * `<hidden>` in every description, only for keys that are present, and a null config kept null.
 */
import type { JsonValue } from '../../bus/json';
import type { DatasourceConfig, DatasourceRecord } from '../../db';

/** The mask shown instead of a secret. */
export const HIDDEN = '<hidden>';

/** `{"id", "name", "driver", "description", "type": null, "enabled", "config"}`. */
export interface DatasourceDict {
  readonly id: string;
  readonly name: string;
  readonly driver: string | null;
  readonly description: string | null;
  readonly type: null;
  readonly enabled: boolean;
  readonly config: { [key: string]: JsonValue } | null;
}

/** A copy of `config` with the listed secret keys (when present) masked. */
export function maskConfig(config: DatasourceConfig | null, secrets: readonly string[]): { [key: string]: JsonValue } | null {
  if (config === null) return null;
  const out: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(config)) out[k] = secrets.includes(k) ? HIDDEN : (v as JsonValue);
  return out;
}

/** The API's datasource dict with secrets masked (the driver's secrets and whatever is encrypted). */
export function datasourceDict(record: DatasourceRecord, driverSecrets: readonly string[]): DatasourceDict {
  const secrets = [...new Set([...driverSecrets, ...record.encryptedFields])];
  return {
    id: record.id,
    name: record.name,
    driver: record.driver,
    description: record.description,
    type: null,
    enabled: record.enabled,
    config: maskConfig(record.config, secrets),
  };
}

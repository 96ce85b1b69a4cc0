/**
 * Datasources, in `datasources` (hard delete). `config` is JSON text; each secret field is
 * encrypted and the names of the encrypted fields are listed under `__encrypted_fields`, as the
 * original stores them, so rows move between the original and Congress-TS unchanged.
 */
import { CorruptRowError, DuplicateError, StoreUsageError } from '../errors';
import type { SecretCipher } from '../secrets';
import { classifyError, duplicateKeyField, type Row } from '../sql/executor';
import type { DatasourceConfig, DatasourcePatch, DatasourceRecord, NewDatasource } from '../store';
import { bool, int, text, textOrNull } from './columns';
import { newId, type RepoContext } from './context';
import { removeTableData } from './table-data';

const COLUMNS = 'id, name, driver, config, description, enabled, revision';
const ENCRYPTED_FIELDS_KEY = '__encrypted_fields';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Serialises a config for storage, encrypting the secret fields present in it. */
export async function encodeConfig(
  cipher: SecretCipher,
  config: DatasourceConfig | null | undefined,
  secretFields: readonly string[],
): Promise<string> {
  if (config === null || config === undefined) return 'null';
  if (ENCRYPTED_FIELDS_KEY in config) {
    throw new StoreUsageError(`datasource config must not contain the reserved key ${ENCRYPTED_FIELDS_KEY}`);
  }
  const stored: Record<string, unknown> = { ...config };
  const encrypted: string[] = [];
  for (const field of secretFields) {
    const value = stored[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw new StoreUsageError(`secret config field ${field} must be a string`);
    stored[field] = await cipher.encrypt(value);
    encrypted.push(field);
  }
  if (encrypted.length > 0) stored[ENCRYPTED_FIELDS_KEY] = encrypted;
  return JSON.stringify(stored);
}

async function decodeConfig(
  cipher: SecretCipher,
  row: Row,
): Promise<{ config: DatasourceConfig | null; encryptedFields: string[] }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text(row, 'config'));
  } catch (err) {
    throw new CorruptRowError('datasources', text(row, 'id'), (err as Error).message);
  }
  if (parsed === null) return { config: null, encryptedFields: [] };
  if (!isPlainObject(parsed)) throw new CorruptRowError('datasources', text(row, 'id'), 'config is not an object');
  const listed = parsed[ENCRYPTED_FIELDS_KEY];
  if (listed === undefined) return { config: parsed, encryptedFields: [] };
  const config: Record<string, unknown> = { ...parsed };
  delete config[ENCRYPTED_FIELDS_KEY];
  const encryptedFields = Array.isArray(listed) ? listed.filter((f): f is string => typeof f === 'string') : [];
  for (const field of encryptedFields) {
    const value = config[field];
    if (typeof value === 'string') config[field] = await cipher.decrypt(value);
  }
  return { config, encryptedFields };
}

/** Maps a `datasources` row (or a logged copy), decrypting its secrets. */
export async function datasourceFromRow(cipher: SecretCipher, row: Row): Promise<DatasourceRecord> {
  const { config, encryptedFields } = await decodeConfig(cipher, row);
  return {
    id: text(row, 'id'),
    name: text(row, 'name'),
    driver: textOrNull(row, 'driver'),
    description: textOrNull(row, 'description'),
    enabled: bool(row, 'enabled'),
    config,
    encryptedFields,
    revision: int(row, 'revision'),
  };
}

function duplicate(err: unknown, id: string, name: string): Error {
  const field = duplicateKeyField(err);
  return new DuplicateError('datasource', field, field === 'id' ? id : name);
}

/** Inserts a datasource row. */
export async function insertDatasource(ctx: RepoContext, ds: NewDatasource): Promise<DatasourceRecord> {
  const config = await encodeConfig(ctx.cipher, ds.config, ds.secretFields ?? []);
  const revision = await ctx.writeRevision();
  const row = {
    id: ds.id ?? newId(),
    name: ds.name,
    driver: ds.driver,
    config,
    description: ds.description ?? null,
    enabled: ds.enabled ?? true,
    revision,
  };
  try {
    await ctx.sql.execute(`INSERT INTO datasources (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
      row.id,
      row.name,
      row.driver,
      row.config,
      row.description,
      row.enabled,
      row.revision,
    ]);
  } catch (err) {
    if (classifyError(err) === 'duplicate') throw duplicate(err, row.id, row.name);
    throw err;
  }
  await ctx.logChange({ objectType: 'datasource', action: 'created', objectId: row.id, objectName: row.name, row });
  return datasourceFromRow(ctx.cipher, row);
}

async function rawByNameOrId(ctx: RepoContext, nameOrId: string): Promise<Row | null> {
  const byName = await ctx.sql.select(`SELECT ${COLUMNS} FROM datasources WHERE name = ?`, [nameOrId]);
  if (byName.length > 0) return byName[0];
  const byId = await ctx.sql.select(`SELECT ${COLUMNS} FROM datasources WHERE id = ?`, [nameOrId]);
  return byId.length > 0 ? byId[0] : null;
}

/** A datasource by name, else by id. */
export async function findDatasource(ctx: RepoContext, nameOrId: string): Promise<DatasourceRecord | null> {
  const row = await rawByNameOrId(ctx, nameOrId);
  return row ? datasourceFromRow(ctx.cipher, row) : null;
}

/** Every datasource, by name. */
export async function allDatasources(ctx: RepoContext): Promise<DatasourceRecord[]> {
  const rows = await ctx.sql.select(`SELECT ${COLUMNS} FROM datasources ORDER BY name, id`);
  const result: DatasourceRecord[] = [];
  for (const row of rows) result.push(await datasourceFromRow(ctx.cipher, row));
  return result;
}

/** Changes some fields of a datasource. */
export async function changeDatasource(
  ctx: RepoContext,
  id: string,
  patch: DatasourcePatch,
): Promise<DatasourceRecord | null> {
  const config = patch.config === undefined ? undefined : await encodeConfig(ctx.cipher, patch.config, patch.secretFields ?? []);
  const revision = await ctx.writeRevision();
  const rows = await ctx.sql.select(`SELECT ${COLUMNS} FROM datasources WHERE id = ?`, [id]);
  if (rows.length === 0) return null;
  const current = rows[0];
  const row = {
    ...current,
    driver: patch.driver === undefined ? textOrNull(current, 'driver') : patch.driver,
    description: patch.description === undefined ? textOrNull(current, 'description') : patch.description,
    enabled: patch.enabled === undefined ? bool(current, 'enabled') : patch.enabled,
    config: config ?? text(current, 'config'),
    revision,
  };
  await ctx.sql.execute('UPDATE datasources SET driver = ?, description = ?, enabled = ?, config = ?, revision = ? WHERE id = ?', [
    row.driver,
    row.description,
    row.enabled,
    row.config,
    revision,
    id,
  ]);
  await ctx.logChange({ objectType: 'datasource', action: 'updated', objectId: id, objectName: textOrNull(row, 'name'), row });
  return datasourceFromRow(ctx.cipher, row);
}

/** Deletes a datasource (by name, else id) together with its pushed table data. */
export async function removeDatasource(ctx: RepoContext, nameOrId: string): Promise<DatasourceRecord | null> {
  if (ctx.locked) throw new StoreUsageError('deleting a datasource deletes its pushed data, which the table lock does not cover');
  if (!(await rawByNameOrId(ctx, nameOrId))) return null;
  const revision = await ctx.writeRevision();
  const row = await rawByNameOrId(ctx, nameOrId);
  if (!row) return null;
  const id = text(row, 'id');
  await ctx.sql.execute('DELETE FROM datasources WHERE id = ?', [id]);
  await removeTableData(ctx, id);
  const deleted = { ...row, revision };
  await ctx.logChange({ objectType: 'datasource', action: 'deleted', objectId: id, objectName: textOrNull(row, 'name'), row: deleted });
  return datasourceFromRow(ctx.cipher, deleted);
}

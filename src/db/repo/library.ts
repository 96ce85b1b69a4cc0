/**
 * Library policies, in `library_policies` (hard delete): templates whose rules are stored as a
 * JSON list and returned with exactly the keys they were given.
 */
import { CorruptRowError, DuplicateError, StoreUsageError } from '../errors';
import { classifyError, duplicateKeyField, type Row } from '../sql/executor';
import type { LibraryPolicyRecord, LibraryRule, NewLibraryPolicy, StoredJson } from '../store';
import { int, text } from './columns';
import { defaultAbbreviation, newId, type RepoContext } from './context';

const COLUMNS = 'id, name, abbreviation, description, kind, rules, revision';

function assertUnlocked(ctx: RepoContext): void {
  if (ctx.locked) throw new StoreUsageError('library policies cannot be used under the table lock');
}

function encodeRules(rules: readonly LibraryRule[]): string {
  // Keys whose value is undefined are left out by JSON itself.
  return JSON.stringify(rules);
}

function decodeRules(row: Row): LibraryRule[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text(row, 'rules'));
  } catch (err) {
    throw new CorruptRowError('library_policies', text(row, 'id'), (err as Error).message);
  }
  if (!Array.isArray(parsed)) throw new CorruptRowError('library_policies', text(row, 'id'), 'rules is not a list');
  return parsed.map((item: unknown): LibraryRule => {
    if (typeof item !== 'object' || item === null || typeof (item as { rule?: unknown }).rule !== 'string') {
      throw new CorruptRowError('library_policies', text(row, 'id'), 'a rule has no text');
    }
    const { rule, name, comment, ...others } = item as { rule: string; name?: unknown; comment?: unknown; [other: string]: unknown };
    return {
      ...(others as Record<string, StoredJson>),
      rule,
      ...(typeof name === 'string' ? { name } : {}),
      ...(typeof comment === 'string' ? { comment } : {}),
    };
  });
}

/** Maps a `library_policies` row (or a logged copy). */
export function libraryPolicyFromRow(row: Row): LibraryPolicyRecord {
  return {
    id: text(row, 'id'),
    name: text(row, 'name'),
    abbreviation: text(row, 'abbreviation'),
    description: text(row, 'description'),
    kind: text(row, 'kind'),
    rules: decodeRules(row),
    revision: int(row, 'revision'),
  };
}

function rowFor(id: string, policy: NewLibraryPolicy, revision: number) {
  return {
    id,
    name: policy.name,
    abbreviation: policy.abbreviation ?? defaultAbbreviation(policy.name),
    description: policy.description ?? '',
    kind: policy.kind ?? 'nonrecursive',
    rules: encodeRules(policy.rules),
    revision,
  };
}

function duplicate(err: unknown, id: string, name: string): Error {
  const field = duplicateKeyField(err);
  return new DuplicateError('library_policy', field, field === 'id' ? id : name);
}

/** Inserts a library policy. */
export async function insertLibraryPolicy(ctx: RepoContext, policy: NewLibraryPolicy): Promise<LibraryPolicyRecord> {
  assertUnlocked(ctx);
  const row = rowFor(policy.id ?? newId(), policy, await ctx.writeRevision());
  try {
    await ctx.sql.execute(`INSERT INTO library_policies (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
      row.id,
      row.name,
      row.abbreviation,
      row.description,
      row.kind,
      row.rules,
      row.revision,
    ]);
  } catch (err) {
    if (classifyError(err) === 'duplicate') throw duplicate(err, row.id, row.name);
    throw err;
  }
  await ctx.logChange({ objectType: 'library_policy', action: 'created', objectId: row.id, objectName: row.name, row });
  return libraryPolicyFromRow(row);
}

async function rawLibraryPolicy(ctx: RepoContext, column: 'id' | 'name', value: string): Promise<Row | null> {
  const rows = await ctx.sql.select(`SELECT ${COLUMNS} FROM library_policies WHERE ${column} = ?`, [value]);
  return rows.length > 0 ? rows[0] : null;
}

/** A library policy by id or by name. */
export async function findLibraryPolicy(
  ctx: RepoContext,
  column: 'id' | 'name',
  value: string,
): Promise<LibraryPolicyRecord | null> {
  assertUnlocked(ctx);
  const row = await rawLibraryPolicy(ctx, column, value);
  return row ? libraryPolicyFromRow(row) : null;
}

/** Every library policy, by name. */
export async function allLibraryPolicies(ctx: RepoContext): Promise<LibraryPolicyRecord[]> {
  assertUnlocked(ctx);
  const rows = await ctx.sql.select(`SELECT ${COLUMNS} FROM library_policies ORDER BY name`);
  return rows.map(libraryPolicyFromRow);
}

/** Replaces the content of a library policy, keeping its id. */
export async function replaceLibraryPolicy(
  ctx: RepoContext,
  id: string,
  policy: NewLibraryPolicy,
): Promise<LibraryPolicyRecord | null> {
  assertUnlocked(ctx);
  if (!(await rawLibraryPolicy(ctx, 'id', id))) return null;
  const row = rowFor(id, policy, await ctx.writeRevision());
  try {
    const changed = await ctx.sql.execute(
      'UPDATE library_policies SET name = ?, abbreviation = ?, description = ?, kind = ?, rules = ?, revision = ? WHERE id = ?',
      [row.name, row.abbreviation, row.description, row.kind, row.rules, row.revision, id],
    );
    if (changed === 0) return null;
  } catch (err) {
    if (classifyError(err) === 'duplicate') throw duplicate(err, row.id, row.name);
    throw err;
  }
  await ctx.logChange({ objectType: 'library_policy', action: 'replaced', objectId: id, objectName: row.name, row });
  return libraryPolicyFromRow(row);
}

/** Deletes one library policy. */
export async function removeLibraryPolicy(ctx: RepoContext, id: string): Promise<LibraryPolicyRecord | null> {
  assertUnlocked(ctx);
  if (!(await rawLibraryPolicy(ctx, 'id', id))) return null;
  const revision = await ctx.writeRevision();
  const row = await rawLibraryPolicy(ctx, 'id', id);
  if (!row) return null;
  await ctx.sql.execute('DELETE FROM library_policies WHERE id = ?', [id]);
  const deleted = { ...row, revision };
  await ctx.logChange({ objectType: 'library_policy', action: 'deleted', objectId: id, objectName: text(row, 'name'), row: deleted });
  return libraryPolicyFromRow(deleted);
}

/** Deletes every library policy. */
export async function removeAllLibraryPolicies(ctx: RepoContext): Promise<number> {
  assertUnlocked(ctx);
  const rows = await ctx.sql.select(`SELECT id FROM library_policies ORDER BY name`);
  let count = 0;
  for (const row of rows) if (await removeLibraryPolicy(ctx, text(row, 'id'))) count += 1;
  return count;
}

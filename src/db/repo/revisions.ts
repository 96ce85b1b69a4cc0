/**
 * The global revision (`congress_revision`, one row) and the change log (`congress_changes`).
 * Writers bump the revision before their first write, so they queue on that row lock and
 * commit in revision order: a reader that sees revision N also sees every change up to N.
 */
import { CorruptRowError } from '../errors';
import type { SecretCipher } from '../secrets';
import type { Row, Sql } from '../sql/executor';
import type { Change, ChangeSet } from '../store';
import { int, text } from './columns';
import { type ChangeEntry, utcNow } from './context';
import { datasourceFromRow } from './datasources';
import { libraryPolicyFromRow } from './library';
import { policyFromRow } from './policies';
import { ruleFromRow } from './rules';

/** Increments the global revision and returns the new value (holding its row lock). */
export async function bumpRevision(sql: Sql): Promise<number> {
  if (sql.dialect === 'mysql') {
    // Every write pays for this: the new value comes back with the UPDATE's own reply.
    const revision = await sql.executeForId('UPDATE congress_revision SET revision = LAST_INSERT_ID(revision + 1) WHERE id = 1');
    if (revision === 0) throw new CorruptRowError('congress_revision', '1', 'the revision row is missing');
    return revision;
  }
  await sql.execute('UPDATE congress_revision SET revision = revision + 1 WHERE id = 1');
  return (await readRevision(sql)).revision;
}

/** Takes the revision row's write lock without bumping it (MySQL; held until commit). */
export async function lockRevisionRow(sql: Sql): Promise<void> {
  await sql.select('SELECT revision FROM congress_revision WHERE id = 1 FOR UPDATE');
}

/** The global revision and how far the change log has been pruned. */
export async function readRevision(sql: Sql): Promise<{ revision: number; prunedThrough: number }> {
  const rows = await sql.select('SELECT revision, pruned_through FROM congress_revision WHERE id = 1');
  if (rows.length === 0) throw new CorruptRowError('congress_revision', '1', 'the revision row is missing');
  return { revision: int(rows[0], 'revision'), prunedThrough: int(rows[0], 'pruned_through') };
}

/** Appends one change under `revision`. */
export function appendChange(sql: Sql, revision: number, seq: number, entry: ChangeEntry): void {
  // Nothing reads the log entry back in the writing transaction: it can ride on the COMMIT.
  sql.executeLater(
    'INSERT INTO congress_changes (revision, seq, object_type, action, object_id, object_name, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [revision, seq, entry.objectType, entry.action, entry.objectId, entry.objectName, JSON.stringify(entry.row), utcNow()],
  );
}

async function decodeChange(cipher: SecretCipher, row: Row): Promise<Change> {
  const revision = int(row, 'revision');
  const where = `${revision}/${int(row, 'seq')}`;
  let payload: unknown;
  try {
    payload = JSON.parse(text(row, 'payload'));
  } catch (err) {
    throw new CorruptRowError('congress_changes', where, (err as Error).message);
  }
  if (typeof payload !== 'object' || payload === null) throw new CorruptRowError('congress_changes', where, 'no object');
  return changeOf(cipher, revision, `${text(row, 'object_type')}.${text(row, 'action')}`, payload as Row, where);
}

/** The change a transaction wrote, as a replica would read it back from the log. */
export function writtenChange(cipher: SecretCipher, revision: number, entry: ChangeEntry): Promise<Change> {
  return changeOf(cipher, revision, `${entry.objectType}.${entry.action}`, entry.row, `${revision} (written)`);
}

async function changeOf(cipher: SecretCipher, revision: number, type: string, object: Row, where: string): Promise<Change> {
  switch (type) {
    case 'policy.created':
    case 'policy.deleted':
      return { revision, type, policy: policyFromRow(object) };
    case 'rule.created':
    case 'rule.deleted':
      return { revision, type, rule: ruleFromRow(object) };
    case 'datasource.created':
    case 'datasource.updated':
    case 'datasource.deleted':
      return { revision, type, datasource: await datasourceFromRow(cipher, object) };
    case 'library_policy.created':
    case 'library_policy.replaced':
    case 'library_policy.deleted':
      return { revision, type, libraryPolicy: libraryPolicyFromRow(object) };
    default:
      throw new CorruptRowError('congress_changes', where, `unknown change ${type}`);
  }
}

/**
 * Changes after `after`, up to the current revision, in one statement: a replica reads this
 * twice per write (inside the lock and after the commit) and on every sync, so the revision row
 * and the changes come in one round trip. One statement reads one consistent state, and writers
 * commit in revision order, so every change up to the revision it sees is there.
 */
export async function readChanges(sql: Sql, cipher: SecretCipher, after: number): Promise<ChangeSet> {
  const rows = await sql.select(
    // No table aliases: under MySQL's LOCK TABLES a statement may name only the locked names.
    'SELECT congress_revision.revision AS head, pruned_through AS pruned, congress_changes.revision, seq, object_type, action, payload ' +
      'FROM congress_revision LEFT JOIN congress_changes ON congress_changes.revision > ? ' +
      'AND congress_changes.revision <= congress_revision.revision AND pruned_through <= ? ' +
      'WHERE congress_revision.id = 1 ORDER BY congress_changes.revision, seq',
    [after, after],
  );
  if (rows.length === 0) throw new CorruptRowError('congress_revision', '1', 'the revision row is missing');
  const revision = int(rows[0], 'head');
  if (after < int(rows[0], 'pruned') || after > revision) {
    return { fromRevision: after, toRevision: revision, complete: false, changes: [] };
  }
  const changes: Change[] = [];
  // Without changes the join gives one row of the revision alone.
  for (const row of rows) if (row.revision !== null) changes.push(await decodeChange(cipher, row));
  return { fromRevision: after, toRevision: revision, complete: true, changes };
}

/** Deletes logged changes up to `through` and records that the log now starts after it. */
export async function pruneChanges(sql: Sql, through: number): Promise<number> {
  const { revision, prunedThrough } = await readRevision(sql);
  const limit = Math.min(through, revision);
  if (limit <= prunedThrough) return 0;
  const deleted = await sql.execute('DELETE FROM congress_changes WHERE revision <= ?', [limit]);
  // Only forwards: two nodes pruning at once must not move the mark back below what the other
  // deleted, or a replica would take an incomplete log for a complete one.
  await sql.execute('UPDATE congress_revision SET pruned_through = ? WHERE id = 1 AND pruned_through < ?', [limit, limit]);
  return deleted;
}

/** The newest revision logged before `createdBefore` (`YYYY-MM-DD HH:MM:SS` UTC), 0 if none. */
export async function lastRevisionLoggedBefore(sql: Sql, createdBefore: string): Promise<number> {
  const rows = await sql.select('SELECT MAX(revision) AS revision FROM congress_changes WHERE created_at < ?', [createdBefore]);
  return rows.length === 0 || rows[0].revision === null ? 0 : int(rows[0], 'revision');
}

/**
 * What a repository function gets: a connection (possibly inside a transaction), the secret
 * cipher, and, in a writing transaction, the revision and change log of that transaction.
 */
import crypto from 'node:crypto';
import type { StoredKind } from '../errors';
import type { SecretCipher } from '../secrets';
import type { Row, Sql } from '../sql/executor';
import type { Change } from '../store';

/** What happened to a logged object. */
export type ChangeAction = 'created' | 'deleted' | 'updated' | 'replaced';

/** One entry of the change log, before it gets its revision and sequence number. */
export interface ChangeEntry {
  readonly objectType: StoredKind;
  readonly action: ChangeAction;
  readonly objectId: string;
  readonly objectName: string | null;
  /** The row as written (snake_case columns); decoded with the table's row mapper. */
  readonly row: Row;
}

/** The connection and transaction state repository functions work with. */
export interface RepoContext {
  readonly sql: Sql;
  readonly cipher: SecretCipher;
  /** True inside `withTableLock`: only the locked tables may be used. */
  readonly locked: boolean;
  /** The revision this transaction writes, bumping the global one on first use. */
  writeRevision(): Promise<number>;
  /** The revision this transaction already took, if any. */
  takenRevision(): number | null;
  /** The changes this transaction logged so far, as the log will hold them (none outside a transaction). */
  written(): Promise<Change[]>;
  /** Appends an entry to the change log under this transaction's revision. */
  logChange(entry: ChangeEntry): Promise<void>;
}

/** Current time as a DATETIME literal, in UTC. */
export function utcNow(): string {
  return utcTimestamp(new Date());
}

/** `at` in the stored timestamp form (`YYYY-MM-DD HH:MM:SS`, UTC). */
export function utcTimestamp(at: Date): string {
  return at.toISOString().slice(0, 19).replace('T', ' ');
}

/** A fresh UUID (version 4), the form the original uses for ids. */
export function newId(): string {
  return crypto.randomUUID();
}

/** The original's default abbreviation: the first five characters of the name. */
export function defaultAbbreviation(name: string): string {
  return Array.from(name).slice(0, 5).join('');
}

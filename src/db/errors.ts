/**
 * Errors of the persistence layer. Callers branch on the class (or `code`), never on message
 * text; the API maps them to Congress's error bodies.
 */

/** Stable codes of persistence errors. */
export type StoreErrorCode =
  | 'duplicate'
  | 'lock_timeout'
  | 'usage'
  | 'secret'
  | 'schema'
  | 'connection_url'
  | 'corrupt_row';

/** Base class of every error this layer raises on purpose. */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly code: StoreErrorCode,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Which stored object kind an error is about. */
export type StoredKind = 'policy' | 'rule' | 'datasource' | 'library_policy';

/**
 * A unique key would be violated: a live policy, a datasource or a library policy with that
 * name already exists (`field = 'name'`), or a caller-supplied id is taken (`field = 'id'`).
 */
export class DuplicateError extends StoreError {
  constructor(
    readonly kind: StoredKind,
    readonly field: 'name' | 'id',
    readonly value: string,
  ) {
    super(`${kind} with ${field} ${value} already exists`, 'duplicate');
  }
}

/** Waiting for the table lock, a write transaction or a pooled connection took too long. */
export class LockTimeoutError extends StoreError {
  constructor(what: string, seconds: number) {
    super(`timed out after ${seconds}s waiting for ${what}`, 'lock_timeout');
  }
}

/** The store was used in a way it does not support (a programming error in the caller). */
export class StoreUsageError extends StoreError {
  constructor(message: string) {
    super(message, 'usage');
  }
}

/**
 * A secret could not be encrypted or decrypted: the key file is missing, unreadable or not the
 * key the value was encrypted with. Every host must share the same key file.
 */
export class SecretError extends StoreError {
  constructor(message: string) {
    super(message, 'secret');
  }
}

/** The database schema is not one this code can use or migrate. */
export class SchemaError extends StoreError {
  constructor(message: string) {
    super(message, 'schema');
  }
}

/** `[database] connection` is not a URL this layer understands. */
export class ConnectionUrlError extends StoreError {
  constructor(message: string) {
    super(message, 'connection_url');
  }
}

/** A stored row does not decode (bad JSON in a config or table-data column, for instance). */
export class CorruptRowError extends StoreError {
  constructor(table: string, id: string, detail: string) {
    super(`row ${id} of ${table} does not decode: ${detail}`, 'corrupt_row');
  }
}

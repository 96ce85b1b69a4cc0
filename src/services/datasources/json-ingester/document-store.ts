/**
 * The JSON ingester's PostgreSQL side: one schema per ingester, one table per ingested table
 * (`d jsonb` and its `_key`), written in one transaction per change so that SQL policies never
 * see half a poll, and the `_exec_api` views read in one snapshot.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { parseJson } from '../../../datalog/json';

/** A row an `_exec_api` view proposes: the API call to make. */
export interface ExecApiRow {
  readonly endpoint: string;
  readonly path: string;
  readonly method: string;
  readonly body: unknown;
  readonly parameters: unknown;
  readonly headers: unknown;
}

/** An `_exec_api` relation that could not be read as one (wrong columns), named for the log. */
export interface ExecApiProblem {
  readonly schema: string;
  readonly table: string;
  readonly error: string;
}

/** A document to store: its JSON text and its key. */
export interface StoredDocument {
  readonly json: string;
  readonly key: string;
}

function ident(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/**
 * `[json_ingester] db_connection` as psycopg2 took it: a `postgresql://` URL or a libpq
 * `key=value` string (values may be single-quoted, with `\'` and `\\` escapes).
 */
export function connectionConfig(text: string): pg.PoolConfig {
  const trimmed = text.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) return { connectionString: trimmed };
  const out: Record<string, string> = {};
  const re = /\s*([A-Za-z_]+)\s*=\s*(?:'((?:\\.|[^'\\])*)'|(\S*))/y;
  let at = 0;
  while (at < trimmed.length) {
    re.lastIndex = at;
    const m = re.exec(trimmed);
    if (m === null) throw new Error(`[json_ingester] db_connection: cannot read the connection string at character ${at + 1}`);
    out[m[1]] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
    at = re.lastIndex;
  }
  const config: pg.PoolConfig = {};
  if (out.host !== undefined) config.host = out.host;
  if (out.port !== undefined) config.port = Number(out.port);
  if (out.dbname !== undefined) config.database = out.dbname;
  if (out.user !== undefined) config.user = out.user;
  if (out.password !== undefined) config.password = out.password;
  if (out.connect_timeout !== undefined) config.connectionTimeoutMillis = Number(out.connect_timeout) * 1000;
  if (out.sslmode !== undefined && out.sslmode !== 'disable' && out.sslmode !== 'allow' && out.sslmode !== 'prefer') {
    config.ssl = { rejectUnauthorized: out.sslmode === 'verify-full' || out.sslmode === 'verify-ca' };
  }
  return config;
}

/** PostgreSQL's NAMEDATALEN - 1: a longer identifier is silently cut to this many bytes. */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * The GIN index of a table: the original's `__<table>_d_gin_idx` where that fits PostgreSQL's
 * identifier limit. The original let PostgreSQL cut longer names, so two tables whose names
 * begin alike shared one index name and the second table's index was never created; a long name
 * here keeps its start and adds a hash of the whole table name.
 */
export function ginIndexName(table: string): string {
  const name = `__${table}_d_gin_idx`;
  if (Buffer.byteLength(name, 'utf8') <= MAX_IDENTIFIER_BYTES) return name;
  const hash = createHash('sha256').update(table, 'utf8').digest('hex').slice(0, 8);
  return `__${clip(table, MAX_IDENTIFIER_BYTES - Buffer.byteLength(`___${hash}_d_gin_idx`, 'utf8'))}_${hash}_d_gin_idx`;
}

/** The longest start of `text` within `bytes` UTF-8 bytes, cut between characters as PostgreSQL cuts names. */
function clip(text: string, bytes: number): string {
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch, 'utf8') > bytes) break;
    out += ch;
  }
  return out;
}

const FIND_EXEC_VIEWS = `
  SELECT table_schema, table_name FROM information_schema.tables
  WHERE table_schema NOT LIKE 'pg\\_%' AND table_schema <> 'information_schema'
    AND table_name = '_exec_api'
  ORDER BY table_schema`;

/** PostgreSQL's type ids of `json` and `jsonb`. */
const JSON_TYPES = new Set([114, 3802]);

/**
 * `json` and `jsonb` values read with Python's number semantics, as psycopg2 gave them to the
 * original: `JSON.parse` would turn a view's `1.0` into `1` and round big integers before they
 * reach an API call.
 */
function typeParsers(driver: typeof pg): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      JSON_TYPES.has(oid) && format !== 'binary' ? (text: string) => parseJson(text) : driver.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
  };
}

export class DocumentStore {
  private readonly pool: pg.Pool;

  /**
   * A store on `connection`. The PostgreSQL client is loaded here, not with the module: the
   * ingesters are off by default, and every server start would otherwise pay for loading it.
   */
  static async open(connection: string): Promise<DocumentStore> {
    const { default: driver } = await import('pg');
    return new DocumentStore(driver, connection);
  }

  private constructor(driver: typeof pg, connection: string) {
    this.pool = new driver.Pool({ ...connectionConfig(connection), max: 4, types: typeParsers(driver) });
    // An idle client losing its server must not take the process down; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  /** Creates the ingester's schema and tables, with or without the GIN index on `d`. */
  async prepare(schema: string, tables: readonly { readonly name: string; readonly ginIndex: boolean }[]): Promise<void> {
    await this.transaction('READ COMMITTED', async (c) => {
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
      for (const t of tables) {
        const table = `${ident(schema)}.${ident(t.name)}`;
        const indexName = ginIndexName(t.name);
        const index = ident(indexName);
        await c.query(`CREATE TABLE IF NOT EXISTS ${table} (d jsonb, _key text, PRIMARY KEY (_key))`);
        // A table the original created may carry its index under the cut name: drop that one (only
        // if it is this table's; another table may own the cut name).
        const cut = clip(`__${t.name}_d_gin_idx`, MAX_IDENTIFIER_BYTES);
        if (cut !== indexName) {
          const found = await c.query(`SELECT 1 FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 AND indexname = $3`, [schema, t.name, cut]);
          if (found.rowCount !== 0) await c.query(`DROP INDEX ${ident(schema)}.${ident(cut)}`);
        }
        if (t.ginIndex) await c.query(`CREATE INDEX IF NOT EXISTS ${index} ON ${table} USING GIN (d)`);
        else await c.query(`DROP INDEX IF EXISTS ${ident(schema)}.${index}`);
      }
    });
  }

  /** Replaces a table's contents (first poll, or after a failed write) or applies a difference. */
  async write(schema: string, table: string, change: { readonly replace: boolean; readonly deleteKeys: readonly string[]; readonly insert: readonly StoredDocument[] }): Promise<void> {
    const name = `${ident(schema)}.${ident(table)}`;
    await this.transaction('READ COMMITTED', async (c) => {
      if (change.replace) await c.query(`DELETE FROM ${name}`);
      if (change.deleteKeys.length > 0) await c.query(`DELETE FROM ${name} WHERE _key = ANY($1::text[])`, [change.deleteKeys]);
      // Batches keep each statement's parameters well under PostgreSQL's limit of 65,535.
      for (let i = 0; i < change.insert.length; i += 1000) {
        const batch = change.insert.slice(i, i + 1000);
        await c.query(`INSERT INTO ${name} (d, _key) SELECT d::jsonb, k FROM unnest($1::text[], $2::text[]) AS t(d, k)`, [batch.map((b) => b.json), batch.map((b) => b.key)]);
      }
    });
  }

  /** Stores one document under its key, replacing the one there (webhook tables). */
  async upsert(schema: string, table: string, doc: StoredDocument): Promise<void> {
    const name = `${ident(schema)}.${ident(table)}`;
    await this.transaction('READ COMMITTED', async (c) => {
      await c.query(`DELETE FROM ${name} WHERE _key = $1`, [doc.key]);
      await c.query(`INSERT INTO ${name} (d, _key) VALUES ($1::jsonb, $2)`, [doc.json, doc.key]);
    });
  }

  /** Every row of every `_exec_api` relation of the database, read in one snapshot. */
  async execApiRows(): Promise<{ rows: ExecApiRow[]; problems: ExecApiProblem[] }> {
    const rows: ExecApiRow[] = [];
    const problems: ExecApiProblem[] = [];
    await this.transaction('REPEATABLE READ READ ONLY', async (c) => {
      const found = await c.query<{ table_schema: string; table_name: string }>(FIND_EXEC_VIEWS);
      for (const { table_schema: schema, table_name: table } of found.rows) {
        // A savepoint keeps one malformed view from aborting the snapshot the others are read in.
        await c.query('SAVEPOINT exec_view');
        try {
          const r = await c.query<ExecApiRow>(`SELECT endpoint, path, method, body, parameters, headers FROM ${ident(schema)}.${ident(table)}`);
          rows.push(...r.rows);
          await c.query('RELEASE SAVEPOINT exec_view');
        } catch (err) {
          await c.query('ROLLBACK TO SAVEPOINT exec_view');
          problems.push({ schema, table, error: err instanceof Error ? err.message : String(err) });
        }
      }
    });
    return { rows, problems };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async transaction(isolation: string, work: (c: pg.PoolClient) => Promise<void>): Promise<void> {
    const c = await this.pool.connect();
    let broken = false;
    try {
      await c.query(`BEGIN ISOLATION LEVEL ${isolation}`);
      await work(c);
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw err;
    } finally {
      c.release(broken);
    }
  }
}

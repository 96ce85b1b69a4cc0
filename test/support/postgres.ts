/**
 * The real PostgreSQL for the JSON ingester's tests, on 127.0.0.1:5432 as `postgres` with trust
 * authentication, as the machine runs it. If it is not running, the Debian cluster is started
 * (`pg_ctlcluster`); each test works in its own database with a random name, dropped at the end.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { portOpen } from './port';

const HOST = '127.0.0.1';
const PORT = 5432;
const START_WAIT_MS = 30_000;

let ready: Promise<void> | null = null;

/** Makes sure PostgreSQL answers on 127.0.0.1:5432, starting the Debian cluster if needed. */
export function ensurePostgres(): Promise<void> {
  ready ??= (async () => {
    if (await portOpen(PORT, HOST)) return;
    let versions: string[] = [];
    try {
      versions = readdirSync('/usr/lib/postgresql').sort();
    } catch {
      // reported below
    }
    const version = versions.at(-1);
    if (version === undefined) throw new Error(`PostgreSQL is not running on ${HOST}:${PORT} and is not installed: apt-get install -y postgresql`);
    try {
      await promisify(execFile)('pg_ctlcluster', [version, 'main', 'start']);
    } catch (err) {
      throw new Error(`PostgreSQL is not running on ${HOST}:${PORT} and could not be started (${(err as Error).message}); start it with: pg_ctlcluster ${version} main start`);
    }
    const deadline = Date.now() + START_WAIT_MS;
    while (Date.now() < deadline) {
      if (await portOpen(PORT, HOST)) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`PostgreSQL was started but did not open ${HOST}:${PORT} within ${START_WAIT_MS / 1000}s; see /var/log/postgresql`);
  })();
  return ready;
}

/** A database created for one test. */
export interface PostgresDatabase {
  readonly name: string;
  /** `[json_ingester] db_connection` for it. */
  readonly url: string;
  /** Runs SQL in it directly (bypassing the code under test). */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

export async function createPostgresDatabase(prefix = 'congress_json'): Promise<PostgresDatabase> {
  await ensurePostgres();
  const name = `${prefix}_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ host: HOST, port: PORT, user: 'postgres', database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = `postgresql://postgres@${HOST}:${PORT}/${name}`;
  const inDb = new pg.Client({ connectionString: url });
  await inDb.connect();
  return {
    name,
    url,
    async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
      return (await inDb.query<R>(sql, params)).rows;
    },
    async drop() {
      await inDb.end();
      // Connections the code under test left open would block the drop.
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

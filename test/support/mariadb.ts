/**
 * The real MariaDB for integration tests, on 127.0.0.1:3306 as root without a password. If it
 * is not running it is started the way the machine starts it; each test run works in its own
 * database with a random name, dropped at the end.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { portOpen } from './port';

const HOST = '127.0.0.1';
const PORT = 3306;
const START_WAIT_MS = 30_000;

let ready: Promise<void> | null = null;

/** Makes sure MariaDB answers on 127.0.0.1:3306, starting it if needed; throws what to do if not. */
export function ensureMariaDb(): Promise<void> {
  ready ??= (async () => {
    if (await portOpen(PORT, HOST)) return;
    try {
      await promisify(execFile)('start-stop-daemon', [
        '--start',
        '--oknodo',
        '--background',
        '--exec',
        '/usr/sbin/mariadbd',
      ]);
    } catch (err) {
      throw new Error(
        `MariaDB is not running on ${HOST}:${PORT} and could not be started (${(err as Error).message}). ` +
          'Start it with: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd',
      );
    }
    const deadline = Date.now() + START_WAIT_MS;
    while (Date.now() < deadline) {
      if (await portOpen(PORT, HOST)) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(
      `MariaDB was started but did not open ${HOST}:${PORT} within ${START_WAIT_MS / 1000}s; ` +
        'check /var/log/mysql or run mariadbd in the foreground to see why',
    );
  })();
  return ready;
}

/** A database created for one test run. */
export interface TestDatabase {
  readonly name: string;
  /** The URL in the original's form, as an operator would write it. */
  readonly url: string;
  /** Runs SQL directly in the test database (bypassing the code under test). */
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Drops the database and closes the admin connection. */
  drop(): Promise<void>;
}

/** Creates a fresh database with a random name. */
export async function createTestDatabase(prefix = 'congress_test'): Promise<TestDatabase> {
  await ensureMariaDb();
  const name = `${prefix}_${crypto.randomBytes(6).toString('hex')}`;
  const admin = await mysql.createConnection({ host: HOST, port: PORT, user: 'root', password: '' });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  const inDb = await mysql.createConnection({
    host: HOST,
    port: PORT,
    user: 'root',
    password: '',
    database: name,
    dateStrings: true,
    multipleStatements: false,
  });
  return {
    name,
    url: `mysql+pymysql://root@${HOST}:${PORT}/${name}?charset=utf8`,
    async query(sql, params = []) {
      const [rows] = await inDb.query(sql, params);
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
    },
    async drop() {
      await inDb.end();
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}

/** Schema states, migrations and adoption on SQLite: a temporary database file per test. */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describeSchemaSuite } from './schema-suite';

jest.setTimeout(30_000);

describeSchemaSuite('database schema on SQLite', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-schema-'));
  const file = path.join(dir, 'congress.sqlite');
  const raw = new Database(file, { timeout: 5000 });
  return {
    dialect: 'sqlite',
    url: `sqlite:///${file}`,
    exec: async (sql, params = []) => {
      const statement = raw.prepare(sql);
      if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
      statement.run(...params);
      return [];
    },
    teardown: async () => {
      raw.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
});

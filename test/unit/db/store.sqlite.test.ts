/** The PolicyStore conformance suite on SQLite: a temporary database file per run. */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate, openDataSource } from '../../../src/db';
import { describeStoreSuite } from './store-suite';

jest.setTimeout(30_000);

describeStoreSuite('PolicyStore on SQLite', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-store-'));
  const connection = `sqlite:///${path.join(dir, 'congress.sqlite')}`;
  const first = await openDataSource({ connection });
  await migrate(first);
  await first.destroy();
  const raw = new Database(path.join(dir, 'congress.sqlite'), { timeout: 5000 });
  return {
    keyDir: path.join(dir, 'keys'),
    connect: () => openDataSource({ connection }),
    raw: async (sql, params = []) => {
      const statement = raw.prepare(sql);
      if (statement.reader) return statement.all(...(params as unknown[])) as Record<string, unknown>[];
      statement.run(...(params as unknown[]));
      return [];
    },
    teardown: async () => {
      raw.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
});

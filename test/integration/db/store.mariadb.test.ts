/** The PolicyStore conformance suite on the real MariaDB: a fresh random database per run. */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate, openDataSource } from '../../../src/db';
import { createTestDatabase } from '../../support/mariadb';
import { describeStoreSuite } from '../../unit/db/store-suite';

jest.setTimeout(60_000);

describeStoreSuite('PolicyStore on MariaDB', async () => {
  const db = await createTestDatabase();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-store-'));
  const first = await openDataSource({ connection: db.url });
  await migrate(first);
  await first.destroy();
  return {
    keyDir: path.join(dir, 'keys'),
    connect: () => openDataSource({ connection: db.url }),
    raw: (sql, params) => db.query(sql, params),
    teardown: async () => {
      await db.drop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
});

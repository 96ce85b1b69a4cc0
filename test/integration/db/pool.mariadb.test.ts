/** Connection pool limits on the real MariaDB. */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KeyFileCipher, LockTimeoutError, createPolicyStore, migrate, openDataSource } from '../../../src/db';
import { createTestDatabase, type TestDatabase } from '../../support/mariadb';

jest.setTimeout(30_000);

let db: TestDatabase;
let keyDir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  keyDir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-pool-'));
});

afterAll(async () => {
  await db?.drop();
  await fs.rm(keyDir, { recursive: true, force: true });
});

it('fails a request that waits longer than pool_timeout for a connection, then recovers', async () => {
  const ds = await openDataSource({ connection: db.url, maxPoolSize: 1, maxOverflow: 0 });
  try {
    await migrate(ds);
    const store = createPolicyStore(ds, { cipher: new KeyFileCipher(keyDir), poolTimeout: 1 });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // The only connection is busy under the table lock.
    const holder = store.withTableLock(async (tx) => {
      await tx.createPolicy({ name: 'held' });
      entered();
      await released;
    });
    await inside;
    const started = Date.now();
    await expect(store.listPolicies()).rejects.toBeInstanceOf(LockTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    release();
    await holder;
    // The late connection went back to the pool: the store works again.
    expect((await store.listPolicies()).map((p) => p.name)).toEqual(['held']);
  } finally {
    await ds.destroy();
  }
});

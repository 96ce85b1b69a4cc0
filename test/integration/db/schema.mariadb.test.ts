/** Schema states, migrations and adoption on the real MariaDB: a fresh database per test. */
import { createTestDatabase } from '../../support/mariadb';
import { describeSchemaSuite } from '../../unit/db/schema-suite';

jest.setTimeout(60_000);

describeSchemaSuite('database schema on MariaDB', async () => {
  const db = await createTestDatabase();
  return { dialect: 'mysql', url: db.url, exec: (sql, params) => db.query(sql, params), teardown: () => db.drop() };
});

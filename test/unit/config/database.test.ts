/** From the configuration to a working store: the embedded single-node default end to end. */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDataSource, openPolicyStore } from '../../../src/db';
import { loadConfig, storeOptionsFrom } from '../../../src/server/config';

describe('storeOptionsFrom', () => {
  it('maps [database] and encryption_key_path onto the store options', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-dbconf-'));
    try {
      const conf = path.join(dir, 'congress.conf');
      await fs.writeFile(
        conf,
        '[DEFAULT]\nencryption_key_path = /etc/congress/keys\n[database]\nconnection = mysql+pymysql://c:pw@db/congress\nmax_pool_size = 5\nmax_overflow = 0\npool_timeout = 3\nmysql_sql_mode =\nlock_wait_timeout = 7\n',
      );
      const options = storeOptionsFrom(loadConfig({ files: [conf] }).config, '/srv');
      expect(options).toMatchObject({
        connection: 'mysql+pymysql://c:pw@db/congress',
        maxPoolSize: 5,
        maxOverflow: 0,
        poolTimeout: 3,
        connectionRecycleTime: 3600,
        mysqlSqlMode: null,
        lockWaitTimeout: 7,
        logSql: false,
        baseDir: '/srv',
        encryptionKeyPath: '/etc/congress/keys',
      });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('opens the embedded default: a SQLite file and a key under ./data of the base directory', async () => {
    const base = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-embedded-'));
    try {
      const options = storeOptionsFrom(loadConfig({}).config, base);
      expect(options.encryptionKeyPath).toBe(path.join(base, 'data/keys'));
      const store = await openPolicyStore({ ...options, migrate: true });
      try {
        await store.createDatasource({ name: 'nova', driver: 'nova', config: { password: 'pw' }, secretFields: ['password'] });
        expect((await store.getDatasource('nova'))?.config).toEqual({ password: 'pw' });
      } finally {
        await store.close();
      }
      await expect(fs.stat(path.join(base, 'data/congress.sqlite'))).resolves.toBeTruthy();
      await expect(fs.stat(path.join(base, 'data/keys/aes_key'))).resolves.toBeTruthy();
    } finally {
      await fs.rm(base, { recursive: true, force: true });
    }
  });
  it('appends connection_parameters to the URL and passes sqlite_synchronous on', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-dbparams-'));
    try {
      const conf = path.join(dir, 'congress.conf');
      await fs.writeFile(conf, '[database]\nconnection = mysql+pymysql://c:pw@db/congress?charset=utf8\nconnection_parameters = ssl_ca=/etc/mysql/ca.pem\nsqlite_synchronous = false\n');
      const options = storeOptionsFrom(loadConfig({ files: [conf] }).config, dir);
      expect(options).toMatchObject({ connection: 'mysql+pymysql://c:pw@db/congress?charset=utf8&ssl_ca=/etc/mysql/ca.pem', sqliteSynchronous: false });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('sqlite_synchronous = false turns off SQLite waiting for the disk; the default keeps it', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-dbsync-'));
    const synchronous = async (sqliteSynchronous: boolean | undefined, name: string): Promise<unknown> => {
      const ds = await openDataSource({ connection: `sqlite:///${path.join(dir, name)}`, sqliteSynchronous });
      try {
        return ((await ds.query('PRAGMA synchronous')) as { synchronous: number }[])[0].synchronous;
      } finally {
        await ds.destroy();
      }
    };
    try {
      expect(await synchronous(false, 'off.sqlite')).toBe(0);
      expect(await synchronous(undefined, 'default.sqlite')).not.toBe(0);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

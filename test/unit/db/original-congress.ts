/**
 * An original Congress database, built the way the original builds it: the alembic chain
 * replayed statement by statement (as alembic emits it), then rows written the way the
 * original's code writes them (Python `json.dumps`, a Fernet-encrypted password, local-time
 * timestamps, soft-deleted rows). Deliberately independent of `src/db`'s own DDL.
 */
import type { Dialect } from '../../../src/db/sql/executor';

/** A Fernet key in the original's `aes_key` format (the Fernet specification's test key). */
export const FERNET_KEY = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=';
/** `s3cret-päss`, encrypted with FERNET_KEY by Python's `cryptography.fernet`. */
export const FERNET_TOKEN =
  'gAAAAABrBEk4dgyFe4ABOOHro7l9PNl91A3e3347Bi6JpmOshPIKPX0Tcg7Ph_qEcNsly4_FWo7KcEN0SDW-3ZR5WOEDpWPfDQ==';
/** The clear text of FERNET_TOKEN. */
export const FERNET_PLAINTEXT = 's3cret-päss';

/** Ids of the sample rows. */
export const IDS = {
  classification: '7c6c5f8e-0a43-4a43-9e31-5fd3a5c1b7a1',
  action: '0852b5b4-3b0a-4d8e-bd42-0f2a0f6d0e11',
  alpha: '68186a0b-0b68-4b94-9f4b-2b2f3f7fa3c2',
  oldAlpha: 'a1d2c3b4-0000-4000-8000-000000000001',
  rule1: '8cf3d9a4-1111-4111-8111-111111111111',
  rule2: '8cf3d9a4-2222-4222-8222-222222222222',
  deletedRule: '8cf3d9a4-3333-4333-8333-333333333333',
  oldRule: '8cf3d9a4-4444-4444-8444-444444444444',
  nova: '10427a1c-5555-4555-8555-555555555555',
  doctor: '10427a1c-6666-4666-8666-666666666666',
  library: '462f1c0e-7777-4777-8777-777777777777',
} as const;

/** The alembic chain from `initial_db` to `c0125080d572`, as alembic emits it. */
export function originalMigrationChain(dialect: Dialect): string[] {
  const mysql = dialect === 'mysql';
  const engine = mysql ? ' ENGINE=InnoDB' : '';
  const bool = mysql ? 'BOOL' : 'BOOLEAN';
  const longText = mysql ? 'LONGTEXT' : 'TEXT';
  const policiesTable = (nameType: string, extra = '') =>
    `CREATE TABLE policies (id VARCHAR(36) NOT NULL, created_at DATETIME NOT NULL, updated_at DATETIME, deleted_at DATETIME, deleted VARCHAR(36) DEFAULT '', name ${nameType} NOT NULL, abbreviation VARCHAR(5) NOT NULL, description TEXT NOT NULL, owner TEXT NOT NULL, kind TEXT NOT NULL, PRIMARY KEY (id)${extra})${engine}`;
  return [
    'CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))',
    // initial_db
    "CREATE TABLE policy_rules (id VARCHAR(36) NOT NULL, rule TEXT NOT NULL, comment VARCHAR(255) NOT NULL, policy_name VARCHAR(255) NOT NULL, deleted VARCHAR(36) DEFAULT '', created_at DATETIME NOT NULL, deleted_at DATETIME, updated_at DATETIME, PRIMARY KEY (id))",
    "INSERT INTO alembic_version (version_num) VALUES ('initial_db')",
    // 532e9e1f0f3a: policies with a TEXT name
    policiesTable('TEXT'),
    "UPDATE alembic_version SET version_num='532e9e1f0f3a' WHERE alembic_version.version_num = 'initial_db'",
    // 56e86d51ec62
    'ALTER TABLE policy_rules ADD COLUMN name VARCHAR(255)',
    "UPDATE alembic_version SET version_num='56e86d51ec62' WHERE alembic_version.version_num = '532e9e1f0f3a'",
    // 3cee191c4f84
    `CREATE TABLE datasources (id VARCHAR(36) NOT NULL, name VARCHAR(255), driver VARCHAR(255), config TEXT NOT NULL, description TEXT, enabled ${bool}, PRIMARY KEY (id), UNIQUE (name))${engine}`,
    "UPDATE alembic_version SET version_num='3cee191c4f84' WHERE alembic_version.version_num = '56e86d51ec62'",
    // 01e78af70b91
    `CREATE TABLE dstabledata (ds_id VARCHAR(36) NOT NULL, tablename VARCHAR(255) NOT NULL, tabledata ${longText} NOT NULL, PRIMARY KEY (ds_id, tablename))${engine}`,
    "UPDATE alembic_version SET version_num='01e78af70b91' WHERE alembic_version.version_num = '3cee191c4f84'",
    // aabe895bbd4d: policy name uniqueness, by copying through policiesdeleted
    `CREATE TABLE policiesdeleted (id VARCHAR(36) NOT NULL, created_at DATETIME NOT NULL, updated_at DATETIME, deleted_at DATETIME, deleted VARCHAR(36) DEFAULT '', name VARCHAR(255) NOT NULL, abbreviation VARCHAR(5) NOT NULL, description TEXT NOT NULL, owner TEXT NOT NULL, kind TEXT NOT NULL, PRIMARY KEY (id))${engine}`,
    'INSERT INTO policiesdeleted SELECT * FROM policies',
    'DROP TABLE policies',
    // alembic cannot add a constraint on SQLite afterwards; the original's tests declare it inline
    mysql ? policiesTable('VARCHAR(255)') : policiesTable('VARCHAR(255)', ', UNIQUE (name)'),
    "INSERT INTO policies SELECT * FROM policiesdeleted WHERE deleted = ''",
    "DELETE FROM policiesdeleted WHERE deleted = ''",
    ...(mysql ? ['ALTER TABLE policies ADD UNIQUE (name)'] : []),
    "UPDATE alembic_version SET version_num='aabe895bbd4d' WHERE alembic_version.version_num = '01e78af70b91'",
    // c0125080d572
    `CREATE TABLE library_policies (id VARCHAR(36) NOT NULL, name VARCHAR(255) NOT NULL, abbreviation VARCHAR(5) NOT NULL, description TEXT NOT NULL, kind TEXT NOT NULL, rules TEXT NOT NULL, PRIMARY KEY (id), UNIQUE (name))${engine}`,
    "UPDATE alembic_version SET version_num='c0125080d572' WHERE alembic_version.version_num = 'aabe895bbd4d'",
  ];
}

/** Rows as the original writes them: statements with their parameters. */
export function originalRows(dialect: Dialect): Array<[string, unknown[]]> {
  // SQLAlchemy writes microseconds on SQLite; MySQL's DATETIME drops them.
  const at = (time: string) => (dialect === 'sqlite' ? `2019-12-01 ${time}.123456` : `2019-12-01 ${time}`);
  const policy = 'INSERT INTO policies (id, created_at, updated_at, deleted_at, deleted, name, abbreviation, description, owner, kind) VALUES (?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?)';
  const rule = 'INSERT INTO policy_rules (id, rule, comment, policy_name, deleted, created_at, deleted_at, updated_at, name) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)';
  const novaConfig = `{"username": "admin", "password": "${FERNET_TOKEN}", "auth_url": "http://127.0.0.1/identity", "project_name": "admin", "__encrypted_fields": ["password"]}`;
  return [
    [policy, [IDS.classification, at('10:00:00'), '', 'classification', 'class', 'default policy', 'user', 'nonrecursive']],
    [policy, [IDS.action, at('10:00:01'), '', 'action', 'actio', 'default action policy', 'user', 'action']],
    [policy, [IDS.alpha, at('10:05:00'), '', 'alpha', 'alp', 'first policy', 'user', 'nonrecursive']],
    // An earlier `alpha`, deleted: its row lives in policiesdeleted, soft-deleted.
    [
      'INSERT INTO policiesdeleted (id, created_at, updated_at, deleted_at, deleted, name, abbreviation, description, owner, kind) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)',
      [IDS.oldAlpha, at('09:00:00'), at('09:30:00'), IDS.oldAlpha, 'alpha', 'alpha', '', 'user', 'nonrecursive'],
    ],
    [rule, [IDS.rule1, 'p(x) :- q(x), lt(x, 2)', 'p from q', 'alpha', '', at('10:06:00'), null, 'prule']],
    [rule, [IDS.rule2, 'q(1)', '', 'alpha', '', at('10:06:01'), null, null]],
    [rule, [IDS.deletedRule, 'q(2)', '', 'alpha', IDS.deletedRule, at('10:06:02'), at('10:07:00'), null]],
    [rule, [IDS.oldRule, 'old(1)', '', 'alpha', IDS.oldRule, at('09:10:00'), at('09:30:00'), null]],
    [
      'INSERT INTO datasources (id, name, driver, config, description, enabled) VALUES (?, ?, ?, ?, ?, ?)',
      [IDS.nova, 'nova', 'nova', novaConfig, null, 1],
    ],
    [
      'INSERT INTO datasources (id, name, driver, config, description, enabled) VALUES (?, ?, ?, ?, ?, ?)',
      [IDS.doctor, 'doc', 'doctor', '{"persist_data": "true"}', 'pushed events', 1],
    ],
    [
      'INSERT INTO dstabledata (ds_id, tablename, tabledata) VALUES (?, ?, ?)',
      [IDS.doctor, 'events', '[["0123-4567", "compute.host.down", "2016-05-24T11:22:33Z"], ["89ab-cdef", "compute.host.up", 7]]'],
    ],
    [
      'INSERT INTO library_policies (id, name, abbreviation, description, kind, rules) VALUES (?, ?, ?, ?, ?, ?)',
      [IDS.library, 'lib1', 'lib1', 'library one', 'nonrecursive', '[{"rule": "x(1)", "name": "r1", "comment": "c1"}, {"rule": "y(a) :- x(a)"}]'],
    ],
  ];
}

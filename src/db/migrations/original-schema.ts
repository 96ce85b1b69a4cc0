/**
 * The schema the original Congress leaves at its last alembic revision (`c0125080d572`), as
 * SQLAlchemy/alembic emit it: the same tables, columns, types, nullability, defaults, keys and
 * column order, so a database created here is indistinguishable from one created by the
 * original's `congress-db-manage upgrade head`, and the other way round.
 */
import type { Dialect } from '../sql/executor';

/** The original's alembic head; a database stamped with it can be adopted in place. */
export const ORIGINAL_ALEMBIC_HEAD = 'c0125080d572';

/** Tables of the original schema (besides `alembic_version`), in creation order. */
export const ORIGINAL_TABLES: readonly string[] = [
  'policy_rules',
  'datasources',
  'dstabledata',
  'policiesdeleted',
  'policies',
  'library_policies',
];

const AUDIT = `created_at DATETIME NOT NULL,
  updated_at DATETIME,
  deleted_at DATETIME,
  deleted VARCHAR(36) DEFAULT ''`;

const POLICY_COLUMNS = `id VARCHAR(36) NOT NULL,
  ${AUDIT},
  name VARCHAR(255) NOT NULL,
  abbreviation VARCHAR(5) NOT NULL,
  description TEXT NOT NULL,
  owner TEXT NOT NULL,
  kind TEXT NOT NULL`;

/** DDL creating the original schema, statement by statement. */
export function originalSchemaDdl(dialect: Dialect): string[] {
  const innodb = dialect === 'mysql' ? ' ENGINE=InnoDB' : '';
  // MySQL: alembic adds the name constraint afterwards (MySQL names the index `name`); alembic
  // cannot ALTER constraints on SQLite, where the same constraint is declared inline.
  const policiesUnique = dialect === 'mysql' ? '' : ',\n  UNIQUE (name)';
  const statements = [
    `CREATE TABLE alembic_version (
  version_num VARCHAR(32) NOT NULL,
  CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
)`,
    // initial_db, plus `name` appended by 56e86d51ec62; declared without an engine upstream.
    `CREATE TABLE policy_rules (
  id VARCHAR(36) NOT NULL,
  rule TEXT NOT NULL,
  comment VARCHAR(255) NOT NULL,
  policy_name VARCHAR(255) NOT NULL,
  deleted VARCHAR(36) DEFAULT '',
  created_at DATETIME NOT NULL,
  deleted_at DATETIME,
  updated_at DATETIME,
  name VARCHAR(255),
  PRIMARY KEY (id)
)`,
    `CREATE TABLE datasources (
  id VARCHAR(36) NOT NULL,
  name VARCHAR(255),
  driver VARCHAR(255),
  config TEXT NOT NULL,
  description TEXT,
  enabled ${dialect === 'mysql' ? 'BOOL' : 'BOOLEAN'},
  PRIMARY KEY (id),
  UNIQUE (name)
)${innodb}`,
    `CREATE TABLE dstabledata (
  ds_id VARCHAR(36) NOT NULL,
  tablename VARCHAR(255) NOT NULL,
  tabledata ${dialect === 'mysql' ? 'LONGTEXT' : 'TEXT'} NOT NULL,
  PRIMARY KEY (ds_id, tablename)
)${innodb}`,
    `CREATE TABLE policiesdeleted (
  ${POLICY_COLUMNS},
  PRIMARY KEY (id)
)${innodb}`,
    `CREATE TABLE policies (
  ${POLICY_COLUMNS},
  PRIMARY KEY (id)${policiesUnique}
)${innodb}`,
    `CREATE TABLE library_policies (
  id VARCHAR(36) NOT NULL,
  name VARCHAR(255) NOT NULL,
  abbreviation VARCHAR(5) NOT NULL,
  description TEXT NOT NULL,
  kind TEXT NOT NULL,
  rules TEXT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE (name)
)${innodb}`,
  ];
  if (dialect === 'mysql') statements.push('ALTER TABLE policies ADD UNIQUE (name)');
  statements.push(`INSERT INTO alembic_version (version_num) VALUES ('${ORIGINAL_ALEMBIC_HEAD}')`);
  return statements;
}

/**
 * typeorm entity definitions of every table, as `EntitySchema`s (no decorators). They describe
 * the schema the migrations build (a test checks that typeorm finds nothing to change); the
 * store itself issues plain SQL, because MySQL's LOCK TABLES refuses the table aliases that
 * typeorm's query builder generates.
 */
import { EntitySchema, type EntitySchemaColumnOptions } from 'typeorm';
import type { Dialect } from './sql/executor';

/** Audit columns shared by policies, policiesdeleted and policy_rules (oslo.db soft delete). */
export interface AuditColumns {
  created_at: string;
  updated_at: string | null;
  deleted_at: string | null;
  /** `''` for a live row; the row's own id once soft-deleted. */
  deleted: string | null;
}

/** A row of `policies` (live policies) or `policiesdeleted` (deleted ones). */
export interface PolicyRow extends AuditColumns {
  id: string;
  name: string;
  abbreviation: string;
  description: string;
  owner: string;
  kind: string;
  revision: number;
}

/** A row of `policy_rules`. */
export interface PolicyRuleRow extends AuditColumns {
  id: string;
  rule: string;
  comment: string;
  policy_name: string;
  name: string | null;
  policy_id: string | null;
  revision: number;
}

/** A row of `datasources`; `config` is JSON text with secret fields encrypted. */
export interface DatasourceRow {
  id: string;
  name: string | null;
  driver: string | null;
  config: string;
  description: string | null;
  enabled: boolean | null;
  revision: number;
}

/** A row of `dstabledata`: one pushed table of one datasource, as a JSON array of rows. */
export interface TableDataRow {
  ds_id: string;
  tablename: string;
  tabledata: string;
}

/** A row of `library_policies`; `rules` is a JSON list. */
export interface LibraryPolicyRow {
  id: string;
  name: string;
  abbreviation: string;
  description: string;
  kind: string;
  rules: string;
  revision: number;
}

/** The single row of `congress_revision`. */
export interface RevisionRow {
  id: number;
  revision: number;
  pruned_through: number;
}

/** A row of `congress_changes`. */
export interface ChangeRow {
  revision: number;
  seq: number;
  object_type: string;
  action: string;
  object_id: string;
  object_name: string | null;
  payload: string;
  created_at: string;
}

/** A row of the original's `alembic_version`. */
export interface AlembicVersionRow {
  version_num: string;
}

const id36: EntitySchemaColumnOptions = { type: 'varchar', length: 36, primary: true };
const text: EntitySchemaColumnOptions = { type: 'text' };
const str255: EntitySchemaColumnOptions = { type: 'varchar', length: 255 };
const revision: EntitySchemaColumnOptions = { type: 'bigint', default: 0 };
const audit = {
  created_at: { type: 'datetime' },
  updated_at: { type: 'datetime', nullable: true },
  deleted_at: { type: 'datetime', nullable: true },
  deleted: { type: 'varchar', length: 36, nullable: true, default: '' },
} satisfies Record<keyof AuditColumns, EntitySchemaColumnOptions>;

function policyColumns() {
  return {
    id: id36,
    ...audit,
    name: str255,
    abbreviation: { type: 'varchar', length: 5 },
    description: text,
    owner: text,
    kind: text,
    revision,
  } satisfies Record<keyof PolicyRow, EntitySchemaColumnOptions>;
}

/** Every entity of the schema; `dialect` picks LONGTEXT for the large JSON columns on MySQL. */
export function entitySchemas(dialect: Dialect): EntitySchema[] {
  const longText: EntitySchemaColumnOptions = { type: dialect === 'mysql' ? 'longtext' : 'text' };
  const policies = new EntitySchema<PolicyRow>({
    name: 'policies',
    tableName: 'policies',
    columns: policyColumns(),
    uniques: [{ name: 'name', columns: ['name'] }],
  });
  const policiesDeleted = new EntitySchema<PolicyRow>({
    name: 'policiesdeleted',
    tableName: 'policiesdeleted',
    columns: policyColumns(),
  });
  const policyRules = new EntitySchema<PolicyRuleRow>({
    name: 'policy_rules',
    tableName: 'policy_rules',
    columns: {
      id: id36,
      rule: text,
      comment: str255,
      policy_name: str255,
      ...audit,
      name: { ...str255, nullable: true },
      policy_id: { type: 'varchar', length: 36, nullable: true },
      revision,
    },
    indices: [
      { name: 'ix_policy_rules_policy_name_deleted', columns: ['policy_name', 'deleted'] },
      { name: 'ix_policy_rules_policy_id_deleted', columns: ['policy_id', 'deleted'] },
    ],
  });
  const datasources = new EntitySchema<DatasourceRow>({
    name: 'datasources',
    tableName: 'datasources',
    columns: {
      id: id36,
      name: { ...str255, nullable: true },
      driver: { ...str255, nullable: true },
      config: text,
      description: { ...text, nullable: true },
      enabled: { type: 'boolean', nullable: true },
      revision,
    },
    uniques: [{ name: 'name', columns: ['name'] }],
  });
  const tableData = new EntitySchema<TableDataRow>({
    name: 'dstabledata',
    tableName: 'dstabledata',
    columns: {
      ds_id: id36,
      tablename: { ...str255, primary: true },
      tabledata: longText,
    },
  });
  const libraryPolicies = new EntitySchema<LibraryPolicyRow>({
    name: 'library_policies',
    tableName: 'library_policies',
    columns: {
      id: id36,
      name: str255,
      abbreviation: { type: 'varchar', length: 5 },
      description: text,
      kind: text,
      rules: text,
      revision,
    },
    uniques: [{ name: 'name', columns: ['name'] }],
  });
  const revisionRow = new EntitySchema<RevisionRow>({
    name: 'congress_revision',
    tableName: 'congress_revision',
    columns: {
      id: { type: 'integer', primary: true },
      revision: { type: 'bigint' },
      pruned_through: { type: 'bigint', default: 0 },
    },
  });
  const changes = new EntitySchema<ChangeRow>({
    name: 'congress_changes',
    tableName: 'congress_changes',
    columns: {
      revision: { type: 'bigint', primary: true },
      seq: { type: 'integer', primary: true },
      object_type: { type: 'varchar', length: 32 },
      action: { type: 'varchar', length: 16 },
      object_id: { type: 'varchar', length: 36 },
      object_name: { ...str255, nullable: true },
      payload: longText,
      created_at: { type: 'datetime' },
    },
  });
  const alembicVersion = new EntitySchema<AlembicVersionRow>({
    name: 'alembic_version',
    tableName: 'alembic_version',
    columns: { version_num: { type: 'varchar', length: 32, primary: true, primaryKeyConstraintName: 'alembic_version_pkc' } },
  });
  return [
    policies,
    policiesDeleted,
    policyRules,
    datasources,
    tableData,
    libraryPolicies,
    revisionRow,
    changes,
    alembicVersion,
  ];
}

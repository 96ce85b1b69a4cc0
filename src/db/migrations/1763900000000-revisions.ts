/**
 * Migration 2: what Congress-TS adds for replica synchronisation.
 *
 * - `congress_revision`: one row holding the global revision. Every write transaction bumps it
 *   first, which also serialises writers on that row lock.
 * - `congress_changes`: one row per changed object and revision, with the object as it was
 *   written, so replicas load "everything since revision N" (hard-deleted datasources
 *   included). `pruned_through` records how far the log has been trimmed.
 * - a `revision` column on every replicated table, stamped with the revision of the last write.
 * - `policy_rules.policy_id` (filled from live policies) and indexes for per-policy lookups.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dialectOfRunner } from './dialect-of-runner';

/** Tables that get a `revision` column. */
const STAMPED_TABLES = ['policies', 'policiesdeleted', 'policy_rules', 'datasources', 'library_policies'];

/** Adds the revision counter, the change log, revision stamps and `policy_rules.policy_id`. */
export class Revisions1763900000000 implements MigrationInterface {
  /** Recorded in `congress_migrations`. */
  readonly name = 'Revisions1763900000000';

  async up(runner: QueryRunner): Promise<void> {
    const mysql = dialectOfRunner(runner) === 'mysql';
    const innodb = mysql ? ' ENGINE=InnoDB' : '';
    await runner.query(`CREATE TABLE congress_revision (
  id INTEGER NOT NULL,
  revision BIGINT NOT NULL,
  pruned_through BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (id)
)${innodb}`);
    await runner.query('INSERT INTO congress_revision (id, revision, pruned_through) VALUES (1, 0, 0)');
    await runner.query(`CREATE TABLE congress_changes (
  revision BIGINT NOT NULL,
  seq INTEGER NOT NULL,
  object_type VARCHAR(32) NOT NULL,
  action VARCHAR(16) NOT NULL,
  object_id VARCHAR(36) NOT NULL,
  object_name VARCHAR(255),
  payload ${mysql ? 'LONGTEXT' : 'TEXT'} NOT NULL,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (revision, seq)
)${innodb}`);
    for (const table of STAMPED_TABLES) {
      await runner.query(`ALTER TABLE ${table} ADD COLUMN revision BIGINT NOT NULL DEFAULT 0`);
    }
    await runner.query('ALTER TABLE policy_rules ADD COLUMN policy_id VARCHAR(36)');
    await runner.query(
      "UPDATE policy_rules SET policy_id = (SELECT p.id FROM policies p WHERE p.name = policy_rules.policy_name) WHERE deleted = ''",
    );
    await runner.query('CREATE INDEX ix_policy_rules_policy_name_deleted ON policy_rules (policy_name, deleted)');
    await runner.query('CREATE INDEX ix_policy_rules_policy_id_deleted ON policy_rules (policy_id, deleted)');
  }

  async down(runner: QueryRunner): Promise<void> {
    const mysql = dialectOfRunner(runner) === 'mysql';
    for (const index of ['ix_policy_rules_policy_id_deleted', 'ix_policy_rules_policy_name_deleted']) {
      await runner.query(mysql ? `DROP INDEX ${index} ON policy_rules` : `DROP INDEX ${index}`);
    }
    await runner.query('ALTER TABLE policy_rules DROP COLUMN policy_id');
    for (const table of STAMPED_TABLES) await runner.query(`ALTER TABLE ${table} DROP COLUMN revision`);
    await runner.query('DROP TABLE congress_changes');
    await runner.query('DROP TABLE congress_revision');
  }
}

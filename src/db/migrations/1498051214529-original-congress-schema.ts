/**
 * Migration 1: the original Congress schema at its alembic head. On a database the original
 * created, this migration is recorded as applied without running (adoption, see `migrate`).
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ORIGINAL_TABLES, originalSchemaDdl } from './original-schema';
import { dialectOfRunner } from './dialect-of-runner';

/** Creates `alembic_version` (stamped at the original's head) and the six original tables. */
export class OriginalCongressSchema1498051214529 implements MigrationInterface {
  /** Recorded in `congress_migrations`; the suffix is the original head's creation time. */
  readonly name = 'OriginalCongressSchema1498051214529';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of originalSchemaDdl(dialectOfRunner(runner))) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [...ORIGINAL_TABLES].reverse()) await runner.query(`DROP TABLE ${table}`);
    await runner.query('DROP TABLE alembic_version');
  }
}

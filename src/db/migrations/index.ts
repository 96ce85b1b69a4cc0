/** The ordered list of Congress-TS schema migrations. */
import type { MigrationInterface } from 'typeorm';
import { OriginalCongressSchema1498051214529 } from './1498051214529-original-congress-schema';
import { Revisions1763900000000 } from './1763900000000-revisions';

/** Every migration, oldest first; the first one is the original Congress schema. */
export const MIGRATIONS: readonly (new () => MigrationInterface)[] = [
  OriginalCongressSchema1498051214529,
  Revisions1763900000000,
];

/** Name of the migration that stands for "the original schema at its alembic head". */
export const ORIGINAL_SCHEMA_MIGRATION = 'OriginalCongressSchema1498051214529';

/** Table where typeorm records applied migrations. */
export const MIGRATIONS_TABLE = 'congress_migrations';

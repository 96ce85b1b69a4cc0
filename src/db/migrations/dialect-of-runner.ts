/** Which dialect a migration runs on. */
import type { QueryRunner } from 'typeorm';
import type { Dialect } from '../sql/executor';

/** The dialect of the connection a migration was handed. */
export function dialectOfRunner(runner: QueryRunner): Dialect {
  return runner.connection.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
}

/**
 * Narrowing of driver values. mysql2 returns BIGINT as strings and BOOL as numbers; SQLite
 * returns integers for booleans; both return DATETIME as text here.
 */
import type { Row } from '../sql/executor';

/** A text column that must not be null. */
export function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return String(value);
}

/** A nullable text column. */
export function textOrNull(row: Row, column: string): string | null {
  const value = row[column];
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

/** An integer column (BIGINT arrives as a string from mysql2). */
export function int(row: Row, column: string): number {
  const value = row[column];
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value !== '') return Number(value);
  return 0;
}

/** A nullable boolean column, read with Python truthiness as the original does (null is false). */
export function bool(row: Row, column: string): boolean {
  const value = row[column];
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value !== '' && value !== '0';
  return false;
}

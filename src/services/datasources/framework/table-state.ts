/**
 * A driver's current tables: sets of rows, already normalised for output. Replacing a table
 * returns exactly what changed, so publishing costs O(changed) on the bus and in every
 * subscriber, whatever the table's size.
 */
import { rowKey, type Row, type TableDelta } from '../../../bus/json';

/** The tables of one driver, keyed by row identity. */
export class TableState {
  private readonly tables = new Map<string, Map<string, Row>>();

  /** Declares a table (empty) so it is listed even before it has rows. */
  declare(table: string): void {
    if (!this.tables.has(table)) this.tables.set(table, new Map());
  }

  /** True when the table is declared. */
  has(table: string): boolean {
    return this.tables.has(table);
  }

  /** Replaces the table's contents; returns the rows added and deleted (duplicates collapse). */
  replace(table: string, rows: readonly Row[]): TableDelta {
    const old = this.tables.get(table) ?? new Map<string, Row>();
    const next = new Map<string, Row>();
    const add: Row[] = [];
    for (const row of rows) {
      const key = rowKey(row);
      if (next.has(key)) continue;
      next.set(key, row);
      if (!old.has(key)) add.push(row);
    }
    const del: Row[] = [];
    // Every old row survived when the kept rows account for the whole old table.
    if (next.size - add.length !== old.size) for (const [key, row] of old) if (!next.has(key)) del.push(row);
    this.tables.set(table, next);
    return { add, del };
  }

  /** The table's rows (empty for an unknown table). */
  rows(table: string): Row[] {
    const t = this.tables.get(table);
    return t === undefined ? [] : [...t.values()];
  }

  /** Number of rows per declared table. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, rows] of this.tables) out[name] = rows.size;
    return out;
  }

  /** Names of the declared tables. */
  names(): string[] {
    return [...this.tables.keys()];
  }
}

/**
 * A driver's current tables: sets of rows, already normalised for output. Replacing a table
 * returns exactly what changed, so publishing costs O(changed) on the bus and in every
 * subscriber, whatever the table's size.
 */
import { rowKey, type Row, type TableDelta } from '../../../bus/json';

interface Entry {
  readonly row: Row;
  /** The replacement that last saw this row. */
  gen: number;
}

/** The tables of one driver, keyed by row identity. */
export class TableState {
  private readonly tables = new Map<string, Map<string, Entry>>();
  private gen = 0;

  /** Declares a table (empty) so it is listed even before it has rows. */
  declare(table: string): void {
    if (!this.tables.has(table)) this.tables.set(table, new Map());
  }

  /** True when the table is declared. */
  has(table: string): boolean {
    return this.tables.has(table);
  }

  /**
   * Replaces the table's contents; returns the rows added and deleted (duplicates collapse).
   * Rows that stay are only stamped, not copied, so a large unchanged table costs one key per row.
   */
  replace(table: string, rows: readonly Row[]): TableDelta {
    let current = this.tables.get(table);
    if (current === undefined) {
      current = new Map();
      this.tables.set(table, current);
    }
    const gen = ++this.gen;
    const add: Row[] = [];
    let kept = 0;
    for (const row of rows) {
      const key = rowKey(row);
      const entry = current.get(key);
      if (entry === undefined) {
        current.set(key, { row, gen });
        add.push(row);
      } else if (entry.gen !== gen) {
        entry.gen = gen;
        kept += 1;
      }
    }
    const del: Row[] = [];
    // Every old row survived when the kept and added rows account for the whole table.
    if (kept + add.length !== current.size) {
      for (const [key, entry] of current) {
        if (entry.gen !== gen) {
          current.delete(key);
          del.push(entry.row);
        }
      }
    }
    return { add, del };
  }

  /** The table's rows (empty for an unknown table). */
  rows(table: string): Row[] {
    const t = this.tables.get(table);
    return t === undefined ? [] : [...t.values()].map((e) => e.row);
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

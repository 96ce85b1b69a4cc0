/**
 * A driver's current tables: sets of rows, already normalised for output. Replacing a table
 * returns exactly what changed, so publishing costs O(changed) on the bus and in every
 * subscriber, whatever the table's size.
 */
import type { Row, TableDelta } from '../../../bus/json';

interface Entry {
  readonly row: Row;
  /** The replacement that last saw this row. */
  gen: number;
}

/**
 * Rows sharing their first value (nearly always an id, so nearly always one row). Rows are
 * found by their first value and then compared value by value: no key text is built per row
 * per poll, and a short id hashes much faster than a whole row's JSON.
 */
type Bucket = Entry | Entry[];

interface Table {
  readonly buckets: Map<unknown, Bucket>;
  size: number;
}

/** The bucket of a row: its first value (a nested value by its JSON text). */
function bucketKey(row: Row): unknown {
  const first = row.length === 0 ? undefined : row[0];
  return typeof first === 'object' && first !== null ? JSON.stringify(first) : first;
}

/** Row identity as the bus sees it: equal values, nested ones by their JSON text. */
function sameRow(a: Row, b: Row): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x !== 'object' || x === null || typeof y !== 'object' || y === null || JSON.stringify(x) !== JSON.stringify(y)) return false;
  }
  return true;
}

function findIn(bucket: Bucket, row: Row): Entry | undefined {
  if (!Array.isArray(bucket)) return sameRow(bucket.row, row) ? bucket : undefined;
  for (const e of bucket) if (sameRow(e.row, row)) return e;
  return undefined;
}

/** A replacement under way (see `TableState.begin`): offer every row, then finish or abort. */
export class TableReplacement {
  private readonly add: Row[] = [];
  private readonly added: Entry[] = [];
  private kept = 0;

  constructor(
    private readonly table: Table,
    private readonly gen: number,
  ) {}

  offer(row: Row): void {
    const key = bucketKey(row);
    const buckets = this.table.buckets;
    const bucket = buckets.get(key);
    const found = bucket === undefined ? undefined : findIn(bucket, row);
    if (found !== undefined) {
      if (found.gen !== this.gen) {
        found.gen = this.gen;
        this.kept += 1;
      }
      return;
    }
    const entry: Entry = { row, gen: this.gen };
    if (bucket === undefined) buckets.set(key, entry);
    else if (Array.isArray(bucket)) bucket.push(entry);
    else buckets.set(key, [bucket, entry]);
    this.table.size += 1;
    this.add.push(row);
    this.added.push(entry);
  }

  /** Drops the rows not offered; returns what changed. */
  finish(): TableDelta {
    // Every old row survived when the kept and added rows account for the whole table.
    const del = this.kept + this.add.length === this.table.size ? [] : this.drop((e) => e.gen !== this.gen);
    return { add: this.add, del };
  }

  /** Leaves the table as it was before `begin` (stamps of kept rows are harmless). */
  abort(): void {
    const added = new Set(this.added);
    if (added.size > 0) this.drop((e) => added.has(e));
  }

  /** Removes the entries `gone` selects; returns their rows. */
  private drop(gone: (e: Entry) => boolean): Row[] {
    const out: Row[] = [];
    for (const [key, bucket] of this.table.buckets) {
      if (!Array.isArray(bucket)) {
        if (gone(bucket)) {
          this.table.buckets.delete(key);
          out.push(bucket.row);
        }
        continue;
      }
      const stay = bucket.filter((e) => {
        if (!gone(e)) return true;
        out.push(e.row);
        return false;
      });
      if (stay.length === bucket.length) continue;
      if (stay.length === 0) this.table.buckets.delete(key);
      else this.table.buckets.set(key, stay.length === 1 ? stay[0] : stay);
    }
    this.table.size -= out.length;
    return out;
  }
}

/** The tables of one driver, keyed by row identity. */
export class TableState {
  private readonly tables = new Map<string, Table>();
  private gen = 0;

  /** Declares a table (empty) so it is listed even before it has rows. */
  declare(table: string): void {
    if (!this.tables.has(table)) this.tables.set(table, { buckets: new Map(), size: 0 });
  }

  /** True when the table is declared. */
  has(table: string): boolean {
    return this.tables.has(table);
  }

  /**
   * Replaces the table's contents; returns the rows added and deleted (duplicates collapse).
   * Rows that stay are only stamped, not copied, so a large unchanged table costs one lookup per row.
   */
  replace(table: string, rows: readonly Row[]): TableDelta {
    const replacement = this.begin(table);
    for (const row of rows) replacement.offer(row);
    return replacement.finish();
  }

  /**
   * Starts replacing the table's contents with rows offered one at a time, so that a poll can
   * hand over each object's rows as it translates them: rows that stay are garbage at once
   * instead of surviving, with the rest of the translation, into the old generation.
   */
  begin(table: string): TableReplacement {
    this.declare(table);
    return new TableReplacement(this.tables.get(table) as Table, ++this.gen);
  }

  /** The table's rows (empty for an unknown table). */
  rows(table: string): Row[] {
    const t = this.tables.get(table);
    const out: Row[] = [];
    if (t === undefined) return out;
    for (const bucket of t.buckets.values()) {
      if (Array.isArray(bucket)) for (const e of bucket) out.push(e.row);
      else out.push(bucket.row);
    }
    return out;
  }

  /** Number of rows per declared table. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, t] of this.tables) out[name] = t.size;
    return out;
  }

  /** Names of the declared tables. */
  names(): string[] {
    return [...this.tables.keys()];
  }
}

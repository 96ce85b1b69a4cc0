/**
 * Table schemas of a policy: fixed ones (datasource tables, given by the driver) and the
 * *inferred*, reference-counted ones that ordinary policies build from their own rules and facts.
 * Widths from either kind are enforced by the update pipeline (spec 6.3, 6.4).
 */

/** A column as drivers describe it, or just its name. */
export type ColumnSpec = string | { readonly name: string; readonly desc?: string; readonly type?: string; readonly nullable?: boolean };

/** What one inferred-schema update did, so that it can be undone. */
export interface SchemaChange {
  readonly table: string;
  readonly insert: boolean;
  /** Columns of an entry that the change created or removed; null when it only moved a count. */
  readonly columns: readonly string[] | null;
}

export class Schema {
  private readonly map = new Map<string, readonly string[]>();
  /** Reference counts; null for fixed schemas, which updates never touch. */
  private readonly count: Map<string, number> | null;

  private constructor(
    counting: boolean,
    /** A complete schema lists every permitted table: unknown tables are errors. */
    readonly complete: boolean,
  ) {
    this.count = counting ? new Map() : null;
  }

  /** A fixed schema (datasource tables). */
  static fixed(tables: Readonly<Record<string, readonly ColumnSpec[]>>, complete = false): Schema {
    const s = new Schema(false, complete);
    for (const [table, cols] of Object.entries(tables)) s.map.set(table, cols.map(columnName));
    return s;
  }

  /** An empty, counting schema for policies whose widths are inferred from their content. */
  static inferred(): Schema {
    return new Schema(true, false);
  }

  get isFixed(): boolean {
    return this.count === null;
  }

  has(table: string): boolean {
    return this.map.has(table);
  }

  tables(): IterableIterator<string> {
    return this.map.keys();
  }

  columns(table: string): readonly string[] | undefined {
    return this.map.get(table);
  }

  arity(table: string): number | undefined {
    return this.map.get(table)?.length;
  }

  /** Column position of a name or number; undefined when unknown (numbers are range-checked loosely, as in the original). */
  columnNumber(table: string, column: string | number): number | undefined {
    const cols = this.map.get(table);
    if (cols === undefined) return undefined;
    if (typeof column === 'number') return column > cols.length ? undefined : column;
    const i = cols.indexOf(column);
    return i < 0 ? undefined : i;
  }

  columnName(table: string, column: number): string | undefined {
    return this.map.get(table)?.[column];
  }

  /** Registers (or, for deletes, releases) one use of `table` with `width` columns. */
  update(table: string, width: number, insert: boolean): SchemaChange | null {
    if (this.count === null) return null;
    const n = this.count.get(table);
    if (insert) {
      if (n !== undefined) {
        this.count.set(table, n + 1);
        return { table, insert, columns: null };
      }
      const cols = Array.from({ length: width }, (_, i) => 'Col' + i);
      this.count.set(table, 1);
      this.map.set(table, cols);
      return { table, insert, columns: cols };
    }
    if (n === undefined) return null;
    if (n > 1) {
      this.count.set(table, n - 1);
      return { table, insert, columns: null };
    }
    const cols = this.map.get(table) ?? [];
    this.count.delete(table);
    this.map.delete(table);
    return { table, insert, columns: cols };
  }

  /** Registers `n` uses of `table` at once: the same as `n` inserting {@link update}s in a row. */
  addUses(table: string, width: number, n: number): void {
    if (this.count === null || n <= 0) return;
    const had = this.count.get(table);
    if (had === undefined) this.map.set(table, Array.from({ length: width }, (_, i) => 'Col' + i));
    this.count.set(table, (had ?? 0) + n);
  }

  revert(change: SchemaChange): void {
    if (this.count === null) return;
    const n = this.count.get(change.table);
    if (change.insert) {
      if (n !== undefined && n > 1) this.count.set(change.table, n - 1);
      else {
        this.count.delete(change.table);
        this.map.delete(change.table);
      }
    } else if (n !== undefined) {
      this.count.set(change.table, n + 1);
    } else {
      this.map.set(change.table, change.columns ?? []);
      this.count.set(change.table, 1);
    }
  }

  /** Plain description for APIs: table -> column names. */
  toJSON(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [t, cols] of this.map) out[t] = [...cols];
    return out;
  }
}

function columnName(c: ColumnSpec): string {
  return typeof c === 'string' ? c : c.name;
}

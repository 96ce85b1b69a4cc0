// The publishing side of table replication for one service incarnation. It keeps the last
// contents it published per table, so it can turn a full replacement into a delta and answer any
// subscriber's snapshot request with contents and sequence number taken at the same instant.
import { randomUUID } from 'node:crypto';
import { rowKey, type Row, type TableDelta } from './json';
import type { SnapshotReply, TableMessage } from './protocol';

interface PublishedTable {
  seq: number;
  rows: Map<string, Row>;
}

/**
 * Sequence numbers and last-published contents of every table of one publishing service.
 * A new instance (service re-registered, process restarted) has a new random epoch, which tells
 * subscribers that its sequence numbers start afresh.
 */
export class TablePublisher {
  /** Random id of this publisher incarnation. */
  readonly epoch: string = randomUUID();
  private readonly tables = new Map<string, PublishedTable>();

  constructor(readonly publisher: string) {}

  /**
   * Records `rows` as the table's new full contents and returns the publication that carries the
   * change, or undefined when nothing changed (no sequence number is used then).
   */
  replace(table: string, rows: readonly Row[]): TableMessage | undefined {
    const state = this.table(table);
    const next = new Map<string, Row>();
    for (const row of rows) next.set(rowKey(row), row);
    const add: Row[] = [];
    const del: Row[] = [];
    for (const [key, row] of next) if (!state.rows.has(key)) add.push(row);
    for (const [key, row] of state.rows) if (!next.has(key)) del.push(row);
    if (add.length === 0 && del.length === 0) return undefined;
    state.rows = next;
    return this.seal(table, state, add, del);
  }

  /**
   * Applies a delta to the table's contents and returns the publication carrying its effect
   * (rows already present are not re-added, absent rows not deleted), or undefined if none.
   */
  change(table: string, delta: TableDelta): TableMessage | undefined {
    const state = this.table(table);
    const del: Row[] = [];
    const add: Row[] = [];
    for (const row of delta.del) {
      const key = rowKey(row);
      if (state.rows.delete(key)) del.push(row);
    }
    for (const row of delta.add) {
      const key = rowKey(row);
      if (!state.rows.has(key)) {
        state.rows.set(key, row);
        add.push(row);
      }
    }
    if (add.length === 0 && del.length === 0) return undefined;
    return this.seal(table, state, add, del);
  }

  /** The table's contents and the sequence number they correspond to (a never-published table is empty at 0). */
  snapshot(table: string): SnapshotReply {
    const state = this.table(table);
    return { epoch: this.epoch, seq: state.seq, rows: [...state.rows.values()] };
  }

  /** The last sequence number of every table this publisher knows. */
  marks(): Record<string, [string, number]> {
    const marks: Record<string, [string, number]> = {};
    for (const [table, state] of this.tables) marks[table] = [this.epoch, state.seq];
    return marks;
  }

  /** Names of the tables this publisher knows. */
  tableNames(): string[] {
    return [...this.tables.keys()].sort();
  }

  private table(table: string): PublishedTable {
    let state = this.tables.get(table);
    if (!state) {
      state = { seq: 0, rows: new Map() };
      this.tables.set(table, state);
    }
    return state;
  }

  private seal(table: string, state: PublishedTable, add: Row[], del: Row[]): TableMessage {
    state.seq += 1;
    return { t: 'table', publisher: this.publisher, table, epoch: this.epoch, seq: state.seq, add, del };
  }
}

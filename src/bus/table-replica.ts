// A ready-made subscriber state: the rows of one table kept by applying updates. The engine keeps
// its own representation; this serves simple consumers, diagnostics and tests.
import { rowKey, type Row } from './json';
import type { TableUpdate } from './table-subscription';

/** The contents of one subscribed table, maintained from snapshots and deltas. */
export class TableReplica {
  private readonly rowsByKey = new Map<string, Row>();
  /** Sequence number and epoch of the last applied update. */
  seq = -1;
  epoch: string | null = null;

  /** Applies an update: a snapshot replaces everything, a delta deletes then adds. */
  apply(update: TableUpdate): void {
    if (update.kind === 'snapshot') {
      this.rowsByKey.clear();
      for (const row of update.rows) this.rowsByKey.set(rowKey(row), row);
    } else {
      for (const row of update.del) this.rowsByKey.delete(rowKey(row));
      for (const row of update.add) this.rowsByKey.set(rowKey(row), row);
    }
    this.seq = update.seq;
    this.epoch = update.epoch;
  }

  /** The rows, sorted by their JSON text so that two replicas compare equal when equal. */
  rows(): Row[] {
    return [...this.rowsByKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  }

  /** Number of rows. */
  get size(): number {
    return this.rowsByKey.size;
  }
}

/**
 * The `_key` of each polled document. PostgreSQL cannot make a `jsonb` column a primary key, so
 * every stored document gets a number and a delta deletes rows by it. Numbers of deleted
 * documents are reused, and they start at PostgreSQL's smallest BIGINT, as in the original, so a
 * long-running ingester never runs out of them. Keys only have to be stable within one process:
 * the first poll after a start replaces a table's contents.
 */
const FIRST_KEY = -(2n ** 63n);

export class KeyMap {
  private readonly keys = new Map<string, bigint>();
  private readonly free: bigint[] = [];
  private next = FIRST_KEY;

  get size(): number {
    return this.keys.size;
  }

  /** The key of a document (its canonical text), given a new one if it has none. */
  add(document: string): string {
    const known = this.keys.get(document);
    if (known !== undefined) return known.toString();
    const key = this.free.pop() ?? this.next++;
    this.keys.set(document, key);
    return key.toString();
  }

  /** Forgets a document and returns the key it had (undefined when it had none). */
  remove(document: string): string | undefined {
    const key = this.keys.get(document);
    if (key === undefined) return undefined;
    this.keys.delete(document);
    this.free.push(key);
    return key.toString();
  }

  clear(): void {
    this.keys.clear();
    this.free.length = 0;
    this.next = FIRST_KEY;
  }
}

/**
 * The rows of a relation by tuple key, in insertion order (answers come out in that order).
 *
 * A table starts as a `Map`. Once it holds many rows and every key so far is a number (single
 * integers, id pairs), the rows move, in order, into an open-addressing table over typed arrays:
 * a `Map` boxes every key that is not a small integer and spends several words per entry, which
 * dominated large tables (a million edges derive two million pairs). Small tables stay in the
 * `Map`, which a fresh process runs fastest. A key that is not a number moves the rows back.
 *
 * Iteration visits rows appended meanwhile, as a `Map`'s does (semi-naive evaluation adds to a
 * relation it reads); if the rows move while one is being walked, the walk finishes the rows it
 * started with, which semi-naive evaluation tolerates (what it misses is in the next round's
 * delta). Deleted rows leave holes that only deletions squeeze out, and no relation is changed
 * by deletion while it is being read.
 */
/** A hash key of a row; only numbers go into the typed-array table. */
type Key = string | number | bigint | symbol;

/** Rows at which an all-numeric table leaves the `Map`. */
const ARRAY_THRESHOLD = 1 << 15;
const EMPTY = 0;
/** Arrays of a table in `Map` mode (never written: typed-array mode allocates its own). */
const NO_KEYS = new Float64Array(0);
const NO_SLOTS = new Int32Array(0);
const DELETED = -1;

function hashNumber(key: number): number {
  const hi = Math.floor(key / 4294967296);
  const lo = key - hi * 4294967296;
  let h = Math.imul(lo | 0, 0x9e3779b1) ^ Math.imul(hi | 0, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

export class RowTable<V> {
  /** The rows while the table is small or has a key that is not a number; null in typed-array mode. */
  private map: Map<Key, V> | null = new Map();
  /** Every key so far was a number. */
  private numeric = true;
  /** Keys and rows by insertion position; a deleted row leaves `undefined`. */
  private keys = NO_KEYS;
  private vals: (V | undefined)[] = [];
  private used = 0;
  private live = 0;
  /** Open addressing: position + 1 of a row, EMPTY, or DELETED. Size is a power of two. */
  private slots = NO_SLOTS;
  private tombstones = 0;
  /** Bumped by `clear`, which ends iterations in progress. */
  private clears = 0;

  get size(): number {
    return this.map !== null ? this.map.size : this.live;
  }

  get(key: Key): V | undefined {
    if (this.map !== null) return this.map.get(key);
    if (typeof key !== 'number') return undefined;
    const s = this.find(key);
    return s < 0 ? undefined : this.vals[this.slots[s] - 1];
  }

  has(key: Key): boolean {
    return this.get(key) !== undefined;
  }

  /** Stores a row under a key that is not present. */
  add(key: Key, t: V): void {
    if (typeof key !== 'number' && this.numeric) {
      this.numeric = false;
      if (this.map === null) this.toMap();
    }
    if (this.map !== null) {
      this.map.set(key, t);
      if (this.numeric && this.map.size >= ARRAY_THRESHOLD) this.toArrays();
      return;
    }
    const k = key as number;
    if (this.used === this.keys.length) this.growKeys();
    if ((this.live + this.tombstones + 1) * 2 > this.slots.length) this.rehash();
    const pos = this.used++;
    this.keys[pos] = k;
    this.vals[pos] = t;
    this.live++;
    const mask = this.slots.length - 1;
    let s = hashNumber(k) & mask;
    while (this.slots[s] > 0) s = (s + 1) & mask;
    if (this.slots[s] === DELETED) this.tombstones--;
    this.slots[s] = pos + 1;
  }

  /**
   * The row under `key`, or, when there is none, stores `t` there and returns undefined: one
   * probe where `get` then `add` took two (each a likely cache miss in a large table).
   */
  getOrAdd(key: Key, t: V): V | undefined {
    if (this.map !== null || typeof key !== 'number') {
      const v = this.get(key);
      if (v === undefined) this.add(key, t);
      return v;
    }
    if ((this.live + this.tombstones + 1) * 2 > this.slots.length) this.rehash();
    const mask = this.slots.length - 1;
    let s = hashNumber(key) & mask;
    let free = -1;
    for (;;) {
      const v = this.slots[s];
      if (v === EMPTY) break;
      if (v > 0) {
        if (this.keys[v - 1] === key) return this.vals[v - 1];
      } else if (free < 0) free = s;
      s = (s + 1) & mask;
    }
    if (free >= 0) {
      s = free;
      this.tombstones--;
    }
    if (this.used === this.keys.length) this.growKeys();
    const pos = this.used++;
    this.keys[pos] = key;
    this.vals[pos] = t;
    this.live++;
    this.slots[s] = pos + 1;
    return undefined;
  }

  /** Stores `t` under `key`, replacing the row there (in its place) or adding it. */
  set(key: Key, t: V): void {
    if (this.map === null && typeof key === 'number') {
      const s = this.find(key);
      if (s >= 0) {
        this.vals[this.slots[s] - 1] = t;
        return;
      }
    } else if (this.map !== null && this.map.has(key)) {
      this.map.set(key, t);
      return;
    }
    this.add(key, t);
  }

  delete(key: Key): void {
    if (this.map !== null) {
      this.map.delete(key);
      return;
    }
    if (typeof key !== 'number') return;
    const s = this.find(key);
    if (s < 0) return;
    this.vals[this.slots[s] - 1] = undefined;
    this.slots[s] = DELETED;
    this.tombstones++;
    this.live--;
    if (this.used - this.live > 64 && this.used - this.live > this.live) this.compact();
  }

  clear(): void {
    // Ends walks in progress, as a Map's `clear` does.
    this.map?.clear();
    this.clears++;
    this.numeric = true;
    this.useMap(new Map());
  }

  /**
   * Rows in insertion order. If the rows move meanwhile (between the `Map` and the arrays, or
   * squeezed), the walk finishes the rows it started with; `clear` ends it.
   */
  values(): IterableIterator<V> {
    return this.map !== null ? this.map.values() : this.arrayValues();
  }

  /**
   * Calls `visit` for every row in insertion order, with `values()`'s semantics. A walk without
   * an iterator: until the JIT has optimized a `for...of` loop, each step allocates an iterator
   * result, and full walks are most of what a fresh process iterates.
   */
  forEach(visit: (row: V) => void): void {
    if (this.map !== null) {
      this.map.forEach(visit);
      return;
    }
    const vals = this.vals;
    const clears = this.clears;
    for (let i = 0; this.clears === clears && i < (this.vals === vals ? this.used : vals.length); i++) {
      const t = vals[i];
      if (t !== undefined) visit(t);
    }
  }

  [Symbol.iterator](): IterableIterator<V> {
    return this.values();
  }

  private *arrayValues(): IterableIterator<V> {
    const vals = this.vals;
    const clears = this.clears;
    for (let i = 0; ; i++) {
      if (this.clears !== clears || i >= (this.vals === vals ? this.used : vals.length)) return;
      const t = vals[i];
      if (t !== undefined) yield t;
    }
  }

  /** Every key and row, in insertion order (a copy: callers may change the table afterwards). */
  entries(): [Key, V][] {
    if (this.map !== null) return [...this.map.entries()];
    const out: [Key, V][] = [];
    for (let i = 0; i < this.used; i++) {
      const t = this.vals[i];
      if (t !== undefined) out.push([this.keys[i], t]);
    }
    return out;
  }

  private growKeys(): void {
    const grown = new Float64Array(this.keys.length * 2);
    grown.set(this.keys);
    this.keys = grown;
  }

  /** The slot holding `key`, or -1. */
  private find(key: number): number {
    const mask = this.slots.length - 1;
    let s = hashNumber(key) & mask;
    for (;;) {
      const v = this.slots[s];
      if (v === EMPTY) return -1;
      if (v > 0 && this.keys[v - 1] === key) return s;
      s = (s + 1) & mask;
    }
  }

  private rehash(): void {
    let size = this.slots.length;
    while ((this.live + 1) * 2 > size) size *= 2;
    if (size === this.slots.length && this.tombstones < this.live) size *= 2;
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let i = 0; i < this.used; i++) {
      if (this.vals[i] === undefined) continue;
      let s = hashNumber(this.keys[i]) & mask;
      while (slots[s] !== EMPTY) s = (s + 1) & mask;
      slots[s] = i + 1;
    }
    this.slots = slots;
    this.tombstones = 0;
  }

  /** Squeezes out deleted rows (keeping order) and rebuilds the slots. */
  private compact(): void {
    const keys = new Float64Array(Math.max(8, this.live * 2));
    const vals: V[] = [];
    for (let i = 0; i < this.used; i++) {
      const t = this.vals[i];
      if (t === undefined) continue;
      keys[vals.length] = this.keys[i];
      vals.push(t);
    }
    this.keys = keys;
    this.vals = vals;
    this.used = vals.length;
    this.rehash();
  }

  private toArrays(): void {
    const map = this.map as Map<Key, V>;
    let size = 16;
    while (size < map.size * 4) size *= 2;
    this.keys = new Float64Array(map.size * 2);
    this.vals = [];
    this.used = 0;
    this.live = 0;
    this.slots = new Int32Array(size);
    this.tombstones = 0;
    this.map = null;
    for (const [k, v] of map) this.add(k, v);
  }

  private toMap(): void {
    const map = new Map<Key, V>();
    for (let i = 0; i < this.used; i++) {
      const t = this.vals[i];
      if (t !== undefined) map.set(this.keys[i], t);
    }
    this.useMap(map);
  }

  /** Serves the rows from `map` and lets go of the arrays. */
  private useMap(map: Map<Key, V>): void {
    this.map = map;
    this.keys = NO_KEYS;
    this.vals = [];
    this.used = 0;
    this.live = 0;
    this.slots = NO_SLOTS;
    this.tombstones = 0;
  }
}

/**
 * A relation: a set of ground tuples of one predicate, each with a derivation count, and hash
 * indexes on the column subsets that lookups use. Counts make incremental maintenance exact for
 * non-recursive rules: a tuple is present while at least one derivation (or the stored fact)
 * supports it.
 */
import { sameValue, valueKey, type Value } from '../value';
import { RowTable } from './row-table';

export type Tuple = readonly Value[];

/**
 * Hash key of a tuple or of some of its columns. One column keys by the value itself (Map keys
 * keep `1` and `"1"` apart, and floats get a canonical symbol), so the common single-column
 * lookup allocates nothing; wider keys are strings.
 */
export type TupleKey = string | number | bigint | symbol;

function singleKey(v: Value): TupleKey {
  return typeof v === 'object' ? Symbol.for('congress.float:' + v.v) : v;
}

const PAIR_LIMIT = 2 ** 26;
const SMALL_PAIR_LIMIT = 2 ** 15;
const LARGE_PAIRS = 2 ** 30;

/**
 * Pairs of small non-negative integers (ids, counters) key as one number: no string built.
 * Pairs below 2^15 key below 2^30, a small integer V8 keeps unboxed (no heap number per key,
 * cheaper hashing); larger pairs key at 2^30 and above.
 */
function pairKey(a: Value | undefined, b: Value | undefined): number | null {
  if (typeof a === 'number' && typeof b === 'number' && a >= 0 && b >= 0 && a < PAIR_LIMIT && b < PAIR_LIMIT && Number.isInteger(a) && Number.isInteger(b)) {
    return a < SMALL_PAIR_LIMIT && b < SMALL_PAIR_LIMIT ? a * SMALL_PAIR_LIMIT + b : LARGE_PAIRS + a * PAIR_LIMIT + b;
  }
  return null;
}

/**
 * Key of a tuple of strings and finite numbers: its JSON text, built natively in one flat string
 * (piecewise concatenation of wide rows cost more than the rest of storing them). Quotes keep
 * `1` and `"1"` apart; it never collides with the piecewise keys, which do not start with `[`.
 */
function jsonKey(t: readonly (Value | undefined)[]): string | null {
  for (let i = 0; i < t.length; i++) {
    const v = t[i];
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) return null;
  }
  return JSON.stringify(t);
}

/** Key of a whole tuple: typed, so `1` and `1.0` are different tuples. */
export function tupleKey(t: Tuple): TupleKey {
  if (t.length === 1) return singleKey(t[0]);
  if (t.length === 2) {
    const p = pairKey(t[0], t[1]);
    if (p !== null) return p;
  }
  const j = jsonKey(t);
  if (j !== null) return j;
  let k = '';
  for (let i = 0; i < t.length; i++) k += valueKey(t[i]) + '|';
  return k;
}

/** Key of the values at `cols` of a tuple (or of a lookup pattern); equal to tupleKey for all columns. */
export function columnsKey(values: readonly (Value | undefined)[], cols: readonly number[]): TupleKey {
  if (cols.length === 1) return singleKey(values[cols[0]] as Value);
  if (cols.length === 2) {
    const p = pairKey(values[cols[0]], values[cols[1]]);
    if (p !== null) return p;
  }
  const picked: (Value | undefined)[] = new Array(cols.length);
  for (let i = 0; i < cols.length; i++) picked[i] = values[cols[i]];
  return tupleKey(picked as Tuple);
}

/**
 * Rows sharing one index key: one tuple, a short list of tuples, or a set once the list grows
 * long. A tuple's elements are values, never arrays, so a list is told apart from a single
 * tuple by its first element.
 */
export type Bucket = Tuple | Tuple[] | Set<Tuple>;

/** Matches of a lookup: a bucket or every row (walked with `forEach`, as a set bucket is). */
export type Found = Bucket | RowTable<Tuple>;

/** Whether a lookup answer is one tuple (else something to iterate). */
export function isSingle(found: Found): found is Tuple {
  return Array.isArray(found) && (found.length === 0 || !Array.isArray(found[0]));
}

/**
 * Rows from which a relation answers the first lookup on a set of columns by a walk, and builds
 * the index only if the columns are looked up again: building costs several times a walk, and
 * a one-off query with a constant (`hop2(0, y)` over two million rows) would pay it for nothing.
 * Mid-size tables too: a rule with a constant (`servers(status="ERROR")` over five thousand rows)
 * is evaluated once when materialized, and a table that is looked up repeatedly pays one walk
 * more before its index.
 */
const SCAN_FIRST = 1 << 10;

/** Whether the bound (defined) columns of `pattern` are typed-equal to the tuple's. */
export function matchesBound(t: Tuple, pattern: readonly (Value | undefined)[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p !== undefined && !sameValue(p, t[i])) return false;
  }
  return true;
}

/** Longest list bucket: removal from a list is linear, so longer buckets become sets. */
const LIST_LIMIT = 16;

/**
 * A hash index on some columns. Most buckets hold one row (an index on an id column), so a
 * bucket is the tuple itself until a second row arrives, then a list (much cheaper to build
 * than a set; lists and sets both keep insertion order), and a set only for long buckets.
 */
class Index {
  /** A row table, so that a large index on ids keys into typed arrays instead of a `Map`. */
  readonly buckets = new RowTable<Bucket>();
  constructor(readonly cols: readonly number[]) {}

  add(t: Tuple): void {
    const k = columnsKey(t, this.cols);
    const b = this.buckets.getOrAdd(k, t);
    if (b === undefined) return;
    if (b instanceof Set) b.add(t);
    else if (isSingle(b)) this.buckets.set(k, [b, t]);
    else if (b.length < LIST_LIMIT) b.push(t);
    else this.buckets.set(k, new Set([...b, t]));
  }

  /** Removes the stored tuple `t` (by identity). */
  remove(t: Tuple): void {
    const k = columnsKey(t, this.cols);
    const b = this.buckets.get(k);
    if (b === undefined) return;
    if (b instanceof Set) b.delete(t);
    else if (isSingle(b)) {
      if (b === t) this.buckets.delete(k);
      return;
    } else {
      const i = b.indexOf(t);
      if (i >= 0) b.splice(i, 1);
    }
    const size = b instanceof Set ? b.size : b.length;
    if (size === 1) this.buckets.set(k, (b instanceof Set ? b.values().next().value : b[0]) as Tuple);
  }
}

/**
 * A stored tuple is kept as itself, without a wrapper object: one allocation less per row, which
 * is most of what the garbage collector copies while tables fill. Derivation counts live apart
 * and only for tuples derived more than once (most have exactly one).
 */
export class Relation {
  private readonly rows = new RowTable<Tuple>();
  /** Derivation count minus one, for tuples whose count is above one. */
  private readonly extra = new RowTable<number>();
  /** Indexes by the bitmask of their columns (tables are far narrower than 31 columns). */
  private readonly indexes = new Map<number, Index>();
  /** Column sets a large relation was looked up on once, by a walk instead of an index. */
  private readonly scanned = new Set<number>();

  get size(): number {
    return this.rows.size;
  }

  /** The stored tuple with this key. */
  get(key: TupleKey): Tuple | undefined {
    return this.rows.get(key);
  }

  has(t: Tuple): boolean {
    return this.rows.has(tupleKey(t));
  }

  values(): IterableIterator<Tuple> {
    return this.rows.values();
  }

  /** Every key and stored tuple (a copy). */
  entries(): [TupleKey, Tuple][] {
    return this.rows.entries();
  }

  /**
   * Adds `delta` derivations of `t`. Returns +1 if the tuple appeared, -1 if it disappeared,
   * 0 if presence did not change.
   */
  add(t: Tuple, delta: number, key: TupleKey = tupleKey(t)): -1 | 0 | 1 {
    const stored = delta > 0 ? this.rows.getOrAdd(key, t) : this.rows.get(key);
    if (stored === undefined) {
      if (delta <= 0) return 0;
      if (delta > 1) this.extra.set(key, delta - 1);
      if (this.indexes.size > 0) for (const idx of this.indexes.values()) idx.add(t);
      return 1;
    }
    const count = 1 + (this.extra.size > 0 ? (this.extra.get(key) ?? 0) : 0) + delta;
    if (count > 1) {
      this.extra.set(key, count - 1);
      return 0;
    }
    if (this.extra.size > 0) this.extra.delete(key);
    if (count === 1) return 0;
    this.rows.delete(key);
    if (this.indexes.size > 0) for (const idx of this.indexes.values()) idx.remove(stored);
    return -1;
  }

  clear(): void {
    this.rows.clear();
    this.extra.clear();
    this.indexes.clear();
    this.scanned.clear();
  }

  /**
   * Stored tuples matching the bound columns of `pattern` (undefined = free): one tuple, a
   * bucket of them, every row, or undefined. Uses (and builds once) a hash
   * index on exactly the bound columns, so a join step costs what it returns. Returning the
   * bucket instead of taking a callback lets the join loop run inline, without a closure per step.
   */
  lookup(pattern: readonly (Value | undefined)[]): Found | undefined {
    let mask = 0;
    let bound = 0;
    for (let i = 0; i < pattern.length; i++) {
      if (pattern[i] !== undefined) {
        mask |= 1 << i;
        bound++;
      }
    }
    if (bound === 0) return this.rows;
    if (bound === pattern.length) return this.rows.get(tupleKey(pattern as Tuple));
    let idx = this.indexes.get(mask);
    if (idx === undefined) {
      if (this.rows.size >= SCAN_FIRST && !this.scanned.has(mask)) {
        this.scanned.add(mask);
        return this.scan(pattern);
      }
      idx = this.index(mask, pattern.length);
    }
    return idx.buckets.get(columnsKey(pattern, idx.cols));
  }

  /**
   * The rows matching the bound columns of `pattern`, by a walk over all rows (a list, like an
   * index bucket). Columns match when their values are typed-equal, which is when their index
   * keys are equal.
   */
  private scan(pattern: readonly (Value | undefined)[]): Found | undefined {
    const out: Tuple[] = [];
    this.rows.forEach((t) => {
      if (matchesBound(t, pattern)) out.push(t);
    });
    return out.length === 0 ? undefined : out.length === 1 ? out[0] : out;
  }

  /** Calls `visit` for every stored tuple matching `pattern` (see {@link lookup}). */
  match(pattern: readonly (Value | undefined)[], visit: (t: Tuple) => void): void {
    const found = this.lookup(pattern);
    if (found === undefined) return;
    if (isSingle(found)) visit(found);
    else if (Array.isArray(found)) for (let i = 0; i < found.length; i++) visit(found[i]);
    else found.forEach(visit);
  }

  private index(mask: number, width: number): Index {
    let idx = this.indexes.get(mask);
    if (idx === undefined) {
      const cols: number[] = [];
      for (let i = 0; i < width; i++) if ((mask & (1 << i)) !== 0) cols.push(i);
      const built = new Index(cols);
      this.rows.forEach((t) => built.add(t));
      this.indexes.set(mask, built);
      idx = built;
    }
    return idx;
  }
}

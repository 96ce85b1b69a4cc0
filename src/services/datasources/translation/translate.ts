/**
 * The translator engine (spec §2.2–§2.6): turns fetched JSON into rows of the root table and its
 * nested tables. Translators are compiled once into closures, so a poll of tens of thousands of
 * objects does no descriptor lookups. Missing fields read as null, extra fields are ignored,
 * and a value that does not fit its data type is kept as is and counted.
 */
import { isRecord } from '../../../bus/json';
import { Float } from '../../../datalog/value';
import { computeHash, EMPTY_HASH, type HashInput } from './hash';
import { isTableTranslator, type TableTranslator, type ValueTranslator } from './translator';
import { toNative, type NativeRow, type NativeValue } from './values';

/** Rows per table, as one translation produced them (duplicates possible; tables are sets). */
export type TableRows = Map<string, NativeRow[]>;

/** What translating a fetched list produced. */
export interface Translation {
  readonly tables: TableRows;
  /** Objects skipped because they could not be translated (lenient mode only). */
  readonly skipped: number;
  /** The first skip reason, for the status. */
  readonly firstSkipReason: string | null;
  /** Values kept unconverted because they did not fit their data type. */
  readonly typeErrors: number;
}

/** Raised for data that does not have the shape a translator expects. */
export class TranslationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TranslationError';
  }
}

interface Ctx {
  readonly out: TableRows;
  typeErrors: number;
}

type ParentRow = Record<string, NativeValue> | null;
/** Translates one value into rows; returns the generated id when the translator has `id-col`. */
type Populate = (value: unknown, parent: ParentRow, ctx: Ctx) => NativeValue | undefined;
type ValueFn = (raw: unknown, ctx: Ctx) => NativeValue;

function emit(ctx: Ctx, table: string, row: NativeRow): void {
  let rows = ctx.out.get(table);
  if (rows === undefined) {
    rows = [];
    ctx.out.set(table, rows);
  }
  rows.push(row);
}

/** An object of the document; a boxed float (see `parseDataJson`) is a number, not an object. */
function isObject(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && !(value instanceof Float);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Float || typeof value === 'bigint') return 'a number';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function compileValue(t: ValueTranslator): ValueFn {
  const extract = t['extract-fn'];
  const dataType = t['data-type'];
  return (raw, ctx) => {
    const value = toNative(extract === undefined ? raw : extract(raw));
    if (dataType === undefined || value === null) return value;
    const m = dataType.marshal(value);
    if (m.ok) return m.value;
    ctx.typeErrors += 1;
    return value;
  };
}

function parentValue(parent: ParentRow, key: string): NativeValue {
  if (parent === null) return null;
  const v = parent[key];
  return v === undefined ? null : v;
}

interface CompiledSub {
  readonly populate: Populate;
  readonly extract: ((raw: unknown) => unknown) | undefined;
  readonly hasId: boolean;
}

function compileSub(t: TableTranslator): CompiledSub {
  return { populate: compileTable(t), extract: t['objects-extract-fn'], hasId: t['id-col'] !== undefined };
}

/** Runs a nested table translator on a field value; null gives no rows (and the empty id). */
function runSub(sub: CompiledSub, raw: unknown, parent: ParentRow, ctx: Ctx): NativeValue | undefined {
  if (raw === null || raw === undefined) return sub.hasId ? EMPTY_HASH : undefined;
  const value = sub.extract === undefined ? raw : sub.extract(raw);
  if (value === null || value === undefined) return sub.hasId ? EMPTY_HASH : undefined;
  const id = sub.populate(value, parent, ctx);
  return sub.hasId ? (id === undefined ? EMPTY_HASH : id) : undefined;
}

function idOf(t: TableTranslator, obj: unknown, values: readonly HashInput[]): NativeValue {
  const idCol = t['id-col'];
  return typeof idCol === 'function' ? idCol(obj) : computeHash(values);
}

interface CompiledField {
  readonly name: string;
  readonly col: string;
  /** Position in the row's value list; -1 for nested tables with a parent-key (no column). */
  readonly index: number;
  readonly value?: ValueFn;
  readonly sub?: CompiledSub;
}

function compileHdict(t: TableTranslator & { 'translation-type': 'HDICT' }): Populate {
  const table = t['table-name'];
  const parentKey = t['parent-key'];
  const parentCol = t['parent-col-name'] ?? 'parent_key';
  const hasId = t['id-col'] !== undefined;
  let width = 0;
  const fields: CompiledField[] = t['field-translators'].map((f) => {
    const sub = f.translator;
    const col = f.col ?? f.fieldname;
    if (!isTableTranslator(sub)) return { name: f.fieldname, col, index: width++, value: compileValue(sub) };
    const index = sub['parent-key'] === undefined ? width++ : -1;
    return { name: f.fieldname, col, index, sub: compileSub(sub) };
  });
  // Columns first, so children that copy a parent column find it filled.
  const columnFields = fields.filter((f) => f.index >= 0);
  const childFields = fields.filter((f) => f.index < 0);
  const needsRowDict = childFields.length > 0;

  const one = (obj: unknown, parent: ParentRow, ctx: Ctx): NativeValue | undefined => {
    if (!isObject(obj)) throw new TranslationError(`table ${table}: expected an object, got ${describe(obj)}`);
    const rowDict: Record<string, NativeValue> | null = needsRowDict ? {} : null;
    let pv: NativeValue = null;
    if (parentKey !== undefined) {
      pv = parentValue(parent, parentKey);
      if (rowDict !== null) rowDict[parentCol] = pv;
    }
    const values = new Array<NativeValue>(width);
    for (const f of columnFields) {
      const raw = obj[f.name];
      const v = f.value !== undefined ? f.value(raw, ctx) : (runSub(f.sub as CompiledSub, raw, rowDict, ctx) ?? null);
      values[f.index] = v;
      if (rowDict !== null) rowDict[f.col] = v;
    }
    for (const f of childFields) runSub(f.sub as CompiledSub, obj[f.name], rowDict, ctx);
    if (hasId) {
      const id = idOf(t, obj, values);
      emit(ctx, table, [id, ...values]);
      return id;
    }
    if (parentKey !== undefined) values.unshift(pv);
    emit(ctx, table, values);
    return undefined;
  };

  if (t['in-list'] !== true) return one;
  // The id an in-list table gives its parent is its last element's, and null for an empty list,
  // as in the original: the parent's column then names a row that exists in this table.
  return (list, parent, ctx) => {
    if (!Array.isArray(list)) throw new TranslationError(`table ${table}: expected a list, got ${describe(list)}`);
    let last: NativeValue | undefined = hasId ? null : undefined;
    for (const obj of list) {
      if (obj === null || obj === undefined) continue;
      const id = one(obj, parent, ctx);
      if (id !== undefined) last = id;
    }
    return last;
  };
}

function compileList(t: TableTranslator & { 'translation-type': 'LIST' }): Populate {
  const table = t['table-name'];
  const parentKey = t['parent-key'];
  const hasId = t['id-col'] !== undefined;
  const element = t.translator;
  const value = isTableTranslator(element) ? undefined : compileValue(element);
  const sub = isTableTranslator(element) ? compileSub(element) : undefined;
  return (list, parent, ctx) => {
    if (!Array.isArray(list)) throw new TranslationError(`table ${table}: expected a list, got ${describe(list)}`);
    const vals: NativeValue[] = new Array<NativeValue>(list.length);
    for (let i = 0; i < list.length; i++) {
      vals[i] = value !== undefined ? value(list[i], ctx) : (runSub(sub as CompiledSub, list[i], null, ctx) ?? EMPTY_HASH);
    }
    if (hasId) {
      const id = idOf(t, list, vals);
      for (const v of vals) emit(ctx, table, [id, v]);
      return id;
    }
    if (parentKey !== undefined) {
      const pv = parentValue(parent, parentKey);
      for (const v of vals) emit(ctx, table, [pv, v]);
    } else {
      for (const v of vals) emit(ctx, table, [v]);
    }
    return undefined;
  };
}

function compileVdict(t: TableTranslator & { 'translation-type': 'VDICT' }): Populate {
  const table = t['table-name'];
  const parentKey = t['parent-key'];
  const keyCol = t['key-col'];
  const hasId = t['id-col'] !== undefined;
  const valueT = t.translator;
  const value = isTableTranslator(valueT) ? undefined : compileValue(valueT);
  const sub = isTableTranslator(valueT) ? compileSub(valueT) : undefined;
  return (dict, parent, ctx) => {
    if (!isObject(dict)) throw new TranslationError(`table ${table}: expected an object, got ${describe(dict)}`);
    const pairs: NativeValue[][] = [];
    for (const [k, raw] of Object.entries(dict)) {
      if (value !== undefined) {
        pairs.push([k, value(raw, ctx)]);
      } else {
        const id = runSub(sub as CompiledSub, raw, { [keyCol]: k }, ctx);
        pairs.push(id === undefined ? [k] : [k, id]);
      }
    }
    if (hasId) {
      const id = idOf(t, dict, pairs);
      for (const p of pairs) emit(ctx, table, [id, ...p]);
      return id;
    }
    if (parentKey !== undefined) {
      const pv = parentValue(parent, parentKey);
      for (const p of pairs) emit(ctx, table, [pv, ...p]);
    } else {
      for (const p of pairs) emit(ctx, table, p);
    }
    return undefined;
  };
}

function compileTable(t: TableTranslator): Populate {
  switch (t['translation-type']) {
    case 'HDICT':
      return compileHdict(t);
    case 'LIST':
      return compileList(t);
    case 'VDICT':
      return compileVdict(t);
  }
}

/** How a failing object is handled: skipped and counted (polls), or fatal (pushes). */
export type TranslationMode = 'lenient' | 'strict';

/** A compiled root translator: call `convert` with each fetched list. */
export class RootTranslator {
  private readonly populate: Populate;
  /** The root table's name. */
  readonly table: string;

  constructor(readonly translator: TableTranslator) {
    this.table = translator['table-name'];
    this.populate = compileTable(translator);
  }

  /**
   * Translates a fetched list (spec §2.6): the root `objects-extract-fn` is applied to the whole
   * list, null elements yield nothing. In lenient mode an object that fails is skipped with
   * everything it produced; in strict mode the error is thrown.
   */
  convert(fetched: unknown, mode: TranslationMode = 'lenient'): Translation {
    const tables: TableRows = new Map();
    const outcome = this.convertInto(fetched, mode, (table, row) => {
      let rows = tables.get(table);
      if (rows === undefined) tables.set(table, (rows = []));
      rows.push(row);
    });
    return { tables, ...outcome };
  }

  /**
   * As `convert`, but hands every row to `sink` as soon as the object it comes from is
   * translated (in lenient mode only objects that translated whole), instead of collecting them.
   */
  convertInto(fetched: unknown, mode: TranslationMode, sink: (table: string, row: NativeRow) => void): Omit<Translation, 'tables'> {
    const extract = this.translator['objects-extract-fn'];
    const list = extract === undefined ? fetched : extract(fetched);
    if (!Array.isArray(list)) throw new TranslationError(`table ${this.table}: expected a list of objects, got ${describe(list)}`);
    // One object's rows at a time; the arrays are reused from object to object.
    const ctx: Ctx = { out: new Map(), typeErrors: 0 };
    let skipped = 0;
    let firstSkipReason: string | null = null;
    for (let i = 0; i < list.length; i++) {
      const obj: unknown = list[i];
      if (obj === null || obj === undefined) continue;
      if (mode === 'strict') {
        this.populate(obj, null, ctx);
      } else {
        try {
          this.populate(obj, null, ctx);
        } catch (error) {
          for (const rows of ctx.out.values()) rows.length = 0;
          skipped += 1;
          firstSkipReason ??= `object ${i}: ${error instanceof Error ? error.message : String(error)}`;
          continue;
        }
      }
      for (const [table, rows] of ctx.out) {
        for (let r = 0; r < rows.length; r++) sink(table, rows[r]);
        rows.length = 0;
      }
    }
    return { skipped, firstSkipReason, typeErrors: ctx.typeErrors };
  }
}

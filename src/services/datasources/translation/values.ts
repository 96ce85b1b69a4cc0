/**
 * Column values inside a driver and as they leave it. Drivers keep native JSON scalars (so ids
 * can be hashed as the original hashes Python values); rows leaving a driver are normalised the
 * way the original's `tuple_to_congress` does, except that non-ASCII text is kept (UTF-8).
 */
import type { JsonValue, Row } from '../../../bus';
import { pythonStr } from '../../../datalog/python-text';
import { Float, int } from '../../../datalog/value';
import { floatCell, intCell, type FloatCell, type IntCell } from '../../common/number-cell';

/**
 * A column value as translators produce it. A number is an int when integral and a float
 * otherwise; a float with an integral value (`1.0` upstream) is a boxed {@link Float}, and an
 * integer beyond 2^53 a bigint.
 */
export type NativeValue = string | number | bigint | boolean | null | Float;

/** One row in a driver's state, before normalisation. */
export type NativeRow = readonly NativeValue[];

/** A column value after normalisation: what subscribers and the rows API see. */
export type CongressValue = string | number | FloatCell | IntCell;

/**
 * Any raw JSON value as a column value: scalars kept, structures as the original renders them,
 * Python's `str()` (`{'available': True}`): existing policies compare against that text.
 */
export function toNative(raw: unknown): NativeValue {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'string' || typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : String(raw);
  if (typeof raw === 'bigint') return int(raw);
  if (raw instanceof Float) return Number.isFinite(raw.v) && !Number.isInteger(raw.v) ? raw.v : raw;
  return pythonStr(raw);
}

/** The original's value conversion on output: `True`/`False`/`None` for booleans and null. */
export function toCongress(value: NativeValue): CongressValue {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value instanceof Float) return floatCell(value.v);
  if (typeof value === 'bigint') return intCell(value);
  return value;
}

/** A native row as it is published and shown by the rows API. */
export function rowToCongress(row: NativeRow): Row {
  const out: JsonValue[] = new Array<JsonValue>(row.length);
  for (let i = 0; i < row.length; i++) out[i] = toCongress(row[i]);
  return out;
}

/** Normalises a row the caller owns, in place (saves a copy per row on large polls). */
export function rowToCongressInPlace(row: NativeValue[]): Row {
  const out = row as unknown as JsonValue[];
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (v === null || typeof v === 'boolean' || typeof v === 'bigint' || v instanceof Float) out[i] = toCongress(v);
  }
  return out;
}

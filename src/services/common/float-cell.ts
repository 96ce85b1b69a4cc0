/**
 * Row cells travel as plain JSON (on the bus, in RPC answers, in stored push tables), and plain
 * JSON cannot tell the FLOAT `1.0` from the INTEGER `1`, which the policy language does, nor carry
 * `-0.0`. Such a float therefore travels as the one-key object `{"$float": "1.0"}`, its Python
 * text; any other float is unambiguous as a number. Translated cells are never objects otherwise
 * (structures become their text before they leave a driver), so the form cannot collide with data.
 */
import type { JsonValue } from '../../bus/json';
import type { DataJson } from '../../datalog/json';
import { Float, formatFloat, fromJson, type Value } from '../../datalog/value';

/** A FLOAT that a JSON number would not keep, as a row cell. */
export type FloatCell = { readonly $float: string };

/** The cell of a float value: the tagged form when a JSON number would lose it, else the number. */
export function floatCell(v: number): FloatCell | number {
  return Number.isInteger(v) || !Number.isFinite(v) ? { $float: formatFloat(v) } : v;
}

export function isFloatCell(cell: JsonValue | undefined): cell is FloatCell {
  if (typeof cell !== 'object' || cell === null || Array.isArray(cell)) return false;
  const keys = Object.keys(cell);
  return keys.length === 1 && keys[0] === '$float' && typeof cell.$float === 'string';
}

const SPECIAL: Readonly<Record<string, number>> = { inf: Infinity, '-inf': -Infinity, nan: NaN };

/** The number a float cell stands for. */
export function floatOf(cell: FloatCell): number {
  return SPECIAL[cell.$float] ?? Number(cell.$float);
}

/** A cell as an engine constant: integral JSON numbers are INTEGER, tagged ones FLOAT, structures their JSON text. */
export function cellValue(cell: JsonValue): Value {
  if (cell === null || typeof cell !== 'object') return fromJson(cell);
  if (isFloatCell(cell)) return new Float(floatOf(cell));
  return JSON.stringify(cell);
}

/** A row for an API answer: tagged cells become floats again, which the answer writes as `1.0`. */
export function rowJson(row: readonly JsonValue[]): DataJson[] {
  return row.map((cell) => (isFloatCell(cell) ? new Float(floatOf(cell)) : (cell as DataJson)));
}

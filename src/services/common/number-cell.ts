/**
 * Row cells travel as plain JSON (on the bus, in RPC answers, in stored push tables), and plain
 * JSON read by JSON.parse loses what the policy language keeps apart: the FLOAT `1.0` from the
 * INTEGER `1`, `-0.0`, and the digits of an integer beyond 2^53. Such numbers therefore travel as
 * one-key objects holding their Python text: `{"$float": "1.0"}`, `{"$int": "12345678901234567890"}`.
 * Any other number is unambiguous as a JSON number. Translated cells are never objects otherwise
 * (structures become their text before they leave a driver), so the forms cannot collide with data.
 */
import type { JsonValue } from '../../bus/json';
import type { DataJson } from '../../datalog/json';
import { Float, formatFloat, fromJson, int, type Value } from '../../datalog/value';

/** A FLOAT that a JSON number would not keep, as a row cell. */
export type FloatCell = { readonly $float: string };
/** An INTEGER beyond 2^53, as a row cell. */
export type IntCell = { readonly $int: string };

/** The cell of a float value: the tagged form when a JSON number would lose it, else the number. */
export function floatCell(v: number): FloatCell | number {
  return Number.isInteger(v) || !Number.isFinite(v) ? { $float: formatFloat(v) } : v;
}

/** The cell of an integer: the tagged form beyond 2^53, else the number. */
export function intCell(v: bigint | number): IntCell | number {
  const n = int(v);
  return typeof n === 'number' ? n : { $int: n.toString() };
}

function tagged(cell: JsonValue | undefined, key: string): cell is { [k: string]: string } {
  if (typeof cell !== 'object' || cell === null || Array.isArray(cell)) return false;
  const keys = Object.keys(cell);
  return keys.length === 1 && keys[0] === key && typeof cell[key] === 'string';
}

export function isFloatCell(cell: JsonValue | undefined): cell is FloatCell {
  return tagged(cell, '$float');
}

export function isIntCell(cell: JsonValue | undefined): cell is IntCell {
  return tagged(cell, '$int') && /^-?\d+$/.test((cell as IntCell).$int);
}

const SPECIAL: Readonly<Record<string, number>> = { inf: Infinity, '-inf': -Infinity, nan: NaN };

/** The number a float cell stands for. */
export function floatOf(cell: FloatCell): number {
  return SPECIAL[cell.$float] ?? Number(cell.$float);
}

/** The number a tagged cell stands for; undefined for any other cell. */
function taggedNumber(cell: JsonValue): Float | number | bigint | undefined {
  if (isFloatCell(cell)) return new Float(floatOf(cell));
  if (isIntCell(cell)) return int(BigInt(cell.$int));
  return undefined;
}

/** A cell as an engine constant: JSON numbers by their value, tagged ones by their tag, structures their JSON text. */
export function cellValue(cell: JsonValue): Value {
  if (cell === null || typeof cell !== 'object') return fromJson(cell);
  return taggedNumber(cell) ?? JSON.stringify(cell);
}

/** A row for an API answer: tagged cells become their numbers again, written as Python writes them. */
export function rowJson(row: readonly JsonValue[]): DataJson[] {
  return row.map((cell) => taggedNumber(cell) ?? (cell as DataJson));
}

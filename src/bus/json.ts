// JSON values as they travel on the bus. Everything crossing the bus is JSON, whichever transport
// carries it, so the in-process transport copies through JSON too and both behave alike.

/** A value that survives `JSON.stringify` / `JSON.parse` unchanged. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One row of a table: a JSON array of column values. */
export type Row = JsonValue[];

/** A change to a table: rows to add and rows to delete. */
export interface TableDelta {
  readonly add: Row[];
  readonly del: Row[];
}

/** The identity of a row, used to compare rows by value. */
export function rowKey(row: Row): string {
  return JSON.stringify(row);
}

/** A deep copy made the way the wire makes it (drops functions and undefined, turns Sets into {}). */
export function wireCopy(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** True for a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for an array whose every element is an array (rows). */
export function isRowList(value: unknown): value is Row[] {
  return Array.isArray(value) && value.every((row) => Array.isArray(row));
}

/**
 * The builtin table: each builtin's name, width and number of inputs, and how the evaluator
 * finds one. A body literal is a builtin iff its table name (service ignored) is registered and
 * its width matches (spec 5.8); the name alone is reserved for heads at any width.
 */
import type { Value } from '../value';

/** A builtin predicate of the policy language. */
export interface Builtin {
  /** The table name, e.g. `plus`. */
  readonly name: string;
  /** Total number of arguments. */
  readonly width: number;
  /** The first `inputs` arguments are inputs; the rest are outputs. */
  readonly inputs: number;
  /**
   * Applies the builtin to input values. Returns, when `width === inputs`, a boolean (Python
   * truthiness of the result); otherwise the output values (length `width - inputs`). Throws
   * (a BuiltinFailure, or anything) where Python would raise: the literal then fails silently.
   */
  readonly apply: (inputs: readonly Value[]) => boolean | readonly Value[];
}

/** Builtins by name. Names are unique: there is no overloading by width. */
export type BuiltinTable = ReadonlyMap<string, Builtin>;

/** Builds a table from builtin definitions, refusing duplicate names. */
export function buildTable(groups: readonly (readonly Builtin[])[]): BuiltinTable {
  const table = new Map<string, Builtin>();
  for (const group of groups) {
    for (const b of group) {
      if (table.has(b.name)) throw new Error(`duplicate builtin ${b.name}`);
      table.set(b.name, b);
    }
  }
  return table;
}

/** Shorthand for a builtin definition. */
export function builtin(
  name: string,
  width: number,
  inputs: number,
  apply: (inputs: readonly Value[]) => boolean | readonly Value[],
): Builtin {
  return { name, width, inputs, apply };
}

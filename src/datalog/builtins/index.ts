/**
 * The builtins of the policy language (spec section 9) and how the engine finds them.
 * `findBuiltin` / `isBuiltinName` / `BUILTINS` use the process clock; `createBuiltins` makes an
 * independent table with an injected clock (for `now` and the date parser's defaults).
 */
import { ARITH_BUILTINS } from './arith';
import { COMPARE_BUILTINS } from './compare';
import { datetimeBuiltins, type Clock } from './datetime';
import { netaddrBuiltins } from './netaddr';
import { buildTable, type Builtin, type BuiltinTable } from './registry';
import { STRING_BUILTINS } from './string';
import { VALIDATE_BUILTINS } from './validate';

export type { Builtin, BuiltinTable } from './registry';
export type { Clock } from './datetime';
export { BuiltinFailure, type PythonErrorType } from './failure';

/** A builtin table with its lookups. */
export interface BuiltinRegistry {
  /** All builtins by name. */
  readonly table: BuiltinTable;
  /** The builtin a body literal `table(args)` denotes: name and width must both match. */
  find(table: string, width: number): Builtin | undefined;
  /** True when `table` names a builtin at any width (such names are reserved for heads). */
  isName(table: string): boolean;
}

/** Options of {@link createBuiltins}. */
export interface BuiltinOptions {
  /** Current local time, for `now` and for dates that omit fields. Defaults to `new Date()`. */
  readonly clock?: Clock;
}

/** A fresh builtin table; each has its own parse caches. */
export function createBuiltins(options: BuiltinOptions = {}): BuiltinRegistry {
  const clock = options.clock ?? ((): Date => new Date());
  const table = buildTable([
    COMPARE_BUILTINS,
    ARITH_BUILTINS,
    STRING_BUILTINS,
    datetimeBuiltins(clock),
    netaddrBuiltins(),
    VALIDATE_BUILTINS,
  ]);
  return {
    table,
    find(name, width) {
      const b = table.get(name);
      return b !== undefined && b.width === width ? b : undefined;
    },
    isName: (name) => table.has(name),
  };
}

const DEFAULT_REGISTRY = createBuiltins();

/** Every builtin by name, reading the process clock. */
export const BUILTINS: BuiltinTable = DEFAULT_REGISTRY.table;

/** The builtin a body literal denotes (name and width match; the service prefix is ignored by the caller). */
export function findBuiltin(table: string, width: number): Builtin | undefined {
  const b = BUILTINS.get(table);
  return b !== undefined && b.width === width ? b : undefined;
}

/** True when `table` is a builtin name at any width (the "Conflict with built-in tablename" check). */
export function isBuiltinName(table: string): boolean {
  return BUILTINS.has(table);
}

/** Comparison builtins: `lt lteq equal gt gteq` (tests) and `max` (one output). */
import { builtin, type Builtin } from './registry';
import { pyCompare, pyEquals, pyMax } from './pyops';

/** The comparison builtins, with Python's `<`, `<=`, `==`, `>`, `>=` and `max`. */
export const COMPARE_BUILTINS: readonly Builtin[] = [
  builtin('lt', 2, 2, (a) => pyCompare('<', a[0], a[1])),
  builtin('lteq', 2, 2, (a) => pyCompare('<=', a[0], a[1])),
  builtin('equal', 2, 2, (a) => pyEquals(a[0], a[1])),
  builtin('gt', 2, 2, (a) => pyCompare('>', a[0], a[1])),
  builtin('gteq', 2, 2, (a) => pyCompare('>=', a[0], a[1])),
  builtin('max', 3, 2, (a) => [pyMax(a[0], a[1])]),
];

/**
 * String builtins. `concat` is Python's `+`, so two numbers add (`concat(1, 2, z)` gives 3) and a
 * string with a number fails; `len` counts code points and fails on numbers.
 */
import { builtin, type Builtin } from './registry';
import { pyAdd } from './pyops';
import { fail } from './failure';
import { codePointLength, pyTypeName } from './pytext';

/** `concat len`. */
export const STRING_BUILTINS: readonly Builtin[] = [
  builtin('concat', 3, 2, (a) => [pyAdd(a[0], a[1])]),
  builtin('len', 2, 1, (a) => {
    const s = a[0];
    if (typeof s !== 'string') return fail('TypeError', `object of type '${pyTypeName(s)}' has no len()`);
    return [codePointLength(s)];
  }),
];

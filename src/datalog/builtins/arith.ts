/**
 * Arithmetic builtins. `div` floors when both inputs are ints and divides exactly otherwise,
 * exactly as the original's `x // y if type(x) == int and type(y) == int else x / y`.
 */
import { Float, int } from '../value';
import { builtin, type Builtin } from './registry';
import { pyAdd, pyFloorDiv, pyMul, pySub, pyTrueDiv } from './pyops';
import { pyFloat, pyInt } from './pynum';

/** `plus minus mul div float int`. */
export const ARITH_BUILTINS: readonly Builtin[] = [
  builtin('plus', 3, 2, (a) => [pyAdd(a[0], a[1])]),
  builtin('minus', 3, 2, (a) => [pySub(a[0], a[1])]),
  builtin('mul', 3, 2, (a) => [pyMul(a[0], a[1])]),
  builtin('div', 3, 2, (a) => {
    const x = a[0];
    const y = a[1];
    const bothInts = (typeof x === 'number' || typeof x === 'bigint') && (typeof y === 'number' || typeof y === 'bigint');
    return [bothInts ? pyFloorDiv(x, y) : pyTrueDiv(x, y)];
  }),
  builtin('float', 2, 1, (a) => [new Float(pyFloat(a[0]))]),
  builtin('int', 2, 1, (a) => [int(pyInt(a[0]))]),
];

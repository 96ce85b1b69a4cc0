/**
 * Comparison, arithmetic and string builtins: Python operator semantics on raw values, and the
 * registry's name/width lookup. Expected values were checked against CPython 3.11 running the
 * original builtin.py.
 */
import { BUILTINS, findBuiltin, isBuiltinName, createBuiltins, BuiltinFailure } from '../../../src/datalog/builtins';
import { Float, type Value } from '../../../src/datalog/value';

const f = (x: number): Float => new Float(x);
const FAIL = 'FAIL';
type Outcome = boolean | readonly Value[] | typeof FAIL;

/** Applies a builtin by name; a throw is reported as FAIL (the literal fails silently). */
function run(name: string, ...args: Value[]): Outcome {
  const b = BUILTINS.get(name);
  if (b === undefined) throw new Error(`no builtin ${name}`);
  try {
    return b.apply(args);
  } catch {
    return FAIL;
  }
}

/** The Python exception message a builtin raises. */
function errorOf(name: string, ...args: Value[]): string {
  try {
    (BUILTINS.get(name) as NonNullable<ReturnType<typeof BUILTINS.get>>).apply(args);
  } catch (e) {
    if (e instanceof BuiltinFailure) return `${e.pythonType}: ${e.message}`;
    throw e;
  }
  throw new Error('no error');
}

describe('builtin registry', () => {
  const spec: [string, number, number][] = [
    ['lt', 2, 2], ['lteq', 2, 2], ['equal', 2, 2], ['gt', 2, 2], ['gteq', 2, 2], ['max', 3, 2],
    ['plus', 3, 2], ['minus', 3, 2], ['mul', 3, 2], ['div', 3, 2], ['float', 2, 1], ['int', 2, 1],
    ['concat', 3, 2], ['len', 2, 1],
    ['now', 1, 0], ['unpack_date', 4, 1], ['unpack_time', 4, 1], ['unpack_datetime', 7, 1],
    ['pack_time', 4, 3], ['pack_date', 4, 3], ['pack_datetime', 7, 6], ['extract_date', 2, 1],
    ['extract_time', 2, 1], ['datetime_to_seconds', 2, 1], ['datetime_plus', 3, 2], ['datetime_minus', 3, 2],
    ['datetime_lt', 2, 2], ['datetime_lteq', 2, 2], ['datetime_gt', 2, 2], ['datetime_gteq', 2, 2], ['datetime_equal', 2, 2],
    ['ips_equal', 2, 2], ['ips_lt', 2, 2], ['ips_lteq', 2, 2], ['ips_gt', 2, 2], ['ips_gteq', 2, 2],
    ['networks_equal', 2, 2], ['networks_overlap', 2, 2], ['ip_in_network', 2, 2],
    ['validate_int', 4, 3], ['validate_float', 4, 3], ['validate_string', 6, 5],
  ];

  it('holds exactly the builtins of spec section 9', () => {
    expect([...BUILTINS.keys()].sort()).toEqual(spec.map((s) => s[0]).sort());
  });

  it.each(spec)('%s has width %i and %i inputs', (name, width, inputs) => {
    const b = findBuiltin(name, width);
    expect(b).toBeDefined();
    expect(b?.name).toBe(name);
    expect(b?.inputs).toBe(inputs);
  });

  it('matches on width too: a wrong width is an ordinary table', () => {
    expect(findBuiltin('lt', 1)).toBeUndefined();
    expect(findBuiltin('lt', 3)).toBeUndefined();
    expect(findBuiltin('plus', 2)).toBeUndefined();
    expect(findBuiltin('nosuch', 2)).toBeUndefined();
  });

  it('reserves builtin names at any width', () => {
    expect(isBuiltinName('lt')).toBe(true);
    expect(isBuiltinName('validate_string')).toBe(true);
    expect(isBuiltinName('p')).toBe(false);
    expect(isBuiltinName('builtin:lt')).toBe(false); // callers pass the table part only
    expect(isBuiltinName('constructor')).toBe(false);
  });

  it('creates independent registries with the same lookups', () => {
    const reg = createBuiltins();
    expect(reg.find('plus', 3)?.apply([1, 2])).toEqual([3]);
    expect(reg.find('plus', 4)).toBeUndefined();
    expect(reg.isName('now')).toBe(true);
    expect(reg.table.size).toBe(BUILTINS.size);
  });
});

describe('comparison builtins', () => {
  it.each<[string, Value, Value, boolean | typeof FAIL]>([
    ['lt', 1, 3, true],
    ['lt', 5, 2, false],
    ['lt', 3, 3, false],
    ['lteq', 3, 3, true],
    ['lteq', 4, 3, false],
    ['gt', 9, 5, true],
    ['gteq', 10, 10, true],
    ['gteq', 5, 20, false],
    ['lt', 1, f(1.5), true],
    ['lt', f(2.5), 2, false],
    ['lteq', 1, f(1.0), true],
    ['lt', 2n ** 53n + 1n, f(2 ** 53), false], // exact int/float comparison, as Python
    ['gt', 2n ** 53n + 1n, f(2 ** 53), true],
    ['lt', -(2n ** 60n), 0, true],
    ['lt', f(NaN), 1, false],
    ['gteq', f(NaN), f(NaN), false],
    ['gt', 'a', 'Z', true], // code-point order
    ['lt', 'a', 'ab', true],
    ['lt', '', 'a', true],
    ['lt', '\uff5e', '\u{1f600}', true], // UTF-16 order would say the opposite
    ['gt', '\u{1f600}', '\uffff', true],
    ['lt', 1, 'a', FAIL],
    ['gt', 'a', 1, FAIL],
    ['lteq', f(1.5), '1.5', FAIL],
  ])('%s(%p, %p) is %p', (name, x, y, expected) => {
    expect(run(name, x, y)).toBe(expected);
  });

  it.each<[Value, Value, boolean]>([
    [5, 5, true],
    [5, 7, false],
    [1, f(1.0), true],
    [f(0.0), f(-0.0), true],
    ['1', 1, false],
    [1, '1', false],
    ['a', 'a', true],
    [2n ** 60n, f(2 ** 60), true],
    [2n ** 60n + 1n, f(2 ** 60), false],
    [f(NaN), f(NaN), false],
    [10n ** 30n, 10n ** 30n, true],
  ])('equal(%p, %p) is %p', (x, y, expected) => {
    expect(run('equal', x, y)).toBe(expected);
  });

  it('equal never raises, even for mixed types', () => {
    expect(run('equal', 'a', f(1))).toBe(false);
  });

  it('the same NaN object is not equal to itself', () => {
    const nan = f(NaN);
    expect(run('equal', nan, nan)).toBe(false);
  });

  it.each<[Value, Value, Value | typeof FAIL]>([
    [3, 4, 4],
    [3, 7, 7],
    [7, 3, 7],
    ['a', 'b', 'b'],
    [1, 'a', FAIL],
  ])('max(%p, %p) gives %p', (x, y, expected) => {
    const r = run('max', x, y);
    expect(r === FAIL ? r : (r as Value[])[0]).toEqual(expected);
  });

  it('max keeps the first of two equal values, with its type', () => {
    expect(run('max', 1, f(1.0))).toEqual([1]);
    expect(run('max', f(1.0), 1)).toEqual([f(1.0)]);
    expect(run('max', f(NaN), 1)).toEqual([f(NaN)]);
    expect(run('max', 1, f(NaN))).toEqual([1]);
  });

  it('reports the TypeError texts of CPython', () => {
    expect(errorOf('lt', 1, 'a')).toBe("TypeError: '<' not supported between instances of 'int' and 'str'");
    expect(errorOf('gteq', f(1), 'a')).toBe("TypeError: '>=' not supported between instances of 'float' and 'str'");
    expect(errorOf('max', 1, 'a')).toBe("TypeError: '>' not supported between instances of 'str' and 'int'");
  });
});

describe('arithmetic builtins', () => {
  it.each<[string, Value, Value, Value | typeof FAIL]>([
    ['plus', 2, 3, 5],
    ['plus', 1, f(2.5), f(3.5)],
    ['plus', f(1.0), 3, f(4.0)],
    ['plus', f(0.1), f(0.2), f(0.30000000000000004)],
    ['plus', 'a', 'b', 'ab'],
    ['plus', 'a', 1, FAIL],
    ['plus', 1, 'a', FAIL],
    ['plus', Number.MAX_SAFE_INTEGER, 1, 2n ** 53n],
    ['plus', 2n ** 53n, -1, Number.MAX_SAFE_INTEGER],
    ['plus', 10n ** 30n, f(1), f(1e30)],
    ['plus', 10n ** 400n, f(1), FAIL], // int too large to convert to float
    ['plus', f(1e308), f(1e308), f(Infinity)],
    ['minus', 5, 3, 2],
    ['minus', 3, 5, -2],
    ['minus', f(0.5), 1, f(-0.5)],
    ['minus', -Number.MAX_SAFE_INTEGER, 2, -(2n ** 53n) - 1n],
    ['minus', 'a', 'b', FAIL],
    ['mul', 3, 5, 15],
    ['mul', 0, -5, 0],
    ['mul', 'a', 2, 'aa'],
    ['mul', 3, 'ab', 'ababab'],
    ['mul', 'a', -1, ''],
    ['mul', 'a', 0, ''],
    ['mul', 'a', f(2.0), FAIL],
    ['mul', 'a', 'b', FAIL],
    ['mul', 2 ** 40, 2 ** 40, 2n ** 80n],
    ['mul', f(2.5), 2, f(5.0)],
    ['mul', f(1e20), f(1e20), f(1e40)],
    ['div', 10, 2, 5],
    ['div', 10, 4, 2],
    ['div', 7, 2, 3],
    ['div', -7, 2, -4], // floor, not truncation
    ['div', 7, -2, -4],
    ['div', -7, -2, 3],
    ['div', 0, -5, 0],
    ['div', 10, f(4.0), f(2.5)],
    ['div', f(2.5), 2, f(1.25)],
    ['div', f(1.0), 3, f(0.3333333333333333)],
    ['div', 3, 0, FAIL],
    ['div', f(3.0), 0, FAIL],
    ['div', 3, f(0.0), FAIL],
    ['div', 'a', 2, FAIL],
    ['div', -(10n ** 30n), 7, -142857142857142857142857142858n],
    ['div', 10n ** 30n, 10n ** 29n, 10],
  ])('%s(%p, %p) gives %p', (name, x, y, expected) => {
    const r = run(name, x, y);
    expect(r === FAIL ? r : (r as Value[])[0]).toEqual(expected);
  });

  it('keeps integer results as numbers while safe (typed equality relies on it)', () => {
    const r = run('div', 2n ** 60n, 2n ** 58n) as Value[];
    expect(r[0]).toBe(4);
    expect(Object.is((run('mul', 0, -5) as Value[])[0], 0)).toBe(true);
    expect(Object.is((run('div', 0, -5) as Value[])[0], 0)).toBe(true);
  });

  it.each<[Value, Value | typeof FAIL]>([
    [2, f(2.0)],
    [f(2.3), f(2.3)],
    ['10', f(10.0)],
    [' 1e3 ', f(1000.0)],
    ['1_000.5', f(1000.5)],
    ['-inf', f(-Infinity)],
    ['Infinity', f(Infinity)],
    ['.5', f(0.5)],
    ['5.', f(5.0)],
    ['\u0663', f(3.0)], // Arabic-Indic digit three
    ['abc', FAIL],
    ['', FAIL],
    ['0x10', FAIL],
    ['1__0', FAIL],
    [10n ** 400n, FAIL],
  ])('float(%p) gives %p', (x, expected) => {
    const r = run('float', x);
    expect(r === FAIL ? r : (r as Value[])[0]).toEqual(expected);
  });

  it('float("nan") is a NaN float', () => {
    const r = run('float', 'nan') as Value[];
    expect(r[0]).toBeInstanceOf(Float);
    expect(Number.isNaN((r[0] as Float).v)).toBe(true);
  });

  it.each<[Value, Value | typeof FAIL]>([
    [f(2.5), 2],
    [f(-2.5), -2],
    [f(-0.5), 0],
    [f(1e20), 100000000000000000000n],
    ['10', 10],
    [' 7 ', 7],
    ['+5', 5],
    ['-0', 0],
    ['007', 7],
    ['1_000', 1000],
    ['123456789012345678901234567890', 123456789012345678901234567890n],
    [7, 7],
    ['1.5', FAIL],
    ['abc', FAIL],
    ['1e3', FAIL],
    ['', FAIL],
    ['_1', FAIL],
    [f(NaN), FAIL],
    [f(Infinity), FAIL],
  ])('int(%p) gives %p', (x, expected) => {
    const r = run('int', x);
    expect(r === FAIL ? r : (r as Value[])[0]).toEqual(expected);
  });

  it('refuses integer strings past Python 3.11 digit limit', () => {
    expect(run('int', '1'.repeat(4300))).not.toBe(FAIL);
    expect(errorOf('int', '1'.repeat(4301))).toMatch(/^ValueError: Exceeds the limit \(4300 digits\)/);
  });

  it('reports the ValueError and ZeroDivisionError texts of CPython', () => {
    expect(errorOf('int', 'abc')).toBe("ValueError: invalid literal for int() with base 10: 'abc'");
    expect(errorOf('int', "it's")).toBe('ValueError: invalid literal for int() with base 10: "it\'s"');
    expect(errorOf('float', 'x\ny')).toBe("ValueError: could not convert string to float: 'x\\ny'");
    expect(errorOf('div', 1, 0)).toBe('ZeroDivisionError: integer division or modulo by zero');
    expect(errorOf('div', 1, f(0))).toBe('ZeroDivisionError: float division by zero');
    expect(errorOf('plus', 'a', 1)).toBe('TypeError: can only concatenate str (not "int") to str');
    expect(errorOf('minus', 1, 'a')).toBe("TypeError: unsupported operand type(s) for -: 'int' and 'str'");
    expect(errorOf('mul', 'a', f(2))).toBe("TypeError: can't multiply sequence by non-int of type 'float'");
    expect(errorOf('int', f(Infinity))).toBe('OverflowError: cannot convert float infinity to integer');
  });
});

describe('string builtins', () => {
  it.each<[Value, Value, Value | typeof FAIL]>([
    ['abc', 'def', 'abcdef'],
    ['n', '5', 'n5'],
    ['', '', ''],
    [1, 2, 3],
    [f(1.5), 2, f(3.5)],
    ['n', 5, FAIL],
    [5, 'n', FAIL],
  ])('concat(%p, %p) gives %p', (x, y, expected) => {
    const r = run('concat', x, y);
    expect(r === FAIL ? r : (r as Value[])[0]).toEqual(expected);
  });

  it.each<[Value, number | typeof FAIL]>([
    ['abcde', 5],
    ['', 0],
    ['Jürgen', 6],
    ['李雷', 2],
    ['😀x', 2], // one code point outside the BMP counts once
    ['a\\nb', 4], // no escape processing: four characters
    [5, FAIL],
    [f(1.5), FAIL],
  ])('len(%p) gives %p', (x, expected) => {
    const r = run('len', x);
    expect(r === FAIL ? r : (r as Value[])[0]).toBe(expected);
  });

  it('len of a number raises the TypeError of CPython', () => {
    expect(errorOf('len', 5)).toBe("TypeError: object of type 'int' has no len()");
  });
});

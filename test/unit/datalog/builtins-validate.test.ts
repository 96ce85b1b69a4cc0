/**
 * validate_int / validate_float / validate_string: the texts oslo.config's types raise, `""` on
 * success, `""` bounds meaning "none", the first argument as minimum, and Python `re` semantics
 * for the regex. Expected values come from oslo.config's types.py running the original
 * builtin.py under CPython 3.11.
 */
import { BUILTINS } from '../../../src/datalog/builtins';
import { Float, type Value } from '../../../src/datalog/value';

const FAIL = 'FAIL';
const f = (x: number): Float => new Float(x);

/** The single output of a validator, or FAIL when it raised something oslo.config does not catch. */
function run(name: string, ...args: Value[]): Value | typeof FAIL {
  const b = BUILTINS.get(name);
  if (b === undefined) throw new Error(`no builtin ${name}`);
  try {
    return (b.apply(args) as Value[])[0];
  } catch {
    return FAIL;
  }
}

describe('validate_int', () => {
  it.each<[Value, Value, Value, string | typeof FAIL]>([
    [5, 10, 7, ''],
    [5, 10, 3, 'Should be greater than or equal to 5'],
    [5, 10, 12, 'Should be less than or equal to 10'],
    ['', 10, 100, 'Should be less than or equal to 10'],
    [5, '', 3, 'Should be greater than or equal to 5'],
    ['', '', 'abc', "invalid literal for int() with base 10: 'abc'"],
    [5, 10, '7', ''],
    ['', '', f(2.0), ''],
    [1, 2, f(1.5), ''], // int(1.5) is 1
    [2, 7, 5, ''],
    [2, 7, 9, 'Should be less than or equal to 7'],
    [2, 7, 'string', "invalid literal for int() with base 10: 'string'"],
    [10, 5, 7, 'Max value is less than min value'],
    ['a', 10, 5, "'<' not supported between instances of 'int' and 'str'"],
    ['a', '', 5, "'<' not supported between instances of 'int' and 'str'"],
    [5, '', ' ', ''], // blank means unset
    ['', '', ' 12 ', ''],
    ['', '', '1.5', "invalid literal for int() with base 10: '1.5'"],
    [1234567, '', 5, 'Should be greater than or equal to 1.23457e+06'],
    [1234565, '', 5, 'Should be greater than or equal to 1.23456e+06'], // %g rounds half to even
    ['', f(0.0001), 1, 'Should be less than or equal to 0.0001'],
    [f(2.5), '', f(NaN), 'cannot convert float NaN to integer'],
    ['', '', f(Infinity), FAIL], // OverflowError is not caught
    [10n ** 400n, '', 5, FAIL],
    ['', '', 10n ** 30n, ''],
    [0, 0, 0, ''],
    [-3, -1, -2, ''],
  ])('validate_int(%p, %p, %p) gives %p', (min, max, value, expected) => {
    expect(run('validate_int', min, max, value)).toBe(expected);
  });
});

describe('validate_float', () => {
  it.each<[Value, Value, Value, string | typeof FAIL]>([
    [f(2.3), f(4.5), f(3.3), ''],
    [f(2.3), f(4.5), f(7.3), 'Should be less than or equal to 4.5'],
    ['', '', 'abc', "could not convert string to float: 'abc'"],
    ['', '', ' ', ''],
    [1, 2, '1e0', ''],
    ['', f(1e6), f(2e6), 'Should be less than or equal to 1e+06'],
    ['', '', 10n ** 400n, FAIL],
    ['', 5, 'nan', ''], // NaN compares false with every bound
    [5, '', f(Infinity), ''],
    ['', '', '1_0.5', ''],
    [f(0.1), '', f(0.09999999999999999), 'Should be greater than or equal to 0.1'],
    ['', '', 7, ''],
    [f(2.5), '', 2, 'Should be greater than or equal to 2.5'],
  ])('validate_float(%p, %p, %p) gives %p', (min, max, value, expected) => {
    expect(run('validate_float', min, max, value)).toBe(expected);
  });
});

describe('validate_string', () => {
  it.each<[Value, Value, Value, Value, Value, string | typeof FAIL]>([
    ['a*', 5, 0, 0, 'aaa', ''],
    ['a*', 5, 0, 1, 'aAa', ''],
    ['^b', '', '', '', 'abcd', "Value 'abcd' doesn't match regex '^b'"],
    ['', '3', 0, 0, 'abcd', "'>' not supported between instances of 'str' and 'int'"],
    ['', 3, 0, 0, 'abcd', "Value 'abcd' exceeds maximum length 3"],
    ['', 3, 1, 0, '"abc"', ''],
    ['', 3, 1, 0, '"abc', 'Non-closed quote: "abc'],
    ['', 3, 1, 0, "'", "Non-closed quote: '"],
    ['', f(3.7), 0, 0, 'abcd', "Value 'abcd' exceeds maximum length 3"],
    ['', 0, 0, 0, 'abcdef', ''],
    ['', -1, 0, 0, 'abcdef', ''],
    ['^[a-z]+$', '', '', '', 'abc\n', ''], // $ matches before a final newline
    ['^[a-z]+$', '', '', '', 'abc\nd', "Value 'abc\\nd' doesn't match regex '^[a-z]+$'"],
    ['\\d+', '', '', '', '١٢٣', ''], // \d is Unicode-aware
    ['(?a)^\\w+$', '', '', '', 'naïve', "Value 'naïve' doesn't match regex '(?a)^\\\\w+$'"],
    ['^\\w+$', '', '', '', 'naïve', ''],
    ['(', 0, 0, 0, 'x', FAIL], // re.error is not caught
    [5, 0, 0, 0, 'x', FAIL],
    ['x{}', '', '', '', 'x{}', ''], // an invalid repeat is a literal brace
    ['a{,2}$', '', '', '', 'aaa', ''],
    ['\\bfoo\\b', '', '', '', 'a foo b', ''],
    ["it's", '', '', '', 'its', 'Value \'its\' doesn\'t match regex "it\'s"'],
    ['^b', 0, 0, '0', 'B', ''], // "0" is a true string
    ['^b', 0, 0, f(0.0), 'B', "Value 'B' doesn't match regex '^b'"],
    ['', 3, 0, 0, 12345, "Value '12345' exceeds maximum length 3"],
    ['', 3, 0, 0, f(1.5), ''],
    ['[]a]', '', '', '', ']', ''],
    ['(?P<x>a)(?P=x)', '', '', '', 'aa', ''],
    ['.$', '', '', '', 'a\nb\n', ''],
    ['^.{3}$', '', '', '', 'a\nb', "Value 'a\\nb' doesn't match regex '^.{3}$'"],
  ])('validate_string(%p, %p, %p, %p, %p) gives %p', (regex, maxLength, quotes, ignoreCase, value, expected) => {
    expect(run('validate_string', regex, maxLength, quotes, ignoreCase, value)).toBe(expected);
  });

  it.each([
    ['\\q', 'bad escape'],
    ['a**', 'multiple repeat'],
    ['*a', 'nothing to repeat'],
    ['[a-', 'unterminated set'],
    ['[\\d-z]', 'class as range end'],
    ['(?<=a+)b', 'variable-width look-behind'],
    ['\\1(a)', 'reference before the group'],
    ['(a\\1)', 'reference to an open group'],
    ['a{2,1}', 'reversed repeat bounds'],
    ['a(?i)b', 'global flags not at the start'],
    ['(?P<1>a)', 'bad group name'],
    ['\\x4', 'incomplete hex escape'],
    ['(?P=n)(?P<n>a)', 'named reference before the group'],
    ['(?P<n>a)(?P<n>b)', 'group name defined twice'],
    ['a(?#c)(?i)b', 'global flags after an item'],
  ])('%p is a Python regex error (%s)', (regex) => {
    expect(run('validate_string', regex, '', '', '', 'anything')).toBe(FAIL);
  });

  it.each<[string, string, boolean]>([
    ['(a)\\1', 'aa', true],
    ['\\x41\\101\\u00e9', 'AAé', true],
    ['[\\101-\\103]+$', 'ABC', true],
    ['(?s)a.b', 'a\nb', true],
    ['a.b', 'a\nb', false],
    ['(?m)^b', 'a\nb', true],
    ['^b', 'a\nb', false],
    ['\\Aab\\Z', 'ab', true],
    ['\\Aab\\Z', 'ab\n', false],
    ['(?x) a b # comment', 'ab', true],
    ['(?i)A', 'a', true],
    ['a(?=b)', 'ab', true],
    ['(?<=a)b', 'ab', true],
    ['\\/\\-[\\-]', '/--', true],
    ['\\s', '\u2003', true],
    ['\\s', '\ufeff', false], // JavaScript's \s would match it
    ['\\w', '\u0301', false], // combining marks are not word characters in Python
    ['(?>a+)b', 'aab', true],
    ['(?>a*)a', 'aaa', false], // an atomic group gives nothing back
    ['a*+a', 'aaa', false], // nor does a possessive repeat
    ['a++b', 'aab', true],
    ['(?:ab)?+c', 'abc', true],
    ['(?=a)*b', 'b', true], // Python may repeat an assertion
    ['(?<!x)+a', 'a', true],
    ['\\B', '', false], // SRE: no boundary assertion matches in an empty string
    ['\\B', 'ab', true],
    ['\\b', '', false],
    ['(?#note)(?i)A', 'a', true],
    ['x(?#c)y', 'xy', true],
    ['(?i)(?x) A b', 'ab', true],
    ['(a)|b(?P<n>c)(?P=n)', 'bcc', true],
    ['(?s:a.b)c', 'a\nbc', true],
    ['(?s:a.)b.', 'a\nb\n', false],
    ['(?m:^b)', 'a\nb', true],
    ['(?x: a b )c', 'abc', true],
    ['(?a:\\w)', 'é', false],
    ['(?s)(?-s:.)', '\n', false],
  ])('Python regex %p on %p matches: %p', (regex, value, matches) => {
    expect(run('validate_string', regex, '', '', '', value) === '').toBe(matches);
  });
});

/** Python's str()/repr() of JSON values, as the original renders values it does not type. */
import { parseJson } from '../../../src/datalog/json';
import { pythonRepr, pythonStr } from '../../../src/datalog/python-text';

describe('python text of JSON values', () => {
  it.each([
    ['"plain"', 'plain'],
    ['null', 'None'],
    ['true', 'True'],
    ['[]', '[]'],
    ['{}', '{}'],
    ['[1, 2, "x"]', "[1, 2, 'x']"],
    ['{"k": 1, "j": [true, null]}', "{'k': 1, 'j': [True, None]}"],
    ['[true, 1.5, "it\'s"]', '[True, 1.5, "it\'s"]'],
    ['["a\\"b\'c", "back\\\\slash", "tab\\t"]', "['a\"b\\'c', 'back\\\\slash', 'tab\\t']"],
    ['{"z": {"y": [1.0, 1e20, -0.5]}}', "{'z': {'y': [1.0, 1e+20, -0.5]}}"],
    ['["é", "\\u0001"]', "['é', '\\x01']"],
  ])('str(%s) is %s', (json, text) => {
    expect(pythonStr(parseJson(json))).toBe(text);
  });

  it('prints numbers decoded by JSON.parse as Python prints ints and floats', () => {
    expect(pythonRepr(JSON.parse('[3, 2.25, 9007199254740992]'))).toBe('[3, 2.25, 9007199254740992]');
    expect(pythonRepr(undefined)).toBe('None');
  });
});

// Numbers keep Python's types from upstream (`"rxtx_factor": 1.0`) and pushes to the engine:
// integral floats stay floats, big integers keep their digits, `1e400` is inf; in translation,
// in generated ids, as row cells on the bus, and in API answers.
import { stringifyJson, parseDataJson } from '../../../src/datalog/json';
import { Float, formatFloat, sameValue } from '../../../src/datalog/value';
import type { JsonValue } from '../../../src/bus/json';
import { cellValue, floatCell, floatOf, intCell, isFloatCell, isIntCell, rowJson, type FloatCell } from '../../../src/services/common/number-cell';
import { computeHash, hashText } from '../../../src/services/datasources/translation/hash';
import { RootTranslator } from '../../../src/services/datasources/translation/translate';
import { VALUE, type TableTranslator } from '../../../src/services/datasources/translation/translator';
import { rowToCongress, rowToCongressInPlace, toNative, type NativeValue } from '../../../src/services/datasources/translation/values';

const flavors: TableTranslator = {
  'translation-type': 'HDICT',
  'table-name': 'flavors',
  'selector-type': 'DICT_SELECTOR',
  'field-translators': [
    { fieldname: 'id', translator: VALUE },
    { fieldname: 'rxtx_factor', translator: VALUE },
  ],
};

describe('integral floats in drivers', () => {
  it('translation keeps a boxed integral float and unboxes a fractional one', () => {
    const doc = parseDataJson('[{"id": "1", "rxtx_factor": 1.0}, {"id": "2", "rxtx_factor": 1}, {"id": "3", "rxtx_factor": 2.5}]');
    const rows = new RootTranslator(flavors).convert(doc, 'strict').tables.get('flavors') ?? [];
    expect(rows).toEqual([
      ['1', new Float(1)],
      ['2', 1],
      ['3', 2.5],
    ]);
    expect(rows.map(rowToCongress)).toEqual([
      ['1', { $float: '1.0' }],
      ['2', 1],
      ['3', 2.5],
    ]);
  });

  it('toNative: floats by value, structures as Python str() shows them', () => {
    expect(toNative(new Float(3))).toEqual(new Float(3));
    expect(toNative(new Float(0.5))).toBe(0.5);
    expect(toNative({ a: new Float(1), b: 1 })).toBe("{'a': 1.0, 'b': 1}");
    expect(toNative(10n)).toBe(10);
  });

  it('rowToCongressInPlace tags integral floats and spells booleans and null as Congress does', () => {
    const row: NativeValue[] = [new Float(2), 2, true, null, 'x'];
    expect(rowToCongressInPlace(row)).toEqual([{ $float: '2.0' }, 2, 'True', 'None', 'x']);
  });

  it('generated ids hash 1.0 as Python hashes a float (vectors from the original _compute_hash)', () => {
    expect(hashText([new Float(1), 'a', 2])).toBe('[1.0, 2, "a"]');
    expect(computeHash([new Float(1), 'a', 2])).toBe('f61e2fbda398122305c1f7601b781d3e');
    expect(computeHash([1, 'a', 2])).toBe('e73ffac946e6b6a9ae559e56a40b90da');
    expect(hashText([[new Float(1), 'x'], [2, 'y'], new Float(3), new Float(1e16)])).toBe('[1e+16, 3.0, [1.0, "x"], [2, "y"]]');
    expect(computeHash([[new Float(1), 'x'], [2, 'y'], new Float(3), new Float(1e16)])).toBe('09e660b603d58b7f95f91d6c5a37f9de');
    expect(hashText([12345678901234567890n, 'a', new Float(Infinity)])).toBe('[Infinity, 12345678901234567890, "a"]');
    expect(computeHash([12345678901234567890n, 'a', new Float(Infinity)])).toBe('a689c91705f7004de8fc5b1370577c7c');
    expect(computeHash([12345678901234567890n, 'a'])).toBe('35bd2236d952130a2a513a9354e0cf4c');
  });

  it('keeps every digit of a big integer and the overflow float inf', () => {
    const doc = parseDataJson('[{"id": "1", "rxtx_factor": 12345678901234567890}, {"id": "2", "rxtx_factor": 1e400}]');
    const rows = new RootTranslator(flavors).convert(doc, 'strict').tables.get('flavors') ?? [];
    expect(rows).toEqual([
      ['1', 12345678901234567890n],
      ['2', new Float(Infinity)],
    ]);
    expect(rows.map(rowToCongress)).toEqual([
      ['1', { $int: '12345678901234567890' }],
      ['2', { $float: 'inf' }],
    ]);
  });
});

describe('number cells', () => {
  it('tag integers beyond 2^53 with their digits', () => {
    expect(intCell(12345678901234567890n)).toEqual({ $int: '12345678901234567890' });
    expect(intCell(-9007199254740993n)).toEqual({ $int: '-9007199254740993' });
    expect(intCell(5n)).toBe(5);
    expect(intCell(7)).toBe(7);
    expect(isIntCell({ $int: '12' })).toBe(true);
    expect(isIntCell({ $int: '1.5' })).toBe(false);
    expect(isIntCell({ $int: 12 })).toBe(false);
    expect(cellValue({ $int: '12345678901234567890' })).toBe(12345678901234567890n);
    expect(cellValue({ $int: '12' })).toBe(12);
    expect(stringifyJson(rowJson(JSON.parse(JSON.stringify([intCell(-9007199254740993n)])) as JsonValue[]))).toBe('[-9007199254740993]');
  });

  it('tags the floats a JSON number would lose: integral ones, -0.0 and non-finite ones', () => {
    expect(floatCell(1)).toEqual({ $float: '1.0' });
    expect(floatCell(1e16)).toEqual({ $float: '1e+16' });
    expect(floatCell(-0)).toEqual({ $float: '-0.0' });
    expect(floatCell(Infinity)).toEqual({ $float: 'inf' });
    expect(floatCell(1.5)).toBe(1.5);
    for (const v of [1, 1e16, -0, -3, Infinity, -Infinity]) expect(Object.is(floatOf(floatCell(v) as FloatCell), v)).toBe(true);
    expect(Number.isNaN(floatOf(floatCell(NaN) as FloatCell))).toBe(true);
  });

  it('recognises exactly the one-key form', () => {
    expect(isFloatCell({ $float: '1.0' })).toBe(true);
    expect(isFloatCell({ $float: 1 })).toBe(false);
    expect(isFloatCell({ $float: '1.0', other: 2 })).toBe(false);
    expect(isFloatCell([1])).toBe(false);
    expect(isFloatCell(1)).toBe(false);
    expect(isFloatCell(null)).toBe(false);
  });

  it('become engine constants of the right type', () => {
    expect(sameValue(cellValue({ $float: '1.0' }), new Float(1))).toBe(true);
    expect(cellValue(1)).toBe(1);
    expect(sameValue(cellValue(2.5), new Float(2.5))).toBe(true);
    expect(cellValue(true)).toBe('True');
    expect(cellValue(null)).toBe('None');
    expect(cellValue({ a: 1 })).toBe('{"a":1}');
  });

  it('survive a JSON round trip (the bus, stored push tables) and render as 1.0 in answers', () => {
    const published = rowToCongress(['x', new Float(1), 1, 2.5, new Float(-0)]);
    const received = JSON.parse(JSON.stringify(published)) as typeof published;
    expect(received.map(cellValue).map((v) => (v instanceof Float ? `float ${formatFloat(v.v)}` : v))).toEqual(['x', 'float 1.0', 1, 'float 2.5', 'float -0.0']);
    expect(stringifyJson(rowJson(received))).toBe('["x", 1.0, 1, 2.5, -0.0]');
  });
});

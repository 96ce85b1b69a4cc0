// Documents for datasource drivers: JSON.parse's values except that an integral float stays a
// float, on both the fast path (no float in the text) and the exact parser.
import fc from 'fast-check';
import { dataJson, parseDataJson, parseJson } from '../../../src/datalog/json';
import { Float } from '../../../src/datalog/value';

const containsFloat = (v: unknown): boolean =>
  v instanceof Float || (Array.isArray(v) ? v.some(containsFloat) : typeof v === 'object' && v !== null && Object.values(v).some(containsFloat));

describe('parseDataJson', () => {
  it('boxes integral floats only, as Python reads them', () => {
    expect(parseDataJson('{"a": 1.0, "b": 1, "c": 2.5, "d": 1e2, "e": -0.0, "f": 12345678901234567890}')).toEqual({
      a: new Float(1),
      b: 1,
      c: 2.5,
      d: new Float(100),
      e: new Float(-0),
      f: 12345678901234567000,
    });
    expect(parseDataJson('1.0')).toEqual(new Float(1));
    expect(parseDataJson(' [3.0]')).toEqual([new Float(3)]);
  });

  it('takes "1.0" inside a string for text', () => {
    expect(parseDataJson('{"v": "x: 1.0", "n": [1, 2]}')).toEqual({ v: 'x: 1.0', n: [1, 2] });
  });

  it('keeps a __proto__ key as data, as JSON.parse does', () => {
    const doc = parseDataJson('{"__proto__": {"x": 1.0}, "y": 2.0}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    expect(Object.keys(doc)).toEqual(['__proto__', 'y']);
    expect(Object.getOwnPropertyDescriptor(doc, '__proto__')?.value).toEqual({ x: new Float(1) });
  });

  it('rejects malformed text', () => {
    expect(() => parseDataJson('{"a": 1.0,')).toThrow();
    expect(() => parseDataJson('{"a": }')).toThrow();
  });

  it('agrees with JSON.parse on every document without integral floats, on either path', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const viaParse = JSON.parse(text) as unknown;
        const exact = dataJson(parseJson(text));
        if (!containsFloat(exact)) expect(parseDataJson(text)).toEqual(viaParse);
        expect(parseDataJson(text)).toEqual(exact);
      }),
      { numRuns: 500 },
    );
  });
});

// Documents for datasource drivers: JSON.parse's values except that an integral float stays a
// float, on both the fast path (no float in the text) and the exact parser.
import fc from 'fast-check';
import { dataJson, parseDataJson, parseJson, requestJson, stringifyJson } from '../../../src/datalog/json';
import { Float } from '../../../src/datalog/value';

/** True when a parsed document holds a value JSON.parse would read differently: a boxed float or a bigint. */
const containsSpecial = (v: unknown): boolean =>
  v instanceof Float || typeof v === 'bigint' || (Array.isArray(v) ? v.some(containsSpecial) : typeof v === 'object' && v !== null && Object.values(v).some(containsSpecial));

describe('parseDataJson', () => {
  it('keeps what Python reads: integral floats boxed, every digit of a big integer, NaN and Infinity', () => {
    expect(parseDataJson('{"a": 1.0, "b": 1, "c": 2.5, "d": 1e2, "e": -0.0, "f": 12345678901234567890}')).toEqual({
      a: new Float(1),
      b: 1,
      c: 2.5,
      d: new Float(100),
      e: new Float(-0),
      f: 12345678901234567890n,
    });
    expect(parseDataJson('[9007199254740993, -9007199254740993, 9007199254740991, 1e400, NaN, -Infinity]')).toEqual([
      9007199254740993n,
      -9007199254740993n,
      9007199254740991,
      new Float(Infinity),
      new Float(NaN),
      new Float(-Infinity),
    ]);
    expect(parseDataJson('{"a": Infinity}')).toEqual({ a: new Float(Infinity) });
    expect(parseDataJson('1.0')).toEqual(new Float(1));
    expect(parseDataJson(' [3.0]')).toEqual([new Float(3)]);
  });

  it('writes non-finite floats and big integers as Python json.dumps does, and reads them back', () => {
    const doc = [new Float(NaN), new Float(Infinity), new Float(-Infinity), 12345678901234567890n, new Float(1)];
    expect(stringifyJson(doc)).toBe('[NaN, Infinity, -Infinity, 12345678901234567890, 1.0]');
    expect(parseDataJson(stringifyJson(doc))).toEqual(doc);
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

  it('agrees with JSON.parse on every document without such values, on either path', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const viaParse = JSON.parse(text) as unknown;
        const exact = dataJson(parseJson(text));
        if (!containsSpecial(exact)) expect(parseDataJson(text)).toEqual(viaParse);
        expect(parseDataJson(text)).toEqual(exact);
      }),
      { numRuns: 500 },
    );
  });
});

describe('requestJson (upstream request bodies)', () => {
  it('writes floats with their .0 and big integers with every digit, as Python json.dumps', () => {
    expect(requestJson({ port: { mtu: new Float(1500), ratio: new Float(2.5), big: 12345678901234567890n, name: 'p1' } })).toBe(
      '{"port":{"mtu":1500.0,"ratio":2.5,"big":12345678901234567890,"name":"p1"}}',
    );
    expect(requestJson([new Float(-0), new Float(Infinity), new Float(NaN)])).toBe('[-0.0,Infinity,NaN]');
    expect(parseDataJson(requestJson({ a: new Float(1), b: 1 }))).toEqual({ a: new Float(1), b: 1 });
  });

  it('leaves undefined members out and honours toJSON, as JSON.stringify does', () => {
    expect(requestJson({ a: undefined, b: [undefined, 1], c: new Date(0) })).toBe('{"b":[null,1],"c":"1970-01-01T00:00:00.000Z"}');
    expect(requestJson(undefined)).toBe('null');
  });

  it('agrees with JSON.stringify on every plain document', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(requestJson(v)).toBe(JSON.stringify(v));
      }),
      { numRuns: 500 },
    );
  });

  it('a float argument turned into text reads as Python str() reads it', () => {
    expect(String(new Float(2))).toBe('2.0');
    expect(`${new Float(Infinity)}`).toBe('inf');
    expect(String(new Float(0.1))).toBe('0.1');
  });
});

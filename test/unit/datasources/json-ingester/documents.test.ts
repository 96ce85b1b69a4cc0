/** The ingester's document keys and connection strings. */
import { parseJson } from '../../../../src/datalog/json';
import { canonicalJson, pythonJson } from '../../../../src/services/datasources/json-ingester/canonical-json';
import { connectionConfig, ginIndexName } from '../../../../src/services/datasources/json-ingester/document-store';
import { KeyMap } from '../../../../src/services/datasources/json-ingester/key-map';

describe('canonicalJson', () => {
  // Expected texts printed by Python 3.11: json.dumps(value, sort_keys=True).
  test.each([
    [{ b: 1, a: [1, 2, { d: null, c: true }] }, '{"a": [1, 2, {"c": true, "d": null}], "b": 1}'],
    ['héllo\u2603\u{1F600}', '"h\\u00e9llo\\u2603\\ud83d\\ude00"'],
    [{ x: 'a,b: c' }, '{"x": "a,b: c"}'],
    [[], '[]'],
    [{}, '{}'],
    [7, '7'],
    ['a"b\\c\n', '"a\\"b\\\\c\\n"'],
    [{ k: '\x7f' }, '{"k": "\\u007f"}'],
  ])('%j as Python writes it', (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });

  // Expected texts printed by Python 3.11: json.dumps(json.loads(text), sort_keys=True).
  test.each([
    ['{"b": 1.0, "a": 2}', '{"a": 2, "b": 1.0}'],
    ['[123456789012345678901234567890, -0, -0.0, 0.1, 1e16, 1E-7, 2.50]', '[123456789012345678901234567890, 0, -0.0, 0.1, 1e+16, 1e-07, 2.5]'],
    ['{"x": [1.5e300, 100.0]}', '{"x": [1.5e+300, 100.0]}'],
  ])('numbers of %s as Python reads and writes them', (input, text) => {
    expect(canonicalJson(parseJson(input))).toBe(text);
  });

  test('a number beyond a double (Python: Infinity, which jsonb refuses) is refused by name', () => {
    expect(() => canonicalJson(parseJson('{"x": 1e400}'))).toThrow('the JSON number Infinity is outside the range of a double-precision float and cannot be stored');
    expect(() => canonicalJson(parseJson('[-1e400]'))).toThrow(/-Infinity/);
  });

  test('pythonJson keeps the keys in their order', () => {
    expect(pythonJson(parseJson('{"z": 1.0, "a": [true, null]}'))).toBe('{"z": 1.0, "a": [true, null]}');
  });

  test('keys are sorted by code point, as Python sorts them', () => {
    // Python: json.dumps({'\U00010000': 1, '\uffff': 2, 'a': 3}, sort_keys=True)
    expect(canonicalJson({ '\u{10000}': 1, '\uffff': 2, a: 3 })).toBe('{"a": 3, "\\uffff": 2, "\\ud800\\udc00": 1}');
  });

  test('key order does not matter', () => {
    expect(canonicalJson({ a: 1, b: { c: 2, d: 3 } })).toBe(canonicalJson({ b: { d: 3, c: 2 }, a: 1 }));
  });
});

describe('KeyMap', () => {
  test('numbers documents from the smallest BIGINT, keeps them, and reuses freed ones', () => {
    const keys = new KeyMap();
    expect(keys.add('a')).toBe('-9223372036854775808');
    expect(keys.add('b')).toBe('-9223372036854775807');
    expect(keys.add('a')).toBe('-9223372036854775808');
    expect(keys.remove('a')).toBe('-9223372036854775808');
    expect(keys.remove('a')).toBeUndefined();
    expect(keys.add('c')).toBe('-9223372036854775808');
    expect(keys.size).toBe(2);
    keys.clear();
    expect(keys.add('z')).toBe('-9223372036854775808');
  });
});

describe('connectionConfig', () => {
  test('a URL is handed over as is', () => {
    expect(connectionConfig(' postgresql://u:p@127.0.0.1:5433/db ')).toEqual({ connectionString: 'postgresql://u:p@127.0.0.1:5433/db' });
    expect(connectionConfig('postgres://h/db')).toEqual({ connectionString: 'postgres://h/db' });
  });

  test('a libpq key=value string is read with quoting', () => {
    expect(connectionConfig("host=127.0.0.1 port=5433 dbname=json user=congress password=secret connect_timeout=3 ")).toEqual({ host: '127.0.0.1', port: 5433, database: 'json', user: 'congress', password: 'secret', connectionTimeoutMillis: 3000 });
    expect(connectionConfig("password='a b\\'c' sslmode=verify-full")).toEqual({ password: "a b'c", ssl: { rejectUnauthorized: true } });
    expect(connectionConfig('sslmode=require')).toEqual({ ssl: { rejectUnauthorized: false } });
    expect(connectionConfig('sslmode=disable host=h')).toEqual({ host: 'h' });
  });

  test('an unreadable string is refused with the place', () => {
    expect(() => connectionConfig('host=h =x')).toThrow(/character 7/);
  });
});

describe('ginIndexName', () => {
  const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

  test("keeps the original's name where it fits PostgreSQL's 63 bytes", () => {
    expect(ginIndexName('servers')).toBe('__servers_d_gin_idx');
    const longest = 'x'.repeat(51);
    expect(ginIndexName(longest)).toBe(`__${longest}_d_gin_idx`);
    expect(bytes(ginIndexName(longest))).toBe(63);
  });

  test('longer names stay within the limit and differ where the tables do, even past the cut', () => {
    const a = ginIndexName('a'.repeat(60) + '1');
    const b = ginIndexName('a'.repeat(60) + '2');
    expect(a).not.toBe(b);
    expect(bytes(a)).toBeLessThanOrEqual(63);
    expect(a.startsWith('__aaaa')).toBe(true);
    expect(a.endsWith('_d_gin_idx')).toBe(true);
    expect(ginIndexName('a'.repeat(60) + '1')).toBe(a);
  });

  test('a multi-byte name is cut between characters, never inside one', () => {
    const name = ginIndexName('é'.repeat(40));
    expect(bytes(name)).toBeLessThanOrEqual(63);
    expect(name).not.toContain('\ufffd');
    expect(Buffer.from(name, 'utf8').toString('utf8')).toBe(name);
    expect(name).toMatch(/^__(é)+_[0-9a-f]{8}_d_gin_idx$/);
  });
});

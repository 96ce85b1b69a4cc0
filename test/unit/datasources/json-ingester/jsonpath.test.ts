/**
 * The JSONPath evaluator against Python's jsonpath-rw 1.4.0. Every expectation in COMPATIBLE was
 * produced by running `[m.value for m in jsonpath_rw.parser.parse(expr).find(data)]` on the same
 * expression and data; the ones in RAISING are cases where jsonpath-rw raises during find, so the
 * expectation is this implementation's chosen behaviour (the raising branch matches nothing).
 */
import fc from 'fast-check';
import { parseJson } from '../../../../src/datalog/json';
import { Float } from '../../../../src/datalog/value';
import { JsonPathError, parseJsonPath } from '../../../../src/services/datasources/json-ingester/jsonpath';

const NOVA_SERVERS = {
  servers: [
    { id: 's1', name: 'vm1', flavor: { id: 'f1' }, addresses: { net: [{ addr: '10.0.0.1' }] } },
    { id: 's2', name: 'vm2', flavor: { id: 'f2' }, addresses: {} },
  ],
};
const NOVA_FLAVORS = { flavors: [{ id: 'f1', vcpus: 1, ram: 512 }, { id: 'f2', vcpus: 4, ram: 8192 }] };
const NOVA_HYPERVISORS = {
  hypervisors: [
    { id: 1, hypervisor_hostname: 'h1', state: 'up' },
    { id: 2, hypervisor_hostname: 'h2', state: 'down' },
  ],
};
const NOVA_ZONES = { availabilityZoneInfo: [{ zoneName: 'nova', zoneState: { available: true }, hosts: null }] };
const CINDER_VOLUMES = {
  volumes: [
    { id: 'v1', size: 10, attachments: [] },
    { id: 'v2', size: 20, attachments: [{ server_id: 's1' }] },
  ],
};
const LIST_RESPONSE = [{ name: 'p1', tags: ['a'] }, { name: 'p2', tags: [] }];
const OBJECT_RESPONSE = { name: 'only', enabled: false };
const WEBHOOK = { payload: { alarm: { id: 'a1', state: 'alarm' }, id: 'p1' }, id: 'n1', alarm: { id: 'a2', severity: 'high' } };
const DOC = {
  a: { b: [1, { c: 2, a: 3 }], c: 'str' },
  b: [{ a: 1 }, { b: 2 }, [3, [4]]],
  'x y': { q: null, n: true },
  s: 'héllo',
  l: [[], {}, ''],
};
const QUOTED = { "a'b": 1, 'say "hi"': 2, 'x y': 3, '@id': 4, 'k-1': 5, where: 6 };
// Through JSON.parse, as the ingester gets it: `__proto__` is then an own property, not the prototype.
const PROTO: unknown = JSON.parse('{"__proto__": {"x": 1}, "constructor": "c", "a": {"b": 1}}');
const FLOAT = { a: 1.5 };
const NESTED = { d: { d: { e: [1, { e: 2 }] } }, e: 'top' };

type Case = readonly [expression: string, data: unknown, expected: unknown[]];

const COMPATIBLE: readonly Case[] = [
  // The original's sample ingester configs and webhook record/id paths.
  ['$.flavors[:]', NOVA_FLAVORS, NOVA_FLAVORS.flavors],
  ['$.servers[:]', NOVA_SERVERS, NOVA_SERVERS.servers],
  ['$.hypervisors[:]', NOVA_HYPERVISORS, NOVA_HYPERVISORS.hypervisors],
  ['$.availabilityZoneInfo[:]', NOVA_ZONES, [{ zoneName: 'nova', zoneState: { available: true }, hosts: null }]],
  ['$.volumes[:]', CINDER_VOLUMES, CINDER_VOLUMES.volumes],
  ['$[:]', LIST_RESPONSE, [{ name: 'p1', tags: ['a'] }, { name: 'p2', tags: [] }]],
  ['$[:]', OBJECT_RESPONSE, [{ name: 'only', enabled: false }]],
  ['$.payload', WEBHOOK, [{ alarm: { id: 'a1', state: 'alarm' }, id: 'p1' }]],
  ['$.id', WEBHOOK, ['n1']],
  ['$.alarm.id', WEBHOOK, ['a2']],
  ['$.payload.alarm.id', WEBHOOK, ['a1']],
  // Root, this, bare and quoted fields, field lists, wildcards.
  ['$', OBJECT_RESPONSE, [{ name: 'only', enabled: false }]],
  ['`this`', OBJECT_RESPONSE, [{ name: 'only', enabled: false }]],
  ['`this`.name', OBJECT_RESPONSE, ['only']],
  ['`th\\is`.name', OBJECT_RESPONSE, ['only']],
  ['name', OBJECT_RESPONSE, ['only']],
  ['$.a.b', DOC, [[1, { c: 2, a: 3 }]]],
  ["$.'x y'.q", DOC, [null]],
  ['$."x y".n', DOC, [true]],
  ['$.*', NESTED, [{ d: { e: [1, { e: 2 }] } }, 'top']],
  ['*', OBJECT_RESPONSE, ['only', false]],
  ["$.'*'", OBJECT_RESPONSE, ['only', false]],
  ['$.a,s', DOC, [{ b: [1, { c: 2, a: 3 }], c: 'str' }, 'héllo']],
  ["$['a','s']", DOC, [{ b: [1, { c: 2, a: 3 }], c: 'str' }, 'héllo']],
  ['$[s]', DOC, ['héllo']],
  ['$.missing', DOC, []],
  ['$.s.x', DOC, []],
  ['$.b.a', DOC, []],
  ["$['a\\'b']", QUOTED, [1]],
  ['$["say \\"hi\\""]', QUOTED, [2]],
  ["$.'x y'", QUOTED, [3]],
  ['$.@id,k-1', QUOTED, [4, 5]],
  ["$.'where'", QUOTED, [6]],
  // Own properties only, whatever their name.
  ['$.__proto__', PROTO, [{ x: 1 }]],
  ['$.constructor', PROTO, ['c']],
  ['$.a.constructor', PROTO, []],
  ['$.a.__proto__', PROTO, []],
  ['$.a.toString', PROTO, []],
  ['$.*', PROTO, [{ x: 1 }, 'c', { b: 1 }]],
  ['$..b', PROTO, [1]],
  // Indices (strings index by code point) and slices, with the slice hack on non-lists.
  ['$.b[0]', DOC, [{ a: 1 }]],
  ['$.b[-1]', DOC, [[3, [4]]]],
  ['$.b[5]', DOC, []],
  ['$.b[1:]', DOC, [{ b: 2 }, [3, [4]]]],
  ['$.b[:-1]', DOC, [{ a: 1 }, { b: 2 }]],
  ['$.b[-2:]', DOC, [{ b: 2 }, [3, [4]]]],
  ['$.b[1:2]', DOC, [{ b: 2 }]],
  ['$.b[*]', DOC, [{ a: 1 }, { b: 2 }, [3, [4]]]],
  ['$.b.[*]', DOC, [{ a: 1 }, { b: 2 }, [3, [4]]]],
  ['$.a[*]', DOC, [{ b: [1, { c: 2, a: 3 }], c: 'str' }]],
  ['$.s[*]', DOC, ['héllo']],
  ['$.a[1:]', DOC, []],
  ['$.s[1]', DOC, ['é']],
  ['$.s[-1]', DOC, ['o']],
  ['$[*]', LIST_RESPONSE, [{ name: 'p1', tags: ['a'] }, { name: 'p2', tags: [] }]],
  ['$[*].name', LIST_RESPONSE, ['p1', 'p2']],
  ['$[*].tags[*]', LIST_RESPONSE, ['a']],
  ['$[١]', LIST_RESPONSE, [{ name: 'p2', tags: [] }]],
  ['$ [ 0 ] . name', LIST_RESPONSE, ['p1']],
  ['$\n.payload\n.id', WEBHOOK, ['p1']],
  // Descendants, pre-order.
  ['$..a', DOC, [{ b: [1, { c: 2, a: 3 }], c: 'str' }, 3, 1]],
  ['$..*', NESTED, [{ d: { e: [1, { e: 2 }] } }, 'top', { e: [1, { e: 2 }] }, [1, { e: 2 }], 2]],
  ['$..e', NESTED, ['top', [1, { e: 2 }], 2]],
  ['$..id', NOVA_SERVERS, ['s1', 'f1', 's2', 'f2']],
  ['$.d..e', NESTED, [[1, { e: 2 }], 2]],
  ['$..d.e', NESTED, [[1, { e: 2 }]]],
  ['$..`this`', NESTED, [NESTED, { d: { e: [1, { e: 2 }] } }, { e: [1, { e: 2 }] }, [1, { e: 2 }], 1, { e: 2 }, 2, 'top']],
  // where binds tightest: `x where y.z` is `(x where y).z`.
  ['$.b[*] where a', DOC, [{ a: 1 }]],
  ['$.b[*] where b', DOC, [{ b: 2 }]],
  ['$.servers[*] where addresses.net', NOVA_SERVERS, []],
  ['$.servers[*] where flavor', NOVA_SERVERS, NOVA_SERVERS.servers],
  ['$.payload.alarm where $.alarm', WEBHOOK, []],
  ['$.payload.alarm where $.nothing', WEBHOOK, []],
  // `|` binds tighter than `.`: `$.a | $.s` is `$.(a | $).s`.
  ['$.a | $.s', DOC, ['héllo']],
  ['($.a.c) | ($.s)', DOC, ['str', 'héllo']],
  ['$.s | $.a.c', DOC, ['str']],
  // `[...]` applies to everything before it in its group.
  ['($.b | $.a.b)[0]', DOC, [1]],
  ['$.a.b[0]', DOC, [1]],
  ['$.(a.b[0])', DOC, [1]],
  // `parent` and a non-leading `$`, including the slice hack's wrapping list as a parent/root.
  ['$.a.b[1].c.`parent`', DOC, [{ c: 2, a: 3 }]],
  ['$.a.`parent`.s', DOC, ['héllo']],
  ['$.a[*].`parent`', DOC, [[{ b: [1, { c: 2, a: 3 }], c: 'str' }]]],
  ['$[*].$', OBJECT_RESPONSE, [[{ name: 'only', enabled: false }]]],
  ['$.b[0].$.s', DOC, ['héllo']],
  ['$..c.`parent`.a', DOC, [3]],
  ['`parent`.`this`', DOC, [null]],
];

const RAISING: readonly (readonly [...Case, pythonError: string])[] = [
  ['$[0]', OBJECT_RESPONSE, [], 'KeyError'],
  ['$.b[-9]', DOC, [], 'IndexError'],
  ['$."x y".q[*]', DOC, [], 'TypeError'],
  ['$.a[*]', FLOAT, [], 'TypeError'],
  ['$..e[0]', NESTED, ['t', 1], 'TypeError'],
  ['$.a & $.a', DOC, [], 'NotImplementedError'],
  ['`parent`', DOC, [], 'AttributeError'],
  ['$..[0]', DOC, [1, 's', { a: 1 }, 3, 4, 'h', []], 'KeyError'],
  ['$.b[*][0]', DOC, [3], 'KeyError'],
];

describe('parseJsonPath(...).find', () => {
  it.each(COMPATIBLE)('%j matches jsonpath-rw', (expression, data, expected) => {
    expect(parseJsonPath(expression).find(data)).toEqual(expected);
  });

  it.each(RAISING)('%j: only the branch where jsonpath-rw raises is dropped', (expression, data, expected) => {
    expect(parseJsonPath(expression).find(data)).toEqual(expected);
  });

  it('returns the matched values themselves, and can be reused', () => {
    const path = parseJsonPath('$.servers[:]');
    expect(path.find(NOVA_SERVERS)[0]).toBe(NOVA_SERVERS.servers[0]);
    expect(path.find({ servers: [] })).toEqual([]);
    expect(path.find(NOVA_SERVERS)).toHaveLength(2);
  });

  it('wraps booleans, integers and strings for a slice, but not null', () => {
    expect(parseJsonPath('$[*]').find(true)).toEqual([true]);
    expect(parseJsonPath('$[*]').find(3)).toEqual([3]);
    expect(parseJsonPath('$[*]').find('s')).toEqual(['s']);
    expect(parseJsonPath('$[*]').find(null)).toEqual([]);
  });

  it("treats the ingester's boxed floats and big integers as Python's float and int", () => {
    // The ingester reads documents with parseJson, as json.loads did: 1.0 is a float there.
    const doc = parseJson('{"f": 1.0, "g": 2.5, "big": 123456789012345678901234567890}');
    expect(parseJsonPath('$.f[*]').find(doc)).toEqual([]);
    expect(parseJsonPath('$.big[*]').find(doc)).toEqual([123456789012345678901234567890n]);
    expect(parseJsonPath('$.g').find(doc)).toEqual([new Float(2.5)]);
    // A box is not an object: its field is not a document field.
    expect(parseJsonPath('$.g.v').find(doc)).toEqual([]);
    expect(parseJsonPath('$..v').find(doc)).toEqual([]);
    expect(parseJsonPath('$.*').find(doc)).toHaveLength(3);
  });

  it('walks 10,000-deep documents without recursion', () => {
    let list: unknown = 'bottom';
    let object: unknown = { x: 0 };
    for (let i = 0; i < 10_000; i++) {
      list = [list];
      object = { a: object };
    }
    expect(parseJsonPath('$..x').find(list)).toEqual([]);
    const firsts = parseJsonPath('$..[0]').find(list);
    expect(firsts).toHaveLength(10_001);
    expect(firsts.at(-1)).toBe('b');
    expect(parseJsonPath('$..x').find(object)).toEqual([0]);
    expect(parseJsonPath('$..x.`parent`.$').find(object)).toEqual([object]);
  });

  it('selects from a document of thousands of objects, in document order', () => {
    const servers = Array.from({ length: 5000 }, (_, i) => ({ id: `s${i}`, flavor: { id: `f${i % 7}` }, tags: ['a', 'b'] }));
    expect(parseJsonPath('$.servers[:]').find({ servers })).toHaveLength(5000);
    const ids = parseJsonPath('$..id').find({ servers });
    expect(ids).toHaveLength(10_000);
    expect(ids.slice(0, 4)).toEqual(['s0', 'f0', 's1', 'f1']);
  });
});

describe('parseJsonPath errors', () => {
  // All rejected by jsonpath-rw's lexer or parser too.
  it.each([
    ['', 0, 'unexpected end of expression'],
    ['$.a[', 4, 'unexpected end of expression'],
    ['$.a]', 3, "unexpected ']'"],
    ['$a', 1, 'unexpected name "a"'],
    ['$.x y', 4, 'unexpected name "y"'],
    ['$.#', 2, 'unexpected character "#"'],
    ['$.é', 2, 'unexpected character "é"'],
    ['$.a\r', 3, 'unexpected character "\\r"'],
    ['-', 0, 'unexpected character "-"'],
    ["$['abc", 2, 'unterminated quoted name'],
    ['$.`this', 2, 'unterminated named operator'],
    ["$['a\\\nb']", 4, 'bad escape in quoted name'],
    ['`foo`', 0, 'unknown named operator `foo`'],
    ['$[1:2:3]', 5, "unexpected ':'"],
    ['$[]', 2, "unexpected ']'"],
    ['$[0,1]', 3, "unexpected ','"],
    ['$.where', 2, "unexpected 'where'"],
    ['a where', 7, 'unexpected end of expression'],
    ['$..', 3, 'unexpected end of expression'],
    ['a,*', 2, "unexpected '*'"],
    ['(($)', 4, 'unexpected end of expression'],
    ['$)', 1, "unexpected ')'"],
  ])('%j fails at %i: %s', (text, position, problem) => {
    let error: unknown;
    try {
      parseJsonPath(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(JsonPathError);
    expect(error).toMatchObject({ position, message: `${problem} at position ${position}` });
  });

  it('rejects absurdly nested expressions instead of overflowing the stack', () => {
    expect(() => parseJsonPath(`${'('.repeat(10_000)}$${')'.repeat(10_000)}`)).toThrow(JsonPathError);
    expect(() => parseJsonPath(`$${'.a'.repeat(10_000)}`)).toThrow(JsonPathError);
    expect(parseJsonPath(`$${'.a'.repeat(200)}`).find({ a: 1 })).toEqual([]);
  });
});

describe('properties', () => {
  const fragment = fc.constantFrom(
    ...['$', '.', '..', '[', ']', '(', ')', '*', ',', ':', '|', '&', ' where ', 'where', ' ', '\n', '\\'],
    ...['a', 'b', 'x', '0', '1', '-1', '-', "'q r'", '"s"', "'", '`this`', '`parent`', '`', '`other`', '#', 'é'],
  );
  const text = fc.string({ unit: fragment, maxLength: 12 });

  it('any text either parses or throws JsonPathError', () => {
    fc.assert(
      fc.property(text, (t) => {
        try {
          parseJsonPath(t);
        } catch (err) {
          if (!(err instanceof JsonPathError)) throw err;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('find never throws on JSON data', () => {
    const parsed = text.chain((t) => {
      try {
        return fc.constant(parseJsonPath(t));
      } catch {
        return fc.constant(parseJsonPath('$..*'));
      }
    });
    fc.assert(
      fc.property(parsed, fc.jsonValue({ maxDepth: 4 }), (path, data) => {
        expect(Array.isArray(path.find(data))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

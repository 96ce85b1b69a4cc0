// The translator engine against the spec's worked examples (§2.8) and hash vectors (§2.7).
import { computeHash, EMPTY_HASH, hashText } from '../../../src/services/datasources/translation/hash';
import { RootTranslator, TranslationError } from '../../../src/services/datasources/translation/translate';
import { VALUE, typed, type TableTranslator } from '../../../src/services/datasources/translation/translator';
import { schemaOf, tableSchemaJson } from '../../../src/services/datasources/translation/schema';
import { validateTranslators } from '../../../src/services/datasources/translation/validate';
import { Int, Str } from '../../../src/services/datasources/translation/data-types';
import type { NativeRow } from '../../../src/services/datasources/translation/values';

function rowsOf(t: TableTranslator, input: unknown): Record<string, NativeRow[]> {
  validateTranslators([t]);
  const out: Record<string, NativeRow[]> = {};
  for (const [table, rows] of new RootTranslator(t).convert(input, 'strict').tables) {
    out[table] = [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  }
  return out;
}

describe('generated ids (spec 2.7 test vectors)', () => {
  it.each([
    [[], '[]', 'd751713988987e9331980363e24189ce'],
    [[1, 2, 3], '[1, 2, 3]', '49a5a960c5714c2e29dd1a7e7b950741'],
    [['a', 'b', 1, true], '[true, 1, "a", "b"]', '581eb009e540e99686991b9ed206140c'],
    [[['a', 'FOO'], ['b', 123]], '[["a", "FOO"], ["b", 123]]', '215630e2e95febb06a855576c1dbbc5c'],
    // The spec prints this one unsorted; its hash is the MD5 of the sorted text `[123, "FOO"]`.
    [['FOO', 123], '[123, "FOO"]', '1a856314a8c270ffcf6ef007bfc2c33a'],
  ] as const)('hash(%j)', (values, text, hash) => {
    expect(hashText(values as never)).toBe(text);
    expect(computeHash(values as never)).toBe(hash);
  });

  it('does not depend on the order of the values', () => {
    expect(computeHash(['b', null, 2])).toBe(computeHash([2, 'b', null]));
  });

  it('sorts integers by their text and escapes non-ASCII as Python does', () => {
    expect(hashText([9, 10])).toBe('[10, 9]');
    expect(hashText(['é', 'a"b'])).toBe('["a\\"b", "\\u00e9"]');
    expect(hashText([null, 1.5, false])).toBe('[null, false, 1.5]');
  });

  it('exposes the empty-list id', () => {
    expect(EMPTY_HASH).toBe('d751713988987e9331980363e24189ce');
  });
});

describe('worked examples (spec 2.8)', () => {
  it('(a) flat HDICT: extra fields ignored, missing ones null', () => {
    const t: TableTranslator = {
      'translation-type': 'HDICT',
      'table-name': 'networks',
      'selector-type': 'DICT_SELECTOR',
      'field-translators': ['id', 'tenant_id', 'name', 'status', 'admin_state_up', 'shared'].map((f) => ({ fieldname: f, translator: VALUE })),
    };
    const input = [
      { id: 'n1', tenant_id: 't1', name: 'private', status: 'ACTIVE', admin_state_up: true, shared: false, subnets: ['s1'] },
      { id: 'n2' },
    ];
    expect(rowsOf(t, input)).toEqual({
      networks: [
        ['n1', 't1', 'private', 'ACTIVE', true, false],
        ['n2', null, null, null, null, null],
      ],
    });
  });

  it('(b) HDICT with id-col', () => {
    const t: TableTranslator = {
      'translation-type': 'HDICT',
      'table-name': 't',
      'id-col': 'id',
      'selector-type': 'DICT_SELECTOR',
      'field-translators': [
        { fieldname: 'f1', translator: VALUE },
        { fieldname: 'f2', translator: VALUE },
      ],
    };
    expect(rowsOf(t, [{ f1: 'FOO', f2: 123 }])).toEqual({ t: [['1a856314a8c270ffcf6ef007bfc2c33a', 'FOO', 123]] });
  });

  it('(c) nested LIST with id-col puts the hash in the parent', () => {
    const t: TableTranslator = {
      'translation-type': 'HDICT',
      'table-name': 'servers',
      'selector-type': 'DICT_SELECTOR',
      'field-translators': [
        { fieldname: 'name', translator: VALUE },
        { fieldname: 'tags', translator: { 'translation-type': 'LIST', 'table-name': 'server_tags', 'id-col': 'tags_id', 'val-col': 'tag', translator: VALUE } },
      ],
    };
    expect(rowsOf(t, [{ name: 'vm1', tags: ['x', 'y'] }, { name: 'vm2' }])).toEqual({
      server_tags: [
        ['128f268cedfba564ed71f52476ca1b70', 'x'],
        ['128f268cedfba564ed71f52476ca1b70', 'y'],
      ],
      servers: [
        ['vm1', '128f268cedfba564ed71f52476ca1b70'],
        ['vm2', 'd751713988987e9331980363e24189ce'],
      ],
    });
    expect(schemaOf([t]).map((s) => [s.name, s.columns.map((c) => c.name)])).toEqual([
      ['server_tags', ['tags_id', 'tag']],
      ['servers', ['name', 'tags']],
    ]);
  });

  it('(d) nested LIST with parent-key gives the parent no column', () => {
    const t: TableTranslator = {
      'translation-type': 'HDICT',
      'table-name': 'servers',
      'selector-type': 'DICT_SELECTOR',
      'field-translators': [
        { fieldname: 'id', translator: typed(Str) },
        { fieldname: 'name', translator: VALUE },
        { fieldname: 'tags', translator: { 'translation-type': 'LIST', 'table-name': 'tags', 'parent-key': 'id', 'parent-col-name': 'server_id', 'val-col': 'tag', translator: VALUE } },
      ],
    };
    expect(rowsOf(t, [{ id: 's1', name: 'vm1', tags: ['x', 'y'] }])).toEqual({
      tags: [
        ['s1', 'x'],
        ['s1', 'y'],
      ],
      servers: [['s1', 'vm1']],
    });
    const schema = schemaOf([t]);
    expect(schema.map((s) => [s.name, s.columns.map((c) => c.name)])).toEqual([
      ['tags', ['server_id', 'tag']],
      ['servers', ['id', 'name']],
    ]);
    // The parent column copies the type of the column it reads.
    expect(schema[0].columns[0].type).toBe('Str');
  });

  it('(e) in-list HDICT with parent-key and objects-extract-fn (nova addresses)', () => {
    const flatten = (raw: unknown): unknown =>
      Object.entries(raw as Record<string, Record<string, unknown>[]>).flatMap(([net, addrs]) => addrs.map((a) => ({ ...a, network_name: net })));
    const t: TableTranslator = {
      'translation-type': 'HDICT',
      'table-name': 'servers',
      'selector-type': 'DICT_SELECTOR',
      'field-translators': [
        { fieldname: 'id', translator: VALUE },
        {
          fieldname: 'addresses',
          translator: {
            'translation-type': 'HDICT',
            'table-name': 'servers.addresses',
            'parent-key': 'id',
            'parent-col-name': 'server_id',
            'selector-type': 'DICT_SELECTOR',
            'in-list': true,
            'objects-extract-fn': flatten,
            'field-translators': [
              { fieldname: 'network_name', translator: VALUE },
              { fieldname: 'addr', col: 'address', translator: VALUE },
              { fieldname: 'version', translator: typed(Int) },
              { fieldname: 'OS-EXT-IPS-MAC:mac_addr', col: 'mac_address', translator: VALUE },
              { fieldname: 'OS-EXT-IPS:type', col: 'address_type', translator: VALUE },
            ],
          },
        },
      ],
    };
    const input = [{ id: '1234', addresses: { net_mgmt: [{ addr: '192.168.0.60', version: 4, 'OS-EXT-IPS-MAC:mac_addr': '11:11:11:11', 'OS-EXT-IPS:type': 'fixed' }] } }];
    expect(rowsOf(t, input)['servers.addresses']).toEqual([['1234', 'net_mgmt', '192.168.0.60', 4, '11:11:11:11', 'fixed']]);
  });

  it('an in-list HDICT with id-col gives its parent the id of its last element, null when empty (the original answers)', () => {
    const t: TableTranslator = {
      'translation-type': 'HDICT',
      'table-name': 'servers',
      'selector-type': 'DICT_SELECTOR',
      'field-translators': [
        { fieldname: 'id', translator: VALUE },
        {
          fieldname: 'addrs',
          translator: {
            'translation-type': 'HDICT',
            'table-name': 'addrs',
            'selector-type': 'DICT_SELECTOR',
            'in-list': true,
            'id-col': 'aid',
            'field-translators': [{ fieldname: 'ip', translator: VALUE }],
          },
        },
      ],
    };
    const rows = rowsOf(t, [{ id: 's1', addrs: [{ ip: 'a' }, { ip: 'b' }] }, { id: 's2', addrs: [] }, { id: 's3' }]);
    // Recorded from the original's DataSourceDriver.convert_objs (scripts/congress-translator-oracle).
    expect(rows.addrs).toEqual([
      ['4c96bbc0e2390918dd50ef8e7eaff6e2', 'a'],
      ['d1a2852882e80a177a99b9296381500a', 'b'],
    ]);
    expect(rows.servers).toEqual([
      ['s1', 'd1a2852882e80a177a99b9296381500a'],
      ['s2', null],
      ['s3', EMPTY_HASH],
    ]);
  });

  it('(f) nested HDICT with a grandchild reading the child column', () => {
    const t: TableTranslator = {
      'translation-type': 'HDICT',
      'table-name': 'routers',
      'selector-type': 'DICT_SELECTOR',
      'field-translators': [
        { fieldname: 'id', translator: VALUE },
        {
          fieldname: 'external_gateway_info',
          translator: {
            'translation-type': 'HDICT',
            'table-name': 'external_gateway_infos',
            'parent-key': 'id',
            'parent-col-name': 'router_id',
            'selector-type': 'DICT_SELECTOR',
            'field-translators': [
              { fieldname: 'network_id', translator: VALUE },
              { fieldname: 'enable_snat', translator: VALUE },
              {
                fieldname: 'external_fixed_ips',
                translator: {
                  'translation-type': 'HDICT',
                  'table-name': 'external_fixed_ips',
                  'parent-key': 'router_id',
                  'parent-col-name': 'router_id',
                  'selector-type': 'DICT_SELECTOR',
                  'in-list': true,
                  'field-translators': [
                    { fieldname: 'subnet_id', translator: VALUE },
                    { fieldname: 'ip_address', translator: VALUE },
                  ],
                },
              },
            ],
          },
        },
      ],
    };
    const input = [
      { id: 'r1', external_gateway_info: { network_id: 'n-ext', enable_snat: true, external_fixed_ips: [{ subnet_id: 's-ext', ip_address: '1.1.1.2' }] } },
      { id: 'r2', external_gateway_info: null },
    ];
    expect(rowsOf(t, input)).toEqual({
      external_fixed_ips: [['r1', 's-ext', '1.1.1.2']],
      external_gateway_infos: [['r1', 'n-ext', true]],
      routers: [['r1'], ['r2']],
    });
  });

  it('(g) VDICT of LISTs with ids', () => {
    const t: TableTranslator = {
      'translation-type': 'VDICT',
      'table-name': 't',
      'id-col': 'id',
      'key-col': 'k',
      'val-col': 'v',
      translator: { 'translation-type': 'LIST', 'table-name': 'sub', 'id-col': 'sid', 'val-col': 'x', translator: VALUE },
    };
    expect(rowsOf(t, [{ foo: [1, 2], bar: ['a'] }])).toEqual({
      sub: [
        ['04cd0e0151f352e7fd414d694a604136', 1],
        ['04cd0e0151f352e7fd414d694a604136', 2],
        ['4c96bbc0e2390918dd50ef8e7eaff6e2', 'a'],
      ],
      t: [
        ['6574e71f504a8808ec7a7826917526b2', 'bar', '4c96bbc0e2390918dd50ef8e7eaff6e2'],
        ['6574e71f504a8808ec7a7826917526b2', 'foo', '04cd0e0151f352e7fd414d694a604136'],
      ],
    });
    expect(tableSchemaJson(schemaOf([t])[1])).toEqual({
      table_id: 't',
      columns: [
        { name: 'id', description: 'None' },
        { name: 'k', description: 'None' },
        { name: 'v', description: 'None' },
      ],
    });
  });

  it('(h) LIST of HDICTs with ids', () => {
    const t: TableTranslator = {
      'translation-type': 'LIST',
      'table-name': 't',
      'id-col': 'id',
      'val-col': 'v',
      translator: { 'translation-type': 'HDICT', 'table-name': 'sub', 'id-col': 'sid', 'selector-type': 'DICT_SELECTOR', 'field-translators': [{ fieldname: 'a', translator: VALUE }] },
    };
    const rows = rowsOf(t, [[{ a: 1 }, { a: 2 }]]);
    expect(rows.sub).toEqual([
      ['35dba5d75538a9bbe0b4da4422759a0e', 1],
      ['beb4dbf9af069aa2df7b147229965085', 2],
    ]);
    expect(rows.t.map((r) => r[0])).toEqual(['83a5c6ea8dff75567c95fd5593b73064', '83a5c6ea8dff75567c95fd5593b73064']);
    expect(rows.t.map((r) => r[1]).sort()).toEqual(['35dba5d75538a9bbe0b4da4422759a0e', 'beb4dbf9af069aa2df7b147229965085']);
  });
});

describe('values and errors', () => {
  const t: TableTranslator = {
    'translation-type': 'HDICT',
    'table-name': 'x',
    'selector-type': 'DICT_SELECTOR',
    'field-translators': [
      { fieldname: 'n', translator: typed(Int) },
      { fieldname: 'o', translator: VALUE },
    ],
  };

  it('keeps a value of the wrong type and counts it', () => {
    const result = new RootTranslator(t).convert([{ n: 'seven', o: { b: 1, a: [true] } }]);
    // Rendered as the original renders an untyped structure: Python's str(), key order kept.
    expect(result.tables.get('x')).toEqual([['seven', "{'b': 1, 'a': [True]}"]]);
    expect(result.typeErrors).toBe(1);
  });

  it('skips an object that is not a dict in lenient mode and fails in strict mode', () => {
    const lenient = new RootTranslator(t).convert([{ n: 1 }, 'junk', { n: 2 }]);
    expect(lenient.tables.get('x')).toEqual([
      [1, null],
      [2, null],
    ]);
    expect(lenient.skipped).toBe(1);
    expect(() => new RootTranslator(t).convert([{ n: 1 }, 'junk'], 'strict')).toThrow(TranslationError);
    expect(() => new RootTranslator(t).convert({ nets: [] })).toThrow('expected a list of objects');
  });
});

describe('validation', () => {
  const base = { 'table-name': 't', 'selector-type': 'DICT_SELECTOR' as const, 'field-translators': [] };

  it('rejects unknown keys, parent-key with id-col, duplicate tables and orphan nested tables', () => {
    expect(() => validateTranslators([{ ...base, 'translation-type': 'HDICT', bogus: 1 } as never])).toThrow('Params (bogus) are invalid');
    expect(() => validateTranslators([{ ...base, 'translation-type': 'HDICT' }, { ...base, 'translation-type': 'HDICT' }])).toThrow('Duplicate table name t');
    expect(() =>
      validateTranslators([
        {
          ...base,
          'translation-type': 'HDICT',
          'field-translators': [{ fieldname: 'f', translator: { 'translation-type': 'LIST', 'table-name': 'l', 'val-col': 'v', 'parent-key': 'a', 'id-col': 'b', translator: VALUE } }],
        },
      ]),
    ).toThrow('Specify at most one of parent-key or id-col');
    expect(() =>
      validateTranslators([
        { ...base, 'translation-type': 'HDICT', 'field-translators': [{ fieldname: 'f', translator: { 'translation-type': 'LIST', 'table-name': 'l', 'val-col': 'v', translator: VALUE } }] },
      ]),
    ).toThrow('needs parent-key or id-col');
    expect(() => validateTranslators([{ 'translation-type': 'VDICT', 'table-name': 'v', 'key-col': 'k', translator: VALUE } as never])).toThrow('requires key-col and val-col');
    expect(() => validateTranslators([{ 'translation-type': 'NOPE' } as never])).toThrow('Translation type NOPE is invalid');
  });
});

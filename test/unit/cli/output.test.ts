/** Client output: cliff-style tables, Field/Value views and JSON for scripts. */
import { cellText, render, renderTable, type Output } from '../../../src/cli/client/output';
import { Float } from '../../../src/datalog/value';

describe('client output', () => {
  it('draws a prettytable-style table with left-aligned cells', () => {
    expect(renderTable(['id', 'name'], [['p', 'alice'], ['quux', null]])).toBe(
      ['+------+-------+', '| id   | name  |', '+------+-------+', '| p    | alice |', '| quux | None  |', '+------+-------+', ''].join('\n'),
    );
  });

  it('spreads multi-line cells over several lines', () => {
    const t = renderTable(['Field', 'Value'], [['rule', 'p(x) :-\n  q(x)']]);
    expect(t.split('\n')).toEqual(['+-------+---------+', '| Field | Value   |', '+-------+---------+', '| rule  | p(x) :- |', '|       |   q(x)  |', '+-------+---------+', '']);
  });

  it("spells values as the python client shows them", () => {
    expect([cellText(null), cellText(true), cellText(false), cellText(2.5), cellText('x'), cellText({ a: [1] })]).toEqual(['None', 'True', 'False', '2.5', 'x', '{"a":[1]}']);
    // A float the server wrote as 1.0 prints as 1.0 (Python's str), an integer as itself.
    expect([cellText(new Float(1)), cellText(new Float(1e16)), cellText(1), cellText(12345678901234567890n)]).toEqual(['1.0', '1e+16', '1', '12345678901234567890']);
  });

  it('keeps floats in --json output, laid out as JSON.stringify lays it out', () => {
    const rows = [['a', new Float(1)], ['b', 2]];
    expect(render({ kind: 'list', columns: ['id', 'v'], rows }, 'json')).toBe('[\n  {\n    "id": "a",\n    "v": 1.0\n  },\n  {\n    "id": "b",\n    "v": 2\n  }\n]\n');
    const plain = { a: [1, 'x', null, true, { b: [] }], c: {} };
    expect(render({ kind: 'text', text: '', json: plain }, 'json')).toBe(JSON.stringify(plain, null, 2) + '\n');
  });

  it('shows one object as sorted Field/Value rows, or as a JSON object', () => {
    const out = { kind: 'show', fields: { name: 'alice', id: '1' } } as const;
    expect(render(out, 'table')).toContain('| id    | 1     |\n| name  | alice |');
    expect(JSON.parse(render(out, 'json'))).toEqual({ id: '1', name: 'alice' });
  });

  it('prints lists as objects keyed by column in JSON, and nothing for an empty table', () => {
    const out = { kind: 'list', columns: ['Col0', 'Col1'], rows: [[1, 'a']] } as const;
    expect(JSON.parse(render(out, 'json'))).toEqual([{ Col0: 1, Col1: 'a' }]);
    expect(render({ kind: 'list', columns: ['id'], rows: [] }, 'table')).toBe('');
    expect(render({ kind: 'list', columns: ['id'], rows: [], preface: 'trace\n' }, 'table')).toBe('trace\n');
    expect(render({ kind: 'list', columns: ['id'], rows: [], json: { results: [] } }, 'json')).toBe('{\n  "results": []\n}\n');
  });

  it('prints text for people and its JSON for scripts', () => {
    const out: Output = { kind: 'text', text: 'p(1)\n', json: { result: ['p(1)'] } };
    expect(render(out, 'table')).toBe('p(1)\n');
    expect(JSON.parse(render(out, 'json'))).toEqual({ result: ['p(1)'] });
    expect(render({ kind: 'none' }, 'json')).toBe('');
  });
});

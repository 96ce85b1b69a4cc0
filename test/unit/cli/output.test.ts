/** Client output: cliff-style tables, Field/Value views and JSON for scripts. */
import { cellText, render, renderTable, type Output } from '../../../src/cli/client/output';

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

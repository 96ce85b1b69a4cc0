/** A driver's tables: replacement by value, rows offered one at a time, abort. */
import type { Row } from '../../../src/bus/json';
import { TableState } from '../../../src/services/datasources/framework/table-state';
import { sortRows } from './support';

describe('TableState', () => {
  it('answers a replacement with exactly the rows added and deleted, rows sharing a first value included', () => {
    const state = new TableState();
    const first = state.replace('t', [
      ['a', 1],
      ['a', 2],
      ['b', 1],
      ['a', 1],
    ]);
    expect(first).toEqual({ add: [['a', 1], ['a', 2], ['b', 1]], del: [] });
    expect(state.counts()).toEqual({ t: 3 });
    const second = state.replace('t', [
      ['a', 2],
      ['a', 3],
      ['c', null],
    ]);
    expect(second.add).toEqual([['a', 3], ['c', null]]);
    expect(sortRows(second.del)).toEqual([['a', 1], ['b', 1]]);
    expect(sortRows(state.rows('t'))).toEqual([['a', 2], ['a', 3], ['c', null]]);
    expect(state.replace('t', [['c', null], ['a', 3], ['a', 2]])).toEqual({ add: [], del: [] });
  });

  it('tells values apart as the bus does: types, lengths, nested values by content', () => {
    const state = new TableState();
    state.replace('t', [[1, 'x'], ['1', 'x'], [1], [[1, 2], 'n'], [null, 'z'], [true, 'b']]);
    const again = state.replace('t', [[1, 'x'], ['1', 'x'], [1], [[1, 2], 'n'], [null, 'z'], ['true', 'b']]);
    expect(again).toEqual({ add: [['true', 'b']], del: [[true, 'b']] });
    expect(state.replace('t', [[1, 'x'], ['1', 'x'], [1], [[1, 3], 'n'], [null, 'z'], ['true', 'b']])).toEqual({ add: [[[1, 3], 'n']], del: [[[1, 2], 'n']] });
    expect(state.replace('t', [])).toEqual({ add: [], del: expect.any(Array) as Row[] });
    expect(state.counts()).toEqual({ t: 0 });
  });

  it('takes rows one at a time, and an aborted replacement leaves the table as it was', () => {
    const state = new TableState();
    state.replace('t', [['a', 1], ['b', 1]]);
    const r = state.begin('t');
    r.offer(['a', 1]);
    r.offer(['a', 9]);
    r.offer(['z', 0]);
    r.abort();
    expect(sortRows(state.rows('t'))).toEqual([['a', 1], ['b', 1]]);
    expect(state.counts()).toEqual({ t: 2 });
    const s = state.begin('t');
    s.offer(['b', 1]);
    s.offer(['c', 1]);
    expect(s.finish()).toEqual({ add: [['c', 1]], del: [['a', 1]] });
    expect(state.rows('t')).toEqual([['b', 1], ['c', 1]]);
  });

  it('lists declared tables, empty ones too', () => {
    const state = new TableState();
    state.declare('empty');
    expect(state.has('empty')).toBe(true);
    expect(state.has('other')).toBe(false);
    expect(state.rows('empty')).toEqual([]);
    expect(state.rows('other')).toEqual([]);
    expect(state.names()).toEqual(['empty']);
  });
});

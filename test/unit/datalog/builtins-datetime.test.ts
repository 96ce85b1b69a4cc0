/**
 * Datetime builtins: dateutil's lenient parser (formats, defaults from today, two-digit years,
 * errors), timedeltas, `str(datetime)` output, and `now`. The clock is fixed at
 * 2015-03-04 10:20:30 local time; expected values come from python-dateutil 2.9 with the same
 * default date and current year.
 */
import { createBuiltins, type BuiltinRegistry } from '../../../src/datalog/builtins';
import { Float, type Value } from '../../../src/datalog/value';

const FAIL = 'FAIL';

function registryAt(date: Date): BuiltinRegistry {
  return createBuiltins({ clock: () => date });
}

const reg = registryAt(new Date(2015, 2, 4, 10, 20, 30));

function run(name: string, ...args: Value[]): boolean | readonly Value[] | typeof FAIL {
  const b = reg.table.get(name);
  if (b === undefined) throw new Error(`no builtin ${name}`);
  try {
    return b.apply(args);
  } catch {
    return FAIL;
  }
}

/** `str(parse(text))`, through datetime_plus with a zero delta. */
const asText = (text: string): string | typeof FAIL => {
  const r = run('datetime_plus', text, 0);
  return r === FAIL ? r : ((r as Value[])[0] as string);
};

describe('datetime parsing (dateutil, default 2015-03-04)', () => {
  it.each<[string, string, number]>([
    ['2015-03-04', '2015-03-04 00:00:00', 3634416000],
    ['2015-03-04 05:06:07', '2015-03-04 05:06:07', 3634434367],
    ['2015-03-04T05:06:07', '2015-03-04 05:06:07', 3634434367],
    ['2015-03-04T05:06:07Z', '2015-03-04 05:06:07', 3634434367],
    ['2015-03-04T05:06:07+02:00', '2015-03-04 05:06:07', 3634434367],
    ['2015-03-04T05:06:07.250000-08:00', '2015-03-04 05:06:07.250000', 3634434367],
    ['2015-03-04 05:06:07.25', '2015-03-04 05:06:07.250000', 3634434367],
    ['2015-03-04 05:06:07,123', '2015-03-04 05:06:07.123000', 3634434367],
    ['March 4 2015', '2015-03-04 00:00:00', 3634416000],
    ['4 March 2015', '2015-03-04 00:00:00', 3634416000],
    ['Mar 4, 2015', '2015-03-04 00:00:00', 3634416000],
    ['Mar 4, 2015 10:00:00', '2015-03-04 10:00:00', 3634452000],
    ['2015/03/04', '2015-03-04 00:00:00', 3634416000],
    ['03/04/2015', '2015-03-04 00:00:00', 3634416000],
    ['04/03/15', '2015-04-03 00:00:00', 3637008000],
    ['4.3.2015', '2015-04-03 00:00:00', 3637008000],
    ['20150304', '2015-03-04 00:00:00', 3634416000],
    ['20150304T0506', '2015-03-04 05:06:00', 3634434360],
    ['20150304050607', '2015-03-04 05:06:07', 3634434367],
    ['150304', '2004-03-15 00:00:00', 3288297600],
    ['Jan 1, 2014 10:00:00', '2014-01-01 10:00:00', 3597559200],
    ['2000-1-1 10:5:6', '2000-01-01 10:05:06', 3155709906],
    ['10:00', '2015-03-04 10:00:00', 3634452000],
    ['5pm', '2015-03-04 17:00:00', 3634477200],
    ['12am', '2015-03-04 00:00:00', 3634416000],
    ['10:30 PM', '2015-03-04 22:30:00', 3634497000],
    ['5 am pm', '2015-03-04 17:00:00', 3634477200],
    ['13 pm', '2015-03-04 13:00:00', 3634462800],
    ['Monday', '2015-03-09 00:00:00', 3634848000],
    ['Wed', '2015-03-04 00:00:00', 3634416000],
    ['Thu Sep 25 10:36:28 2003', '2003-09-25 10:36:28', 3273474988],
    ['Mon, 4 Mar 2015 05:06:07 GMT', '2015-03-04 05:06:07', 3634434367],
    ['2015-03-04 05:06:07 -0500 (EST)', '2015-03-04 05:06:07', 3634434367],
    ['Sep.20.2009', '2009-09-20 00:00:00', 3462393600],
    ['10h36m28.5s', '2015-03-04 10:36:28.500000', 3634454188],
    ['3.5h', '2015-03-04 03:30:00', 3634428600],
    ['March', '2015-03-04 00:00:00', 3634416000],
    ['March 2015', '2015-03-04 00:00:00', 3634416000],
    ['Feb 2016', '2016-02-04 00:00:00', 3663532800],
    ['31', '2015-03-31 00:00:00', 3636748800],
    ['Feb', '2015-02-04 00:00:00', 3631996800],
    ['Jan of 15', '2015-01-04 00:00:00', 3629318400],
    ['99-01-01', '1999-01-01 00:00:00', 3124137600],
    ['12/31/99', '1999-12-31 00:00:00', 3155587200],
    ['01-02-03', '2003-01-02 00:00:00', 3250454400],
    ['65-01-01', '1965-01-01 00:00:00', 2051222400],
    ['64-01-01', '2064-01-01 00:00:00', 5175360000],
    ['3rd of March 2015', '2015-03-03 00:00:00', 3634329600],
    ['March 3rd, 2015', '2015-03-03 00:00:00', 3634329600],
    ['4th Mar 2015 at 10am', '2015-03-04 10:00:00', 3634452000],
    ['13/12/2015', '2015-12-13 00:00:00', 3658953600],
    ['5-Jan-2015', '2015-01-05 00:00:00', 3629404800],
    ['2015-Jan-05', '2015-01-05 00:00:00', 3629404800],
    ['9999-12-31 23:59:59.999999', '9999-12-31 23:59:59.999999', 255611289600],
    ['0001-01-01', '0001-01-01 00:00:00', -59926608000],
    ['1900-01-01 00:00:00', '1900-01-01 00:00:00', 0],
    ['1899-12-31 23:59:59.5', '1899-12-31 23:59:59.500000', 0], // int() truncates toward zero
    ['2015-03-04 00:00:00.000001', '2015-03-04 00:00:00.000001', 3634416000],
    ['  2015-03-04\t05:06:07  ', '2015-03-04 05:06:07', 3634434367],
  ])('%p reads as %p (%i s since 1900)', (text, printed, seconds) => {
    expect(asText(text)).toBe(printed);
    expect(run('datetime_to_seconds', text)).toEqual([seconds]);
  });

  it.each([
    '2015-02-30',
    '2015-13-01',
    'abc',
    '',
    ' ',
    '2015-03-04 24:00:00',
    '0000-01-01',
    'nan',
    '2015-03-04 05:06:60',
    'Feb 29 2015',
    '1/2/3/4',
    'Jan-',
    '10:00 x',
    'T',
    'UTC',
    '2015-03-04 foo',
    '13:00 am',
    'am',
  ])('%p is not a datetime', (text) => {
    expect(run('extract_date', text)).toBe(FAIL);
    expect(run('datetime_lt', text, '2015-01-01')).toBe(FAIL);
  });

  it('refuses non-string datetimes', () => {
    expect(run('extract_date', 20150304)).toBe(FAIL);
    expect(run('datetime_equal', new Float(1.5), '2015-01-01')).toBe(FAIL);
  });

  it('clamps a missing day to the end of the default month', () => {
    const endOfMarch = registryAt(new Date(2015, 2, 31, 12, 0, 0));
    expect(endOfMarch.find('extract_date', 2)?.apply(['Feb'])).toEqual(['2015-02-28']);
    expect(endOfMarch.find('extract_date', 2)?.apply(['Feb 2016'])).toEqual(['2016-02-29']);
    expect(endOfMarch.find('extract_date', 2)?.apply(['April'])).toEqual(['2015-04-30']);
  });

  it('reads two-digit years relative to the current year, even when the year changes', () => {
    let now = new Date(2015, 0, 1);
    const moving = createBuiltins({ clock: () => now });
    const extract = moving.find('extract_date', 2);
    expect(extract?.apply(['64-01-01'])).toEqual(['2064-01-01']);
    now = new Date(2015 + 40, 0, 1);
    expect(extract?.apply(['64-01-01'])).toEqual(['2064-01-01']);
    now = new Date(2015 + 60, 0, 1);
    expect(extract?.apply(['64-01-01'])).toEqual(['2064-01-01']);
    now = new Date(2120, 0, 1);
    expect(extract?.apply(['64-01-01'])).toEqual(['2164-01-01']);
  });

  it('re-reads a cached two-digit year that failed once the current year moves', () => {
    let now = new Date(2015, 0, 1);
    const moving = createBuiltins({ clock: () => now });
    const extract = moving.find('extract_date', 2);
    expect(extract?.apply(['02/29/00'])).toEqual(['2000-02-29']);
    now = new Date(2060, 0, 1);
    expect(() => extract?.apply(['02/29/00'])).toThrow(); // 2100 is not a leap year
    now = new Date(2015, 0, 1);
    expect(extract?.apply(['02/29/00'])).toEqual(['2000-02-29']);
  });

  it('fills missing dates from the clock at each call', () => {
    let now = new Date(2015, 2, 4);
    const moving = createBuiltins({ clock: () => now });
    const extract = moving.find('extract_date', 2);
    expect(extract?.apply(['10:00'])).toEqual(['2015-03-04']);
    now = new Date(2016, 6, 9);
    expect(extract?.apply(['10:00'])).toEqual(['2016-07-09']);
  });
});

describe('datetime extraction and packing', () => {
  it('unpacks dates and times into integers', () => {
    expect(run('unpack_datetime', '2000-1-1 10:5:6')).toEqual([2000, 1, 1, 10, 5, 6]);
    expect(run('unpack_date', '2000-1-1 10:5:6')).toEqual([2000, 1, 1]);
    expect(run('unpack_time', '2000-1-1 10:5:6')).toEqual([10, 5, 6]);
    expect(run('unpack_time', '2015-03-04 05:06:07.9')).toEqual([5, 6, 7]);
  });

  it.each<[string, string, string]>([
    ['2015-03-04 05:06:07', '2015-03-04', '05:06:07'],
    ['1900-01-02 00:00:00', '1900-01-02', '00:00:00'],
    ['2015-03-04 05:06:07.250000', '2015-03-04', '05:06:07.250000'],
    ['2015-03-04T05:06:07+02:00', '2015-03-04', '05:06:07'],
    ['Jan 1, 1900 1:00:00', '1900-01-01', '01:00:00'],
    ['0005-06-07 08:09:10', '0005-06-07', '08:09:10'],
  ])('%p has date %p and time %p', (text, date, time) => {
    expect(run('extract_date', text)).toEqual([date]);
    expect(run('extract_time', text)).toEqual([time]);
  });

  it('packs with Python str() of each part and no padding', () => {
    expect(run('pack_time', 5, 6, 7)).toEqual(['5:6:7']);
    expect(run('pack_date', 2015, 3, 4)).toEqual(['2015-3-4']);
    expect(run('pack_datetime', 2000, 1, 1, 10, 5, 6)).toEqual(['2000-1-1 10:5:6']);
    expect(run('pack_datetime', 2015, 3, 4, 5, 6, new Float(7.5))).toEqual(['2015-3-4 5:6:7.5']);
    expect(run('pack_date', 'a', '', 10n ** 20n)).toEqual(['a--100000000000000000000']);
    expect(run('pack_time', new Float(1), new Float(1e20), -1)).toEqual(['1.0:1e+20:-1']);
  });
});

describe('datetime arithmetic', () => {
  it.each<[string, Value, string, string]>([
    ['2015-03-04 05:06:07', 3600, '2015-03-04 06:06:07', '2015-03-04 04:06:07'],
    ['2015-03-04 05:06:07', '1:0:0:0', '2015-03-05 05:06:07', '2015-03-03 05:06:07'],
    ['2015-03-04 05:06:07', '0:0:0:1:0', '2015-03-04 05:07:07', '2015-03-04 05:05:07'],
    ['2015-03-04 05:06:07', '10', '2015-03-04 05:06:17', '2015-03-04 05:05:57'],
    ['2015-12-31 23:59:59', 1, '2016-01-01 00:00:00', '2015-12-31 23:59:58'],
    ['2015-03-04 05:06:07', new Float(0.5), '2015-03-04 05:06:07.500000', '2015-03-04 05:06:06.500000'],
    ['Jan 5, 2014 10:00:00', '25:00:00', '2014-01-06 11:00:00', '2014-01-04 09:00:00'],
    ['Jan 5, 2014 10:00:00', '1:00:00', '2014-01-05 11:00:00', '2014-01-05 09:00:00'],
    ['2015-03-04 05:06:07', '1:2:3:4:5', '2015-03-13 08:10:12', '2015-02-23 02:02:02'],
    ['2015-03-04 05:06:07', ' 1 : 2 ', '2015-03-04 05:07:09', '2015-03-04 05:05:05'],
    ['2015-03-04 05:06:07', '-1:30', '2015-03-04 05:05:37', '2015-03-04 05:06:37'],
    ['2015-03-04 05:06:07', -1, '2015-03-04 05:06:06', '2015-03-04 05:06:08'],
    ['2016-02-28 12:00:00', 86400, '2016-02-29 12:00:00', '2016-02-27 12:00:00'],
    ['2015-03-04 05:06:07', new Float(1e-7), '2015-03-04 05:06:07', '2015-03-04 05:06:07'],
    ['2015-03-04 05:06:07', new Float(0.0000015), '2015-03-04 05:06:07.000002', '2015-03-04 05:06:06.999998'],
    ['2015-03-04 05:06:07', new Float(0.0000005), '2015-03-04 05:06:07', '2015-03-04 05:06:07'],
  ])('%p plus/minus %p', (start, delta, plus, minus) => {
    expect(run('datetime_plus', start, delta)).toEqual([plus]);
    expect(run('datetime_minus', start, delta)).toEqual([minus]);
  });

  it.each<[string, Value]>([
    ['2015-03-04', '1:2:3:4:5:6'],
    ['2015-03-04', ''],
    ['2015-03-04', '1.5'],
    ['2015-03-04', 'a'],
    ['2015-03-04', '1::2'],
    ['2015-03-04', new Float(NaN)],
    ['2015-03-04', new Float(Infinity)],
    ['2015-03-04', 86400 * 365 * 10000],
    ['9999-12-31 23:59:59', 1],
    ['0001-01-01', '1'],
    ['abc', 1],
  ])('%p plus %p fails', (start, delta) => {
    const plus = run('datetime_plus', start, delta);
    const minus = run('datetime_minus', start, delta);
    expect(plus === FAIL || minus === FAIL).toBe(true);
    if (start !== '9999-12-31 23:59:59' && start !== '0001-01-01') {
      expect(plus).toBe(FAIL);
      expect(minus).toBe(FAIL);
    }
  });

  it('adds to 0001-01-01 but cannot go before it', () => {
    expect(run('datetime_plus', '0001-01-01', '1')).toEqual(['0001-01-01 00:00:01']);
    expect(run('datetime_minus', '0001-01-01', '1')).toBe(FAIL);
    expect(run('datetime_minus', '9999-12-31 23:59:59', 1)).toEqual(['9999-12-31 23:59:58']);
    expect(run('datetime_plus', '9999-12-31 23:59:59', 1)).toBe(FAIL);
  });

  it('gives whole seconds since 1900-01-01', () => {
    expect(run('datetime_to_seconds', '1900-01-02 00:00:00')).toEqual([86400]);
    expect(run('datetime_to_seconds', 'Jan 1, 1900 1:00:00')).toEqual([3600]);
    expect(run('datetime_to_seconds', '1899-12-31 23:59:59')).toEqual([-1]);
    expect(run('datetime_to_seconds', '1899-12-31 23:59:58.5')).toEqual([-1]);
  });
});

describe('datetime comparisons', () => {
  it.each<[string, string, string, boolean]>([
    ['datetime_lt', 'Jan 1, 2014 10:00:00', '2014-01-02 10:00:00', true],
    ['datetime_lt', '2014-01-03 10:00:00', 'Jan 2, 2014 10:00:00', false],
    ['datetime_lteq', 'Jan 1, 2014 10:00:00', '2014-01-01 10:00:00', true],
    ['datetime_lteq', '2014-01-02 10:00:00', 'Jan 1, 2014 10:00:00', false],
    ['datetime_gt', 'Jan 5, 2014 10:00:00', '2014-01-02 10:00:00', true],
    ['datetime_gt', '2014-01-03 10:00:00', 'Feb 2, 2014 10:00:00', false],
    ['datetime_gteq', 'Jan 5, 2014 10:00:00', '2014-01-05 10:00:00', true],
    ['datetime_gteq', '2014-01-02 10:00:00', 'Mar 1, 2014 10:00:00', false],
    ['datetime_equal', '2015-03-04', 'March 4 2015', true],
    ['datetime_equal', 'Jan 5, 2014 10:00:00', '2014-01-02 10:00:00', false],
    ['datetime_equal', '2015-03-04 05:06:07+02:00', '2015-03-04 05:06:07-05:00', true], // zones ignored
    ['datetime_lt', '2015-03-04 05:06:07', '2015-03-04 05:06:07.000001', true],
  ])('%s(%p, %p) is %p', (name, x, y, expected) => {
    expect(run(name, x, y)).toBe(expected);
  });
});

describe('now', () => {
  it('gives the clock as local time, YYYY-MM-DD HH:MM:SS', () => {
    expect(run('now')).toEqual(['2015-03-04 10:20:30']);
    const early = registryAt(new Date(2021, 0, 2, 3, 4, 5, 678));
    expect(early.find('now', 1)?.apply([])).toEqual(['2021-01-02 03:04:05']);
  });

  it('reads the real clock by default', () => {
    const r = createBuiltins().find('now', 1)?.apply([]) as Value[];
    expect(r[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(String(r[0]).slice(0, 4)).toBe(String(new Date().getFullYear()));
  });
});

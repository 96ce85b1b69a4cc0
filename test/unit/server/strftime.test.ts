// log_date_format: Python's strftime directives in the C locale, compiled once.
import { compileStrftime } from '../../../src/server/strftime';

// Tuesday 2026-01-06 09:05:07 UTC, the 6th day of the year.
const t = new Date(Date.UTC(2026, 0, 6, 9, 5, 7, 123));

test("the original's default and the common directives", () => {
  expect(compileStrftime('%Y-%m-%d %H:%M:%S', 'utc')(t)).toBe('2026-01-06 09:05:07');
  expect(compileStrftime('%y%m%d %I:%M %p', 'utc')(t)).toBe('260106 09:05 AM');
  expect(compileStrftime('%a %A %b %B %j %w', 'utc')(t)).toBe('Tue Tuesday Jan January 006 2');
  expect(compileStrftime('%c|%x|%X', 'utc')(t)).toBe('Tue Jan  6 09:05:07 2026|01/06/26|09:05:07');
  expect(compileStrftime('%z %Z 100%% [%d]', 'utc')(t)).toBe('+0000 UTC 100% [06]');
  expect(compileStrftime('no directives', 'utc')(t)).toBe('no directives');
  expect(compileStrftime('', 'utc')(t)).toBe('');
});

test('week numbers as C counts them (%U from Sunday, %W from Monday, week 0 before the first)', () => {
  // 2026-01-01 is a Thursday: the first Sunday is the 4th, the first Monday the 5th.
  const day = (d: number): Date => new Date(Date.UTC(2026, 0, d, 12));
  expect([3, 4, 5, 11].map((d) => compileStrftime('%U', 'utc')(day(d)))).toEqual(['00', '01', '01', '02']);
  expect([4, 5, 11, 12].map((d) => compileStrftime('%W', 'utc')(day(d)))).toEqual(['00', '01', '01', '02']);
  expect(compileStrftime('%j %U %W', 'utc')(new Date(Date.UTC(2024, 11, 31, 12)))).toBe('366 52 53');
});

test('12-hour clock at midnight and noon', () => {
  expect(compileStrftime('%I %p', 'utc')(new Date(Date.UTC(2026, 0, 1, 0)))).toBe('12 AM');
  expect(compileStrftime('%I %p', 'utc')(new Date(Date.UTC(2026, 0, 1, 12)))).toBe('12 PM');
  expect(compileStrftime('%I %p', 'utc')(new Date(Date.UTC(2026, 0, 1, 23)))).toBe('11 PM');
});

test('local time follows the machine zone', () => {
  const local = compileStrftime('%Y-%m-%d %H:%M:%S')(t);
  const p = (n: number): string => String(n).padStart(2, '0');
  expect(local).toBe(`${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())} ${p(t.getHours())}:${p(t.getMinutes())}:${p(t.getSeconds())}`);
});

test('an unknown directive or a lone % is refused at once', () => {
  expect(() => compileStrftime('%Y-%q')).toThrow('log_date_format "%Y-%q": unknown directive %q at position 4');
  expect(() => compileStrftime('%H:%M %')).toThrow('unknown directive % at position 7');
});

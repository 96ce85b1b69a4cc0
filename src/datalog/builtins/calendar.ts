/**
 * Python's `datetime.datetime` and `datetime.timedelta` reduced to what the datetime builtins
 * need: validated construction, exact arithmetic in microseconds, ordering, and `str()`.
 * A datetime is kept as its proleptic Gregorian ordinal (0001-01-01 is 1, as `toordinal()`)
 * plus the microsecond of the day, so that every quantity stays a safe integer.
 */
import { fail } from './failure';

/** Microseconds in a day. */
export const DAY_US = 86_400_000_000;
const MAX_ORDINAL = 3_652_059; // 9999-12-31
const MAX_DELTA_DAYS = 999_999_999;
const CUMULATIVE_DAYS = [0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/** A naive datetime, as Python's `datetime.datetime` without tzinfo. */
export interface NaiveDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly microsecond: number;
  /** Days since 0000-12-31: 0001-01-01 is 1. */
  readonly ordinal: number;
  /** Microseconds since midnight. */
  readonly dayUs: number;
}

/** A duration as Python normalises `timedelta`: whole days and 0 <= us < one day. */
export interface Timedelta {
  readonly days: number;
  readonly us: number;
}

/** The Gregorian leap-year rule, valid for any integer year (as `calendar.isleap`). */
export function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** Days in a month, as `calendar.monthrange(year, month)[1]`. */
export function daysInMonth(year: number, month: number): number {
  if (!(month >= 1 && month <= 12)) fail('ValueError', `bad month number ${month}; must be 1-12`);
  if (month === 2) return isLeap(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function ordinalOf(year: number, month: number, day: number): number {
  const y = year - 1;
  const before = y * 365 + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400);
  return before + CUMULATIVE_DAYS[month] + (month > 2 && isLeap(year) ? 1 : 0) + day;
}

function checkRange(name: string, value: number, lo: number, hi: number, message?: string): void {
  if (!(value >= lo && value <= hi)) fail('ValueError', message ?? `${name} must be in ${lo}..${hi}`);
}

/** `datetime.datetime(...)`: validates every field with Python's messages. */
export function makeDateTime(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  microsecond = 0,
): NaiveDateTime {
  checkRange('year', year, 1, 9999, `year ${year} is out of range`);
  checkRange('month', month, 1, 12);
  checkRange('day', day, 1, daysInMonth(year, month), 'day is out of range for month');
  checkRange('hour', hour, 0, 23);
  checkRange('minute', minute, 0, 59);
  checkRange('second', second, 0, 59);
  checkRange('microsecond', microsecond, 0, 999_999);
  const ordinal = ordinalOf(year, month, day);
  const dayUs = ((hour * 60 + minute) * 60 + second) * 1_000_000 + microsecond;
  return { year, month, day, hour, minute, second, microsecond, ordinal, dayUs };
}

/** The datetime at `ordinal` days and `dayUs` microseconds (both already in range). */
function fromOrdinal(ordinal: number, dayUs: number): NaiveDateTime {
  // Civil-from-days over 400-year cycles of 146097 days.
  let n = ordinal - 1;
  const n400 = Math.floor(n / 146_097);
  n -= n400 * 146_097;
  const n100 = Math.min(Math.floor(n / 36_524), 3);
  n -= n100 * 36_524;
  const n4 = Math.floor(n / 1_461);
  n -= n4 * 1_461;
  const n1 = Math.min(Math.floor(n / 365), 3);
  n -= n1 * 365;
  const year = n400 * 400 + n100 * 100 + n4 * 4 + n1 + 1;
  let month = 1;
  while (month < 12 && n >= CUMULATIVE_DAYS[month + 1] + (month + 1 > 2 && isLeap(year) ? 1 : 0)) month++;
  const day = n - CUMULATIVE_DAYS[month] - (month > 2 && isLeap(year) ? 1 : 0) + 1;
  const seconds = Math.floor(dayUs / 1_000_000);
  return {
    year,
    month,
    day,
    hour: Math.floor(seconds / 3600),
    minute: Math.floor(seconds / 60) % 60,
    second: seconds % 60,
    microsecond: dayUs % 1_000_000,
    ordinal,
    dayUs,
  };
}

/** `dt + td` (OverflowError outside years 1..9999, as Python). */
export function addDelta(dt: NaiveDateTime, td: Timedelta, sign: 1 | -1): NaiveDateTime {
  let days = dt.ordinal + sign * td.days;
  let us = dt.dayUs + sign * td.us;
  if (us >= DAY_US) {
    us -= DAY_US;
    days++;
  } else if (us < 0) {
    us += DAY_US;
    days--;
  }
  if (days < 1 || days > MAX_ORDINAL) fail('OverflowError', 'date value out of range');
  return fromOrdinal(days, us);
}

/** Orders two datetimes: negative, zero or positive. */
export function compareDateTimes(a: NaiveDateTime, b: NaiveDateTime): number {
  return a.ordinal !== b.ordinal ? a.ordinal - b.ordinal : a.dayUs - b.dayUs;
}

/** Python's `weekday()`: Monday is 0. */
export function weekdayOf(dt: NaiveDateTime): number {
  return (dt.ordinal + 6) % 7;
}

/** A timedelta of exactly `totalUs` microseconds, with Python's magnitude limit. */
export function timedeltaFromMicros(totalUs: bigint): Timedelta {
  const day = BigInt(DAY_US);
  let days = totalUs / day;
  let us = totalUs % day;
  if (us < 0n) {
    us += day;
    days -= 1n;
  }
  if (days > BigInt(MAX_DELTA_DAYS) || days < -BigInt(MAX_DELTA_DAYS)) {
    fail('OverflowError', `days=${days}; must have magnitude <= ${MAX_DELTA_DAYS}`);
  }
  return { days: Number(days), us: Number(us) };
}

/** Whole seconds from `origin` to `dt`, as `int((dt - origin).total_seconds())`. */
export function secondsBetween(origin: NaiveDateTime, dt: NaiveDateTime): number {
  const days = dt.ordinal - origin.ordinal;
  const us = dt.dayUs - origin.dayUs;
  // Below 2^53 microseconds this is one correctly rounded division of exact operands, as
  // Python's int / int; beyond (centuries away from 1900) the total is rounded once first.
  const total = Math.abs(days) < 100_000 ? days * DAY_US + us : Number(BigInt(days) * BigInt(DAY_US) + BigInt(us));
  return Math.trunc(total / 1e6) + 0;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Python's `str(dt.date())`: `YYYY-MM-DD`. */
export function formatDate(dt: NaiveDateTime): string {
  return pad(dt.year, 4) + '-' + pad(dt.month, 2) + '-' + pad(dt.day, 2);
}

/** Python's `str(dt.time())`: `HH:MM:SS`, plus `.ffffff` when there are microseconds. */
export function formatTime(dt: NaiveDateTime): string {
  const base = pad(dt.hour, 2) + ':' + pad(dt.minute, 2) + ':' + pad(dt.second, 2);
  return dt.microsecond === 0 ? base : base + '.' + pad(dt.microsecond, 6);
}

/** Python's `str(dt)`: `YYYY-MM-DD HH:MM:SS[.ffffff]`. */
export function formatDateTime(dt: NaiveDateTime): string {
  return formatDate(dt) + ' ' + formatTime(dt);
}

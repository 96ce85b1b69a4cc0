/**
 * python-dateutil's lenient `parser.parse(text, ignoretz=True)`, which the datetime builtins
 * use on every datetime argument: ISO dates with or without time and `T`, `2015/03/04`,
 * `March 4 2015`, `4 March 2015`, `Mar 4, 2015 10:00:00`, `5pm`, compact `20150304`, and so on.
 * Fields the text omits come from today's date at midnight (the `default`), time zones are
 * recognised but dropped. The lexer, the token rules and the year/month/day resolution follow
 * dateutil 2.8/2.9 decision for decision so that ambiguous inputs resolve the same way.
 */
import { BuiltinFailure, fail } from './failure';
import { daysInMonth, makeDateTime, addDelta, weekdayOf, type NaiveDateTime } from './calendar';
import { lexDateTime } from './datelex';
import { asciiDigits } from './pytext';
import { parsePyFloat, parsePyInt } from './pynum';

/** Python's `str.isdigit()` (decimal digits). */
const ALL_DIGITS = /^\p{Nd}+$/u;

// ---------------------------------------------------------------------------------------------
// Vocabulary (dateutil's parserinfo, English).

function vocabulary(groups: readonly (readonly string[])[], offset = 0): ReadonlyMap<string, number> {
  const m = new Map<string, number>();
  groups.forEach((names, i) => names.forEach((n) => m.set(n, i + offset)));
  return m;
}

const JUMP = new Set([' ', '.', ',', ';', '-', '/', "'", 'at', 'on', 'and', 'ad', 'm', 't', 'of', 'st', 'nd', 'rd', 'th']);
const WEEKDAYS = vocabulary([
  ['mon', 'monday'],
  ['tue', 'tuesday'],
  ['wed', 'wednesday'],
  ['thu', 'thursday'],
  ['fri', 'friday'],
  ['sat', 'saturday'],
  ['sun', 'sunday'],
]);
const MONTHS = vocabulary(
  [
    ['jan', 'january'],
    ['feb', 'february'],
    ['mar', 'march'],
    ['apr', 'april'],
    ['may'],
    ['jun', 'june'],
    ['jul', 'july'],
    ['aug', 'august'],
    ['sep', 'sept', 'september'],
    ['oct', 'october'],
    ['nov', 'november'],
    ['dec', 'december'],
  ],
  1,
);
const HMS = vocabulary([
  ['h', 'hour', 'hours'],
  ['m', 'minute', 'minutes'],
  ['s', 'second', 'seconds'],
]);
const AMPM = vocabulary([
  ['am', 'a'],
  ['pm', 'p'],
]);
const UTC_NAMES = ['UTC', 'GMT', 'Z', 'z'];

const lookup = (m: ReadonlyMap<string, number>, token: string): number | null => m.get(token.toLowerCase()) ?? null;
const isJump = (token: string): boolean => JUMP.has(token.toLowerCase());
const isUtcName = (token: string): boolean => UTC_NAMES.some((n) => n.toLowerCase() === token.toLowerCase());

// ---------------------------------------------------------------------------------------------
// Decimal tokens: dateutil reads numeric tokens as Decimal; only their integer part and
// fraction digits matter, so they are kept exactly as text.

interface Dec {
  readonly whole: number;
  readonly frac: string; // digits after the point, possibly empty
}

function toDec(token: string): Dec {
  const t = asciiDigits(token);
  const m = /^(\d+)(?:\.(\d*))?$/.exec(t);
  if (m === null) return fail('ValueError', `Could not convert ${token} to decimal`);
  return { whole: Number(m[1]), frac: (m[2] ?? '').replace(/0+$/, '') };
}

const hasFrac = (d: Dec): boolean => d.frac.length > 0;
/** `int(60 * (d % 1))`. */
const sixtiethsOfFrac = (d: Dec): number => Number((60n * BigInt(d.frac)) / 10n ** BigInt(d.frac.length));
const decLe = (d: Dec, n: number): boolean => d.whole < n || (d.whole === n && !hasFrac(d));
const decGt = (d: Dec, n: number): boolean => d.whole > n || (d.whole === n && hasFrac(d));

/** Python's `float(token)` succeeding is dateutil's test for a numeric token. */
function isNumericToken(token: string): boolean {
  try {
    parsePyFloat(token);
    return true;
  } catch {
    return false;
  }
}

/** `tokens[i]` with Python's IndexError, which the parser turns into "unknown format". */
function at(tokens: readonly string[], i: number): string {
  if (i >= tokens.length) return fail('IndexError', 'list index out of range');
  return tokens[i];
}

// ---------------------------------------------------------------------------------------------
// Year / month / day collection and resolution (dateutil's _ymd).

type YmdLabel = 'Y' | 'M' | 'D' | null;

class Ymd {
  readonly values: number[] = [];
  centurySpecified = false;
  yIdx: number | null = null;
  mIdx: number | null = null;
  dIdx: number | null = null;

  get length(): number {
    return this.values.length;
  }

  append(val: string | Dec | number, label: YmdLabel = null): void {
    let n: number;
    if (typeof val === 'string') {
      if (ALL_DIGITS.test(val) && Array.from(val).length > 2) {
        this.centurySpecified = true;
        label = 'Y';
      }
      n = Number(parsePyInt(val));
    } else if (typeof val === 'number') {
      if (val > 100) {
        this.centurySpecified = true;
        label = 'Y';
      }
      n = val;
    } else {
      if (decGt(val, 100)) {
        this.centurySpecified = true;
        label = 'Y';
      }
      n = val.whole;
    }
    this.values.push(n);
    const idx = this.values.length - 1;
    if (label === 'M') {
      if (this.mIdx !== null) fail('ValueError', 'Month is already set');
      this.mIdx = idx;
    } else if (label === 'D') {
      if (this.dIdx !== null) fail('ValueError', 'Day is already set');
      this.dIdx = idx;
    } else if (label === 'Y') {
      if (this.yIdx !== null) fail('ValueError', 'Year is already set');
      this.yIdx = idx;
    }
  }

  couldBeDay(value: Dec): boolean {
    if (this.dIdx !== null) return false;
    if (value.whole < 1) return false;
    if (this.mIdx === null) return decLe(value, 31);
    const month = this.values[this.mIdx];
    const year = this.yIdx === null ? 2000 : this.values[this.yIdx];
    return decLe(value, daysInMonth(year, month));
  }

  /** dateutil's resolve_ymd with dayfirst = yearfirst = False. */
  resolve(): [number | null, number | null, number | null] {
    const v = this.values;
    const known: [string, number][] = [];
    if (this.yIdx !== null) known.push(['y', this.yIdx]);
    if (this.mIdx !== null) known.push(['m', this.mIdx]);
    if (this.dIdx !== null) known.push(['d', this.dIdx]);
    if ((v.length === known.length && known.length > 0) || (v.length === 3 && known.length === 2)) {
      if (v.length === 3 && known.length === 2) {
        const usedIdx = known.map((k) => k[1]);
        const usedKey = known.map((k) => k[0]);
        const missingIdx = [0, 1, 2].filter((i) => !usedIdx.includes(i));
        const missingKey = ['y', 'm', 'd'].filter((k) => !usedKey.includes(k));
        if (missingIdx.length !== 1 || missingKey.length !== 1) fail('ValueError', 'ambiguous date');
        known.push([missingKey[0], missingIdx[0]]);
      }
      const get = (key: string): number | null => {
        const k = known.find((e) => e[0] === key);
        return k === undefined ? null : v[k[1]];
      };
      return [get('y'), get('m'), get('d')];
    }
    let year: number | null = null;
    let month: number | null = null;
    let day: number | null = null;
    const mIdx = this.mIdx;
    if (v.length > 3) fail('ValueError', 'More than three YMD values');
    if (v.length === 1 || (mIdx !== null && v.length === 2)) {
      let other: number;
      if (mIdx !== null) {
        month = v[mIdx];
        other = v[mIdx === 0 ? v.length - 1 : mIdx - 1]; // Python's self[mstridx - 1] wraps around
      } else other = v[0];
      if (v.length > 1 || mIdx === null) {
        if (other > 31) year = other;
        else day = other;
      }
    } else if (v.length === 2) {
      if (v[0] > 31) [year, month] = v;
      else if (v[1] > 31) [month, year] = v;
      else [month, day] = v;
    } else if (v.length === 3) {
      if (mIdx === 0) {
        if (v[1] > 31) [month, year, day] = v;
        else [month, day, year] = v;
      } else if (mIdx === 1) {
        if (v[0] > 31) [year, month, day] = v;
        else [day, month, year] = v;
      } else if (mIdx === 2) {
        if (v[1] > 31) [day, year, month] = v;
        else [year, day, month] = v;
      } else if (v[0] > 31 || this.yIdx === 0) [year, month, day] = v;
      else if (v[0] > 12) [day, month, year] = v;
      else [month, day, year] = v;
    }
    return [year, month, day];
  }
}

// ---------------------------------------------------------------------------------------------
// The token walk (dateutil's _parse and _parse_numeric_token, non-fuzzy).

/** What a text says about a datetime, before defaults are filled in. */
export interface ParsedFields {
  year: number | null;
  month: number | null;
  day: number | null;
  weekday: number | null;
  hour: number | null;
  minute: number | null;
  second: number | null;
  microsecond: number | null;
  tzname: string | null;
  tzoffset: number | null;
  ampm: number | null;
  centurySpecified: boolean;
  /** The current year a two-digit year was resolved against, if any. */
  clockYear: number | null;
}

function emptyFields(): ParsedFields {
  return {
    year: null,
    month: null,
    day: null,
    weekday: null,
    hour: null,
    minute: null,
    second: null,
    microsecond: null,
    tzname: null,
    tzoffset: null,
    ampm: null,
    centurySpecified: false,
    clockYear: null,
  };
}

const int = (s: string): number => Number(parsePyInt(s));

/** `"07.25"` → seconds 7, microseconds 250000. */
function parseSeconds(text: string): [number, number] {
  if (!text.includes('.')) return [int(text), 0];
  const parts = text.split('.');
  if (parts.length !== 2) return fail('ValueError', 'too many values to unpack');
  return [int(parts[0]), int(parts[1].padEnd(6, '0').slice(0, 6))];
}

function minutesAndSeconds(d: Dec): [number, number | null] {
  return [d.whole, hasFrac(d) ? sixtiethsOfFrac(d) : null];
}

function adjustAmpm(hour: number, ampm: number): number {
  if (hour < 12 && ampm === 1) return hour + 12;
  if (hour === 12 && ampm === 0) return 0;
  return hour;
}

function couldBeTzname(res: ParsedFields, tzoffset: number | null, token: string): boolean {
  return (
    res.hour !== null &&
    res.tzname === null &&
    tzoffset === null &&
    Array.from(token).length <= 5 &&
    (/^[A-Z]*$/.test(token) || UTC_NAMES.includes(token))
  );
}

function findHmsIndex(idx: number, tokens: readonly string[]): number | null {
  const n = tokens.length;
  if (idx + 1 < n && lookup(HMS, tokens[idx + 1]) !== null) return idx + 1;
  if (idx + 2 < n && tokens[idx + 1] === ' ' && lookup(HMS, tokens[idx + 2]) !== null) return idx + 2;
  if (idx > 0 && lookup(HMS, tokens[idx - 1]) !== null) return idx - 1;
  if (idx > 1 && idx === n - 1 && tokens[idx - 1] === ' ' && lookup(HMS, tokens[idx - 2]) !== null) return idx - 2;
  return null;
}

/** Century rules for years written without one: within 50 years of the current year. */
function convertYear(year: number, centurySpecified: boolean, currentYear: number): number {
  if (year < 0) fail('ValueError', 'negative year');
  if (year < 100 && !centurySpecified) {
    year += Math.floor(currentYear / 100) * 100;
    if (year >= currentYear + 50) year -= 100;
    else if (year < currentYear - 50) year += 100;
  }
  return year;
}

class TokenWalk {
  readonly res = emptyFields();
  readonly ymd = new Ymd();

  constructor(
    readonly tokens: string[],
    readonly currentYear: () => number,
  ) {}

  run(): void {
    const l = this.tokens;
    const res = this.res;
    for (let i = 0; i < l.length; i++) {
      const tok = l[i];
      if (isNumericToken(tok)) {
        i = this.numeric(i);
      } else if (lookup(WEEKDAYS, tok) !== null) {
        res.weekday = lookup(WEEKDAYS, tok);
      } else if (lookup(MONTHS, tok) !== null) {
        this.ymd.append(lookup(MONTHS, tok) as number, 'M');
        if (i + 1 < l.length) {
          if (l[i + 1] === '-' || l[i + 1] === '/') {
            // Jan-01[-99]
            const sep = l[i + 1];
            this.ymd.append(at(l, i + 2));
            if (i + 3 < l.length && l[i + 3] === sep) {
              this.ymd.append(at(l, i + 4));
              i += 2;
            }
            i += 2;
          } else if (i + 4 < l.length && l[i + 1] === ' ' && l[i + 3] === ' ' && l[i + 2].toLowerCase() === 'of') {
            // Jan of 01: the number is a year.
            if (ALL_DIGITS.test(l[i + 4])) {
              const value = int(l[i + 4]);
              this.noteClockYear(value, false);
              this.ymd.append(String(convertYear(value, false, this.currentYear())), 'Y');
            }
            i += 4;
          }
        }
      } else if (lookup(AMPM, tok) !== null) {
        if (res.hour === null) fail('ValueError', 'No hour specified with AM or PM flag.');
        if (!(res.hour >= 0 && res.hour <= 12)) fail('ValueError', 'Invalid hour specified for 12-hour clock.');
        const ampm = lookup(AMPM, tok) as number;
        res.hour = adjustAmpm(res.hour, ampm);
        res.ampm = ampm;
      } else if (couldBeTzname(res, res.tzoffset, tok)) {
        res.tzname = tok;
        res.tzoffset = tok === 'z' ? 0 : null;
        if (i + 1 < l.length && (l[i + 1] === '+' || l[i + 1] === '-')) {
          // "GMT+3" means "my time +3 is GMT": the sign is inverted.
          l[i + 1] = l[i + 1] === '+' ? '-' : '+';
          res.tzoffset = null;
          if (isUtcName(tok)) res.tzname = null;
        }
      } else if (res.hour !== null && (tok === '+' || tok === '-')) {
        i = this.offset(i);
      } else if (!isJump(tok)) {
        fail('ValueError', 'unknown token');
      }
    }
    const [year, month, day] = this.ymd.resolve();
    res.centurySpecified = this.ymd.centurySpecified;
    res.year = year;
    res.month = month;
    res.day = day;
  }

  private noteClockYear(year: number, centurySpecified: boolean): void {
    if (year < 100 && !centurySpecified) this.res.clockYear = this.currentYear();
  }

  /** A numeric UTC offset after the time: `+02:00`, `+0200`, `-5`. */
  private offset(i: number): number {
    const l = this.tokens;
    const res = this.res;
    const sign = l[i] === '+' ? 1 : -1;
    const next = at(l, i + 1);
    const len = Array.from(next).length;
    let hours: number;
    let minutes: number;
    if (len === 4) {
      hours = int(next.slice(0, 2));
      minutes = int(next.slice(2));
    } else if (i + 2 < l.length && l[i + 2] === ':') {
      hours = int(next);
      minutes = int(at(l, i + 3));
      i += 2;
    } else if (len <= 2) {
      hours = int(next.slice(0, 2));
      minutes = 0;
    } else return fail('ValueError', 'bad offset');
    res.tzoffset = sign * (hours * 3600 + minutes * 60);
    if (
      i + 5 < l.length &&
      isJump(l[i + 2]) &&
      l[i + 3] === '(' &&
      l[i + 5] === ')' &&
      Array.from(l[i + 4]).length >= 3 &&
      couldBeTzname(res, null, l[i + 4])
    ) {
      res.tzname = l[i + 4]; // "-0300 (BRST)"
      i += 4;
    }
    return i + 1;
  }

  /** Consumes a numeric token (and what belongs to it); returns the index of the last one used. */
  private numeric(idx: number): number {
    const l = this.tokens;
    const res = this.res;
    const ymd = this.ymd;
    const repr = l[idx];
    const value = toDec(repr);
    const len = Array.from(repr).length;
    const n = l.length;
    if (
      ymd.length === 3 &&
      (len === 2 || len === 4) &&
      res.hour === null &&
      (idx + 1 >= n || (l[idx + 1] !== ':' && lookup(HMS, l[idx + 1]) === null))
    ) {
      // 19990101T23[59]
      res.hour = int(repr.slice(0, 2));
      if (len === 4) res.minute = int(repr.slice(2));
    } else if (len === 6 || (len > 6 && repr.indexOf('.') === 6)) {
      // YYMMDD or HHMMSS[.ss]
      if (ymd.length === 0 && !repr.includes('.')) {
        ymd.append(repr.slice(0, 2));
        ymd.append(repr.slice(2, 4));
        ymd.append(repr.slice(4));
      } else {
        res.hour = int(repr.slice(0, 2));
        res.minute = int(repr.slice(2, 4));
        [res.second, res.microsecond] = parseSeconds(repr.slice(4));
      }
    } else if (len === 8 || len === 12 || len === 14) {
      // YYYYMMDD[hhmm[ss]]
      ymd.append(repr.slice(0, 4), 'Y');
      ymd.append(repr.slice(4, 6));
      ymd.append(repr.slice(6, 8));
      if (len > 8) {
        res.hour = int(repr.slice(8, 10));
        res.minute = int(repr.slice(10, 12));
        if (len > 12) res.second = int(repr.slice(12));
      }
    } else if (findHmsIndex(idx, l) !== null) {
      // "10h", "5 minutes", "h 10"
      const hmsIdx = findHmsIndex(idx, l) as number;
      let hms: number;
      if (hmsIdx > idx) {
        hms = lookup(HMS, l[hmsIdx]) as number;
        idx = hmsIdx;
      } else hms = (lookup(HMS, l[hmsIdx]) as number) + 1;
      if (hms === 0) {
        res.hour = value.whole;
        if (hasFrac(value)) res.minute = sixtiethsOfFrac(value);
      } else if (hms === 1) {
        [res.minute, res.second] = minutesAndSeconds(value);
      } else if (hms === 2) {
        [res.second, res.microsecond] = parseSeconds(repr);
      }
    } else if (idx + 2 < n && l[idx + 1] === ':') {
      // HH:MM[:SS[.ss]]
      res.hour = value.whole;
      [res.minute, res.second] = minutesAndSeconds(toDec(l[idx + 2]));
      if (idx + 4 < n && l[idx + 3] === ':') {
        [res.second, res.microsecond] = parseSeconds(l[idx + 4]);
        idx += 2;
      }
      idx += 2;
    } else if (idx + 1 < n && (l[idx + 1] === '-' || l[idx + 1] === '/' || l[idx + 1] === '.')) {
      // 2015-03-04, 04/03/2015, 4.Mar.2015
      const sep = l[idx + 1];
      ymd.append(repr);
      if (idx + 2 < n && !isJump(l[idx + 2])) {
        if (ALL_DIGITS.test(l[idx + 2])) ymd.append(l[idx + 2]);
        else {
          const m = lookup(MONTHS, l[idx + 2]);
          if (m === null) fail('ValueError', 'unknown month');
          ymd.append(m, 'M');
        }
        if (idx + 3 < n && l[idx + 3] === sep) {
          const third = at(l, idx + 4);
          const m = lookup(MONTHS, third);
          if (m !== null) ymd.append(m, 'M');
          else ymd.append(third);
          idx += 2;
        }
        idx += 1;
      }
      idx += 1;
    } else if (idx + 1 >= n || isJump(l[idx + 1])) {
      if (idx + 2 < n && lookup(AMPM, l[idx + 2]) !== null) {
        res.hour = adjustAmpm(value.whole, lookup(AMPM, l[idx + 2]) as number); // "12 am"
        idx += 1;
      } else ymd.append(value);
      idx += 1;
    } else if (lookup(AMPM, l[idx + 1]) !== null && value.whole < 24) {
      res.hour = adjustAmpm(value.whole, lookup(AMPM, l[idx + 1]) as number); // "12am"
      idx += 1;
    } else if (ymd.couldBeDay(value)) {
      ymd.append(value);
    } else {
      fail('ValueError', 'unknown numeric token');
    }
    return idx;
  }
}

function countFields(res: ParsedFields): number {
  const keys = ['year', 'month', 'day', 'weekday', 'hour', 'minute', 'second', 'microsecond', 'tzname', 'tzoffset', 'ampm'] as const;
  return keys.filter((k) => res[k] !== null).length;
}

/**
 * Reads the fields of a datetime text, or throws a ParserError as dateutil would. `currentYear`
 * is consulted only for two-digit years.
 */
export function parseFields(text: string, currentYear: () => number): ParsedFields {
  let res: ParsedFields;
  try {
    const walk = new TokenWalk(lexDateTime(text), currentYear);
    walk.run();
    res = walk.res;
    if (res.year !== null) {
      if (res.year < 100 && !res.centurySpecified) res.clockYear = currentYear();
      res.year = convertYear(res.year, res.centurySpecified, currentYear());
    }
  } catch (e) {
    if (e instanceof BuiltinFailure && (e.pythonType === 'ValueError' || e.pythonType === 'IndexError')) {
      return fail('ParserError', `Unknown string format: ${text}`);
    }
    throw e;
  }
  if (countFields(res) === 0) fail('ParserError', `String does not contain a date: ${text}`);
  return res;
}

/** True when building the datetime needs today's date (a field or the weekday is missing). */
export function needsDefault(res: ParsedFields): boolean {
  return res.year === null || res.month === null || res.day === null || res.weekday !== null;
}

/**
 * The datetime the fields describe, missing parts taken from `today` (at midnight), a day past
 * the month's end clamped to its last day, and a weekday moving forward to that weekday.
 */
export function buildDateTime(res: ParsedFields, today: { year: number; month: number; day: number }): NaiveDateTime {
  try {
    const year = res.year ?? today.year;
    const month = res.month ?? today.month;
    let day = res.day ?? today.day;
    if (res.day === null) day = Math.min(day, daysInMonth(year, month));
    let dt = makeDateTime(year, month, day, res.hour ?? 0, res.minute ?? 0, res.second ?? 0, res.microsecond ?? 0);
    if (res.weekday !== null && !res.day) {
      dt = addDelta(dt, { days: (7 - weekdayOf(dt) + res.weekday) % 7, us: 0 }, 1);
    }
    return dt;
  } catch (e) {
    if (e instanceof BuiltinFailure && e.pythonType === 'ValueError') return fail('ParserError', `${e.message}`);
    throw e;
  }
}

/**
 * Datetime builtins. Datetime arguments are strings read by dateutil's lenient parser with time
 * zones ignored; timedeltas are a number of seconds or a string `a:b:c:d:e` read right to left
 * as seconds, minutes, hours, days, weeks. Results print as Python's `str(datetime)`.
 * `now` and the parser's defaults (today's date, the current century) read an injectable clock.
 */
import { Float, int, pythonStr, type Value } from '../value';
import { fail } from './failure';
import {
  addDelta,
  compareDateTimes,
  formatDate,
  formatDateTime,
  formatTime,
  makeDateTime,
  secondsBetween,
  timedeltaFromMicros,
  type NaiveDateTime,
  type Timedelta,
} from './calendar';
import { buildDateTime, needsDefault, parseFields, type ParsedFields } from './dateparse';
import { parsePyInt } from './pynum';
import { pyTypeName } from './pytext';
import { builtin, type Builtin } from './registry';

/** Where the datetime builtins read the current local time. */
export type Clock = () => Date;

/** Parsed texts kept per string; cleared when it grows past this many entries. */
const CACHE_LIMIT = 50_000;

/** A text's parse; `clockYear` is the current year a two-digit year was read against, if any. */
type CacheEntry =
  | { readonly ok: true; readonly clockYear: number | null; readonly fields: ParsedFields; readonly fixed: NaiveDateTime | null }
  | { readonly ok: false; readonly clockYear: number | null; readonly error: unknown };

/** Reads datetime texts the way dateutil does, remembering each text's parse. */
export class DateTimeReader {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(private readonly clock: Clock) {}

  /** `dateutil.parser.parse(x, ignoretz=True)`. */
  read(x: Value): NaiveDateTime {
    if (typeof x !== 'string') return fail('TypeError', `Parser must be a string or character stream, not ${pyTypeName(x)}`);
    let entry = this.cache.get(x);
    if (entry !== undefined && entry.clockYear !== null && entry.clockYear !== this.currentYear()) {
      entry = undefined; // a two-digit year is read relative to a year that has since changed
    }
    if (entry === undefined) {
      entry = this.parse(x);
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(x, entry);
    }
    if (!entry.ok) throw entry.error;
    if (entry.fixed !== null) return entry.fixed;
    const now = this.clock();
    return buildDateTime(entry.fields, { year: now.getFullYear(), month: now.getMonth() + 1, day: now.getDate() });
  }

  private parse(text: string): CacheEntry {
    let fields: ParsedFields;
    try {
      fields = parseFields(text, () => this.currentYear());
    } catch (error) {
      return { ok: false, clockYear: null, error };
    }
    try {
      // Texts that name year, month and day need no default: build them once.
      const fixed = needsDefault(fields) ? null : buildDateTime(fields, { year: 1, month: 1, day: 1 });
      return { ok: true, clockYear: fields.clockYear, fields, fixed };
    } catch (error) {
      return { ok: false, clockYear: fields.clockYear, error };
    }
  }

  private currentYear(): number {
    return this.clock().getFullYear();
  }
}

const MICROS = 1_000_000n;

/** C's round(): halves away from zero. */
function roundHalfAway(x: number): number {
  const t = Math.trunc(x);
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
}

/** `timedelta(seconds=f)` for a float, rounding the microseconds the way CPython does. */
function microsFromFloatSeconds(f: number): bigint {
  if (Number.isNaN(f)) return fail('ValueError', 'cannot convert float NaN to integer');
  if (!Number.isFinite(f)) return fail('OverflowError', 'cannot convert float infinity to integer');
  const whole = Math.trunc(f);
  let sum = BigInt(whole) * MICROS;
  const frac = f - whole;
  if (frac === 0) return sum;
  const us = frac * 1e6;
  const usWhole = Math.trunc(us);
  sum += BigInt(usWhole);
  const leftover = us - usWhole;
  if (leftover !== 0) {
    let rounded = roundHalfAway(leftover);
    if (Math.abs(rounded - leftover) === 0.5) {
      // Exactly halfway: round half to even on the total.
      const odd = Number(sum & 1n);
      rounded = 2 * roundHalfAway((leftover + odd) * 0.5) - odd;
    }
    sum += BigInt(rounded);
  }
  return sum;
}

const FIELD_MICROS = [1n, 60n, 3600n, 86_400n, 604_800n].map((s) => s * MICROS);

/** Congress's `to_timedelta`: seconds as a number, or `[[[[weeks:]days:]hours:]minutes:]seconds`. */
export function toTimedelta(y: Value): Timedelta {
  if (typeof y === 'string') {
    const fields = y.split(':');
    if (fields.length > FIELD_MICROS.length) return fail('IndexError', 'list index out of range');
    let total = 0n;
    for (let i = 0; i < fields.length; i++) {
      total += BigInt(parsePyInt(fields[fields.length - 1 - i])) * FIELD_MICROS[i];
    }
    return timedeltaFromMicros(total);
  }
  if (y instanceof Float) return timedeltaFromMicros(microsFromFloatSeconds(y.v));
  return timedeltaFromMicros(BigInt(y) * MICROS);
}

const EPOCH_1900 = makeDateTime(1900, 1, 1);

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** `datetime.now().strftime("%Y-%m-%d %H:%M:%S")` in local time. */
function formatNow(d: Date): string {
  const y = d.getFullYear();
  const year = y < 1000 ? String(y).padStart(4, '0') : String(y);
  return `${year}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** The datetime builtins, reading the current time from `clock`. */
export function datetimeBuiltins(clock: Clock): readonly Builtin[] {
  const reader = new DateTimeReader(clock);
  const dt = (x: Value): NaiveDateTime => reader.read(x);
  const cmp = (a: readonly Value[]): number => compareDateTimes(dt(a[0]), dt(a[1]));
  return [
    builtin('now', 1, 0, () => [formatNow(clock())]),
    builtin('unpack_date', 4, 1, (a) => {
      const d = dt(a[0]);
      return [d.year, d.month, d.day];
    }),
    builtin('unpack_time', 4, 1, (a) => {
      const d = dt(a[0]);
      return [d.hour, d.minute, d.second];
    }),
    builtin('unpack_datetime', 7, 1, (a) => {
      const d = dt(a[0]);
      return [d.year, d.month, d.day, d.hour, d.minute, d.second];
    }),
    builtin('pack_time', 4, 3, (a) => [`${pythonStr(a[0])}:${pythonStr(a[1])}:${pythonStr(a[2])}`]),
    builtin('pack_date', 4, 3, (a) => [`${pythonStr(a[0])}-${pythonStr(a[1])}-${pythonStr(a[2])}`]),
    builtin('pack_datetime', 7, 6, (a) => [
      `${pythonStr(a[0])}-${pythonStr(a[1])}-${pythonStr(a[2])} ${pythonStr(a[3])}:${pythonStr(a[4])}:${pythonStr(a[5])}`,
    ]),
    builtin('extract_date', 2, 1, (a) => [formatDate(dt(a[0]))]),
    builtin('extract_time', 2, 1, (a) => [formatTime(dt(a[0]))]),
    builtin('datetime_to_seconds', 2, 1, (a) => [int(secondsBetween(EPOCH_1900, dt(a[0])))]),
    builtin('datetime_plus', 3, 2, (a) => [formatDateTime(addDelta(dt(a[0]), toTimedelta(a[1]), 1))]),
    builtin('datetime_minus', 3, 2, (a) => [formatDateTime(addDelta(dt(a[0]), toTimedelta(a[1]), -1))]),
    builtin('datetime_lt', 2, 2, (a) => cmp(a) < 0),
    builtin('datetime_lteq', 2, 2, (a) => cmp(a) <= 0),
    builtin('datetime_gt', 2, 2, (a) => cmp(a) > 0),
    builtin('datetime_gteq', 2, 2, (a) => cmp(a) >= 0),
    builtin('datetime_equal', 2, 2, (a) => cmp(a) === 0),
  ];
}

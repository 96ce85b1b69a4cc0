/**
 * The strftime directives of `[DEFAULT] log_date_format`, as Python's `time.strftime` prints
 * them in the C locale. The format is compiled once into a list of parts, since the logger
 * formats a time stamp per millisecond under load.
 */

/** The calendar fields of one instant, in local time or UTC. */
interface Fields {
  readonly year: number;
  readonly month: number; // 0-11
  readonly day: number;
  readonly weekday: number; // 0 = Sunday
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly offsetMinutes: number; // east of UTC
  readonly zone: string;
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function dayOfYear(f: Fields): number {
  return Math.round((Date.UTC(f.year, f.month, f.day) - Date.UTC(f.year, 0, 1)) / 86_400_000) + 1;
}

/** Week of the year, weeks starting on `firstDay` (0 Sunday, 1 Monday); days before the first such day are week 0. */
function weekOfYear(f: Fields, firstDay: number): number {
  const yday = dayOfYear(f) - 1;
  const wday = (f.weekday - firstDay + 7) % 7;
  return Math.floor((yday + 7 - wday) / 7);
}

const hour12 = (f: Fields): number => (f.hour % 12 === 0 ? 12 : f.hour % 12);

function offset(f: Fields): string {
  const sign = f.offsetMinutes < 0 ? '-' : '+';
  const m = Math.abs(f.offsetMinutes);
  return `${sign}${pad(Math.floor(m / 60))}${pad(m % 60)}`;
}

const DIRECTIVES: Readonly<Record<string, (f: Fields) => string>> = {
  a: (f) => DAYS[f.weekday].slice(0, 3),
  A: (f) => DAYS[f.weekday],
  b: (f) => MONTHS[f.month].slice(0, 3),
  B: (f) => MONTHS[f.month],
  c: (f) => `${DAYS[f.weekday].slice(0, 3)} ${MONTHS[f.month].slice(0, 3)} ${String(f.day).padStart(2, ' ')} ${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)} ${f.year}`,
  d: (f) => pad(f.day),
  H: (f) => pad(f.hour),
  I: (f) => pad(hour12(f)),
  j: (f) => pad(dayOfYear(f), 3),
  m: (f) => pad(f.month + 1),
  M: (f) => pad(f.minute),
  p: (f) => (f.hour < 12 ? 'AM' : 'PM'),
  S: (f) => pad(f.second),
  U: (f) => pad(weekOfYear(f, 0)),
  w: (f) => String(f.weekday),
  W: (f) => pad(weekOfYear(f, 1)),
  x: (f) => `${pad(f.month + 1)}/${pad(f.day)}/${pad(f.year % 100)}`,
  X: (f) => `${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}`,
  y: (f) => pad(f.year % 100),
  Y: (f) => String(f.year),
  z: offset,
  Z: (f) => f.zone,
  '%': () => '%',
};

function fieldsOf(date: Date, zone: 'local' | 'utc'): Fields {
  if (zone === 'utc') {
    return {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth(),
      day: date.getUTCDate(),
      weekday: date.getUTCDay(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
      second: date.getUTCSeconds(),
      offsetMinutes: 0,
      zone: 'UTC',
    };
  }
  const zoneName = /\(([^)]+)\)$/.exec(date.toString())?.[1] ?? '';
  return {
    year: date.getFullYear(),
    month: date.getMonth(),
    day: date.getDate(),
    weekday: date.getDay(),
    hour: date.getHours(),
    minute: date.getMinutes(),
    second: date.getSeconds(),
    offsetMinutes: -date.getTimezoneOffset(),
    // Python prints the abbreviation (UTC, CET); JavaScript gives it for UTC, a long name elsewhere.
    zone: zoneName === 'Coordinated Universal Time' ? 'UTC' : zoneName,
  };
}

/**
 * Compiles `format`; throws on a directive Python does not know (a trailing `%` included), so a
 * wrong option stops start-up instead of printing garbage in every line.
 */
export function compileStrftime(format: string, zone: 'local' | 'utc' = 'local'): (date: Date) => string {
  const parts: Array<string | ((f: Fields) => string)> = [];
  let literal = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      literal += c;
      continue;
    }
    const d = format[i + 1];
    const directive = d === undefined ? undefined : DIRECTIVES[d];
    if (directive === undefined) throw new Error(`log_date_format ${JSON.stringify(format)}: unknown directive %${d ?? ''} at position ${i + 1}`);
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push(d === '%' ? '%' : directive);
    i++;
  }
  if (literal !== '') parts.push(literal);
  return (date) => {
    const f = fieldsOf(date, zone);
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : p(f);
    return out;
  };
}

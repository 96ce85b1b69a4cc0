/**
 * Parser for oslo.config's INI dialect, a line-for-line port of oslo_config/iniparser.py as
 * oslo_config.cfg.ConfigParser uses it: values are never type-coerced, `#`/`;` start a comment
 * only at the start of a line (inline they are part of the value), an indented line continues
 * the previous value until a blank line, `key: value` is allowed (the first of `=` and `:`
 * separates), one pair of surrounding quotes is stripped (a lone quote counts as a pair), a
 * repeated key keeps every value (the last wins for single-valued options), and section names
 * are case-insensitive except `DEFAULT`. Lines end at `\n`, `\r\n` or `\r` and are stripped of
 * Python's whitespace, as Python reads the file.
 *
 * Not the `ini` package or another npm INI parser: they coerce values, cut inline `#`/`;`, split
 * dotted section names, and lack continuation lines, repeated keys or line numbers, so an
 * existing congress.conf would change meaning. test/integration/config/oslo-ini.oracle.test.ts
 * checks this parser against oslo.config itself, on hand-written and generated files.
 */
import { ConfigError } from './errors';

/** One assignment as read from a file. */
export interface RawValue {
  readonly value: string;
  /** `path:line` of the assignment, for messages. */
  readonly where: string;
}

/** Section (normalised name) -> option name -> every value assigned to it, in file order. */
export type RawSections = Map<string, Map<string, RawValue[]>>;

/** oslo.config's group-name normalisation: lower case, except `DEFAULT`. */
export function normaliseSection(name: string): string {
  return name === 'DEFAULT' ? name : name.toLowerCase();
}

/**
 * Python's whitespace (`str.isspace`), which `strip()` removes: unlike JavaScript's `trim()` it
 * includes \x1c-\x1f and \x85, and excludes the byte order mark \ufeff.
 */
const WS = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const LEADING_WS = new RegExp(`^[${WS}]+`);
const TRAILING_WS = new RegExp(`[${WS}]+$`);
const lstrip = (s: string): string => s.replace(LEADING_WS, '');
const rstrip = (s: string): string => s.replace(TRAILING_WS, '');
const strip = (s: string): string => lstrip(rstrip(s));

/** Strips one pair of quotes; as in oslo.config, a lone `"` or `'` is an empty pair. */
function unquote(value: string): string {
  if (value.length >= 1 && value[0] === value[value.length - 1] && (value[0] === '"' || value[0] === "'")) {
    return value.slice(1, -1);
  }
  return value;
}

/** Parses the text of one file; `source` names it in errors. Adds to `into` when given. */
export function parseOsloIni(text: string, source: string, into: RawSections = new Map()): RawSections {
  let section: Map<string, RawValue[]> | null = null;
  let pending: { key: string; lines: string[]; line: number } | null = null;

  const flush = (): void => {
    if (!pending) return;
    if (!section) throw new ConfigError(`${source}:${pending.line}: section must be started before assignment`);
    const values = section.get(pending.key) ?? [];
    values.push({ value: pending.lines.join('\n'), where: `${source}:${pending.line}` });
    section.set(pending.key, values);
    pending = null;
  };

  // Python's universal newlines: \r\n, \r and \n all end a line (nothing else does).
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((rawLine, index) => {
    const lineNo = index + 1;
    const line = rstrip(rawLine);
    if (line === '') {
      // A blank line ends a multi-line value.
      flush();
      return;
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (!pending) throw new ConfigError(`${source}:${lineNo}: unexpected continuation line: '${line}'`);
      pending.lines.push(lstrip(line));
      return;
    }
    flush();
    if (line.startsWith('[')) {
      if (!line.endsWith(']')) throw new ConfigError(`${source}:${lineNo}: invalid section (must end with ]): '${line}'`);
      if (line.length <= 2) throw new ConfigError(`${source}:${lineNo}: empty section name`);
      const name = normaliseSection(line.slice(1, -1));
      section = into.get(name) ?? new Map<string, RawValue[]>();
      into.set(name, section);
      return;
    }
    if (line.startsWith('#') || line.startsWith(';')) return;
    const colon = line.indexOf(':');
    const equal = line.indexOf('=');
    if (colon < 0 && equal < 0) throw new ConfigError(`${source}:${lineNo}: no ':' or '=' found in assignment: '${line}'`);
    // The first of '=' and ':' separates key and value (a URL value keeps its colons).
    const at = colon < 0 || (equal >= 0 && equal < colon) ? equal : colon;
    const key = strip(line.slice(0, at));
    if (key === '') throw new ConfigError(`${source}:${lineNo}: key cannot be empty: '${line}'`);
    pending = { key, lines: [unquote(strip(line.slice(at + 1)))], line: lineNo };
  });
  flush();
  return into;
}

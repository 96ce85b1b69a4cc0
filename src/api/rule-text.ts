/**
 * The "pretty" rule text of `POST …/rules` answers (api.md §5.1): line breaks removed, a fact
 * trimmed, a rule as `head :-` followed by one body literal per line, indented two spaces.
 * The original's printer (congress/utils.py `pretty_rule`) joins the stripped lines, splits at
 * `:-` and finds literals by splitting at `)`. Its output is kept whenever it keeps every
 * character of the rule (odd spacing, a stray comma, a `)` inside a string split across lines:
 * clients compare against that text). Where it would lose text, a literal without parentheses
 * after the last `)` (D14), literals are split at top-level commas instead, so nothing is dropped.
 */
import { pyStrip } from '../datalog/builtins/pytext';

/** Python's `str.splitlines()` boundaries. */
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/;

/** The text without white space and commas: what a pretty form must keep of the rule. */
const content = (s: string): string => s.replace(/[\s,\x1c-\x1f\x85]/g, '');

/** The original's `pretty_rule`, or undefined where it drops text or would fail (an empty piece). */
function originalPretty(text: string): string | undefined {
  const oneLine = pyStrip(text).split(LINE_BREAK).map(pyStrip).join('');
  const parts = oneLine.split(':-').map(pyStrip).filter((p) => p !== '');
  if (parts.length === 0) return undefined;
  let out = parts[0];
  if (parts.length > 1) {
    const literals: string[] = [];
    for (const piece of parts[1].split(')').slice(0, -1)) {
      if (piece === '') return undefined;
      literals.push('  ' + pyStrip(piece.startsWith(',') ? piece.slice(1) : piece) + ')');
    }
    out += ' :-\n' + literals.join(',\n');
  }
  return content(out) === content(oneLine) ? out : undefined;
}

/** Splits `text` at top-level occurrences of `sep` (outside quotes and brackets). */
function splitTopLevel(text: string, sep: string, limit = Infinity): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== null) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (depth === 0 && parts.length < limit && text.startsWith(sep, i)) {
      parts.push(text.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** The pretty form of a rule's text, as the POST answer shows it. */
export function prettyRuleText(text: string): string {
  return originalPretty(text) ?? splitPretty(text);
}

/** Literals split at top-level commas: nothing dropped. */
function splitPretty(text: string): string {
  const oneLine = text
    .trim()
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ');
  const [head, body] = splitTopLevel(oneLine, ':-', 1).map((s) => s.trim());
  if (body === undefined || body === '') return head;
  const literals = splitTopLevel(body, ',')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return `${head} :-\n` + literals.map((l) => '  ' + l).join(',\n');
}

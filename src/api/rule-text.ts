/**
 * The "pretty" rule text of `POST …/rules` answers (api.md §5.1): line breaks removed, a fact
 * trimmed, a rule as `head :-` followed by one body literal per line, indented two spaces.
 * The original finds literals by splitting at `)`, which drops a literal without parentheses
 * and breaks on a `)` inside a string (D14); here literals are split at top-level commas,
 * outside parentheses, brackets and quotes, which gives the same text wherever the original's
 * is right.
 */

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

/**
 * Python's `repr()` of a string. The original's error messages display offending tokens and
 * characters with it (`no viable alternative at input '"x"'`, `expecting '\n'`), so the port
 * reproduces its quoting and escaping.
 */

// Python treats Unicode categories "Other" and "Separator" as unprintable, except the space.
const UNPRINTABLE = /^[\p{C}\p{Z}]$/u;

function escapeCodePoint(cp: number): string {
  const hex = cp.toString(16);
  if (cp < 0x100) return '\\x' + hex.padStart(2, '0');
  if (cp < 0x10000) return '\\u' + hex.padStart(4, '0');
  return '\\U' + hex.padStart(8, '0');
}

/** `repr(s)` as Python 3 prints it. */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f) out += escapeCodePoint(cp);
    else if (cp < 0x7f) out += ch;
    else if (UNPRINTABLE.test(ch)) out += escapeCodePoint(cp);
    else out += ch;
  }
  return out + quote;
}

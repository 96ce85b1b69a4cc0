/**
 * dateutil's `_timelex`: splits a datetime text into runs of letters, runs of digits (with an
 * embedded `.` or `,` decimal point), single whitespace tokens and single other characters. A
 * dotted run such as `Sep.20.2009` or `4.5.2015` is split at its dots, which are then
 * separators, not a decimal point.
 */
import { isPyWhitespace } from './pytext';

const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;

const isWord = (c: string): boolean => LETTER.test(c);
const isNum = (c: string): boolean => DIGIT.test(c);

type LexState = 'a' | '0' | 'a.' | '0.' | null;

/** Splits a datetime text into dateutil's tokens. */
export function lexDateTime(text: string): string[] {
  const chars = Array.from(text).filter((c) => c !== '\x00');
  const tokens: string[] = [];
  let pos = 0;
  while (pos < chars.length) {
    let token = chars[pos++];
    let state: LexState = null;
    let seenLetters = false;
    if (isWord(token)) state = 'a';
    else if (isNum(token)) state = '0';
    else if (isPyWhitespace(token.codePointAt(0) as number)) token = ' ';
    while (state !== null && pos < chars.length) {
      const c = chars[pos];
      if (state === 'a') {
        seenLetters = true;
        if (isWord(c)) token += c;
        else if (c === '.') {
          token += c;
          state = 'a.';
        } else break;
      } else if (state === '0') {
        if (isNum(c)) token += c;
        else if (c === '.' || (c === ',' && token.length >= 2)) {
          token += c;
          state = '0.';
        } else break;
      } else if (state === 'a.') {
        seenLetters = true;
        if (c === '.' || isWord(c)) token += c;
        else if (isNum(c) && token.endsWith('.')) {
          token += c;
          state = '0.';
        } else break;
      } else {
        if (c === '.' || isNum(c)) token += c;
        else if (isWord(c) && token.endsWith('.')) {
          token += c;
          state = 'a.';
        } else break;
      }
      pos++;
    }
    const dotted = state === 'a.' || state === '0.';
    if (dotted && (seenLetters || token.split('.').length > 2 || token.endsWith('.') || token.endsWith(','))) {
      // "Sep.20.2009", "4.5.2015", "2015,": the dots are separators, not a decimal point.
      const parts = token.split(/([.,])/).filter((p) => p.length > 0);
      tokens.push(...parts);
      continue;
    }
    if (state === '0.' && !token.includes('.')) token = token.replace(/,/g, '.');
    tokens.push(token);
  }
  return tokens;
}


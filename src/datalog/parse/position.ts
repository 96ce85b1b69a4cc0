/**
 * Line and column of an offset in policy text, as the original reports them: lines from 1,
 * columns from 0, counted in code points (Python string indices), not UTF-16 units.
 *
 * Only error paths ask for positions, but a garbage input can produce many errors, so the
 * lookup keeps a cursor and moves forward incrementally instead of rescanning from the start.
 */

/** A position in the original's `line:L,col:C` terms. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/** Maps UTF-16 offsets of one text to lines and code-point columns. */
export class PositionMap {
  private offset = 0;
  private line = 1;
  private col = 0;

  constructor(private readonly text: string) {}

  /** The position of `target` (0 <= target <= text.length). */
  at(target: number): Position {
    if (target < this.offset) {
      this.offset = 0;
      this.line = 1;
      this.col = 0;
    }
    const text = this.text;
    let { offset, line, col } = this;
    while (offset < target) {
      const c = text.charCodeAt(offset);
      if (c === 10) {
        line++;
        col = 0;
        offset++;
      } else if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(text.charCodeAt(offset + 1))) {
        col++;
        offset += 2;
      } else {
        col++;
        offset++;
      }
    }
    this.offset = offset;
    this.line = line;
    this.col = col;
    return { line, col };
  }
}

/** True for the second half of a surrogate pair. */
export function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** The `line:L,col:C` header the original puts before each error. */
export function header(pos: Position): string {
  return `line:${pos.line},col:${pos.col}`;
}

/**
 * Reading policy text: the lexer and parser of the Congress Datalog dialect (spec sections 2-3).
 *
 * Errors are {@link PolicyError}s (code null) with the original's texts: `Lex failure.`,
 * `Parse failure.` (each followed by `line:L,col:C  <message>` lines) or
 * `Compiler found errors:` for malformed column references.
 */
import { type Statement } from '../ast';
import { lex } from './lexer';
import { parseTokens } from './parser';

/** Parses a whole program (zero or more statements) into its statements, in order. */
export function parse(text: string): Statement[] {
  return parseTokens(lex(text));
}

/**
 * Whether `name` can name a policy: `p :- NAME:q()` must parse as exactly one statement, and
 * `builtin` is reserved (spec 2.2).
 */
export function isValidPolicyName(name: string): boolean {
  if (name === 'builtin') return false;
  try {
    return parse(`p :- ${name}:q()`).length === 1;
  } catch {
    return false;
  }
}

/**
 * Token kinds of the policy language and the sets the parser's error recovery works with.
 *
 * Kinds are small integers so that a set of kinds is one 32-bit mask: error recovery unions
 * and tests follow sets constantly, and masks keep that allocation-free.
 */

/** Pseudo-kind "end of rule" (ANTLR's EOR): in a follow set it means "whatever follows the caller". */
export const EOR = 0;
/** End of input. */
export const EOF = 1;
/** Identifier: a variable, table, policy or column name. */
export const ID = 2;
/** Integer literal. */
export const INT = 3;
/** Floating-point literal. */
export const FLOAT = 4;
/** Quoted string, quotes included. */
export const STRING = 5;
/** `not`, `NOT` or `!`. */
export const NEGATION = 6;
/** `:-` */
export const COLONMINUS = 7;
/** `,` */
export const COMMA = 8;
/** `(` */
export const LPAREN = 9;
/** `)` */
export const RPAREN = 10;
/** `[` */
export const LBRACKET = 11;
/** `]` */
export const RBRACKET = 12;
/** `=` of a column reference. */
export const EQUAL = 13;
/** `+` or `-` ending a table name. */
export const SIGN = 14;
/** `.` ending a statement. */
export const DOT = 15;
/** `:` between policy and table. */
export const COLON = 16;
/** `;` ending a statement. */
export const SEMI = 17;
/** Keyword `delete`. */
export const DELETE = 18;
/** Keyword `execute`. */
export const EXECUTE = 19;
/** Keyword `insert`. */
export const INSERT = 20;

/** The mask holding exactly one kind. */
export const bit = (kind: number): number => 1 << kind;

/**
 * How the original parser names an expected token in `expecting X` / `missing X` messages:
 * ANTLR's token names, with literal tokens quoted.
 */
export const TOKEN_NAMES: readonly string[] = [
  '<EOR>',
  'EOF',
  'ID',
  'INT',
  'FLOAT',
  'STRING',
  'NEGATION',
  'COLONMINUS',
  'COMMA',
  'LPAREN',
  'RPAREN',
  'LBRACKET',
  'RBRACKET',
  'EQUAL',
  'SIGN',
  "'.'",
  "':'",
  "';'",
  "'delete'",
  "'execute'",
  "'insert'",
];

const set = (...kinds: number[]): number => kinds.reduce((m, k) => m | bit(k), 0);

/** Tokens that can start a literal (and a statement). */
export const LITERAL_START = set(ID, NEGATION, DELETE, EXECUTE, INSERT);
/** Tokens that can start an atom or a modal atom. */
export const FACT_START = set(ID, DELETE, EXECUTE, INSERT);
/** Tokens that can be a term. */
export const TERM = set(FLOAT, ID, INT, STRING);
/** Statement terminators `.` and `;`. */
export const TERMINATOR = set(DOT, SEMI);
/** Modal operators. */
export const MODALS = set(DELETE, EXECUTE, INSERT);

/**
 * Follow sets the parser pushes before each sub-rule call and passes to each token match,
 * one per grammar position (named `<what>_IN_<rule>`). Error recovery combines them exactly as
 * the original's generated parser does, which decides the reported errors. Sub-rules that
 * cannot fail (a single token the caller has already checked) are inlined, so their follow
 * sets never matter and are left out.
 */
export const FOLLOW = {
  END: set(EOR),
  STATEMENT_IN_PROG: LITERAL_START,
  FORMULA_IN_STATEMENT: set(EOR, DOT, SEMI),
  LBRACKET_IN_EVENT: LITERAL_START,
  RULE_IN_EVENT: set(RBRACKET, DOT, SEMI),
  STRING_IN_EVENT: set(RBRACKET),
  HEADS_IN_RULE: set(COLONMINUS),
  COLONMINUS_IN_RULE: LITERAL_START,
  LITERAL_IN_LIST: set(EOR, COMMA),
  COMMA_IN_LIST: LITERAL_START,
  NEGATION_IN_LITERAL: FACT_START,
  LBRACKET_IN_FACT: set(ID),
  ATOM_IN_MODAL: set(RBRACKET),
  RELATION_IN_ATOM: set(EOR, LPAREN),
  LPAREN_IN_ATOM: set(FLOAT, ID, INT, RPAREN, STRING),
  PARAMS_IN_ATOM: set(RPAREN),
  PARAM_IN_PARAMS: set(EOR, COMMA),
  COMMA_IN_PARAMS: TERM,
  EQUAL_IN_PARAM: TERM,
  ID_IN_RELATION: set(EOR, SIGN, COLON),
  COLON_IN_RELATION: set(ID),
} as const;

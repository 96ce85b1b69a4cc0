/**
 * Which kind of formula a statement is: rule, fact or event.
 *
 * The grammar cannot tell from the first token (`p(x)` may start a fact or a rule, `insert[`
 * an event or a modal fact), so the original's parser runs a lookahead automaton over the
 * statement first; where that automaton gets stuck is where the original reports
 * `no viable alternative`. This module is that automaton, built from the grammar as a
 * transition table over token kinds.
 */
import * as T from './tokens';

/** Prediction: the statement is a rule (literals, then `:-`). */
export const RULE = 1;
/** Prediction: the statement is a fact or query (one atom, possibly modal). */
export const FACT = 2;
/** Prediction: the statement is an event (`insert[... :- ...]`, `delete[... :- ...]`). */
export const EVENT = 3;

const FAIL = -1;
const ACCEPT_RULE = -2;
const ACCEPT_FACT = -3;
const ACCEPT_EVENT = -4;

const KINDS = 21;

// States. Parameter lists and relation names repeat in three contexts (a top-level atom, the
// atom inside `insert[`/`delete[` which may still turn out to be an event, and the atom inside
// `execute[`), which differ only in what may follow them.
const START = 0;
const EVENT_LBRACKET = 1;
const EVENT_FIRST = 2;
const EXECUTE_LBRACKET = 3;
const EXECUTE_ID = 4;
const AFTER_ATOM = 5;
const EVENT_CLOSED = 6;
const EXECUTE_CLOSED = 7;
const CONTEXT_BASE = 8;
const REL = 0;
const COLON = 1;
const SIGNED = 2;
const OPEN = 3;
const NEXT = 4;
const KEY = 5;
const VALUE = 6;
const AFTER_PARAM = 7;
const PER_CONTEXT = 8;
const TOP = 0;
const IN_EVENT = 1;
const IN_EXECUTE = 2;
const STATES = CONTEXT_BASE + 3 * PER_CONTEXT;

const state = (context: number, s: number): number => CONTEXT_BASE + context * PER_CONTEXT + s;

/** TRANSITIONS[state * KINDS + kind]: next state, or FAIL / ACCEPT_*. */
const TRANSITIONS = new Int8Array(STATES * KINDS).fill(FAIL);

function on(from: number, kinds: readonly number[], to: number): void {
  for (const k of kinds) TRANSITIONS[from * KINDS + k] = to;
}

const FACT_FOLLOWERS = [T.ID, T.NEGATION, T.DOT, T.SEMI, T.DELETE, T.EXECUTE, T.INSERT, T.EOF];
const TERMS = [T.FLOAT, T.ID, T.INT, T.STRING];

/** What may come after a complete atom in each context. */
function onAtomEnd(from: number, context: number): void {
  if (context === TOP) {
    on(from, [T.COLONMINUS, T.COMMA], ACCEPT_RULE);
    on(from, FACT_FOLLOWERS, ACCEPT_FACT);
  } else if (context === IN_EVENT) {
    on(from, [T.COLONMINUS, T.COMMA], ACCEPT_EVENT);
    on(from, [T.RBRACKET], AFTER_ATOM);
  } else {
    on(from, [T.RBRACKET], AFTER_ATOM);
  }
}

on(START, [T.ID], state(TOP, REL));
on(START, [T.NEGATION], ACCEPT_RULE);
on(START, [T.DELETE, T.INSERT], EVENT_LBRACKET);
on(START, [T.EXECUTE], EXECUTE_LBRACKET);
on(EVENT_LBRACKET, [T.LBRACKET], EVENT_FIRST);
on(EVENT_FIRST, [T.ID], state(IN_EVENT, REL));
on(EVENT_FIRST, [T.NEGATION, T.DELETE, T.EXECUTE, T.INSERT], ACCEPT_EVENT);
on(EXECUTE_LBRACKET, [T.LBRACKET], EXECUTE_ID);
on(EXECUTE_ID, [T.ID], state(IN_EXECUTE, REL));
onAtomEnd(AFTER_ATOM, TOP);
onAtomEnd(EVENT_CLOSED, IN_EVENT);
onAtomEnd(EXECUTE_CLOSED, IN_EXECUTE);

for (const context of [TOP, IN_EVENT, IN_EXECUTE]) {
  const closed = context === TOP ? AFTER_ATOM : context === IN_EVENT ? EVENT_CLOSED : EXECUTE_CLOSED;
  const s = (x: number): number => state(context, x);
  on(s(REL), [T.COLON], s(COLON));
  on(s(REL), [T.SIGN], s(SIGNED));
  on(s(REL), [T.LPAREN], s(OPEN));
  onAtomEnd(s(REL), context);
  on(s(COLON), [T.ID], s(REL));
  on(s(SIGNED), [T.LPAREN], s(OPEN));
  onAtomEnd(s(SIGNED), context);
  on(s(OPEN), [T.RPAREN], closed);
  for (const start of [s(OPEN), s(NEXT)]) {
    on(start, [T.FLOAT, T.STRING], s(AFTER_PARAM));
    on(start, [T.INT, T.ID], s(KEY));
  }
  on(s(KEY), [T.COMMA], s(NEXT));
  on(s(KEY), [T.EQUAL], s(VALUE));
  on(s(KEY), [T.RPAREN], closed);
  on(s(VALUE), TERMS, s(AFTER_PARAM));
  on(s(AFTER_PARAM), [T.COMMA], s(NEXT));
  on(s(AFTER_PARAM), [T.RPAREN], closed);
}

/** Scans up to this many tokens long are not memoised. */
const SHORT_SCAN = 64;

/** The automaton got stuck at token `index` (the offending token of the error message). */
export class PredictionFailure {
  constructor(readonly index: number) {}
}

/**
 * Runs the automaton from token `start`. Returns {@link RULE}, {@link FACT} or {@link EVENT},
 * or a {@link PredictionFailure}.
 *
 * With a `memo`, the (state, token) pairs a long scan visits are remembered with the outcome,
 * so that retries from later tokens of the same statement (which error recovery makes) stop
 * as soon as they join an explored path; without it, a long failing statement could be
 * rescanned once per token. Short scans skip the memo: they are cheaper than its upkeep.
 */
export function predictFormula(
  kinds: Uint8Array,
  count: number,
  start: number,
  memo?: Map<number, number>,
): number | PredictionFailure {
  let s = START;
  let i = start;
  let outcome: number;
  const path: number[] | undefined = memo === undefined ? undefined : [];
  const memoFrom = start + SHORT_SCAN;
  for (;;) {
    if (memo !== undefined && path !== undefined && i >= memoFrom) {
      const key = i * STATES + s;
      const known = memo.get(key);
      if (known !== undefined) {
        outcome = known;
        break;
      }
      path.push(key);
    }
    const kind = i < count ? kinds[i] : T.EOF;
    const next = TRANSITIONS[s * KINDS + kind];
    if (next >= 0) {
      s = next;
      i++;
      continue;
    }
    // Failures are encoded as the non-negative failing index, shifted past the accept codes.
    outcome = next === FAIL ? i + 8 : next;
    break;
  }
  if (memo !== undefined && path !== undefined) for (const key of path) memo.set(key, outcome);
  if (outcome >= 8) return new PredictionFailure(outcome - 8);
  return outcome === ACCEPT_RULE ? RULE : outcome === ACCEPT_FACT ? FACT : EVENT;
}

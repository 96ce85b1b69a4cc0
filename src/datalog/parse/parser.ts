/**
 * The parser: tokens to statements, recursive descent over the grammar of spec section 3.
 *
 * Error reporting follows the original's ANTLR3 parser closely, because its messages are part
 * of the observable behaviour: after the first error the original does not stop but recovers
 * (deleting one unexpected token, pretending a missing token was there, or skipping to a token
 * that can follow one of the rules in progress) and reports later errors too, except while it
 * is still recovering from the previous one. This parser uses the same recovery strategy with
 * the same follow sets at the same places, so both report the same list of errors.
 *
 * The grammar nests only a bounded number of levels deep and loops iteratively over
 * statements, literals and parameters, so no input can exhaust the stack. Every step consumes
 * a token or is bounded by the two-attempts-per-position rule of error recovery, and the
 * formula prediction is memoised once errors occur, so parsing stays linear.
 */
import { rule as makeRule, type Event, type Literal, type Modal, type Rule, type Statement, type Term } from '../ast';
import { PolicyError } from '../errors';
import { AtomBuilder, compilerErrors } from './atoms';
import { MAX_REPORTED_ERRORS, type TokenBuffer } from './lexer';
import { header, PositionMap } from './position';
import { FACT, PredictionFailure, predictFormula, RULE } from './predict';
import { pyRepr } from './pyrepr';
import * as T from './tokens';

const { FOLLOW } = T;

// Kinds of recognition error, named after the ANTLR exceptions whose messages they produce.
const NO_VIABLE_ALT = 0;
const MISMATCHED_TOKEN = 1;
const UNWANTED_TOKEN = 2;
const MISSING_TOKEN = 3;

/** A recognition error at token `token` (`count` = end of input). Thrown, never escapes. */
class Recognition {
  constructor(
    readonly kind: number,
    readonly token: number,
    readonly expecting: number,
  ) {}
}

/** Thrown once the error list is full: later errors would only lengthen the message. */
class TooManyErrors {}

/** Parses the tokens of a whole program; throws `Parse failure.` or `Compiler found errors:`. */
export function parseTokens(tokens: TokenBuffer): Statement[] {
  return new Parser(tokens).program();
}

class Parser {
  private readonly kinds: Uint8Array;
  private readonly count: number;
  private p = 0;
  /** Follow sets of the rule invocations in progress (innermost last). */
  private readonly following: number[] = [];
  /** Set by a reported error, cleared by the next token matched normally. */
  private errorRecovery = false;
  private lastErrorIndex = -1;
  private readonly errors: Recognition[] = [];
  private memo: Map<number, number> | undefined;
  private readonly atoms: AtomBuilder;
  /** Set by {@link relation}: the parsed table reference. */
  private service: string | null = null;
  private table = '';
  // Scratch space for the atom and the literal list being parsed (neither nests in itself).
  // Results are copied out at their exact length: arrays grown by push keep spare capacity,
  // which for a large program would double the memory its statements occupy.
  private readonly args: Term[] = [];
  private argCount = 0;
  private rest: number[] | null = null;
  private readonly literals: Literal[] = [];

  constructor(private readonly tokens: TokenBuffer) {
    this.kinds = tokens.kinds;
    this.count = tokens.count;
    this.atoms = new AtomBuilder(tokens);
  }

  program(): Statement[] {
    let statements: Statement[] = [];
    try {
      statements = this.prog();
    } catch (e) {
      if (!(e instanceof TooManyErrors)) throw e;
    }
    if (this.errors.length > 0) throw new PolicyError('Parse failure.\n' + this.describeErrors());
    const bad = this.atoms.badInteger;
    if (bad >= 0) {
      // The original crashes converting these; a clean error in its format is the port's answer.
      const pos = new PositionMap(this.tokens.text).at(this.tokens.starts[bad]);
      const shown = pyRepr(this.text(bad));
      throw new PolicyError(`Parse failure.\n${header(pos)}  invalid literal for int() with base 10: ${shown}`);
    }
    if (this.atoms.errors.length > 0) throw new PolicyError(compilerErrors(this.atoms.errors));
    return statements;
  }

  // ---- token stream -------------------------------------------------------------------------

  private la1(): number {
    return this.p < this.count ? this.kinds[this.p] : T.EOF;
  }

  private la2(): number {
    return this.p + 1 < this.count ? this.kinds[this.p + 1] : T.EOF;
  }

  private consume(): void {
    if (this.p < this.count) this.p++;
  }

  private text(i: number): string {
    return this.tokens.text.slice(this.tokens.starts[i], this.tokens.ends[i]);
  }

  /** Takes the current token, known to be the right one, as a successful match. */
  private take(): number {
    const i = this.p++;
    this.errorRecovery = false;
    return i;
  }

  // ---- error recovery -----------------------------------------------------------------------

  /** Matches a token of `kind`, recovering from one extra or one missing token; -1 if missing. */
  private match(kind: number, follow: number): number {
    if (this.la1() === kind) {
      const i = this.p;
      this.consume();
      this.errorRecovery = false;
      return i;
    }
    if (this.la2() === kind) {
      const e = new Recognition(UNWANTED_TOKEN, this.p, kind);
      this.consume();
      this.report(e);
      const i = this.p;
      this.consume();
      return i;
    }
    if (this.isMissing(follow)) {
      this.report(new Recognition(MISSING_TOKEN, this.p, kind));
      return -1;
    }
    throw new Recognition(MISMATCHED_TOKEN, this.p, kind);
  }

  /** Could the current token follow the expected one (so the expected one is just missing)? */
  private isMissing(follow: number): boolean {
    let set = follow;
    if ((set & T.bit(T.EOR)) !== 0) {
      set |= this.combineFollows(true);
      if (this.following.length > 0) set &= ~T.bit(T.EOR);
    }
    return (set & T.bit(this.la1())) !== 0 || (set & T.bit(T.EOR)) !== 0;
  }

  /**
   * The union of the follow sets in progress. `exact` stops at the first rule that cannot end
   * here (the tokens that can really come next); otherwise all are included (the tokens worth
   * resynchronising on).
   */
  private combineFollows(exact: boolean): number {
    let set = 0;
    for (let i = this.following.length - 1; i >= 0; i--) {
      const local = this.following[i];
      set |= local;
      if (exact) {
        if ((local & T.bit(T.EOR)) === 0) break;
        if (i > 0) set &= ~T.bit(T.EOR);
      }
    }
    return set;
  }

  private report(e: Recognition): void {
    if (this.errorRecovery) return;
    this.errorRecovery = true;
    this.errors.push(e);
    if (this.memo === undefined) this.memo = new Map();
    if (this.errors.length >= MAX_REPORTED_ERRORS) throw new TooManyErrors();
  }

  /** Skips to a token that can follow a rule in progress (after dropping one, on a repeat). */
  private recover(): void {
    if (this.lastErrorIndex === this.p) this.consume();
    this.lastErrorIndex = this.p;
    const set = this.combineFollows(false);
    while (this.p < this.count && (set & T.bit(this.kinds[this.p])) === 0) this.p++;
  }

  /** What every rule does with an error: report it (unless recovering) and resynchronise. */
  private handle(e: unknown): void {
    if (!(e instanceof Recognition)) throw e;
    this.report(e);
    this.recover();
  }

  private noViableAlt(): Recognition {
    return new Recognition(NO_VIABLE_ALT, this.p, 0);
  }

  private describeErrors(): string {
    const positions = new PositionMap(this.tokens.text);
    return this.errors.map((e) => this.describe(e, positions)).join('\n');
  }

  private describe(e: Recognition, positions: PositionMap): string {
    const atEnd = e.token >= this.count;
    const pos = positions.at(atEnd ? this.tokens.text.length : this.tokens.starts[e.token]);
    const shown = pyRepr(atEnd ? '<EOF>' : this.text(e.token));
    const expected = e.expecting === T.EOF ? 'EOF' : T.TOKEN_NAMES[e.expecting];
    let message: string;
    if (e.kind === NO_VIABLE_ALT) message = 'no viable alternative at input ' + shown;
    else if (e.kind === UNWANTED_TOKEN) message = `extraneous input ${shown} expecting ${expected}`;
    else if (e.kind === MISSING_TOKEN) message = `missing ${expected} at ${shown}`;
    else message = `mismatched input ${shown} expecting ${expected}`;
    return `${header(pos)}  ${message}`;
  }

  // ---- grammar ------------------------------------------------------------------------------
  // Each rule pushes the follow set of a sub-rule around the call, exactly where the original's
  // generated parser does: error recovery depends on that stack.

  /** program = { statement } EOF */
  private prog(): Statement[] {
    const out: Statement[] = [];
    try {
      const first = this.la1();
      if ((T.bit(first) & T.LITERAL_START) !== 0) {
        do {
          this.following.push(FOLLOW.STATEMENT_IN_PROG);
          const s = this.statement();
          this.following.pop();
          if (s !== null) out.push(s);
        } while ((T.bit(this.la1()) & T.LITERAL_START) !== 0);
        this.match(T.EOF, FOLLOW.END);
      } else if (first === T.EOF) {
        this.match(T.EOF, FOLLOW.END);
      } else {
        throw this.noViableAlt();
      }
    } catch (e) {
      this.handle(e);
    }
    return out;
  }

  /** statement = formula [ ";" | "." ] */
  private statement(): Statement | null {
    try {
      this.following.push(FOLLOW.FORMULA_IN_STATEMENT);
      const f = this.formula();
      this.following.pop();
      if ((T.bit(this.la1()) & T.TERMINATOR) !== 0) this.take();
      return f;
    } catch (e) {
      this.handle(e);
      return null;
    }
  }

  /** formula = rule | fact | event, told apart by the lookahead automaton. */
  private formula(): Statement | null {
    try {
      const alt = predictFormula(this.kinds, this.count, this.p, this.memo);
      if (alt instanceof PredictionFailure) {
        // The commonest error path in garbage; handled without a throw, which costs microseconds.
        this.handle(new Recognition(NO_VIABLE_ALT, alt.index, 0));
        return null;
      }
      this.following.push(FOLLOW.END);
      let f: Statement | null;
      if (alt === RULE) f = this.rule();
      else if (alt === FACT) f = this.fact(false);
      else f = this.event();
      this.following.pop();
      return f;
    } catch (e) {
      this.handle(e);
      return null;
    }
  }

  /** event = ( "insert" | "delete" ) "[" rule [ ( ";" | "." ) STRING ] "]" */
  private event(): Event | null {
    try {
      const insert = this.kinds[this.take()] === T.INSERT;
      this.match(T.LBRACKET, FOLLOW.LBRACKET_IN_EVENT);
      this.following.push(FOLLOW.RULE_IN_EVENT);
      const formula = this.rule();
      this.following.pop();
      let target: string | null = null;
      if ((T.bit(this.la1()) & T.TERMINATOR) !== 0) {
        this.take();
        const s = this.match(T.STRING, FOLLOW.STRING_IN_EVENT);
        if (s >= 0) target = this.text(s).slice(1, -1);
      }
      this.match(T.RBRACKET, FOLLOW.END);
      if (formula === null) return null;
      return { kind: 'event', insert, formula, target };
    } catch (e) {
      this.handle(e);
      return null;
    }
  }

  /** rule = literal { "," literal } ":-" literal { "," literal } */
  private rule(): Rule | null {
    try {
      this.following.push(FOLLOW.HEADS_IN_RULE);
      const heads = this.literalList();
      this.following.pop();
      this.match(T.COLONMINUS, FOLLOW.COLONMINUS_IN_RULE);
      this.following.push(FOLLOW.END);
      const body = this.literalList();
      this.following.pop();
      return makeRule(heads, body);
    } catch (e) {
      this.handle(e);
      return null;
    }
  }

  private literalList(): Literal[] {
    const out = this.literals;
    let n = 0;
    try {
      this.following.push(FOLLOW.LITERAL_IN_LIST);
      let lit = this.literal();
      this.following.pop();
      if (lit !== null) out[n++] = lit;
      while (this.la1() === T.COMMA) {
        this.match(T.COMMA, FOLLOW.COMMA_IN_LIST);
        this.following.push(FOLLOW.LITERAL_IN_LIST);
        lit = this.literal();
        this.following.pop();
        if (lit !== null) out[n++] = lit;
      }
    } catch (e) {
      this.handle(e);
    }
    return out.slice(0, n);
  }

  /** literal = [ NEGATION ] fact */
  private literal(): Literal | null {
    try {
      const t = this.la1();
      let negated = false;
      if (t === T.NEGATION) {
        this.match(T.NEGATION, FOLLOW.NEGATION_IN_LITERAL);
        negated = true;
      } else if ((T.bit(t) & T.FACT_START) === 0) {
        throw this.noViableAlt();
      }
      this.following.push(FOLLOW.END);
      const f = this.fact(negated);
      this.following.pop();
      return f;
    } catch (e) {
      this.handle(e);
      return null;
    }
  }

  /** fact = atom | ( "execute" | "insert" | "delete" ) "[" atom "]" */
  private fact(negated: boolean): Literal | null {
    try {
      const t = this.la1();
      if (t === T.ID) {
        this.following.push(FOLLOW.END);
        const a = this.atom(null, negated);
        this.following.pop();
        return a;
      }
      if ((T.bit(t) & T.MODALS) === 0) throw this.noViableAlt();
      const modal = this.text(this.take()) as Modal;
      this.match(T.LBRACKET, FOLLOW.LBRACKET_IN_FACT);
      this.following.push(FOLLOW.ATOM_IN_MODAL);
      const a = this.atom(modal, negated);
      this.following.pop();
      this.match(T.RBRACKET, FOLLOW.END);
      return a;
    } catch (e) {
      this.handle(e);
      return null;
    }
  }

  /** atom = relation [ "(" [ param { "," param } ] ")" ] */
  private atom(modal: Modal | null, negated: boolean): Literal | null {
    try {
      this.following.push(FOLLOW.RELATION_IN_ATOM);
      const relationOk = this.relation();
      this.following.pop();
      const { service, table } = this;
      this.argCount = 0;
      this.rest = null;
      if (this.la1() === T.LPAREN) {
        this.match(T.LPAREN, FOLLOW.LPAREN_IN_ATOM);
        if ((T.bit(this.la1()) & T.TERM) !== 0) {
          this.following.push(FOLLOW.PARAMS_IN_ATOM);
          this.parameterList();
          this.following.pop();
        }
        this.match(T.RPAREN, FOLLOW.END);
      }
      if (!relationOk || this.errors.length > 0) return null;
      return this.atoms.literal(service, table, modal, negated, this.args.slice(0, this.argCount), this.rest);
    } catch (e) {
      this.handle(e);
      return null;
    }
  }

  /**
   * relation = ID { ":" ID } [ "+" | "-" ]. Leaves the policy prefix (the first of several
   * pieces) and the table (the other pieces and the sign) in `service` and `table`;
   * returns false if a piece was missing.
   */
  private relation(): boolean {
    let ok = true;
    let first: string | null = null;
    let rest: string | null = null;
    let sign = '';
    try {
      let i = this.match(T.ID, FOLLOW.ID_IN_RELATION);
      if (i >= 0) first = this.text(i);
      while (this.la1() === T.COLON) {
        this.match(T.COLON, FOLLOW.COLON_IN_RELATION);
        i = this.match(T.ID, FOLLOW.ID_IN_RELATION);
        if (i < 0) ok = false;
        else rest = rest === null ? this.text(i) : rest + ':' + this.text(i);
      }
      if (this.la1() === T.SIGN) sign = this.text(this.match(T.SIGN, FOLLOW.END));
    } catch (e) {
      this.handle(e);
      ok = false;
    }
    if (first === null) return false;
    if (rest === null) {
      this.service = null;
      this.table = this.atoms.name(first + sign);
    } else {
      this.service = this.atoms.name(first);
      this.table = this.atoms.name(rest + sign);
    }
    return ok;
  }

  private parameterList(): void {
    try {
      this.following.push(FOLLOW.PARAM_IN_PARAMS);
      this.parameter();
      this.following.pop();
      while (this.la1() === T.COMMA) {
        this.match(T.COMMA, FOLLOW.COMMA_IN_PARAMS);
        this.following.push(FOLLOW.PARAM_IN_PARAMS);
        this.parameter();
        this.following.pop();
      }
    } catch (e) {
      this.handle(e);
    }
  }

  /** param = term | colref "=" term, told apart by the token after an ID or INT. */
  private parameter(): void {
    try {
      const t = this.la1();
      let named: boolean;
      if (t === T.INT || t === T.ID) {
        const t2 = this.la2();
        if (t2 === T.COMMA || t2 === T.RPAREN) named = false;
        else if (t2 === T.EQUAL) named = true;
        else throw this.noViableAlt();
      } else if (t === T.FLOAT || t === T.STRING) {
        named = false;
      } else {
        throw this.noViableAlt();
      }
      let key = -1;
      if (named) {
        key = this.take();
        this.match(T.EQUAL, FOLLOW.EQUAL_IN_PARAM);
      }
      this.following.push(FOLLOW.END);
      const value = this.term();
      this.following.pop();
      if (value < 0 || this.errors.length > 0) return;
      if (key < 0 && this.rest === null) {
        // Positional parameters before any column reference are converted right away.
        this.args[this.argCount++] = this.atoms.term(value);
        return;
      }
      if (this.rest === null) this.rest = [];
      this.rest.push(key, value);
    } catch (e) {
      this.handle(e);
    }
  }

  /** term = INT | FLOAT | STRING | ID; returns the token index, or -1 after an error. */
  private term(): number {
    try {
      if ((T.bit(this.la1()) & T.TERM) === 0) throw this.noViableAlt();
      return this.take();
    } catch (e) {
      this.handle(e);
      return -1;
    }
  }
}

/**
 * Predicates and compiled rules: the evaluation-time form of the tables of every policy.
 *
 * A predicate is one table of one policy at one width, with its modal (`execute[...]`) and the
 * service prefix of update or modal heads: `alpha|execute|nova|servers.pause/1`. Its relation
 * holds the stored facts and, once materialized, every derived tuple with its derivation count.
 */
import type { Literal, Rule } from '../ast';
import type { Builtin } from '../builtins';
import type { Value } from '../value';
import { Relation, type Tuple } from './relation';
import { RowTable } from './row-table';

const MATERIALIZED = 1;
const VIRTUAL = 2;

export class Predicate {
  readonly rel = new Relation();
  /** Stored facts by raw-value key (`1` and `1.0` are one fact), for set semantics of storage. */
  readonly facts = new RowTable<Tuple>();
  /** Rules whose head is this predicate. */
  readonly rules: CompiledRule[] = [];
  /** Rules that read this predicate in their body (positively or negated). */
  readonly consumers = new Set<CompiledRule>();
  private flags = MATERIALIZED;
  /** {@link readerEpoch} when `materializedReader` was last computed. */
  readerCheckedAt = -1;
  /** Whether a materialized, non-virtual table reads this one (cached per {@link readerEpoch}). */
  materializedReader = false;
  /** Whether a virtual (top-down) table reads this one (cached per {@link readerEpoch}). */
  virtualReader = false;
  /** Kept materialized because a trigger watches it. */
  pinned = 0;

  /** True when `rel` holds the full contents: always for fact-only predicates. */
  get materialized(): boolean {
    return (this.flags & MATERIALIZED) !== 0;
  }

  set materialized(v: boolean) {
    this.setFlag(MATERIALIZED, v);
  }

  /** Tables of action policies are evaluated top-down on demand, never materialized. */
  get virtual(): boolean {
    return (this.flags & VIRTUAL) !== 0;
  }

  set virtual(v: boolean) {
    this.setFlag(VIRTUAL, v);
  }

  private setFlag(bit: number, v: boolean): void {
    const next = v ? this.flags | bit : this.flags & ~bit;
    if (next !== this.flags) {
      this.flags = next;
      readerEpoch++;
    }
  }

  /** Adds or removes a rule reading this predicate. */
  addConsumer(cr: CompiledRule): void {
    this.consumers.add(cr);
    readerEpoch++;
  }

  deleteConsumer(cr: CompiledRule): void {
    this.consumers.delete(cr);
    readerEpoch++;
  }

  constructor(
    readonly key: string,
    readonly policy: string,
    readonly modal: string | null,
    readonly service: string,
    readonly table: string,
    readonly arity: number,
  ) {}
}

/**
 * Moves whenever any predicate's materialized or virtual flag or its set of reading rules
 * changes. Every stored fact asks whether something materialized reads its table; with hundreds
 * of rules reading one table, answering that from scratch per fact made bulk loads cost
 * facts x rules. Shared by all stores: a change elsewhere only costs a recomputation.
 */
let readerEpoch = 0;

export function currentReaderEpoch(): number {
  return readerEpoch;
}

/** The key of a predicate: unique per policy, modal, (normalised) service, table and width. */
export function predicateKey(policy: string, modal: string | null, service: string, table: string, arity: number): string {
  return `${policy}|${modal ?? ''}|${service}|${table}/${arity}`;
}

export type LiteralKind = 'pos' | 'neg' | 'builtin' | 'true' | 'false';

/** A body literal bound to what evaluates it. Arguments are variable slots (>= 0) or constants. */
export interface CompiledLiteral {
  readonly kind: LiteralKind;
  readonly lit: Literal;
  readonly pred: Predicate | null;
  readonly builtin: Builtin | null;
  /** Per argument: the variable slot, or -1 for a constant (or, in rules, a variable used nowhere else). */
  readonly vars: readonly number[];
  /** Per argument: the constant where `vars` is -1; undefined for a variable (which matches anything when it has no slot). */
  readonly consts: readonly (Value | undefined)[];
}

/**
 * A compiled literal, always built here: every one has the same shape, so the evaluator's reads
 * of them stay monomorphic.
 */
export function compiledLiteral(
  resolved: Pick<CompiledLiteral, 'kind' | 'pred' | 'builtin'>,
  lit: Literal,
  vars: readonly number[],
  consts: readonly (Value | undefined)[],
): CompiledLiteral {
  return { kind: resolved.kind, lit, pred: resolved.pred, builtin: resolved.builtin, vars, consts };
}

export interface CompiledRule {
  readonly rule: Rule;
  readonly policy: string;
  readonly head: Predicate;
  readonly headVars: readonly number[];
  readonly headConsts: readonly (Value | undefined)[];
  readonly body: readonly CompiledLiteral[];
  readonly varNames: readonly string[];
}

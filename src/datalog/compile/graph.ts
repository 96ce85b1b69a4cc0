/**
 * The global rule dependency graph (spec 6.6): nodes are `policy:table` names, edges go from a
 * rule's head to each body table and remember whether the body literal is negated. Edges are
 * reference-counted so several rules may share one. Used to reject recursion (or, with recursion
 * enabled, unstratified negation) and to find what a trigger depends on.
 */
import type { Literal, Rule, Statement } from '../ast';

interface EdgeCount {
  plain: number;
  negated: number;
}

/** One change made by {@link DependencyGraph.update}, kept so a rejected batch can be undone. */
export interface GraphChange {
  readonly head: string;
  readonly body: string;
  readonly negated: boolean;
  readonly insert: boolean;
}

/** Node name of a rule head: `<target>:<head service:>table` (the modal is dropped, as in the original). */
export function headNode(head: Literal, target: string): string {
  return head.service === null ? `${target}:${head.table}` : `${target}:${head.service}:${head.table}`;
}

/** Node name of a body literal: `<prefix or target>:table`. */
export function bodyNode(lit: Literal, target: string): string {
  return `${lit.service ?? target}:${lit.table}`;
}

export class DependencyGraph {
  private readonly out = new Map<string, Map<string, EdgeCount>>();
  /** Per body node, how many distinct heads read it: answers "which tables do rules read" without a pass over every rule. */
  private readonly readers = new Map<string, number>();

  /** Adds or removes the edges of each rule; facts contribute nothing. */
  update(events: readonly { formula: Statement; target: string; insert: boolean }[]): GraphChange[] {
    const changes: GraphChange[] = [];
    for (const e of events) {
      for (const { head, body, negated } of ruleEdges(e.formula, e.target)) {
        this.apply(head, body, negated, e.insert);
        changes.push({ head, body, negated, insert: e.insert });
      }
    }
    return changes;
  }

  undo(changes: readonly GraphChange[]): void {
    for (let i = changes.length - 1; i >= 0; i--) {
      const c = changes[i];
      this.apply(c.head, c.body, c.negated, !c.insert);
    }
  }

  /**
   * Whether any of the inserted edges closes a cycle: a new cycle must pass through a new edge
   * head -> body, i.e. the head is reachable from the body. With `negatedOnly`, only cycles that
   * contain a negated edge count (stratification when recursion is allowed).
   */
  hasNewCycle(changes: readonly GraphChange[], negatedOnly = false): boolean {
    for (const c of changes) {
      if (!c.insert) continue;
      if (negatedOnly) {
        if (this.cycleThroughNegation(c)) return true;
      } else if (this.reachable(c.body, c.head)) return true;
    }
    return false;
  }

  private cycleThroughNegation(c: GraphChange): boolean {
    // A cycle through edge (h -> b) contains negation if the edge is negated and b reaches h, or
    // if b reaches h along a path with a negated edge.
    if (c.negated) return this.reachable(c.body, c.head);
    return this.reachableWithNegation(c.body, c.head);
  }

  /** Tables reachable from `node` (its transitive dependencies), including itself. */
  dependencies(node: string): Set<string> {
    const seen = new Set<string>([node]);
    const stack = [node];
    while (stack.length > 0) {
      const n = stack.pop() as string;
      for (const next of this.out.get(n)?.keys() ?? []) {
        if (!seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    return seen;
  }

  /** Every node some rule body reads (`service:table` for literals with a service prefix). */
  readNodes(): IterableIterator<string> {
    return this.readers.keys();
  }

  private reachable(from: string, to: string): boolean {
    if (from === to) return true;
    return this.dependencies(from).has(to);
  }

  private reachableWithNegation(from: string, to: string): boolean {
    // States: (node, seenNegation). BFS over the product graph.
    const seen = new Set<string>();
    const stack: [string, boolean][] = [[from, false]];
    while (stack.length > 0) {
      const [n, neg] = stack.pop() as [string, boolean];
      if (n === to && neg) return true;
      const key = (neg ? '1' : '0') + n;
      if (seen.has(key)) continue;
      seen.add(key);
      for (const [next, count] of this.out.get(n) ?? []) {
        if (count.plain > 0) stack.push([next, neg]);
        if (count.negated > 0) stack.push([next, true]);
      }
    }
    return false;
  }

  private apply(head: string, body: string, negated: boolean, insert: boolean): void {
    let edges = this.out.get(head);
    if (edges === undefined) {
      if (!insert) return;
      edges = new Map();
      this.out.set(head, edges);
    }
    let count = edges.get(body);
    if (count === undefined) {
      if (!insert) return;
      count = { plain: 0, negated: 0 };
      edges.set(body, count);
      this.readers.set(body, (this.readers.get(body) ?? 0) + 1);
    }
    const d = insert ? 1 : -1;
    if (negated) count.negated = Math.max(0, count.negated + d);
    else count.plain = Math.max(0, count.plain + d);
    if (count.plain === 0 && count.negated === 0) {
      edges.delete(body);
      const left = (this.readers.get(body) ?? 1) - 1;
      if (left === 0) this.readers.delete(body);
      else this.readers.set(body, left);
      if (edges.size === 0) this.out.delete(head);
    }
  }
}

function ruleEdges(formula: Statement, target: string): { head: string; body: string; negated: boolean }[] {
  if (formula.kind !== 'rule') return [];
  const rule: Rule = formula;
  const edges: { head: string; body: string; negated: boolean }[] = [];
  const seen = new Set<string>();
  for (const h of rule.heads) {
    const head = headNode(h, target);
    for (const lit of rule.body) {
      const body = bodyNode(lit, target);
      const key = `${head}\u0000${body}\u0000${lit.negated}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push({ head, body, negated: lit.negated });
    }
  }
  return edges;
}

/**
 * The subset of oslo.policy's rule language that Congress's policies use: `role:<name>`,
 * `rule:<name>`, generic `<credential>:<value>` checks, `@` / `""` (always), `!` (never),
 * `not`, `and`, `or` and parentheses, plus the legacy list-of-lists form. Check strings are
 * parsed once into a tree and evaluated against the caller's credentials.
 */

/** Who is asking: what Keystone said about the token. */
export interface Credentials {
  readonly userId: string;
  readonly userName: string | null;
  readonly projectId: string | null;
  readonly projectName: string | null;
  readonly roles: readonly string[];
}

/** A parsed check string. */
export type RuleTree =
  | { readonly kind: 'always' }
  | { readonly kind: 'never' }
  | { readonly kind: 'role'; readonly role: string }
  | { readonly kind: 'rule'; readonly name: string }
  | { readonly kind: 'generic'; readonly key: string; readonly value: string }
  | { readonly kind: 'not'; readonly rule: RuleTree }
  | { readonly kind: 'and'; readonly rules: readonly RuleTree[] }
  | { readonly kind: 'or'; readonly rules: readonly RuleTree[] };

/** A check string that cannot be parsed; the policy file is refused with it. */
export class RuleSyntaxError extends Error {
  constructor(
    readonly rule: string,
    reason: string,
  ) {
    super(`invalid policy rule "${rule}": ${reason}`);
    this.name = 'RuleSyntaxError';
  }
}

/** oslo's tokenizer: parentheses count only at the ends of words, so `%(name)s` stays whole. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    let w = word;
    while (w.startsWith('(')) {
      tokens.push('(');
      w = w.slice(1);
    }
    let closing = 0;
    while (w.endsWith(')') && !/%\([^)]*\)$/.test(w)) {
      closing++;
      w = w.slice(0, -1);
    }
    if (w !== '') tokens.push(w);
    for (let i = 0; i < closing; i++) tokens.push(')');
  }
  return tokens;
}

function atom(token: string, source: string): RuleTree {
  if (token === '@') return { kind: 'always' };
  if (token === '!') return { kind: 'never' };
  const colon = token.indexOf(':');
  if (colon <= 0) throw new RuleSyntaxError(source, `"${token}" is not a check (expected kind:match, @ or !)`);
  const key = token.slice(0, colon);
  const value = token.slice(colon + 1);
  if (key === 'role') return { kind: 'role', role: value };
  if (key === 'rule') return { kind: 'rule', name: value };
  return { kind: 'generic', key, value };
}

/** Recursive descent with oslo's precedence: `not` binds tighter than `and`, `and` than `or`. */
class Parser {
  private at = 0;

  constructor(
    private readonly tokens: readonly string[],
    private readonly source: string,
  ) {}

  parse(): RuleTree {
    const tree = this.or();
    if (this.at < this.tokens.length) throw new RuleSyntaxError(this.source, `unexpected "${this.tokens[this.at]}"`);
    return tree;
  }

  private or(): RuleTree {
    const rules = [this.and()];
    while (this.peek() === 'or') {
      this.at++;
      rules.push(this.and());
    }
    return rules.length === 1 ? rules[0] : { kind: 'or', rules };
  }

  private and(): RuleTree {
    const rules = [this.not()];
    while (this.peek() === 'and') {
      this.at++;
      rules.push(this.not());
    }
    return rules.length === 1 ? rules[0] : { kind: 'and', rules };
  }

  private not(): RuleTree {
    if (this.peek() === 'not') {
      this.at++;
      return { kind: 'not', rule: this.not() };
    }
    return this.primary();
  }

  private primary(): RuleTree {
    const token = this.tokens[this.at++];
    if (token === undefined) throw new RuleSyntaxError(this.source, 'unexpected end');
    if (token === '(') {
      const inner = this.or();
      if (this.tokens[this.at++] !== ')') throw new RuleSyntaxError(this.source, 'missing ")"');
      return inner;
    }
    if (token === ')' || token === 'and' || token === 'or') throw new RuleSyntaxError(this.source, `unexpected "${token}"`);
    return atom(token, this.source);
  }

  private peek(): string | undefined {
    const t = this.tokens[this.at];
    return t === undefined ? undefined : t.toLowerCase();
  }
}

/**
 * Parses a check string, or oslo's legacy form: a list of alternatives, each a list of checks
 * that must all hold (an empty list allows everyone, as in oslo).
 */
export function parseRule(rule: unknown): RuleTree {
  if (Array.isArray(rule)) {
    if (rule.length === 0) return { kind: 'always' };
    return {
      kind: 'or',
      rules: rule.map((alternative: unknown) => {
        if (!Array.isArray(alternative) || !alternative.every((c): c is string => typeof c === 'string')) {
          throw new RuleSyntaxError(JSON.stringify(rule), 'a list rule must be a list of lists of check strings');
        }
        return { kind: 'and', rules: alternative.map((c) => parseRule(c)) };
      }),
    };
  }
  if (typeof rule !== 'string') throw new RuleSyntaxError(String(JSON.stringify(rule)), 'a rule must be a string');
  const tokens = tokenize(rule);
  if (tokens.length === 0) return { kind: 'always' };
  return new Parser(tokens, rule).parse();
}

function credential(creds: Credentials, key: string): string | null {
  switch (key) {
    case 'user_id':
      return creds.userId;
    case 'user_name':
      return creds.userName;
    case 'project_id':
    case 'tenant_id':
      return creds.projectId;
    case 'project_name':
    case 'tenant_name':
      return creds.projectName;
    default:
      return null;
  }
}

/**
 * Evaluates a tree. `lookup` resolves `rule:<name>`; an unknown name denies, as in oslo.
 * `depth` guards against rules that refer to each other in a cycle.
 */
export function evaluate(tree: RuleTree, creds: Credentials, lookup: (name: string) => RuleTree | undefined, depth = 0): boolean {
  if (depth > 50) return false;
  switch (tree.kind) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'role':
      // oslo compares role names case-insensitively.
      return creds.roles.some((r) => r.toLowerCase() === tree.role.toLowerCase());
    case 'rule': {
      const target = lookup(tree.name);
      return target !== undefined && evaluate(target, creds, lookup, depth + 1);
    }
    case 'generic':
      // Targets (%(...)s) are not passed by Congress's API, so only literal values can match.
      return !tree.value.startsWith('%(') && credential(creds, tree.key) === tree.value;
    case 'not':
      return !evaluate(tree.rule, creds, lookup, depth + 1);
    case 'and':
      return tree.rules.every((r) => evaluate(r, creds, lookup, depth + 1));
    case 'or':
      return tree.rules.some((r) => evaluate(r, creds, lookup, depth + 1));
  }
}

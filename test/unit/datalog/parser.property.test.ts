/**
 * Properties of the parser: any text either parses or fails with a well-formed PolicyError,
 * quickly; and printing is stable, so a generated program printed with `formatStatement`
 * parses back to exactly the statements it was printed from.
 */
import fc from 'fast-check';
import {
  constant,
  formatStatement,
  literal,
  rule,
  variable,
  type Event,
  type Literal,
  type Modal,
  type NamedArg,
  type Rule,
  type Statement,
  type Term,
} from '../../../src/datalog/ast';
import { PolicyError } from '../../../src/datalog/errors';
import { parse } from '../../../src/datalog/parse';
import { Float, int } from '../../../src/datalog/value';

const RESERVED = new Set(['not', 'NOT', 'execute', 'insert', 'delete']);

/** Identifiers: letters, digits, `_` and `.`, not starting like a number, never reserved. */
const identifier: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...'abcxyzpqABNOT_.'),
    fc.constantFrom(...'abpqrstuvwxyzNOT_'),
    fc.string({ unit: fc.constantFrom(...'abenotNOT_.019'), maxLength: 6 }),
  )
  .map(([a, b, rest]) => a + b + rest)
  .filter((s) => !RESERVED.has(s));

const safeText = fc.string({ unit: fc.constantFrom(...'abc XYZ019_-+.:,;()[]=!#/*é日\t'), maxLength: 12 });

const term: fc.Arbitrary<Term> = fc.oneof(
  identifier.map(variable),
  safeText.map((s) => constant(s)),
  fc.nat().map((n) => constant(n)),
  fc.bigInt({ min: 0n, max: 10n ** 30n }).map((n) => constant(int(n))),
  fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }).map((x) => constant(new Float(Math.abs(x)))),
);

/** Column references with distinct keys, in the documented order: numbers, then names. */
const namedArgs: fc.Arbitrary<NamedArg[]> = fc
  .tuple(
    fc.uniqueArray(fc.nat({ max: 40 }), { maxLength: 3 }),
    fc.uniqueArray(identifier, { maxLength: 3 }),
    fc.array(term, { minLength: 6, maxLength: 6 }),
  )
  .map(([numbers, names, terms]) => [
    ...[...numbers].sort((a, b) => a - b).map((key, i) => ({ key, term: terms[i] })),
    ...[...names].sort().map((key, i) => ({ key, term: terms[3 + i] })),
  ]);

const atom = (negatable: boolean): fc.Arbitrary<Literal> =>
  fc
    .record({
      service: fc.option(identifier, { nil: null }),
      pieces: fc.array(identifier, { minLength: 1, maxLength: 2 }),
      sign: fc.constantFrom('', '', '+', '-'),
      modal: fc.constantFrom<Modal | null>(null, null, null, 'execute', 'insert', 'delete'),
      args: fc.array(term, { maxLength: 4 }),
      named: namedArgs,
      negated: negatable ? fc.boolean() : fc.constant(false),
    })
    .map(({ service, pieces, sign, modal, args, named, negated }) => {
      // Without a policy prefix a table name cannot contain `:` (it would read as a prefix).
      const table = (service === null ? pieces[0] : pieces.join(':')) + sign;
      // Column numbers must be past the positional arguments.
      const shifted = named.map((n) => (typeof n.key === 'number' ? { key: n.key + args.length, term: n.term } : n));
      return literal(table, args, { service, modal, named: shifted, negated });
    });

const ruleArb: fc.Arbitrary<Rule> = fc
  .tuple(fc.array(atom(true), { minLength: 1, maxLength: 2 }), fc.array(atom(true), { minLength: 1, maxLength: 4 }))
  .map(([heads, body]) => rule(heads, body));

const eventArb: fc.Arbitrary<Event> = fc.record({
  kind: fc.constant('event' as const),
  insert: fc.boolean(),
  formula: ruleArb,
  target: fc.option(safeText, { nil: null }),
});

const statement: fc.Arbitrary<Statement> = fc.oneof({ weight: 2, arbitrary: atom(false) }, { weight: 3, arbitrary: ruleArb }, { weight: 1, arbitrary: eventArb });

const program = fc.tuple(fc.array(statement, { minLength: 1, maxLength: 4 }), fc.constantFrom('\n', ' ', '', '; ', '.\n', ' // c\n', ' /* c */ '));

/** Parses and checks that a failure is a well-formed PolicyError. Returns whether it parsed. */
function parsesOrFailsCleanly(text: string): boolean {
  const t0 = Date.now();
  try {
    expect(Array.isArray(parse(text))).toBe(true);
    return true;
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    const { message, code } = e as PolicyError;
    expect(code).toBeNull();
    const [first, ...rest] = message.split('\n');
    if (first === 'Lex failure.' || first === 'Parse failure.') {
      expect(rest.length).toBeGreaterThan(0);
      for (const line of rest) expect(line).toMatch(/^line:\d+,col:\d+ {2}\S/);
    } else {
      expect(first).toMatch(/^Compiler found errors:(Atom|In atom) /);
    }
    return false;
  } finally {
    expect(Date.now() - t0).toBeLessThan(500);
  }
}

const VOCABULARY = [
  'p', 'q', 'x', 'nova', 'a.b', '_', 'not', 'NOT', '!', 'execute', 'insert', 'delete', ':-', ',', '(', ')', '[', ']',
  '=', ':', ';', '.', '+', '-', '1', '0', '00', '007', '1.5', '.5', '1e', '1e3', '0x1F', '"s"', "'t'", '"', "'", '"""',
  ' ', '\n', '\r', '\t', '// c\n', '# c', '/*', '*/', '\\', '@', 'é', '😀', '\uD83D',
];

describe('any text parses or fails with a PolicyError', () => {
  test('random strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
        parsesOrFailsCleanly(s);
      }),
      { numRuns: 1000 },
    );
  });

  test('random token soup', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 40 }), fc.constantFrom('', ' '), (tokens, sep) => {
        parsesOrFailsCleanly(tokens.join(sep));
      }),
      { numRuns: 1000 },
    );
  });

  test('valid programs with a few characters changed', () => {
    const edit = fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.constantFrom(...VOCABULARY, ''));
    fc.assert(
      fc.property(program, fc.array(edit, { minLength: 1, maxLength: 3 }), ([statements, sep], edits) => {
        let text = statements.map(formatStatement).join(sep);
        for (const [at, drop, insert] of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + insert + text.slice(i + drop);
        }
        parsesOrFailsCleanly(text);
      }),
      { numRuns: 500 },
    );
  });
});

describe('printing is stable', () => {
  test('a printed program parses back to the same statements', () => {
    fc.assert(
      fc.property(program, ([statements, sep]) => {
        const text = statements.map(formatStatement).join(sep);
        const parsed = parse(text);
        expect(parsed).toEqual(statements);
        expect(parsed.map(formatStatement)).toEqual(statements.map(formatStatement));
      }),
      { numRuns: 500 },
    );
  });

  test('print . parse is idempotent on any text that parses', () => {
    const atoms = ['p', 'q(x)', 'r(1, "s", 2.5)', 'nova:s(x, id=y, 3=z)', 'execute[t(x)]', 'a:b:c+(1)', "u('v')", 'w(.5e3, 00)'];
    const joints = [' :- ', ', ', '; ', '. ', ' not ', ' ', '\n', ' !'];
    const pieces = fc.array(fc.tuple(fc.constantFrom(...atoms), fc.constantFrom(...joints)), { minLength: 1, maxLength: 8 });
    let parsed = 0;
    fc.assert(
      fc.property(pieces, (ps) => {
        let statements: Statement[];
        try {
          statements = parse(ps.map(([a, j]) => a + j).join(''));
        } catch {
          return;
        }
        parsed++;
        const printed = statements.map(formatStatement).join('\n');
        expect(parse(printed).map(formatStatement).join('\n')).toBe(printed);
      }),
      { numRuns: 1000 },
    );
    expect(parsed).toBeGreaterThan(100);
  });
});

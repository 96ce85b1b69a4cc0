/**
 * The lexer and parser of the policy language (spec sections 2-4, 5.6 parse-time checks).
 *
 * Expected error texts are the original's: the samples of the conformance corpus, and the
 * `OBSERVED` table, whose every entry was produced by running the original ANTLR3 lexer and
 * parser (Congress commit 85243abf) on the input. Inputs with several errors exercise its
 * error recovery, which decides which later errors it reports.
 */
import { constant, formatStatement, literal, rule, variable, type Literal, type Statement } from '../../../src/datalog/ast';
import { PolicyError } from '../../../src/datalog/errors';
import { isValidPolicyName, parse } from '../../../src/datalog/parse';
import { MAX_REPORTED_ERRORS } from '../../../src/datalog/parse/lexer';
import { Float } from '../../../src/datalog/value';

/** The message of the PolicyError that parsing `text` throws. */
function errorOf(text: string): string {
  try {
    parse(text);
  } catch (e) {
    if (!(e instanceof PolicyError)) throw e;
    expect(e.code).toBeNull();
    return e.message;
  }
  throw new Error(`parsed without error: ${JSON.stringify(text)}`);
}

/** The single statement of `text`. */
function one(text: string): Statement {
  const s = parse(text);
  expect(s).toHaveLength(1);
  return s[0];
}

/** The single statement of `text`, which must be a literal. */
function lit(text: string): Literal {
  const s = one(text);
  if (s.kind !== 'literal') throw new Error(`not a literal: ${text}`);
  return s;
}

const v = variable;
const c = constant;
const f = (x: number): Float => new Float(x);

describe('lexical syntax', () => {
  test('comments of all three kinds are skipped', () => {
    const expected = rule([literal('p', [v('x')])], [literal('q', [v('x')])]);
    expect(one('// a comment\np(x) :- q(x)')).toEqual(expected);
    expect(one('# hash comment\np(x) :- q(x)')).toEqual(expected);
    expect(one('/* block */ p(x) :- /* inside */ q(x)')).toEqual(expected);
    expect(one('p(x) :- q(x) // trailing\n')).toEqual(expected);
    expect(one('p(x) :- q(x) # trailing\r\n')).toEqual(expected);
    expect(one('p(x) :- /* multi\nline ** / */ q(x)')).toEqual(expected);
    expect(one('p(x) :- q(x) /* block ok */')).toEqual(expected);
  });

  test('line comments must end with a newline', () => {
    expect(errorOf('p(x) :- q(x) // no newline')).toBe("Lex failure.\nline:1,col:26  mismatched character '<EOF>' expecting '\\n'");
    expect(errorOf('r(x) :- q(x) # also none')).toBe("Lex failure.\nline:1,col:24  mismatched character '<EOF>' expecting '\\n'");
    expect(errorOf('p(x) # c\rx')).toBe("Lex failure.\nline:1,col:9  mismatched character 'x' expecting '\\n'");
  });

  test('block comments must be closed; a lone slash is no token', () => {
    expect(errorOf('p(x) :- q(x) /* unterminated')).toBe("Lex failure.\nline:1,col:28  mismatched character '<EOF>' expecting '*'");
    expect(errorOf('p(x)/q')).toBe("Lex failure.\nline:1,col:4  no viable alternative at character '/'");
  });

  test('whitespace is space, tab, CR and LF only', () => {
    expect(one(' \t\r\np(x)\t:-\r\nq(x) ')).toEqual(rule([literal('p', [v('x')])], [literal('q', [v('x')])]));
    expect(errorOf('p(x)\f')).toBe("Lex failure.\nline:1,col:4  no viable alternative at character '\\x0c'");
    expect(errorOf('p(x)\u00a0')).toBe("Lex failure.\nline:1,col:4  no viable alternative at character '\\xa0'");
    expect(errorOf('p(@)')).toBe("Lex failure.\nline:1,col:2  no viable alternative at character '@'");
  });

  test('statements are separated by nothing, whitespace, ; or .', () => {
    expect(parse('p(1). q(2); r(3)')).toEqual([literal('p', [c(1)]), literal('q', [c(2)]), literal('r', [c(3)])]);
    expect(parse('p(7)p(8)')).toEqual([literal('p', [c(7)]), literal('p', [c(8)])]);
    expect(parse('p(x):-q(x)r(y):-s(y)')).toEqual([
      rule([literal('p', [v('x')])], [literal('q', [v('x')])]),
      rule([literal('r', [v('y')])], [literal('s', [v('y')])]),
    ]);
    expect(parse('p(9).')).toEqual([literal('p', [c(9)])]);
    expect(parse('p(9);')).toEqual([literal('p', [c(9)])]);
  });

  test('an empty program or one of comments only has no statements', () => {
    expect(parse('')).toEqual([]);
    expect(parse('  \n\t')).toEqual([]);
    expect(parse('// nothing\n/* at all */')).toEqual([]);
  });

  test('identifiers may contain and start with dots and underscores', () => {
    expect(lit('.p(.x, _, a.b_c9)')).toEqual(literal('.p', [v('.x'), v('_'), v('a.b_c9')]));
    expect(lit('nova:servers.pause(x)')).toEqual(literal('servers.pause', [v('x')], { service: 'nova' }));
    expect(lit('p(.5.5, .5e, .5e5x)')).toEqual(literal('p', [v('.5.5'), v('.5e'), v('.5e5x')]));
  });

  test('identifiers that merely start with a reserved word are fine', () => {
    expect(lit('notable(nothing, executed, not_r, NOTE, inserted, deleted, no)')).toEqual(
      literal('notable', ['nothing', 'executed', 'not_r', 'NOTE', 'inserted', 'deleted', 'no'].map(v)),
    );
  });

  test('reserved words cannot be variables or table names', () => {
    expect(errorOf('p(execute)')).toBe("Parse failure.\nline:1,col:2  no viable alternative at input 'execute'");
    expect(errorOf('p(x) :- insert(x)')).toBe("Parse failure.\nline:1,col:14  mismatched input '(' expecting LBRACKET");
    expect(errorOf('not(x)')).toBe(
      "Parse failure.\nline:1,col:3  no viable alternative at input '('\nline:1,col:5  extraneous input ')' expecting EOF",
    );
    expect(errorOf('p(not)')).toBe(
      "Parse failure.\nline:1,col:2  no viable alternative at input 'not'\nline:1,col:5  no viable alternative at input ')'",
    );
    expect(errorOf('delete(1)')).toBe("Parse failure.\nline:1,col:6  no viable alternative at input '('");
    expect(errorOf('p(x) :- q(x), NOT(x)')).toBe("Parse failure.\nline:1,col:17  no viable alternative at input '('");
    expect(errorOf('execute(1)')).toBe("Parse failure.\nline:1,col:7  no viable alternative at input '('");
  });

  test('integers: decimal, zeros, and beyond 2^53 as bigint', () => {
    expect(lit('p(0, 00, 7, 1234567890)')).toEqual(literal('p', [c(0), c(0), c(7), c(1234567890)]));
    expect(lit('p(9007199254740993)').args[0]).toEqual(c(9007199254740993n));
    expect(lit('p(123456789012345678901234567890)').args[0]).toEqual(c(123456789012345678901234567890n));
  });

  test('a leading zero before other digits is a lex failure', () => {
    expect(errorOf('p(007)')).toBe(
      "Lex failure.\nline:1,col:5  no viable alternative at character ')'\nline:1,col:5  no viable alternative at character ')'",
    );
  });

  test('floats in every form become FLOAT constants', () => {
    const forms: [string, number][] = [
      ['1.', 1],
      ['.5', 0.5],
      ['1e3', 1000],
      ['1E-2', 0.01],
      ['2.5e-3', 0.0025],
      ['1e20', 1e20],
      ['1.5e16', 1.5e16],
      ['1e-5', 1e-5],
      ['0.0001', 0.0001],
      ['123456789.125', 123456789.125],
      ['1500.0', 1500],
      ['1.e5', 1e5],
      ['00.5', 0.5],
      ['.5e+3', 500],
      ['0e0', 0],
    ];
    for (const [text, value] of forms) expect(lit(`f(${text})`).args).toEqual([c(f(value))]);
    expect(lit('f(1.0)').args[0]).not.toEqual(c(1));
  });

  test('a float exponent needs digits', () => {
    expect(errorOf('p(1e)')).toBe("Lex failure.\nline:1,col:4  required (...)+ loop did not match anything at character ')'");
    expect(errorOf('p(1e+)')).toBe("Lex failure.\nline:1,col:5  required (...)+ loop did not match anything at character ')'");
  });

  test('there are no negative literals', () => {
    expect(errorOf('p(-1)')).toBe("Parse failure.\nline:1,col:2  no viable alternative at input '-'");
  });

  test('hexadecimal, octal and binary integers are a clean parse error', () => {
    expect(errorOf('p(0x1F)')).toBe("Parse failure.\nline:1,col:2  invalid literal for int() with base 10: '0x1F'");
    expect(errorOf('p(x) :- q(0o17)')).toBe("Parse failure.\nline:1,col:10  invalid literal for int() with base 10: '0o17'");
    expect(errorOf('p(0b101)')).toBe("Parse failure.\nline:1,col:2  invalid literal for int() with base 10: '0b101'");
    expect(errorOf('p(x, 0x2=y)')).toBe("Parse failure.\nline:1,col:5  invalid literal for int() with base 10: '0x2'");
    // Digits are required after the prefix, as in the original's lexer.
    expect(errorOf('p(0x)')).toBe("Lex failure.\nline:1,col:4  required (...)+ loop did not match anything at character ')'");
    expect(errorOf('p(0o8)')).toBe("Lex failure.\nline:1,col:4  required (...)+ loop did not match anything at character '8'");
  });

  test('strings keep their raw content: no escape processing', () => {
    expect(lit('s("a\\nb")').args).toEqual([c('a\\nb')]);
    expect(lit('s("a\\"b")').args).toEqual([c('a\\"b')]);
    expect(lit("s('c\\'d')").args).toEqual([c("c\\'d")]);
    expect(lit('s("tab\\there")').args).toEqual([c('tab\\there')]);
    expect(lit("s('single', \"\")").args).toEqual([c('single'), c('')]);
    expect(formatStatement(lit("s('single')"))).toBe('s("single")');
  });

  test('quoted pieces written without space between form one string', () => {
    expect(lit('s("ab""cd")').args).toEqual([c('ab""cd')]);
    expect(lit(`s('a''b', "a"'b')`).args).toEqual([c("a''b"), c(`a"'b`)]);
    expect(errorOf('p("a" "b")')).toBe("Parse failure.\nline:1,col:6  no viable alternative at input '\"b\"'");
  });

  test('non-ASCII text is kept in strings and rejected elsewhere', () => {
    expect(lit('name("Jürgen", "李雷", "café")').args).toEqual([c('Jürgen'), c('李雷'), c('café')]);
    expect(one('p(x) :- q("é") // 日本\n')).toEqual(rule([literal('p', [v('x')])], [literal('q', [c('é')])]));
    expect(errorOf('p(é)')).toBe("Lex failure.\nline:1,col:2  no viable alternative at character 'é'");
  });

  test('characters beyond U+FFFF are outside the original vocabulary, even in strings', () => {
    expect(errorOf('p("😀")')).toBe(
      "Lex failure.\nline:1,col:2  no viable alternative at character '\"'\nline:1,col:3  no viable alternative at character '😀'\nline:1,col:6  mismatched character '<EOF>' expecting '\"'",
    );
    expect(errorOf('p(x) :- q("é") // 😀\n')).toBe("Lex failure.\nline:1,col:18  mismatched character '😀' expecting '\\n'");
  });

  test('string prefixes are rejected instead of mangling the value', () => {
    expect(errorOf('p(u"x")')).toBe("Parse failure.\nline:1,col:3  no viable alternative at input '\"x\"'");
    expect(errorOf("p(r'x')")).toBe("Parse failure.\nline:1,col:3  no viable alternative at input \"'x'\"");
    expect(errorOf('p(b"x")')).toMatch(/^Parse failure\.\n/);
    expect(errorOf('p(x) :- q(U"x")')).toMatch(/^Parse failure\.\n/);
  });

  test('triple-quoted strings fail', () => {
    expect(errorOf('p("""a""")')).toBe("Lex failure.\nline:1,col:10  mismatched character '<EOF>' expecting '\"'");
    expect(errorOf("p('''a''')")).toBe("Lex failure.\nline:1,col:10  mismatched character '<EOF>' expecting \"'\"");
    expect(errorOf('"""x"""')).toBe("Parse failure.\nline:1,col:0  no viable alternative at input '\"\"\"x\"\"\"'");
  });

  test('strings end on their line; a backslash keeps the quote from closing', () => {
    expect(errorOf('p("a\nb")')).toBe(
      "Lex failure.\nline:1,col:4  mismatched character '\\n' expecting '\"'\nline:2,col:3  mismatched character '<EOF>' expecting '\"'",
    );
    expect(errorOf('p("a\\")')).toBe("Lex failure.\nline:1,col:7  mismatched character '<EOF>' expecting '\"'");
    expect(errorOf('"')).toBe("Lex failure.\nline:1,col:0  no viable alternative at character '\"'");
  });

  test('negation is not, NOT or !', () => {
    const negated = (t: string): Literal => literal(t, [v('x')], { negated: true });
    expect(one('p(x) :- not q(x), NOT r(x), !s(x)')).toEqual(rule([literal('p', [v('x')])], ['q', 'r', 's'].map(negated)));
    expect(one('p(x) :- !\ts(x), ! r(x),not\nq(x)')).toEqual(rule([literal('p', [v('x')])], ['s', 'r', 'q'].map(negated)));
  });
});

describe('grammar', () => {
  test('p and p() are the same zero-argument atom', () => {
    expect(lit('p')).toEqual(literal('p', []));
    expect(lit('p()')).toEqual(literal('p', []));
    expect(one('p :- q')).toEqual(rule([literal('p', [])], [literal('q', [])]));
    expect(one('alarm :- q(x)')).toEqual(rule([literal('alarm', [])], [literal('q', [v('x')])]));
  });

  test('a body may be the single table true', () => {
    expect(one('p(1) :- true')).toEqual(rule([literal('p', [c(1)])], [literal('true', [])]));
  });

  test('multiple heads and negated heads parse (the engine rejects them)', () => {
    expect(one('p(x), q(x) :- r(x)')).toEqual(rule([literal('p', [v('x')]), literal('q', [v('x')])], [literal('r', [v('x')])]));
    expect(one('not p(x) :- r(x)')).toEqual(rule([literal('p', [v('x')], { negated: true })], [literal('r', [v('x')])]));
  });

  test('a negated literal is not a statement', () => {
    expect(errorOf('not p(1)')).toBe("Parse failure.\nline:1,col:8  mismatched input '<EOF>' expecting COLONMINUS");
  });

  test('policy prefixes: the first piece is the policy, the rest the table', () => {
    expect(lit('a:b:c(1)')).toEqual(literal('b:c', [c(1)], { service: 'a' }));
    expect(lit('nova:servers(x)')).toEqual(literal('servers', [v('x')], { service: 'nova' }));
    expect(lit('builtin:lt(x, 3)')).toEqual(literal('lt', [v('x'), c(3)], { service: 'builtin' }));
  });

  test('a trailing sign belongs to the table name', () => {
    expect(lit('nova:p+(x)')).toEqual(literal('p+', [v('x')], { service: 'nova' }));
    expect(lit('p-(x)')).toEqual(literal('p-', [v('x')]));
    expect(lit('a:b:c-')).toEqual(literal('b:c-', [], { service: 'a' }));
    expect(errorOf('p+-(x)')).toBe("Parse failure.\nline:1,col:2  no viable alternative at input '-'");
  });

  test('modal atoms in heads, bodies and facts', () => {
    expect(one('execute[nova:servers.pause(x)] :- q(x)')).toEqual(
      rule([literal('servers.pause', [v('x')], { service: 'nova', modal: 'execute' })], [literal('q', [v('x')])]),
    );
    expect(one('insert[p(x)] :- q(x)')).toEqual(rule([literal('p', [v('x')], { modal: 'insert' })], [literal('q', [v('x')])]));
    expect(one('p(x) :- delete[q(x)], not execute[r(x)]')).toEqual(
      rule(
        [literal('p', [v('x')])],
        [literal('q', [v('x')], { modal: 'delete' }), literal('r', [v('x')], { modal: 'execute', negated: true })],
      ),
    );
    expect(lit('execute[p(1)]')).toEqual(literal('p', [c(1)], { modal: 'execute' }));
    expect(lit('insert[p(1)]')).toEqual(literal('p', [c(1)], { modal: 'insert' }));
  });

  test('events carry a rule and an optional target policy', () => {
    const r = rule([literal('p', [c(1)])], [literal('true', [])]);
    expect(one('insert[p(1) :- true]')).toEqual({ kind: 'event', insert: true, formula: r, target: null });
    expect(one('delete[p(x) :- q(x); "policy"]')).toEqual({
      kind: 'event',
      insert: false,
      formula: rule([literal('p', [v('x')])], [literal('q', [v('x')])]),
      target: 'policy',
    });
    expect(one("insert[p(1) :- true . 'pol']")).toEqual({ kind: 'event', insert: true, formula: r, target: 'pol' });
    // A dot right after an identifier belongs to the identifier.
    expect(errorOf("insert[p(1) :- true. 'pol']")).toBe(`Parse failure.\nline:1,col:21  extraneous input "'pol'" expecting RBRACKET`);
    expect(errorOf('insert[not p(1)]')).toBe("Parse failure.\nline:1,col:15  mismatched input ']' expecting COLONMINUS");
  });

  test('named parameters are sorted: numbers ascending, then names; positional ones first', () => {
    const l = lit('nova:servers(x, y, status="ACTIVE", 5=z, id=w, 3=u)');
    expect(l.args).toEqual([v('x'), v('y')]);
    expect(l.named).toEqual([
      { key: 3, term: v('u') },
      { key: 5, term: v('z') },
      { key: 'id', term: v('w') },
      { key: 'status', term: c('ACTIVE') },
    ]);
    expect(lit('q(10=a, 9=b, 00=c)').named.map((n) => n.key)).toEqual([0, 9, 10]);
    expect(lit('q(b=1, B=2, _=3, .z=4, a=5)').named.map((n) => n.key)).toEqual(['.z', 'B', '_', 'a', 'b']);
    expect(formatStatement(lit('nova:servers(x, y,id=z)'))).toBe('nova:servers(x, y,id=z)');
  });

  test('constants of every type, variables, and spacing do not matter', () => {
    expect(lit('p ( x , 1 , 2.5 , "s" )')).toEqual(literal('p', [v('x'), c(1), c(f(2.5)), c('s')]));
  });

  test('printing a parsed statement gives text that parses to the same statement', () => {
    for (const text of [
      'p(x) :- q(x, 1, 2.5, "s"), not r(x), nova:s+(x, y,id=z)',
      'execute[nova:pause(x)] :- q(x)',
      'delete[p(x) :- q(x); "pol"]',
      'f(1e+20, 0.0001, 1e-05, 1500.0)',
      'p() :- q()',
    ]) {
      const s = one(text);
      expect(one(formatStatement(s))).toEqual(s);
    }
  });
});

describe('parse errors', () => {
  test('missing and extra parentheses (conformance samples)', () => {
    const cases: [string, string][] = [
      ['p(x) :- q(x', "Parse failure.\nline:1,col:10  no viable alternative at input 'x'"],
      ['p(x :- q(x)', "Parse failure.\nline:1,col:4  no viable alternative at input ':-'"],
      ['p(x) :- q(x))', "Parse failure.\nline:1,col:12  extraneous input ')' expecting EOF"],
      ['p(x) :- ', "Parse failure.\nline:1,col:8  no viable alternative at input '<EOF>'"],
      [':- q(x)', "Parse failure.\nline:1,col:0  no viable alternative at input ':-'"],
      ['p(x) :- q(x),', "Parse failure.\nline:1,col:13  no viable alternative at input '<EOF>'"],
      [
        'p(x,) :- q(x)',
        "Parse failure.\nline:1,col:4  no viable alternative at input ')'\nline:1,col:4  no viable alternative at input ')'",
      ],
      ['p(,x) :- q(x)', "Parse failure.\nline:1,col:2  no viable alternative at input ','"],
      ['p((x)) :- q(x)', "Parse failure.\nline:1,col:2  no viable alternative at input '('"],
    ];
    for (const [text, message] of cases) expect(errorOf(text)).toBe(message);
    // Two statements are not an error for the parser (the API rejects them later).
    expect(parse('p(x) q(x)')).toHaveLength(2);
  });

  test('missing EOF after a complete statement', () => {
    expect(errorOf('p(x) :- q(x) :- r(x)')).toBe("Parse failure.\nline:1,col:13  missing EOF at ':-'");
  });

  test('lines count from 1 and columns from 0, in code points', () => {
    expect(errorOf('p(x) :- q(x)\n  :- r(x)\n')).toBe("Parse failure.\nline:2,col:2  missing EOF at ':-'");
    expect(errorOf('p("日本") :- q(x')).toBe("Parse failure.\nline:1,col:13  no viable alternative at input 'x'");
    expect(errorOf('p("😀") :- q(x')).toMatch(/^Lex failure\./);
    expect(errorOf('/* 日本 */\n\n  p(x :- q\n')).toBe("Parse failure.\nline:3,col:6  no viable alternative at input ':-'");
    expect(errorOf('p(x) :- q(x)\r\n  :- r(x)')).toBe("Parse failure.\nline:2,col:2  missing EOF at ':-'");
  });

  test('the list of errors is capped', () => {
    expect(errorOf('@'.repeat(5000)).split('\n')).toHaveLength(MAX_REPORTED_ERRORS + 1);
    expect(errorOf('p(,x) :- q(x) '.repeat(5)).split('\n')).toHaveLength(6);
    expect(errorOf('p(,x) :- q(x) '.repeat(5000)).split('\n')).toHaveLength(MAX_REPORTED_ERRORS + 1);
    // Column-reference errors are listed twice, so the message has twice the lines.
    expect(errorOf('q(a=1, a=2) '.repeat(5000)).split('\n')).toHaveLength(2 * MAX_REPORTED_ERRORS);
  });
});

describe('column references at parse time', () => {
  const doubled = (...errors: string[]): string => 'Compiler found errors:' + [...errors, ...errors].join('\n');

  test('the four errors of the original, each reported twice', () => {
    expect(errorOf('p(x) :- nova:servers(x, 1=z, y)')).toBe(
      doubled('Atom nova:servers(1=z) has a positional parameter after a reference parameter'),
    );
    expect(errorOf('p(x) :- nova:servers(id=x, status=x, id=y)')).toBe(
      doubled('In atom nova:servers(id=x,status=x,id=y) multiple values for column name id were provided'),
    );
    expect(errorOf('p(x) :- nova:servers(4=y, id=x, 4=z)')).toBe(
      doubled('In atom nova:servers(4=y,id=x,4=z) multiple values for column number 4 were provided.'),
    );
    expect(errorOf('p(x) :- nova:servers(x, y, 1=z)')).toBe(
      doubled('In atom nova:servers(1=z) column number 1 is already provided by position arguments.'),
    );
    expect(errorOf('p(x) :- nova:servers(x, 0=y)')).toBe(
      doubled('In atom nova:servers(0=y) column number 0 is already provided by position arguments.'),
    );
  });

  test('errors of a whole program are listed in order, then again', () => {
    expect(errorOf('p(x) :- q(x, 1=z, y, w), r(a=1, a=2)')).toBe(
      doubled(
        'Atom q(1=z) has a positional parameter after a reference parameter',
        'Atom q(1=z) has a positional parameter after a reference parameter',
        'In atom r(a=1,a=2) multiple values for column name a were provided',
      ),
    );
    expect(errorOf('p(1) q(x, a=1, y) r(b=1, b=2)')).toBe(
      doubled(
        'Atom q(a=1) has a positional parameter after a reference parameter',
        'In atom r(b=1,b=2) multiple values for column name b were provided',
      ),
    );
  });

  test('values show as written; column numbers by value', () => {
    expect(errorOf(`q(a='x', a="y", 2=1., 2=.5)`)).toBe(
      doubled(
        `In atom q(a='x',a="y",2=1.,2=.5) multiple values for column name a were provided`,
        `In atom q(a='x',a="y",2=1.,2=.5) multiple values for column number 2 were provided.`,
      ),
    );
    expect(errorOf('q(00=a, 0=b)')).toBe(doubled('In atom q(00=a,0=b) multiple values for column number 0 were provided.'));
  });

  test('a syntax error takes precedence over column-reference errors', () => {
    expect(errorOf('p(x) :- q(x, 1=z, y) r(')).toMatch(/^Parse failure\./);
  });

  test('an unsupported integer takes precedence too, unless never converted', () => {
    expect(errorOf('q(a=1, a=0x1)')).toBe("Parse failure.\nline:1,col:9  invalid literal for int() with base 10: '0x1'");
    // A positional parameter after a named one is never converted by the original.
    expect(errorOf('q(a=1, 0x1)')).toBe(doubled('Atom q(a=1) has a positional parameter after a reference parameter'));
  });
});

describe('isValidPolicyName', () => {
  test('identifiers, dotted and even colon-separated names are valid', () => {
    for (const name of ['alpha', 'nova', 'a.b', '_x', 'a:b', 'classification', 'NOTx']) expect(isValidPolicyName(name)).toBe(true);
  });

  test('other names are not', () => {
    for (const name of ['builtin', '', 'invalid-table-name', 'a b', '1abc', 'not', 'execute', 'p(x)', 'é', '"s"']) {
      expect(isValidPolicyName(name)).toBe(false);
    }
  });
});

describe('robustness', () => {
  const quickly = (text: string, ms: number): Statement[] | PolicyError => {
    const t0 = Date.now();
    let result: Statement[] | PolicyError;
    try {
      result = parse(text);
    } catch (e) {
      if (!(e instanceof PolicyError)) throw e;
      result = e;
    }
    expect(Date.now() - t0).toBeLessThan(ms);
    return result;
  };

  test('a 10 MB program of many rules parses in well under a few seconds', () => {
    const parts: string[] = [];
    let size = 0;
    for (let k = 0; size < 10e6; k++) {
      const r = `error(vm${k % 1000}, "x") :- nova:servers(id=vm${k % 1000}, status="ERROR"), ports(vm${k % 1000}, p, 1.5), not ok(p).\n`;
      parts.push(r);
      size += r.length;
    }
    expect(quickly(parts.join(''), 4000)).toHaveLength(parts.length);
  });

  test('very long rules and atoms parse', () => {
    const body = Array.from({ length: 10000 }, (_, i) => `q${i}(x, ${i})`).join(', ');
    const [r] = quickly(`p(x) :- ${body}`, 2000) as Statement[];
    expect(r.kind === 'rule' && r.body).toHaveLength(10000);
    const args = Array.from({ length: 100000 }, (_, i) => `x${i}`).join(', ');
    const [a] = quickly(`p(${args})`, 2000) as Statement[];
    expect(a.kind === 'literal' && a.args).toHaveLength(100000);
    const named = Array.from({ length: 100000 }, (_, i) => `c${i}=${i}`).join(', ');
    const [n] = quickly(`p(${named})`, 3000) as Statement[];
    expect(n.kind === 'literal' && n.named).toHaveLength(100000);
  });

  test('pathological garbage gives a PolicyError quickly', () => {
    let noise = '';
    for (let i = 0; i < 200000; i++) noise += String.fromCharCode((i * 7919) % 256);
    const inputs = [
      '('.repeat(1e6),
      'p('.repeat(3e5),
      'execute[p('.repeat(1e5),
      'insert['.repeat(1e5),
      'a:'.repeat(1e5) + 'a)',
      'x,'.repeat(3e5),
      'not '.repeat(3e5),
      'p(' + 'a=b,'.repeat(1e5),
      noise,
      '"',
      '" '.repeat(1e5),
      "'".repeat(1e5 + 1),
      'p("' + 'a'.repeat(1e6),
      '/*' + '*'.repeat(1e6),
      '\uD83D'.repeat(1e5),
      '\uDE00\uD83D'.repeat(1e5),
    ];
    for (const text of inputs) expect(quickly(text, 3000)).toBeInstanceOf(PolicyError);
  });
});

/** Inputs and the exact messages the original reported for them. */
const OBSERVED: [string, string][] = [
  ["p(x) :- q(x) // no newline", "Lex failure.\nline:1,col:26  mismatched character '<EOF>' expecting '\\n'"],
  ["r(x) :- q(x) # also none", "Lex failure.\nline:1,col:24  mismatched character '<EOF>' expecting '\\n'"],
  ["p(007)", "Lex failure.\nline:1,col:5  no viable alternative at character ')'\nline:1,col:5  no viable alternative at character ')'"],
  ["p(1e)", "Lex failure.\nline:1,col:4  required (...)+ loop did not match anything at character ')'"],
  ["p(1e+)", "Lex failure.\nline:1,col:5  required (...)+ loop did not match anything at character ')'"],
  ["p(1ex)", "Lex failure.\nline:1,col:4  required (...)+ loop did not match anything at character 'x'"],
  ["p(0x)", "Lex failure.\nline:1,col:4  required (...)+ loop did not match anything at character ')'"],
  ["p(0o8)", "Lex failure.\nline:1,col:4  required (...)+ loop did not match anything at character '8'"],
  ["p(0b2)", "Lex failure.\nline:1,col:4  required (...)+ loop did not match anything at character '2'"],
  ["p(@)", "Lex failure.\nline:1,col:2  no viable alternative at character '@'"],
  ["p(x)/q", "Lex failure.\nline:1,col:4  no viable alternative at character '/'"],
  ["/* \ud83d\ude00 */ p(x", "Lex failure.\nline:1,col:3  mismatched character '\ud83d\ude00' expecting '*'\nline:1,col:5  no viable alternative at character '*'\nline:1,col:6  no viable alternative at character '/'"],
  ["p(\"\ud83d\ude00\")", "Lex failure.\nline:1,col:2  no viable alternative at character '\"'\nline:1,col:3  no viable alternative at character '\ud83d\ude00'\nline:1,col:6  mismatched character '<EOF>' expecting '\"'"],
  ["p(\"abc)", "Lex failure.\nline:1,col:7  mismatched character '<EOF>' expecting '\"'"],
  ["p(\"\"\"a\"\"\")", "Lex failure.\nline:1,col:10  mismatched character '<EOF>' expecting '\"'"],
  ["p('''a''')", "Lex failure.\nline:1,col:10  mismatched character '<EOF>' expecting \"'\""],
  ["p(x) :- q(x) /* unterminated", "Lex failure.\nline:1,col:28  mismatched character '<EOF>' expecting '*'"],
  ["p(\u00e9)", "Lex failure.\nline:1,col:2  no viable alternative at character '\u00e9'"],
  ["p(x) :- q(x", "Parse failure.\nline:1,col:10  no viable alternative at input 'x'"],
  ["p(x :- q(x)", "Parse failure.\nline:1,col:4  no viable alternative at input ':-'"],
  ["p(x) :- q(x))", "Parse failure.\nline:1,col:12  extraneous input ')' expecting EOF"],
  ["p(x) :- ", "Parse failure.\nline:1,col:8  no viable alternative at input '<EOF>'"],
  [":- q(x)", "Parse failure.\nline:1,col:0  no viable alternative at input ':-'"],
  ["p(x) :- q(x),", "Parse failure.\nline:1,col:13  no viable alternative at input '<EOF>'"],
  ["p(x,) :- q(x)", "Parse failure.\nline:1,col:4  no viable alternative at input ')'\nline:1,col:4  no viable alternative at input ')'"],
  ["p(,x) :- q(x)", "Parse failure.\nline:1,col:2  no viable alternative at input ','"],
  ["p((x)) :- q(x)", "Parse failure.\nline:1,col:2  no viable alternative at input '('"],
  ["p(execute)", "Parse failure.\nline:1,col:2  no viable alternative at input 'execute'"],
  ["p(x) :- insert(x)", "Parse failure.\nline:1,col:14  mismatched input '(' expecting LBRACKET"],
  ["not(x)", "Parse failure.\nline:1,col:3  no viable alternative at input '('\nline:1,col:5  extraneous input ')' expecting EOF"],
  ["p(not)", "Parse failure.\nline:1,col:2  no viable alternative at input 'not'\nline:1,col:5  no viable alternative at input ')'"],
  ["delete(1)", "Parse failure.\nline:1,col:6  no viable alternative at input '('"],
  ["p(x) :- q(x), NOT(x)", "Parse failure.\nline:1,col:17  no viable alternative at input '('"],
  ["execute(1)", "Parse failure.\nline:1,col:7  no viable alternative at input '('"],
  ["p(x", "Parse failure.\nline:1,col:3  no viable alternative at input '<EOF>'"],
  ["p(1.5.x)", "Parse failure.\nline:1,col:5  no viable alternative at input '.x'"],
  ["p(1..2)", "Parse failure.\nline:1,col:4  no viable alternative at input '.2'"],
  ["p(00x1)", "Parse failure.\nline:1,col:4  no viable alternative at input 'x1'"],
  ["p(-1)", "Parse failure.\nline:1,col:2  no viable alternative at input '-'"],
  ["p(x=y=z)", "Parse failure.\nline:1,col:5  no viable alternative at input '='"],
  ["p(x=)", "Parse failure.\nline:1,col:4  no viable alternative at input ')'"],
  ["insert[not p(1)]", "Parse failure.\nline:1,col:15  mismatched input ']' expecting COLONMINUS"],
  ["insert[p(1) :- q(1); pol]", "Parse failure.\nline:1,col:21  mismatched input 'pol' expecting STRING"],
  ["insert[p(1) :- q(1) \"pol\"]", "Parse failure.\nline:1,col:20  extraneous input '\"pol\"' expecting RBRACKET"],
  ["insert[p(1) :- q(1)", "Parse failure.\nline:1,col:19  mismatched input '<EOF>' expecting RBRACKET"],
  ["execute[p(x) :- q(x)]", "Parse failure.\nline:1,col:13  no viable alternative at input ':-'\nline:1,col:20  extraneous input ']' expecting EOF"],
  ["p(x) :- execute[q(x)", "Parse failure.\nline:1,col:20  mismatched input '<EOF>' expecting RBRACKET"],
  ["p(x) :- q(x) :- r(x)", "Parse failure.\nline:1,col:13  missing EOF at ':-'"],
  ["nova:(x)", "Parse failure.\nline:1,col:5  no viable alternative at input '('"],
  ["p+-(x)", "Parse failure.\nline:1,col:2  no viable alternative at input '-'"],
  ["p(x) :- q:(x)", "Parse failure.\nline:1,col:10  extraneous input '(' expecting ID"],
  [":", "Parse failure.\nline:1,col:0  no viable alternative at input ':'"],
  ["]", "Parse failure.\nline:1,col:0  no viable alternative at input ']'"],
  ["\"x\"", "Parse failure.\nline:1,col:0  no viable alternative at input '\"x\"'"],
  ["p(x) q(x) :- ", "Parse failure.\nline:1,col:13  no viable alternative at input '<EOF>'"],
  ["p(x) :- q(x) ; ; r(x)", "Parse failure.\nline:1,col:15  missing EOF at ';'"],
  ["p(x), :- q(x)", "Parse failure.\nline:1,col:6  no viable alternative at input ':-'"],
  ["p(x) :- not not q(x)", "Parse failure.\nline:1,col:12  no viable alternative at input 'not'\nline:1,col:20  mismatched input '<EOF>' expecting COLONMINUS"],
  ["p(1) 2", "Parse failure.\nline:1,col:5  no viable alternative at input '2'"],
  ["p(x)) :- q(x)", "Parse failure.\nline:1,col:4  no viable alternative at input ')'"],
  ["p(x) :- q(x]", "Parse failure.\nline:1,col:10  no viable alternative at input 'x'"],
  ["p[x]", "Parse failure.\nline:1,col:1  no viable alternative at input '['"],
  ["execute[p(x)", "Parse failure.\nline:1,col:12  no viable alternative at input '<EOF>'"],
  ["execute[]", "Parse failure.\nline:1,col:8  no viable alternative at input ']'"],
  ["insert[]", "Parse failure.\nline:1,col:7  no viable alternative at input ']'"],
  ["p(x) :- q(x); \"a\"", "Parse failure.\nline:1,col:14  extraneous input '\"a\"' expecting EOF"],
  ["p(x) :-", "Parse failure.\nline:1,col:7  no viable alternative at input '<EOF>'"],
  ["  q(x,", "Parse failure.\nline:1,col:6  no viable alternative at input '<EOF>'\nline:1,col:6  no viable alternative at input '<EOF>'"],
  ["p(x) # c\rx", "Lex failure.\nline:1,col:9  mismatched character 'x' expecting '\\n'"],
  ["\f", "Lex failure.\nline:1,col:0  no viable alternative at character '\\x0c'"],
  ["p(\"a\\\\", "Lex failure.\nline:1,col:6  mismatched character '<EOF>' expecting '\"'"],
  ["p(x) :- q(x)\n  :- r(x)\n", "Parse failure.\nline:2,col:2  missing EOF at ':-'"],
  ["\n\n  p(x :- q\n", "Parse failure.\nline:3,col:6  no viable alternative at input ':-'"],
  ["p(\"a\" \"b\")", "Parse failure.\nline:1,col:6  no viable alternative at input '\"b\"'"],
  ["p(\"a\nb\")", "Lex failure.\nline:1,col:4  mismatched character '\\n' expecting '\"'\nline:2,col:3  mismatched character '<EOF>' expecting '\"'"],
  ["p(x) :- q(x),\n  r(x\n", "Parse failure.\nline:2,col:4  no viable alternative at input 'x'"],
  ["p(x) :- q(x)\r\n  :- r(x)", "Parse failure.\nline:2,col:2  missing EOF at ':-'"],
  ["name\n(\nnot status =\n_ , _)", "Parse failure.\nline:3,col:0  no viable alternative at input 'not'\nline:3,col:11  mismatched input '=' expecting COLONMINUS\nline:4,col:5  mismatched input ')' expecting COLONMINUS"],
  ["66EX*qoq\n#E\u65e52)2", "Lex failure.\nline:1,col:3  required (...)+ loop did not match anything at character 'X'\nline:1,col:4  no viable alternative at character '*'\nline:2,col:6  mismatched character '<EOF>' expecting '\\n'"],
  ["0\ud83d\ude005$x=bo", "Lex failure.\nline:1,col:1  no viable alternative at character '\ud83d\ude00'\nline:1,col:3  no viable alternative at character '$'"],
  ["a:status\t,\"\\\\\" )\n;\n;", "Parse failure.\nline:1,col:10  no viable alternative at input '\"\\\\\\\\\"'\nline:3,col:0  extraneous input ';' expecting EOF"],
  ["p+\u00e9x) :-b#c-(x)", "Lex failure.\nline:1,col:2  no viable alternative at character '\u00e9'\nline:1,col:15  mismatched character '<EOF>' expecting '\\n'"],
  ["\\.\\XE\\b", "Lex failure.\nline:1,col:0  no viable alternative at character '\\\\'\nline:1,col:2  no viable alternative at character '\\\\'\nline:1,col:5  no viable alternative at character '\\\\'"],
  ["qox, 1=y, name=z)( x(0, 00, 1e5! .5e3)", "Parse failure.\nline:1,col:5  no viable alternative at input '1'\nline:1,col:14  missing EOF at '='"],
  ["nova( /* c */ x1 /* c */ .; , name\t)", "Parse failure.\nline:1,col:25  no viable alternative at input '.'\nline:1,col:26  missing EOF at ';'"],
  ["x'0)yo(p$]\nqxn\f=y,#", "Lex failure.\nline:1,col:10  mismatched character '\\n' expecting \"'\"\nline:2,col:3  no viable alternative at character '\\x0c'\nline:2,col:8  mismatched character '<EOF>' expecting '\\n'"],
  ["ine[p(1) :- q(1)5", "Parse failure.\nline:1,col:3  no viable alternative at input '['\nline:1,col:16  extraneous input '5' expecting EOF"],
  ["p(x) :-insert q(x, _)", "Parse failure.\nline:1,col:14  missing LBRACKET at 'q'\nline:1,col:21  mismatched input '<EOF>' expecting RBRACKET"],
  ["\u65e50e\u65e5n\ud83d\ude000", "Lex failure.\nline:1,col:0  no viable alternative at character '\u65e5'\nline:1,col:3  required (...)+ loop did not match anything at character '\u65e5'\nline:1,col:3  no viable alternative at character '\u65e5'\nline:1,col:5  no viable alternative at character '\ud83d\ude00'"],
  ["a:x /* c */ ( /* c */ 1 execute,z, id\t=_ // end\n", "Parse failure.\nline:1,col:24  no viable alternative at input 'execute'\nline:1,col:38  mismatched input '=' expecting COLONMINUS"],
  ["p(x) ]:- q(x), !r(x), NOT s(x# c\n) p(1)", "Parse failure.\nline:1,col:5  no viable alternative at input ']'\nline:2,col:2  missing COLONMINUS at 'p'"],
  ["delete[p(x) :-execute q(x); \"pol\"]", "Parse failure.\nline:1,col:22  missing LBRACKET at 'q'\nline:1,col:26  missing RBRACKET at ';'"],
  ["-49e;\"49q:x=\\\u00e9\nee_", "Lex failure.\nline:1,col:4  required (...)+ loop did not match anything at character ';'\nline:1,col:14  mismatched character '\\n' expecting '\"'"],
  ["p(\"x\") :- q('y')delete q(x, r11=y,x name=z)", "Parse failure.\nline:1,col:23  no viable alternative at input 'q'\nline:1,col:31  mismatched input '=' expecting COLONMINUS\nline:1,col:36  missing COLONMINUS at 'name'\nline:1,col:40  missing EOF at '='"],
  ["-09q:5e(2\r'\"+", "Lex failure.\nline:1,col:3  no viable alternative at character 'q'\nline:1,col:7  required (...)+ loop did not match anything at character '('\nline:1,col:13  mismatched character '<EOF>' expecting \"'\""],
  ["not  r1 EXEC0x1F NOT)_y 2.5e-3[ ", "Parse failure.\nline:1,col:8  missing COLONMINUS at 'EXEC0x1F'\nline:1,col:20  no viable alternative at input ')'\nline:1,col:24  missing EOF at '2.5e-3'"],
  ["px, y) :- 6(x), not r(y), s(y) q(\"a\", 2.5)", "Parse failure.\nline:1,col:5  extraneous input ')' expecting COLONMINUS\nline:1,col:31  missing COLONMINUS at 'q'"],
  ["q(x,x1=y, nam:=z)", "Parse failure.\nline:1,col:13  no viable alternative at input ':'\nline:1,col:6  mismatched input '=' expecting COLONMINUS\nline:1,col:14  extraneous input '=' expecting ID"],
  ["status ( .q,\n1e3 , \"s\"\t=\n, id x /* c */ )", "Parse failure.\nline:2,col:10  no viable alternative at input '='\nline:2,col:0  no viable alternative at input '1e3'\nline:2,col:6  no viable alternative at input '\"s\"'\nline:3,col:5  missing COLONMINUS at 'x'\nline:3,col:15  extraneous input ')' expecting EOF"],
  ["delete[p(x) :- q); \"pol\"] p+(x) ]- a:b:c-(x)", "Parse failure.\nline:1,col:16  mismatched input ')' expecting RBRACKET\nline:1,col:19  missing EOF at '\"pol\"'"],
  ["insert\nx\nid\ny\nx\n.5\na.b\n,\na.b\nexecute\n,", "Parse failure.\nline:2,col:0  no viable alternative at input 'x'\nline:6,col:0  no viable alternative at input '.5'\nline:10,col:0  missing COLONMINUS at 'execute'\nline:11,col:0  mismatched input ',' expecting LBRACKET\nline:11,col:1  no viable alternative at input '<EOF>'"],
  ["]79\f9\u65e57exe", "Lex failure.\nline:1,col:3  no viable alternative at character '\\x0c'\nline:1,col:5  no viable alternative at character '\u65e5'\nline:1,col:8  required (...)+ loop did not match anything at character 'x'"],
  ["p(x) :-x), !rex), NOT s(x) p(0x\") :- q('y')", "Lex failure.\nline:1,col:31  required (...)+ loop did not match anything at character '\"'\nline:1,col:43  mismatched character '<EOF>' expecting '\"'"],
  ["'4\\\r\r'/_\u65e5E10bE9_", "Lex failure.\nline:1,col:4  mismatched character '\\r' expecting \"'\"\nline:1,col:16  mismatched character '<EOF>' expecting \"'\""],
  ["id( 1=\ty\n,status\n= /* c */ ; , 7\t, id\n,3\t=00.5\n)\t't'", "Parse failure.\nline:3,col:10  no viable alternative at input ';'\nline:3,col:0  mismatched input '=' expecting COLONMINUS\nline:3,col:12  missing EOF at ','"],
  ["!Xx5\r3x;]", "Parse failure.\nline:1,col:5  mismatched input '3' expecting COLONMINUS\nline:1,col:8  extraneous input ']' expecting EOF"],
  ["#\rXq-0]\"\\0$)_", "Lex failure.\nline:1,col:2  mismatched character 'X' expecting '\\n'\nline:1,col:13  mismatched character '<EOF>' expecting '\"'"],
  ["a.b\t( 42 name) not /* c */ z\n( )\tx id\t.", "Parse failure.\nline:1,col:9  no viable alternative at input 'name'\nline:2,col:4  missing COLONMINUS at 'x'"],
  ["p(x, y) (:- q(x), not r(y), s(y)insert", "Parse failure.\nline:1,col:8  no viable alternative at input '('\nline:1,col:6  mismatched input ')' expecting COLONMINUS\nline:1,col:32  missing COLONMINUS at 'insert'\nline:1,col:38  mismatched input '<EOF>' expecting LBRACKET"],
  ["NOT1 , p; =; ( 1.5", "Parse failure.\nline:1,col:8  mismatched input ';' expecting COLONMINUS\nline:1,col:10  missing EOF at '='"],
  ["insert - [a.b\t(\t( name=\na.b,\tNOTx\t) /* c */ ] /* c */ . =", "Parse failure.\nline:1,col:7  no viable alternative at input '-'\nline:2,col:10  mismatched input ')' expecting COLONMINUS\nline:2,col:32  extraneous input '=' expecting EOF"],
  ["p(x, y) : q, not (y), s(y)", "Parse failure.\nline:1,col:8  no viable alternative at input ':'\nline:1,col:6  mismatched input ')' expecting COLONMINUS\nline:1,col:17  no viable alternative at input '('\nline:1,col:19  missing EOF at ')'"],
  ["p(\"x\") :! q(';y') x(0, 00, 1e5, .;5e3)", "Parse failure.\nline:1,col:7  no viable alternative at input ':'\nline:1,col:18  missing COLONMINUS at 'x'\nline:1,col:32  no viable alternative at input '.'\nline:1,col:33  missing EOF at ';'"],
  ["! \"\\\"\" . NOT - // c\n delete x", "Parse failure.\nline:1,col:2  no viable alternative at input '\"\\\\\"\"'\nline:1,col:13  no viable alternative at input '-'\nline:2,col:8  missing LBRACKET at 'x'\nline:2,col:9  mismatched input '<EOF>' expecting RBRACKET"],
  ["p+(x) :- a::b:cx)", "Parse failure.\nline:1,col:11  extraneous input ':' expecting ID\nline:1,col:16  extraneous input ')' expecting EOF"],
  ["not\n// c\n\nEXEC\nq\n)\n1e3\nservers\n.\n.\n+", "Parse failure.\nline:5,col:0  missing COLONMINUS at 'q'\nline:6,col:0  missing EOF at ')'"],
  ["not\nservers\nx\n1e3\n't'\n:\nNOT\nq", "Parse failure.\nline:3,col:0  missing COLONMINUS at 'x'\nline:4,col:0  missing EOF at '1e3'"],
  ["er(x) :- novab:servers(id=x), lt(, 3).", "Parse failure.\nline:1,col:33  missing RPAREN at ','\nline:1,col:35  no viable alternative at input '3'"],
  ["p(x, y) :(x), not r(, s(y) p(x) :- q(x)", "Parse failure.\nline:1,col:8  no viable alternative at input ':'\nline:1,col:6  mismatched input ')' expecting COLONMINUS\nline:1,col:20  missing RPAREN at ','\nline:1,col:27  missing COLONMINUS at 'p'\nline:1,col:32  missing EOF at ':-'"],
  ["p(x) :- 2(x, inse t_)", "Parse failure.\nline:1,col:8  no viable alternative at input '2'\nline:1,col:18  missing COLONMINUS at 't_'\nline:1,col:20  extraneous input ')' expecting EOF"],
  ["p(x) E- q(x), x), NOT s(x)o", "Parse failure.\nline:1,col:15  mismatched input ')' expecting COLONMINUS\nline:1,col:26  missing COLONMINUS at 'o'"],
  ["!(0x1F delete EXEC:- . y ] # c\n )", "Parse failure.\nline:1,col:1  no viable alternative at input '('\nline:1,col:14  missing LBRACKET at 'EXEC'\nline:1,col:18  mismatched input ':-' expecting RBRACKET\nline:1,col:25  no viable alternative at input ']'"],
  ["a.b.5.5,execute[r11.5# c\n+_1.5122.5e-3", "Parse failure.\nline:2,col:1  mismatched input '_1.5122.5e' expecting RBRACKET\nline:2,col:12  extraneous input '3' expecting EOF"],
  ["x ; neutron:nova+ ( /* c */ )\n,\tx\n( ,0\t= 00, \"ab\"\"cd\") ;", "Parse failure.\nline:3,col:2  missing RPAREN at ','\nline:3,col:3  no viable alternative at input '0'\nline:3,col:11  no viable alternative at input '\"ab\"\"cd\"'"],
  ["x(0, 00, 1_5, .5e3) q(;\"a\", 2.5)", "Parse failure.\nline:1,col:10  no viable alternative at input '_5'\nline:1,col:14  no viable alternative at input '.5e3'\nline:1,col:22  missing RPAREN at ';'\nline:1,col:23  missing EOF at '\"a\"'"],
  ["p, y\"\\\"\") :- q(x), not r(y), s(y)", "Parse failure.\nline:1,col:4  mismatched input '\"\\\\\"\"' expecting COLONMINUS\nline:1,col:33  mismatched input '<EOF>' expecting COLONMINUS"],
  ["p+(x) :- a:b:(1e3x)", "Parse failure.\nline:1,col:13  missing ID at '('\nline:1,col:17  extraneous input 'x' expecting RPAREN"],
  ["p+(x) :- a:b:c-(x) del[p(x) :- q(; \"/ol\"]", "Parse failure.\nline:1,col:22  no viable alternative at input '['\nline:1,col:33  missing RPAREN at ';'\nline:1,col:35  missing EOF at '\"/ol\"'"],
  ["not\nname\t(\t.5 ) y (\n2 =\np ,status= y y /* c */ )", "Parse failure.\nline:2,col:12  missing COLONMINUS at 'y'\nline:4,col:13  extraneous input 'y' expecting RPAREN"],
  ["p(x, y) :- q(x not r(y), s(y) q(, 2.5)", "Parse failure.\nline:1,col:13  no viable alternative at input 'x'\nline:1,col:30  missing COLONMINUS at 'q'\nline:1,col:32  missing RPAREN at ','\nline:1,col:34  no viable alternative at input '2.5'"],
  ["p(x) :- q(), !r( NOT s(x)", "Parse failure.\nline:1,col:17  missing RPAREN at 'NOT'\nline:1,col:25  mismatched input '<EOF>' expecting COLONMINUS"],
  ["not  delete  _  -  :-  :-  NOT", "Parse failure.\nline:1,col:13  missing LBRACKET at '_'\nline:1,col:19  missing RBRACKET at ':-'\nline:1,col:23  no viable alternative at input ':-'\nline:1,col:30  no viable alternative at input '<EOF>'"],
  ["p(1) delete[p(x) :- q xx); \"po#\"]", "Parse failure.\nline:1,col:22  missing RBRACKET at 'xx'\nline:1,col:27  missing EOF at '\"po#\"'"],
  ["p(x) :- q(x,  p(x) :- q(x), !r( NOT s(x)", "Parse failure.\nline:1,col:14  no viable alternative at input 'p'\nline:1,col:32  missing RPAREN at 'NOT'\nline:1,col:40  mismatched input '<EOF>' expecting COLONMINUS"],
  ["p(x, y[ :- q(x), not rby), s(y)", "Parse failure.\nline:1,col:6  no viable alternative at input '['\nline:1,col:6  extraneous input '[' expecting COLONMINUS\nline:1,col:24  missing EOF at ')'"],
  ["p(x) :- q(x), !r(, NOT s) p :- q", "Parse failure.\nline:1,col:17  missing RPAREN at ','\nline:1,col:24  missing EOF at ')'"],
  ["p(x) :- q(\r, _)", "Parse failure.\nline:1,col:11  missing RPAREN at ','\nline:1,col:14  extraneous input ')' expecting EOF"],
  ["p+(x) :- a:b:.-(x) p(x) :- q(x, _)", "Parse failure.\nline:1,col:13  missing ID at '.'\nline:1,col:14  missing EOF at '-'"],
  ["delete [ /* c */ insert neutron:p+", "Parse failure.\nline:1,col:24  missing LBRACKET at 'neutron'\nline:1,col:34  mismatched input '<EOF>' expecting RBRACKET"],
  ["pnx, y) :- q(x), not r(y),y) p(x) :- q(x, _)", "Parse failure.\nline:1,col:6  extraneous input ')' expecting COLONMINUS\nline:1,col:27  missing EOF at ')'"],
  ["! execute x (\t):-neutron:x:z( ) ; // end\n", "Parse failure.\nline:1,col:10  missing LBRACKET at 'x'\nline:1,col:15  missing RBRACKET at ':-'"],
  ["p(x) :- q(x), !r(,x), NOT s(x) p(x) :- q(x)", "Parse failure.\nline:1,col:17  missing RPAREN at ','\nline:1,col:19  missing EOF at ')'"],
  ["neutron:x\tdelete\t[ nova:id\t:-\ta:p:z\n()\nNOT q /* c */ q\n]", "Parse failure.\nline:3,col:0  missing RBRACKET at 'NOT'\nline:3,col:14  missing COLONMINUS at 'q'\nline:4,col:0  extraneous input ']' expecting EOF"],
  ["NOT  x  insert  EXEC  x  insert  notable", "Parse failure.\nline:1,col:8  missing COLONMINUS at 'insert'\nline:1,col:16  missing LBRACKET at 'EXEC'\nline:1,col:22  missing RBRACKET at 'x'\nline:1,col:33  no viable alternative at input 'notable'"],
  ["p7(x) :- a:\r:c-(x) 3 :- q", "Parse failure.\nline:1,col:12  extraneous input ':' expecting ID\nline:1,col:19  missing EOF at '3'"],
  ["n(], 1=y,execute name=z)", "Parse failure.\nline:1,col:2  no viable alternative at input ']'\nline:1,col:17  missing LBRACKET at 'name'\nline:1,col:21  mismatched input '=' expecting RBRACKET\nline:1,col:23  extraneous input ')' expecting EOF"],
  ["x\n,\ndelete\nnotable\n;\n// c\n\n;\n(\n=", "Parse failure.\nline:4,col:0  missing LBRACKET at 'notable'\nline:5,col:0  mismatched input ';' expecting RBRACKET\nline:9,col:0  missing EOF at '('"],
  ["p(x) :- q(, _)", "Parse failure.\nline:1,col:10  missing RPAREN at ','\nline:1,col:13  extraneous input ')' expecting EOF"],
  ["p+(x) :-9a:b:c-(x)! insert[p(1) :- q(1", "Parse failure.\nline:1,col:8  no viable alternative at input '9'\nline:1,col:32  missing RBRACKET at ':-'\nline:1,col:37  no viable alternative at input '1'"],
  ["NOT ) execute servers] ", "Parse failure.\nline:1,col:4  no viable alternative at input ')'\nline:1,col:14  missing LBRACKET at 'servers'"],
  ["!  y  (  delete  00  0  /* c */", "Parse failure.\nline:1,col:9  mismatched input 'delete' expecting RPAREN\nline:1,col:17  mismatched input '00' expecting LBRACKET"],
  ["NOT\na.b\ndelete", "Parse failure.\nline:3,col:0  missing COLONMINUS at 'delete'\nline:3,col:6  mismatched input '<EOF>' expecting LBRACKET"],
  ["p(x:- q(, _)", "Parse failure.\nline:1,col:3  no viable alternative at input ':-'\nline:1,col:8  missing RPAREN at ','\nline:1,col:11  extraneous input ')' expecting EOF"],
  ["x (0 =\t2.5e-3)\t:- /* c */ servers ( 3 = 1e3 /* c */ not, p)", "Parse failure.\nline:1,col:52  missing RPAREN at 'not'\nline:1,col:55  no viable alternative at input ','\nline:1,col:58  mismatched input ')' expecting COLONMINUS"],
  ["a.b( /* c */ 7 ,\t3 =\nx1, /* c */ execute\nx = /* c */ name )", "Parse failure.\nline:2,col:12  no viable alternative at input 'execute'\nline:3,col:0  missing LBRACKET at 'x'\nline:3,col:2  mismatched input '=' expecting RBRACKET\nline:3,col:17  extraneous input ')' expecting EOF"],
  ["NOT\n0o7\nservers\n:\n,", "Parse failure.\nline:2,col:0  no viable alternative at input '0o7'\nline:5,col:0  missing ID at ','\nline:5,col:1  no viable alternative at input '<EOF>'"],
  ["_:q z , /* c */ name\ndelete ,y\t)", "Parse failure.\nline:2,col:0  missing COLONMINUS at 'delete'\nline:2,col:7  mismatched input ',' expecting LBRACKET\nline:2,col:10  extraneous input ')' expecting EOF"],
];

describe('as the original reports it', () => {
  test.each(OBSERVED)('%j', (text, message) => {
    expect(errorOf(text)).toBe(message);
  });
});

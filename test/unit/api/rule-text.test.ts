/**
 * The pretty rule text of creation answers (api.md §5.1, D14). The expected texts after the first
 * block are the original's answers (recorded on the original server, 2026-12-08): its printer's
 * output is kept wherever it keeps every character, odd as it is.
 */
import { prettyRuleText } from '../../../src/api';

test.each([
  ['q(1)', 'q(1)'],
  ['  q(1)  ', 'q(1)'],
  ['p(x) :- q(x), lt(x, 2)', 'p(x) :-\n  q(x),\n  lt(x, 2)'],
  ['w(x) :-\n    q(x),\n    not p(x)', 'w(x) :-\n  q(x),\n  not p(x)'],
  ['zz :- q(1)', 'zz :-\n  q(1)'],
  ['xx(x) :- q(x), not zz', 'xx(x) :-\n  q(x),\n  not zz'],
  ['down_host(h) :- doc:events(hostname=h, status="down")', 'down_host(h) :-\n  doc:events(hostname=h, status="down")'],
  ['execute[nova:servers.pause(x)] :- q(x)', 'execute[nova:servers.pause(x)] :-\n  q(x)'],
  // The original's answers.
  ['p(x) :- f(x) ,f(x)', 'p(x) :-\n  f(x),\n  ,f(x)'],
  ['p1(x) :- q( x ), r(x)', 'p1(x) :-\n  q( x),\n  r(x)'],
  ['s(x) :- t(x, "a), b"), u(x)', 's(x) :-\n  t(x, "a),\n  b"),\n  u(x)'],
  ['p2(x) :-\n q(x),\n not\n r(x)', 'p2(x) :-\n  q(x),\n  notr(x)'],
  ['p3(x):-q(x)', 'p3(x) :-\n  q(x)'],
  ['p5(x)\n:-\nq(x)', 'p5(x) :-\n  q(x)'],
  ['p7(x) :- q(x) , not r(x) ,s(x)', 'p7(x) :-\n  q(x),\n  , not r(x),\n  ,s(x)'],
  ['p8( x ) :- q(x)', 'p8( x ) :-\n  q(x)'],
  ['f1( 1 )', 'f1( 1 )'],
  ['p10(x) :- q(x), equal(x, ")")', 'p10(x) :-\n  q(x),\n  equal(x, "),\n  ")'],
  // A literal without parentheses is only dropped at the end (D14, the first block); inside, the
  // original keeps it on the next literal's line.
  ['xx(x) :- q(x), not zz, r(x)', 'xx(x) :-\n  q(x),\n  not zz, r(x)'],
  // The original fails on an empty piece between two `)` (IndexError, a 500): split at commas.
  ['p(x) :- q(x, "))")', 'p(x) :-\n  q(x, "))")'],
])('%j', (text, pretty) => {
  expect(prettyRuleText(text)).toBe(pretty);
});

/** The pretty rule text of creation answers (api.md §5.1, D14). */
import { prettyRuleText } from '../../../src/api';

test.each([
  ['q(1)', 'q(1)'],
  ['  q(1)  ', 'q(1)'],
  ['p(x) :- q(x), lt(x, 2)', 'p(x) :-\n  q(x),\n  lt(x, 2)'],
  ['w(x) :-\n    q(x),\n    not p(x)', 'w(x) :-\n  q(x),\n  not p(x)'],
  ['zz :- q(1)', 'zz :-\n  q(1)'],
  ['xx(x) :- q(x), not zz', 'xx(x) :-\n  q(x),\n  not zz'],
  ['down_host(h) :- doc:events(hostname=h, status="down")', 'down_host(h) :-\n  doc:events(hostname=h, status="down")'],
  ['s(x) :- t(x, "a), b"), u(x)', 's(x) :-\n  t(x, "a), b"),\n  u(x)'],
  ['execute[nova:servers.pause(x)] :- q(x)', 'execute[nova:servers.pause(x)] :-\n  q(x)'],
])('%j', (text, pretty) => {
  expect(prettyRuleText(text)).toBe(pretty);
});

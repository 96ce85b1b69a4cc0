/** Body of `POST /v1/policies/<p>/rules` (api.md §5.2). */
import { z } from 'zod';
import type { JsonValue } from '../../datalog/json';
import { pyStr } from './python';
import { optionalText } from './fields';
import { answers } from './validate';

const NO_RULE = "Request body must be an object with a 'rule' string";

/** D13: a missing rule (or a body that is no object) is a rule syntax error, not upstream's 500. */
export const ruleBody = z.object(
  {
    rule: z.string(
      answers('rule_syntax', (v) => (v === undefined || v === null ? NO_RULE : `Rule must be a string, got ${pyStr(v as JsonValue)}`)),
    ),
    name: optionalText,
    // SQL stores a boolean comment as 1 or 0, which is what the original reads back.
    comment: z.preprocess((v) => (typeof v === 'boolean' ? (v ? '1' : '0') : v), optionalText),
  },
  answers('rule_syntax', () => NO_RULE),
);

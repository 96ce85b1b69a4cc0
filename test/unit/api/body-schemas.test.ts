/**
 * The body schemas keep the original's reading of odd values: Python's `str()` of non-strings,
 * truthiness, floats (boxed by the JSON reader) that are not objects, `null` arguments read as
 * none, and the first of several faults wins.
 */
import { parseJson } from '../../../src/datalog/json';
import { ApiError } from '../../../src/api/errors';
import { executeBody, simulateBody, simulateQuery } from '../../../src/api/schemas/actions';
import { emptyPolicyBody, fromLibraryBody } from '../../../src/api/schemas/policies';
import { ruleBody } from '../../../src/api/schemas/rules';
import { validated } from '../../../src/api/schemas/validate';

/** Validates JSON text as the API reads it (floats stay floats). */
const read = <T>(schema: Parameters<typeof validated<T>>[0], text: string): T => validated(schema, parseJson(text));

/** The registry key, detail and error_data of what a body is refused with. */
function refusal(fn: () => unknown): { key: string; detail: string | null; data: string | null } {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return { key: err.key, detail: err.detail, data: err.data };
    throw err;
  }
  throw new Error('accepted');
}

describe('execute', () => {
  it('splits the name and defaults absent arguments', () => {
    expect(read(executeBody, '{"name": "nova:servers.pause"}')).toEqual({ name: { service: 'nova', action: 'servers.pause' }, args: { positional: [], named: {} } });
    expect(read(executeBody, '{"name": "a:b", "args": {}}').args).toEqual({ positional: [], named: {} });
  });

  it('keeps argument values as the JSON reader made them', () => {
    const { args } = read(executeBody, '{"name": "a:b", "args": {"positional": [1.0, 2], "named": {"k": 1.5}}}');
    expect(args.positional.map((v) => typeof v)).toEqual(['object', 'number']);
    expect(Object.keys(args.named)).toEqual(['k']);
  });

  it.each([
    ['{"name": "a:b:c"}', 'service_action_syntax'],
    ['{"name": 5}', 'service_action_syntax'],
    ['1.5', 'service_action_syntax'],
    ['{"name": "a:b", "args": 1.5}', 'execute_action_args_syntax'],
    ['{"name": "a:b", "args": null}', 'execute_action_args_syntax'],
    // Upstream crashes on these while logging the call (501, 500); never an empty argument list.
    ['{"name": "a:b", "args": {"positional": null}}', 'execute_action_args_syntax'],
    ['{"name": "a:b", "args": {"named": null}}', 'execute_action_args_syntax'],
    ['{"name": "a:b", "args": {"named": 1.5}}', 'execute_action_args_syntax'],
    ['{"name": "ab", "args": 1.5}', 'service_action_syntax'],
  ])('%s is refused with %s', (text, key) => {
    expect(refusal(() => read(executeBody, text)).key).toBe(key);
  });
});

describe('simulate, rules and policies', () => {
  it("turns simulate's flags on with true in any case or 1 only", () => {
    expect(validated(simulateQuery, { delta: 'TRUE', trace: '1' })).toEqual({ delta: true, trace: true });
    expect(validated(simulateQuery, { delta: 'yes', trace: '0' })).toEqual({ delta: false, trace: false });
    expect(validated(simulateQuery, {})).toEqual({ delta: false, trace: false });
  });

  it('reads non-string fields as Python str() prints them', () => {
    expect(read(simulateBody, '{"query": 1.0, "sequence": true, "action_policy": [1]}')).toEqual({ query: '1.0', sequence: 'True', action_policy: '[1]' });
    expect(read(ruleBody, '{"rule": "p(1)", "name": 2.50, "comment": null}')).toEqual({ rule: 'p(1)', name: '2.5', comment: null });
    expect(read(emptyPolicyBody, '{"name": 7, "kind": false}')).toMatchObject({ name: '7', kind: 'False', description: null });
  });

  it('reads a false abbreviation as none (but keeps "", as the original stores it) and checks a true one', () => {
    for (const v of ['0', 'false', '[]', '{}', 'null']) expect(read(emptyPolicyBody, `{"name": "p", "abbreviation": ${v}}`).abbreviation).toBeUndefined();
    expect(read(emptyPolicyBody, '{"name": "p", "abbreviation": ""}').abbreviation).toBe('');
    expect(refusal(() => read(emptyPolicyBody, '{"name": "p", "abbreviation": 1}')).key).toBe('policy_abbreviation_error');
    expect(refusal(() => read(emptyPolicyBody, '{"abbreviation": "toolong"}')).key).toBe('policy_name_must_be_provided');
  });

  it('describes a non-string rule by its str()', () => {
    expect(refusal(() => read(ruleBody, '{"rule": 1.0}'))).toEqual({ key: 'rule_syntax', detail: 'Rule must be a string, got 1.0', data: null });
    expect(refusal(() => read(ruleBody, '[]')).detail).toBe("Request body must be an object with a 'rule' string");
  });

  it('accepts only a false body with library_policy', () => {
    for (const v of ['{}', 'null', '[]', '0', '""']) expect(() => read(fromLibraryBody, v)).not.toThrow();
    expect(refusal(() => read(fromLibraryBody, '{"name": "x"}')).key).toBe('plain_bad_request');
  });
});

/** Bodies of `POST …?action=simulate|execute` (api.md §4.6, §6.2). */
import { z } from 'zod';
import { Float } from '../../datalog/value';
import { anyJson, requiredText } from './fields';
import { answers } from './validate';

const incomplete = answers('incomplete_simulate_args');

/** `true` (any case) or `1` turns a flag on; any other value, or none, leaves it off. */
const flag = z
  .string()
  .optional()
  .transform((v) => v !== undefined && (v.toLowerCase() === 'true' || v === '1'))
  .meta({ description: 'simulate only: `true` (any case) or `1` turns it on' });

/** Simulate's query flags: `delta` answers changes, `trace` adds the evaluation trace. */
export const simulateQuery = z.object({ delta: flag, trace: flag });

/** Every field is required and read through `str()`; any one missing is the same error. */
export const simulateBody = z.object(
  {
    query: requiredText(incomplete),
    sequence: requiredText(incomplete),
    action_policy: requiredText(incomplete),
  },
  incomplete,
);

const badName = answers('service_action_syntax');
const badArgs = answers('execute_action_args_syntax');

/**
 * `{"positional": [...], "named": {...}}`; absent parts read as none. A `null` part is the
 * argument syntax error (1018): upstream fails on it while logging the call (501 for a null
 * `positional`, 500 for a null `named`), never running the action.
 */
const actionArgs = z
  .preprocess(
    // A float is boxed as an object; it is not an arguments object.
    (v) => (v instanceof Float ? v.v : v),
    z.object(
      {
        positional: z.array(anyJson, badArgs).optional().transform((v) => v ?? []),
        named: z.record(z.string(), anyJson, badArgs).optional().transform((v) => v ?? {}),
      },
      badArgs,
    ),
  )
  .optional()
  .transform((a) => a ?? { positional: [], named: {} });

/**
 * `{"name": "<service>:<action>", "args": {"positional": [...], "named": {...}}}`. The name is
 * checked first; D12: a missing one is the syntax error it is, not upstream's 501. Absent
 * positional or named arguments read as none.
 */
const executeTarget = z
  .string(badName)
  .regex(/^[^:]*:[^:]*$/, badName)
  .transform((n) => {
    const [service, action] = n.split(':');
    return { service, action };
  })
  .meta({ description: '<service>:<action>' });

/**
 * What the original reads of an execute body before it looks the service up: the name, and that
 * `args`, if given, is an object (1018). What is inside `args` is read after the lookup.
 */
export const executeName = z.object(
  {
    name: executeTarget,
    args: z.preprocess((v) => (v instanceof Float ? v.v : v), z.record(z.string(), z.unknown(), badArgs)).nullish(),
  },
  badName,
);

export const executeBody = z.object(
  {
    name: executeTarget,
    args: actionArgs,
  },
  badName,
);

/**
 * `POST /v1/data-sources/<ds>?action=execute`: `name` is the driver's method itself (the
 * datasource is the path's), and `args` is checked before it, as the original reads them. A
 * missing name is no syntax error here: the engine answers `Action not found` (1016) once it has
 * found the service, as upstream.
 */
export const datasourceExecuteBody = z.object(
  {
    args: actionArgs,
    name: z
      .string(badName)
      .nullish()
      .transform((n) => n ?? '')
      .meta({ description: 'the driver method' }),
  },
  badName,
);

/** `POST /v1/policies/<p>?action=simulate|execute` (api.md §4.6). */
import { isJsonObject, type JsonValue } from '../../datalog/json';
import type { ExecuteSpec, PolicyEngineApi } from '../../services/engine/types';
import { ApiError } from '../errors';
import { pyStr } from '../request-body';
import { ok, type ApiRequest, type Handler } from '../routing';

/** `true` (any case) or `1`, as the original reads simulate's flags. */
function flag(req: ApiRequest, name: string): boolean {
  const v = req.query.get(name);
  return v !== null && (v.toLowerCase() === 'true' || v === '1');
}

/** The simulate action. */
export function simulateHandler(engine: PolicyEngineApi): Handler {
  return async (req) => {
    const body = req.actionJson();
    const field = (k: string): string => {
      const v = isJsonObject(body) ? body[k] : undefined;
      if (v === undefined || v === null) throw new ApiError('incomplete_simulate_args');
      return pyStr(v);
    };
    const spec = {
      query: field('query'),
      sequence: field('sequence'),
      actionPolicy: field('action_policy'),
      delta: flag(req, 'delta'),
      trace: flag(req, 'trace'),
    };
    const r = await engine.simulate(req.params.policy, spec);
    return ok(r.trace === undefined ? { result: [...r.result] } : { result: [...r.result], trace: r.trace });
  };
}

/** Reads `{"name": "<service>:<action>", "args": {"positional": [...], "named": {...}}}`. */
export function executeSpec(body: JsonValue): ExecuteSpec {
  const name = isJsonObject(body) ? body.name : undefined;
  // D12: a missing name is the syntax error it is, not upstream's 501.
  if (typeof name !== 'string' || name.split(':').length !== 2) throw new ApiError('service_action_syntax');
  const [service, action] = name.split(':');
  const args = isJsonObject(body) ? body.args : undefined;
  let positional: JsonValue[] = [];
  let named: Record<string, JsonValue> = {};
  if (args !== undefined) {
    if (!isJsonObject(args)) throw new ApiError('execute_action_args_syntax');
    const p = args.positional ?? [];
    const n = args.named ?? {};
    if (!Array.isArray(p) || !isJsonObject(n)) throw new ApiError('execute_action_args_syntax');
    positional = p;
    named = n;
  }
  return { service, action, positional, named };
}

/** The execute action on a policy. */
export function executeHandler(engine: PolicyEngineApi): Handler {
  return async (req) => {
    await engine.execute(executeSpec(req.actionJson()));
    return ok({});
  };
}

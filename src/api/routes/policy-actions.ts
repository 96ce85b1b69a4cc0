/** `POST /v1/policies/<p>?action=simulate|execute` (api.md §4.6). */
import type { PolicyEngineApi } from '../../services/engine/types';
import { ok, type ApiRequest, type Handler } from '../routing';
import { executeBody, simulateBody } from '../schemas/actions';
import { withActionBody } from '../schemas/validate';

/** `true` (any case) or `1`, as the original reads simulate's flags. */
function flag(req: ApiRequest, name: string): boolean {
  const v = req.query.get(name);
  return v !== null && (v.toLowerCase() === 'true' || v === '1');
}

/** The simulate action. */
export function simulateHandler(engine: PolicyEngineApi): Handler {
  return withActionBody(simulateBody, async (req, body) => {
    const spec = { query: body.query, sequence: body.sequence, actionPolicy: body.action_policy, delta: flag(req, 'delta'), trace: flag(req, 'trace') };
    const r = await engine.simulate(req.params.policy, spec);
    return ok(r.trace === undefined ? { result: [...r.result] } : { result: [...r.result], trace: r.trace });
  });
}

/** The execute action on a policy. */
export function executeHandler(engine: PolicyEngineApi): Handler {
  return withActionBody(executeBody, async (_req, { name, args }) => {
    await engine.execute({ ...name, ...args });
    return ok({});
  });
}

/** `POST /v1/policies/<p>?action=simulate|execute` (api.md §4.6). */
import type { PolicyEngineApi } from '../../services/engine/types';
import { ok, type Handler } from '../routing';
import { executeBody, simulateBody, simulateQuery } from '../schemas/actions';
import { withActionBody, withActionBodyAndQuery } from '../schemas/validate';

/** The simulate action. */
export function simulateHandler(engine: PolicyEngineApi): Handler {
  return withActionBodyAndQuery(simulateBody, simulateQuery, async (req, body, { delta, trace }) => {
    const spec = { query: body.query, sequence: body.sequence, actionPolicy: body.action_policy, delta, trace };
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

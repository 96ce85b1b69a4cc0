/** `POST /v1/policies/<p>?action=simulate|execute` (api.md §4.6). */
import type { PolicyEngineApi } from '../../services/engine/types';
import { ok, type Handler } from '../routing';
import { executeBody, executeName, simulateBody, simulateQuery } from '../schemas/actions';
import { describedBy, validated, withActionBodyAndQuery } from '../schemas/validate';

/** The simulate action. */
export function simulateHandler(engine: PolicyEngineApi): Handler {
  return withActionBodyAndQuery(simulateBody, simulateQuery, async (req, body, { delta, trace }) => {
    const spec = { query: body.query, sequence: body.sequence, actionPolicy: body.action_policy, delta, trace };
    const r = await engine.simulate(req.params.policy, spec);
    return ok(r.trace === undefined ? { result: [...r.result] } : { result: [...r.result], trace: r.trace });
  });
}

/**
 * The execute action on a policy. The original finds the service before it reads inside the
 * arguments: an unknown service answers 1016 even when `positional` is malformed (1018).
 */
export function executeHandler(engine: PolicyEngineApi): Handler {
  return describedBy(executeBody, async (req) => {
    const body = req.actionJson();
    engine.checkExecuteService(validated(executeName, body).name.service);
    const { name, args } = validated(executeBody, body);
    await engine.execute({ ...name, ...args });
    return ok({});
  });
}

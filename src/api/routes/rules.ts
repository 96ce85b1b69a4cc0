/** `/v1/policies/<p>/rules`: list, create, show, delete, status (api.md §5, §12). */
import { isJsonObject, type JsonValue } from '../../datalog/json';
import { Float } from '../../datalog/value';
import { parse } from '../../datalog/parse';
import type { PolicyEngineApi } from '../../services/engine/types';
import { ApiError, toApiError } from '../errors';
import { created, ok, type Route } from '../routing';
import { ruleBody } from '../schemas/rules';
import { withBody } from '../schemas/validate';
import { createdRuleJson, ruleJson, results } from '../views';

/** Re-raises a 404 of an item lookup as the generic `Not found` of element reads. */
async function orNotFound<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = toApiError(err);
    if (e !== null && e.key === 'not_found_detail') throw new ApiError('not_found');
    throw err;
  }
}

/** Whether stored rule text is a fact (no body), which the original's rule status does not find. */
function isFact(text: string): boolean {
  try {
    const [s] = parse(text);
    return s !== undefined && (s.kind === 'literal' || (s.kind === 'rule' && s.body.length === 0));
  } catch {
    return false;
  }
}

/** Routes of rules. */
export function ruleRoutes(engine: PolicyEngineApi): Route[] {
  return [
    {
      kind: 'collection',
      path: '/v1/policies/:policy/rules',
      list: async (req) => ok(results((await engine.listRules(req.params.policy)).map(ruleJson))),
      create: withBody(ruleBody, async (req, spec) => {
        const r = await engine.insertRule(req.params.policy, spec);
        // A number or boolean comment is echoed as given (and stored as text), as upstream.
        const body = req.json();
        const raw = isJsonObject(body) ? body.comment : undefined;
        const scalar = typeof raw === 'number' || typeof raw === 'bigint' || typeof raw === 'boolean' || raw instanceof Float;
        const json = createdRuleJson(r);
        return created(req, scalar ? { ...json, comment: raw } : json, r.id);
      }),
    },
    {
      kind: 'element',
      path: '/v1/policies/:policy/rules/:rule',
      get: async (req) => ok(ruleJson(await orNotFound(() => engine.getRule(req.params.policy, req.params.rule)))),
      remove: async (req) => ok(ruleJson(await engine.deleteRule(req.params.policy, req.params.rule))),
    },
    {
      kind: 'element',
      path: '/v1/policies/:policy/rules/:rule/status',
      get: async (req) => {
        const missing = new ApiError('plain_not_found', `rule_id ${req.params.rule}  is not found.`);
        try {
          const r = await engine.getRule(req.params.policy, req.params.rule);
          // The original looks the id up among the policy's rules with a body: facts have no status.
          if (isFact(r.rule)) throw missing;
          const out: Record<string, JsonValue> = { name: r.name, id: r.id, comment: r.comment, original_str: r.rule };
          // Keys whose value is null are left out, as upstream.
          return ok(Object.fromEntries(Object.entries(out).filter(([, v]) => v !== null)));
        } catch (err) {
          // getRule resolves the policy as the status of a policy does (stored, or a datasource's by name).
          const e = toApiError(err);
          if (e?.key === 'policy_not_exist') throw new ApiError('plain_not_found', `policy with name or id '${req.params.policy}' doesn't exist`);
          if (e?.key === 'not_found_detail') throw missing;
          throw err;
        }
      },
    },
  ];
}

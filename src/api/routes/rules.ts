/** `/v1/policies/<p>/rules`: list, create, show, delete, status (api.md §5, §12). */
import { isJsonObject, type JsonValue } from '../../datalog/json';
import type { PolicyEngineApi, RuleSpec } from '../../services/engine/types';
import { ApiError, toApiError } from '../errors';
import { pyStr } from '../request-body';
import { created, ok, type Route } from '../routing';
import { createdRuleJson, ruleJson, results } from '../views';

function ruleSpec(body: JsonValue): RuleSpec {
  // D13: a missing rule is a rule syntax error, not upstream's 500.
  const rule = isJsonObject(body) ? body.rule : undefined;
  if (rule === undefined || rule === null) throw new ApiError('rule_syntax', "Request body must be an object with a 'rule' string");
  if (typeof rule !== 'string') throw new ApiError('rule_syntax', `Rule must be a string, got ${pyStr(rule)}`);
  const opt = (v: JsonValue | undefined): string | null => (v === undefined || v === null ? null : pyStr(v));
  const b = body as Record<string, JsonValue>;
  return { rule, name: opt(b.name), comment: opt(b.comment) };
}

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

/** Routes of rules. */
export function ruleRoutes(engine: PolicyEngineApi): Route[] {
  return [
    {
      kind: 'collection',
      path: '/v1/policies/:policy/rules',
      list: async (req) => ok(results((await engine.listRules(req.params.policy)).map(ruleJson))),
      create: async (req) => {
        const r = await engine.insertRule(req.params.policy, ruleSpec(req.json()));
        return created(req, createdRuleJson(r), r.id);
      },
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
        try {
          const r = await engine.getRule(req.params.policy, req.params.rule);
          const out: Record<string, JsonValue> = { name: r.name, id: r.id, comment: r.comment, original_str: r.rule };
          // Keys whose value is null are left out, as upstream.
          return ok(Object.fromEntries(Object.entries(out).filter(([, v]) => v !== null)));
        } catch (err) {
          const e = toApiError(err);
          if (e !== null && e.key === 'not_found_detail') throw new ApiError('plain_not_found', `rule_id ${req.params.rule}  is not found.`);
          throw err;
        }
      },
    },
  ];
}

/** `/v1/policies`: list, create (empty, with rules, from the library), show, delete, status, actions. */
import { isJsonObject, type JsonValue } from '../../datalog/json';
import { parsePolicyWithRules } from '../../services/engine/library-schema';
import type { PolicyEngineApi, PolicySpec, PolicyWithRules } from '../../services/engine/types';
import { ApiError, toApiError } from '../errors';
import { pyStr, truthy } from '../request-body';
import { created, ok, type ApiRequest, type Route } from '../routing';
import { embeddedRuleJson, policyJson, results } from '../views';
import { executeHandler, simulateHandler } from './policy-actions';

function withRulesJson(p: PolicyWithRules): JsonValue {
  return { ...policyJson(p.policy), rules: p.rules.map(embeddedRuleJson) };
}

/** The fields of an empty-policy creation, checked in the original's order (§4.3 a). */
function emptyPolicySpec(body: JsonValue): PolicySpec {
  // Non-objects (and D13's `null`) have no name.
  if (!isJsonObject(body) || body.name === undefined || body.name === null) throw new ApiError('policy_name_must_be_provided');
  const abbr = body.abbreviation;
  if (truthy(abbr) && (typeof abbr !== 'string' || abbr.length > 5)) throw new ApiError('policy_abbreviation_error');
  const opt = (v: JsonValue | undefined): string | undefined => (v === undefined || v === null ? undefined : pyStr(v));
  return {
    name: pyStr(body.name),
    abbreviation: typeof abbr === 'string' && abbr !== '' ? abbr : undefined,
    description: opt(body.description),
    kind: opt(body.kind),
  };
}

async function create(engine: PolicyEngineApi, req: ApiRequest): Promise<{ body: JsonValue; id: string }> {
  const libraryId = req.query.get('library_policy');
  const body = req.json();
  if (libraryId !== null) {
    // D12: a 400, where the original raised this outside its error mapping (500).
    if (truthy(body)) throw new ApiError('plain_bad_request', 'Policy creation request with `library_policy` parameter must not have non-empty body.');
    const made = await engine.createPolicyFromLibrary(libraryId);
    return { body: withRulesJson(made), id: made.policy.id };
  }
  if (isJsonObject(body) && 'rules' in body) {
    const parsed = parsePolicyWithRules(body);
    if (!parsed.ok) throw new ApiError('schema_violation', null, parsed.error);
    const { rules, ...spec } = parsed.spec;
    const made = await engine.createPolicyWithRules(spec, rules);
    return { body: withRulesJson(made), id: made.policy.id };
  }
  const policy = await engine.createPolicy(emptyPolicySpec(body));
  return { body: policyJson(policy), id: policy.id };
}

/** Routes of policies and their status. */
export function policyRoutes(engine: PolicyEngineApi): Route[] {
  return [
    {
      kind: 'collection',
      path: '/v1/policies',
      list: async () => ok(results((await engine.listPolicies()).map(policyJson))),
      create: async (req) => {
        const made = await create(engine, req);
        return created(req, made.body, made.id);
      },
    },
    {
      kind: 'element',
      path: '/v1/policies/:policy',
      get: async (req) => ok(policyJson(await engine.getPolicy(req.params.policy))),
      remove: async (req) => ok(policyJson(await engine.deletePolicy(req.params.policy))),
      actions: {
        simulate: simulateHandler(engine),
        execute: executeHandler(engine),
      },
    },
    {
      kind: 'element',
      path: '/v1/policies/:policy/status',
      get: async (req) => {
        try {
          const p = await engine.getPolicy(req.params.policy);
          return ok({ name: p.name, id: p.id });
        } catch (err) {
          if (toApiError(err)?.status !== 404) throw err;
          throw new ApiError('plain_not_found', `policy with name or id '${req.params.policy}' doesn't exist`);
        }
      },
    },
  ];
}

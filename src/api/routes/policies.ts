/** `/v1/policies`: list, create (empty, with rules, from the library), show, delete, status, actions. */
import { isJsonObject, type JsonValue } from '../../datalog/json';
import { Float } from '../../datalog/value';
import type { PolicyEngineApi, PolicyWithRules } from '../../services/engine/types';
import { ApiError, toApiError } from '../errors';
import { created, ok, type ApiRequest, type Route } from '../routing';
import { emptyPolicyBody, fromLibraryBody, policyCreateBody, policyWithRules, policyWithRulesPrecheck } from '../schemas/policies';
import { describedBy, validated } from '../schemas/validate';
import { embeddedRuleJson, policyJson, results } from '../views';
import { executeHandler, simulateHandler } from './policy-actions';

function withRulesJson(p: PolicyWithRules): JsonValue {
  return { ...policyJson(p.policy), rules: p.rules.map(embeddedRuleJson) };
}

/** The three kinds of creation: from the library (query), with rules, or an empty policy. */
async function create(engine: PolicyEngineApi, req: ApiRequest): Promise<{ body: JsonValue; id: string }> {
  const libraryId = req.query.get('library_policy');
  const body = req.json();
  if (libraryId !== null) {
    // D12: a 400, where the original raised this outside its error mapping (500).
    validated(fromLibraryBody, body);
    const made = await engine.createPolicyFromLibrary(libraryId);
    return { body: withRulesJson(made), id: made.policy.id };
  }
  if (isJsonObject(body) && 'rules' in body) {
    validated(policyWithRulesPrecheck, body);
    const { rules, ...spec } = policyWithRules(body);
    const made = await engine.createPolicyWithRules(spec, rules);
    return { body: withRulesJson(made), id: made.policy.id };
  }
  // The original's engine refuses a null name with this conflict before any other check.
  if (isJsonObject(body) && body.name === null) throw new ApiError('plain_conflict', 'Policy name None must be a string');
  const { name, abbreviation, description, kind } = validated(emptyPolicyBody, body);
  // A number or boolean description is echoed as given and stored as its text; SQL stores a
  // boolean as 1 or 0, which is what the original reads back.
  const raw = isJsonObject(body) ? body.description : undefined;
  const scalar = typeof raw === 'number' || typeof raw === 'bigint' || typeof raw === 'boolean' || raw instanceof Float;
  const stored = typeof raw === 'boolean' ? (raw ? '1' : '0') : (description ?? undefined);
  const policy = await engine.createPolicy({ name, abbreviation, description: stored, kind: kind ?? undefined });
  const json = policyJson(policy);
  return { body: scalar ? { ...json, description: raw } : json, id: policy.id };
}

/** Routes of policies and their status. */
export function policyRoutes(engine: PolicyEngineApi): Route[] {
  return [
    {
      kind: 'collection',
      path: '/v1/policies',
      list: async () => ok(results((await engine.listPolicies()).map(policyJson))),
      create: describedBy(policyCreateBody, async (req) => {
        const made = await create(engine, req);
        return created(req, made.body, made.id);
      }),
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
          return ok(await engine.policyStatus(req.params.policy));
        } catch (err) {
          if (toApiError(err)?.status !== 404) throw err;
          throw new ApiError('plain_not_found', `policy with name or id '${req.params.policy}' doesn't exist`);
        }
      },
    },
  ];
}

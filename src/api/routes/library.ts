/** `/v1/librarypolicies` (api.md §11), with PUT implemented (D6). */
import type { LibraryApi } from '../../services/engine/types';
import { created, ok, type ApiRequest, type Route } from '../routing';
import { policyWithRules, policyWithRulesSchema } from '../schemas/policies';
import { describedBy } from '../schemas/validate';
import { libraryPolicyJson, results } from '../views';

/** `?include_rules=false` (any case) leaves rules out. */
function includeRules(req: ApiRequest): boolean {
  return (req.query.get('include_rules') ?? '').toLowerCase() !== 'false';
}

/** Routes of library policies. */
export function libraryRoutes(library: LibraryApi): Route[] {
  return [
    {
      kind: 'collection',
      path: '/v1/librarypolicies',
      list: async (req) => {
        const name = req.query.get('name');
        const found =
          name === null
            ? await library.listLibraryPolicies()
            : [await library.getLibraryPolicyByName(name)].filter((p) => p !== null);
        return ok(results(found.map((p) => libraryPolicyJson(p, includeRules(req)))));
      },
      create: describedBy(policyWithRulesSchema, async (req) => {
        const p = await library.createLibraryPolicy(policyWithRules(req.json()));
        return created(req, libraryPolicyJson(p), p.id);
      }),
    },
    {
      kind: 'element',
      path: '/v1/librarypolicies/:id',
      get: async (req) => ok(libraryPolicyJson(await library.getLibraryPolicy(req.params.id), includeRules(req))),
      replace: describedBy(policyWithRulesSchema, async (req) =>
        ok(libraryPolicyJson(await library.replaceLibraryPolicy(req.params.id, policyWithRules(req.json())))),
      ),
      remove: async (req) => ok(libraryPolicyJson(await library.deleteLibraryPolicy(req.params.id))),
    },
  ];
}

/** `/v1/policies/<p>/tables` and their rows (api.md §6.1, §7.1). */
import type { PolicyEngineApi } from '../../services/engine/types';
import { ApiError, toApiError } from '../errors';
import { ok, type Route } from '../routing';
import { results } from '../views';

async function tablesOf(engine: PolicyEngineApi, policy: string): Promise<string[]> {
  try {
    return await engine.listTables(policy);
  } catch (err) {
    if (toApiError(err)?.status === 404) throw new ApiError('not_found');
    throw err;
  }
}

/** Routes of policy tables and rows. */
export function tableRoutes(engine: PolicyEngineApi): Route[] {
  return [
    {
      kind: 'collection',
      path: '/v1/policies/:policy/tables',
      list: async (req) => ok(results((await tablesOf(engine, req.params.policy)).map((id) => ({ id })))),
    },
    {
      kind: 'element',
      path: '/v1/policies/:policy/tables/:table',
      get: async (req) => {
        const { table } = req.params;
        if (!(await tablesOf(engine, req.params.policy)).includes(table)) throw new ApiError('not_found');
        return ok({ id: table });
      },
    },
    {
      // PUT is 501 here (D25): only datasource tables can be replaced.
      kind: 'collection',
      path: '/v1/policies/:policy/tables/:table/rows',
      list: async (req) => {
        // Only `true` in any case turns tracing on here (`1` does not), as upstream.
        const trace = (req.query.get('trace') ?? '').toLowerCase() === 'true';
        const r = await engine.rows(req.params.policy, req.params.table, trace);
        const body = results(r.rows.map((row) => ({ data: [...row] })));
        if (trace) body.trace = r.trace === undefined || r.trace === '' ? 'Not available' : r.trace;
        return ok(body);
      },
    },
  ];
}

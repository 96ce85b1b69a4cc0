/** `/v1/policies/<p>/tables` and their rows (api.md §6.1, §7.1). */
import type { PolicyEngineApi } from '../../services/engine/types';
import { EncodedAnswer } from '../encoded-answer';
import { ApiError, toApiError } from '../errors';
import { ok, replyText, type Route } from '../routing';
import { results } from '../views';

async function tablesOf(engine: PolicyEngineApi, policy: string): Promise<string[]> {
  try {
    return await engine.listTables(policy);
  } catch (err) {
    if (toApiError(err)?.status === 404) throw new ApiError('not_found');
    throw err;
  }
}

/** How many serialised row answers are kept (per process). */
const ROWS_CACHE_ENTRIES = 256;

/** Routes of policy tables and rows. */
export function tableRoutes(engine: PolicyEngineApi): Route[] {
  const cache = new Map<string, { generation: number; answer: EncodedAnswer }>();
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
        const key = `${req.params.policy}\u0000${req.params.table}`;
        const generation = engine.generation();
        const hit = trace ? undefined : cache.get(key);
        if (hit !== undefined && hit.generation === generation) return { status: 200, encoded: hit.answer };
        const r = await engine.rows(req.params.policy, req.params.table, trace);
        const body = results(r.rows.map((row) => ({ data: [...row] })));
        if (trace) body.trace = r.trace === undefined || r.trace === '' ? 'Not available' : r.trace;
        if (trace) return ok(body);
        // Rows of a table are read far more often than they change (monitoring polls): keep the
        // encoded answer until the engine's generation moves, so a repeated read is one write.
        const answer = new EncodedAnswer(Buffer.from(replyText(body)));
        if (engine.generation() === generation) {
          if (cache.size >= ROWS_CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
          cache.set(key, { generation, answer });
        }
        return { status: 200, encoded: answer };
      },
    },
    // The original routes single rows but serves none of them: every method is 501.
    { kind: 'element', path: '/v1/policies/:policy/tables/:table/rows/:row' },
  ];
}

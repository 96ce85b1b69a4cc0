/** `/v1/data-sources` and `/v1/system/drivers` (api.md §6.2–§10), over a `DatasourceApi`. */
import { isJsonObject, plainJson } from '../../datalog/json';
import type { PolicyEngineApi } from '../../services/engine/types';
import { DatasourceApiError, type DatasourceApi, type DatasourceService } from '../datasource-api';
import { ApiError } from '../errors';
import { created, ok, type ApiRequest, type Route } from '../routing';
import { datasourceCreateBody, rowsBody, webhookBody } from '../schemas/datasources';
import { datasourceExecuteBody } from '../schemas/actions';
import { describedBy, withActionBody } from '../schemas/validate';
import { results } from '../views';

/**
 * Turns a `DatasourceApiError` into the matching registry entry. Calls the original made to the
 * datasource's own service (rows, webhook) prefix a refusal with the reason phrase
 * (`Bad Request::…`); those of the datasource manager do not.
 */
async function mapped<T>(fn: () => Promise<T>, invalid: 'plain_bad_request' | 'bad_request' = 'plain_bad_request'): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    // The bus-backed services already answer API errors; only the prefix is added here.
    if (err instanceof ApiError && err.key === 'plain_bad_request' && invalid === 'bad_request') throw new ApiError('bad_request', err.detail, err.data);
    if (!(err instanceof DatasourceApiError)) throw err;
    const key = ({ invalid, not_found: 'plain_not_found', conflict: 'plain_conflict', unavailable: 'service_unavailable' } as const)[err.kind];
    throw new ApiError(key, err.message);
  }
}


/** Routes of datasources and drivers. */
export function datasourceRoutes(ds: DatasourceApi, engine: PolicyEngineApi): Route[] {
  const service = async (req: ApiRequest, prefixed = true): Promise<DatasourceService> => {
    const s = await ds.service(req.params.ds);
    if (s === null) {
      const text = `service '${req.params.ds}' could not be found`;
      throw new ApiError(prefixed ? 'not_found_detail' : 'plain_not_found', text);
    }
    return s;
  };
  return [
    {
      kind: 'collection',
      path: '/v1/data-sources',
      list: async () => ok(results(await ds.listDatasources())),
      create: describedBy(datasourceCreateBody, async (req) => {
        const body = plainJson(req.json());
        const made = await mapped(() => ds.createDatasource(isJsonObject(body) ? body : {}));
        // A number or boolean description is echoed as given (stored as text), as upstream.
        const raw = isJsonObject(body) ? body.description : undefined;
        const echoed = typeof raw === 'number' || typeof raw === 'boolean' ? { ...made, description: raw } : made;
        return created(req, echoed, String(made.id));
      }),
    },
    {
      kind: 'element',
      path: '/v1/data-sources/:ds',
      get: async (req) => {
        const d = await ds.getDatasource(req.params.ds);
        if (d === null) throw new ApiError('plain_not_found', `Datasource not found ${req.params.ds}`);
        return ok(d);
      },
      remove: async (req) => {
        // D11: 404 (upstream answered HTTP 400 with error_code 404).
        const d = await mapped(() => ds.deleteDatasource(req.params.ds));
        if (d === null) throw new ApiError('plain_not_found', `Datasource not found ${req.params.ds}`);
        return ok(null);
      },
      actions: {
        'request-refresh': async (req) => {
          await mapped(async () => (await service(req)).refresh());
          return ok(null);
        },
        // The body is checked first; the engine then refuses an unknown service (400/1016, not a
        // 404: upstream asks the engine, which knows services, not datasources).
        execute: withActionBody(datasourceExecuteBody, async (req, { name, args }) => {
          await engine.execute({ ...args, service: req.params.ds, action: name });
          return ok({});
        }),
      },
    },
    {
      kind: 'element',
      path: '/v1/data-sources/:ds/schema',
      get: async (req) => ok(await (await service(req)).schema()),
    },
    {
      kind: 'element',
      path: '/v1/data-sources/:ds/status',
      get: async (req) => ok(await (await service(req, false)).status()),
    },
    {
      kind: 'element',
      path: '/v1/data-sources/:ds/actions',
      get: async (req) => ok(results(await (await service(req)).actions())),
    },
    {
      kind: 'collection',
      path: '/v1/data-sources/:ds/tables',
      list: async (req) => ok(results((await (await service(req)).tables()).map((id) => ({ id })))),
    },
    {
      kind: 'element',
      path: '/v1/data-sources/:ds/tables/:table',
      get: async (req) => {
        if (!(await (await service(req)).tables()).includes(req.params.table)) throw new ApiError('not_found');
        return ok({ id: req.params.table });
      },
    },
    {
      kind: 'element',
      path: '/v1/data-sources/:ds/tables/:table/spec',
      get: async (req) => {
        const schema = await (await service(req)).schema();
        const tables = Array.isArray(schema.tables) ? schema.tables : [];
        const spec = tables.find((t) => isJsonObject(t) && t.table_id === req.params.table);
        if (spec === undefined) {
          throw new ApiError('plain_not_found', `Table '${req.params.table}' for datasource '${req.params.ds}' has no schema `);
        }
        return ok(spec);
      },
    },
    {
      kind: 'collection',
      path: '/v1/data-sources/:ds/tables/:table/rows',
      list: async (req) => {
        const rows = await (await service(req)).rows(req.params.table);
        return ok(results(rows.map((data) => ({ data }))));
      },
      replace: describedBy(rowsBody, async (req) => {
        const s = await service(req);
        await mapped(() => s.replaceRows(req.params.table, req.json()), 'bad_request');
        return { status: 200 };
      }),
    },
    // The original routes single rows but serves none of them: every method is 501.
    { kind: 'element', path: '/v1/data-sources/:ds/tables/:table/rows/:row' },
    {
      kind: 'collection',
      path: '/v1/data-sources/:ds/webhook',
      create: describedBy(webhookBody, async (req) => {
        const s = await service(req);
        await mapped(() => s.webhook(req.json()), 'bad_request');
        return { status: 200 };
      }),
    },
    {
      kind: 'collection',
      path: '/v1/system/drivers',
      list: async () => ok(results(await ds.listDrivers())),
    },
    {
      kind: 'element',
      path: '/v1/system/drivers/:driver',
      get: async (req) => {
        const d = await ds.getDriver(req.params.driver);
        if (d === null) {
          throw new ApiError('plain_not_found', `Driver not found ${req.params.driver}. Either not supported or disabled by deployer in Congress config`);
        }
        return ok(d);
      },
    },
    ...jsonIngesterRoutes(ds),
  ];
}

/** The JSON ingester's webhook route, which exists only when the ingester is enabled (as upstream). */
function jsonIngesterRoutes(ds: DatasourceApi): Route[] {
  const handOver = ds.jsonIngesterWebhook;
  if (handOver === undefined) return [];
  return [
    {
      kind: 'collection',
      path: '/v1/data-sources/:ds/tables/:table/webhook',
      create: describedBy(webhookBody, async (req) => {
        await mapped(() => handOver(req.params.ds, req.params.table, req.json()), 'bad_request');
        return { status: 200 };
      }),
    },
  ];
}

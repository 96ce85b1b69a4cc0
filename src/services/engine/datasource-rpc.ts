/**
 * The bus names the engine uses to reach the datasource side. They must equal those the
 * datasource layer serves (`DATASOURCE_METHODS` in `src/services/datasources/datasource-service.ts`;
 * the engine may not import that layer, and a unit test checks the two agree). They keep the
 * original's RPC method names (ha.md §2.5).
 */

/** Service id of the engine on every policy-engine node; also the subscriber name in heartbeats. */
export const ENGINE_SERVICE = '__engine';

/** Methods of every datasource service (service id = datasource name) the engine calls. */
export const DS_SERVICE_METHODS = {
  /** `{}` -> `{tables: [{table_id, columns: [{name, description}]}]}`. */
  getSchema: 'get_datasource_schema',
  /** `{action, action_args: {positional, named}}` -> `{}`; only the leader engine's requests run. */
  requestExecute: 'request_execute',
} as const;

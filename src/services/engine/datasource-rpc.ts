/**
 * The bus names the engine and the API use to reach the datasource side. They keep the
 * original's RPC method names (ha.md §2.5), so a reader of either code base finds the same calls.
 */

/** Service id of the engine on every policy-engine node; also the subscriber name in heartbeats. */
export const ENGINE_SERVICE = '__engine';

/** Service id of the datasource manager on the datasource node. */
export const DS_MANAGER_SERVICE = '_ds_manager';

/** Methods of `_ds_manager`. */
export const DS_MANAGER_METHODS = {
  /** `{items: <create body>}` -> the created datasource (secrets masked). */
  addDatasource: 'add_datasource',
  /** `{datasource: <stored datasource>}` -> the deleted datasource. */
  deleteDatasource: 'delete_datasource',
  /** `{}` -> `[{id, description}]` of the installed drivers. */
  getDrivers: 'get_drivers',
  /** `{driver}` -> the driver's info, or an error `driver_not_found`. */
  getDriverInfo: 'get_driver_info',
} as const;

/** Methods of every datasource service (service id = datasource name). */
export const DS_SERVICE_METHODS = {
  /** `{source_id}` -> `{tables: [{table_id, columns: [{name, description}]}]}`. */
  getSchema: 'get_datasource_schema',
  /** `{source_id}` -> `[table names]`. */
  getTablenames: 'get_tablenames',
  /** `{source_id, table_id}` -> `[[column values]]`. */
  getRowData: 'get_row_data',
  /** `{source_id, table_id, objs}` -> null; push drivers. */
  replaceTable: 'replace_entire_table_data',
  /** `{source_id}` -> the status object. */
  getStatus: 'get_status',
  /** `{source_id}` -> `[action descriptions]`. */
  getActions: 'get_actions',
  /** `{source_id}` -> null once the refresh was asked for. */
  requestRefresh: 'request_refresh',
  /** `{payload}` -> null. */
  webhook: 'process_webhook_notification',
  /** `{action, action_args}` -> the action's result. */
  requestExecute: 'request_execute',
} as const;

/**
 * What the API needs from the datasource side (api.md §6.2–§10): the stored datasources, the
 * installed drivers, and the running datasource services. The datasource role will provide
 * the real thing; until then the server plugs in an implementation with no drivers, so every
 * route already answers with Congress's errors.
 */
import type { JsonValue } from '../datalog/json';

type JsonObject = { [key: string]: JsonValue };

/** Why a datasource operation failed; the message is shown as is (no reason-phrase prefix). */
export class DatasourceApiError extends Error {
  constructor(
    readonly kind: 'invalid' | 'not_found' | 'conflict' | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'DatasourceApiError';
  }
}

/** A running datasource service (a driver instance). */
export interface DatasourceService {
  tables(): Promise<string[]>;
  /** `{"tables": [{"table_id", "columns": [...]}]}`. */
  schema(): Promise<JsonObject>;
  rows(table: string): Promise<JsonValue[][]>;
  status(): Promise<JsonObject>;
  actions(): Promise<JsonObject[]>;
  replaceRows(table: string, rows: JsonValue): Promise<void>;
  webhook(body: JsonValue): Promise<void>;
  refresh(): Promise<void>;
}

/** Datasources, drivers and services as the API sees them. */
export interface DatasourceApi {
  /** Secret config fields masked as `<hidden>`. */
  listDatasources(): Promise<JsonObject[]>;
  /** By name, else id; secrets masked (D8); null if unknown. */
  getDatasource(nameOrId: string): Promise<JsonObject | null>;
  /** Validates and stores; throws `DatasourceApiError` with Congress's messages. */
  createDatasource(body: JsonObject): Promise<JsonObject>;
  /** Null if unknown. */
  deleteDatasource(nameOrId: string): Promise<JsonObject | null>;
  /** `{"id", "description"}` of each installed driver. */
  listDrivers(): Promise<JsonObject[]>;
  getDriver(id: string): Promise<JsonObject | null>;
  /** The running service of a datasource (name or id), or null. */
  service(nameOrId: string): Promise<DatasourceService | null>;
  /**
   * Present only with `[json_ingester] enable`: hands a webhook document to table `table` of the
   * JSON ingester `name`. Throws `ApiError`s or `DatasourceApiError`s like the other calls.
   */
  readonly jsonIngesterWebhook?: (name: string, table: string, body: JsonValue) => Promise<void>;
}

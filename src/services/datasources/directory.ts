/**
 * The datasource side as the API sees it, from any node: stored datasources (masked) and the
 * local driver list answered from here, creation and deletion sent to `_ds_manager`, and each
 * datasource's tables, rows, status and actions asked of its service over the bus. Errors come
 * back as `DatasourceError`s with the HTTP status to answer.
 */
import { ServiceError, ServiceUnavailable, RpcTimeout, MethodNotFound, type DseNode } from '../../bus';
import type { JsonValue, Row } from '../../bus/json';
import { plainJson, stringifyJson, type JsonValue as DocumentValue } from '../../datalog/json';
import type { PolicyStore } from '../../db';
import { actionArgsFields } from '../common/action-args';
import { DATASOURCE_METHODS } from './datasource-service';
import { canonicalJson } from './json-ingester/canonical-json';
import { WEBHOOK_METHOD } from './json-ingester/ingester';
import { DriverRegistry, type DriverInfo, type DriverSummary } from './drivers';
import { DATASOURCE_ERRORS, DatasourceError, errors, type DatasourceErrorCode } from './errors';
import type { ActionArgs, ActionDescription, ActionOutcome } from './framework/actions';
import type { DatasourceStatus } from './framework/status';
import { MANAGER_METHODS, MANAGER_SERVICE } from './manager';
import { datasourceDict, type DatasourceDict } from './masking';

type JsonObject = { [key: string]: JsonValue };

/** Timeouts of the calls the directory makes. */
export interface DirectoryOptions {
  /** Creation and deletion (`[dse] long_timeout`, default 120 s). */
  readonly longTimeoutMs?: number;
  /** Every other call (default 30 s). */
  readonly timeoutMs?: number;
}

/** Maps a bus failure to the error the API should show. */
function mapError(error: unknown, service: string, method: string): never {
  if (error instanceof ServiceError) {
    const code = error.errorCode;
    if (typeof code === 'string' && code in DATASOURCE_ERRORS) throw new DatasourceError(code as DatasourceErrorCode, error.message, error.errorData);
    throw new DatasourceError('action_failed', error.message);
  }
  if (error instanceof ServiceUnavailable) throw service === MANAGER_SERVICE ? errors.managerUnavailable() : errors.serviceNotFound(service);
  if (error instanceof MethodNotFound) throw errors.notSupported(method, service);
  if (error instanceof RpcTimeout) throw new DatasourceError('manager_unavailable', `Request to service '${service}' timed out`);
  throw error;
}

/** One datasource's service, reached over the bus. */
export class DatasourceClient {
  constructor(
    private readonly node: DseNode,
    /** The service id (datasource name). */
    readonly name: string,
    private readonly timeoutMs: number,
  ) {}

  private async call(method: string, args: JsonObject = {}): Promise<unknown> {
    try {
      return await this.node.call(this.name, method, args, { timeoutMs: this.timeoutMs });
    } catch (error) {
      return mapError(error, this.name, method);
    }
  }

  /** Table names of the schema. */
  async tables(): Promise<string[]> {
    return (await this.call(DATASOURCE_METHODS.getTablenames)) as string[];
  }

  /** `{"tables": [{"table_id", "columns"}]}`. */
  async schema(): Promise<JsonObject> {
    return (await this.call(DATASOURCE_METHODS.getSchema)) as JsonObject;
  }

  /** One table's schema; 404 `Table '<t>' for datasource '<ds>' has no schema `. */
  async tableSchema(table: string): Promise<JsonObject> {
    const tables = ((await this.schema()).tables ?? []) as JsonObject[];
    const t = tables.find((x) => x.table_id === table);
    if (t === undefined) throw new DatasourceError('table_not_found', `Table '${table}' for datasource '${this.name}' has no schema `);
    return t;
  }

  /** The rows of a table (normalised values). */
  async rows(table: string): Promise<Row[]> {
    return (await this.call(DATASOURCE_METHODS.getRowData, { table })) as Row[];
  }

  /** The status dict. */
  async status(): Promise<DatasourceStatus> {
    return (await this.call(DATASOURCE_METHODS.getStatus)) as DatasourceStatus;
  }

  /** The action listing, sorted by name. */
  async actions(): Promise<ActionDescription[]> {
    return (await this.call(DATASOURCE_METHODS.getActions)) as ActionDescription[];
  }

  /** Recent action outcomes. */
  async actionHistory(): Promise<ActionOutcome[]> {
    return (await this.call(DATASOURCE_METHODS.getActionHistory)) as ActionOutcome[];
  }

  /** Replaces a pushed table (push drivers). */
  async replaceRows(table: string, rows: DocumentValue): Promise<void> {
    // As text: the bus's plain JSON would turn `1.0` into an integer and round big integers.
    await this.call(DATASOURCE_METHODS.replaceTable, { table, rows_json: stringifyJson(rows) });
  }

  /** Forwards a webhook notification. */
  async webhook(body: DocumentValue): Promise<void> {
    await this.call(DATASOURCE_METHODS.webhook, { body_json: stringifyJson(body) });
  }

  /** Hands a webhook document to a JSON ingester's table (this client's service is `__json__<name>`). */
  async jsonIngesterWebhook(table: string, body: DocumentValue): Promise<void> {
    // The document also goes as text: the bus's plain JSON would turn 1.0 into 1 and round big integers.
    await this.call(WEBHOOK_METHOD, { table_name: table, body: plainJson(body), body_json: canonicalJson(body) });
  }

  /** Asks for a poll now; with `wait` resolves after it. */
  async refresh(wait = false): Promise<void> {
    await this.call(DATASOURCE_METHODS.requestRefresh, { wait });
  }

  /** Requests an action; with `wait` resolves with its result (or its error). */
  async execute(action: string, args: ActionArgs, wait = false): Promise<unknown> {
    return this.call(DATASOURCE_METHODS.requestExecute, { action, ...actionArgsFields(args.positional, args.named), wait, explicit: true });
  }
}

/** The API's view of datasources and drivers. */
export class DatasourceDirectory {
  private readonly longTimeoutMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly node: DseNode,
    private readonly store: PolicyStore,
    /** The drivers this build knows (the same list as the datasource node's). */
    readonly registry: DriverRegistry = new DriverRegistry(),
    options: DirectoryOptions = {},
  ) {
    this.longTimeoutMs = options.longTimeoutMs ?? 120_000;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Every datasource, secrets masked. */
  async listDatasources(): Promise<DatasourceDict[]> {
    return (await this.store.listDatasources()).map((d) => datasourceDict(d, this.registry.secrets(d.driver)));
  }

  /** One datasource by name, else id; secrets masked; null if unknown. */
  async getDatasource(nameOrId: string): Promise<DatasourceDict | null> {
    const d = await this.store.getDatasource(nameOrId);
    return d === null ? null : datasourceDict(d, this.registry.secrets(d.driver));
  }

  /** Creates a datasource through `_ds_manager`; 400/409/503 as `DatasourceError`. */
  async createDatasource(body: unknown): Promise<DatasourceDict> {
    try {
      return (await this.node.call(MANAGER_SERVICE, MANAGER_METHODS.addDatasource, { body: body as JsonValue }, { timeoutMs: this.longTimeoutMs })) as DatasourceDict;
    } catch (error) {
      return mapError(error, MANAGER_SERVICE, MANAGER_METHODS.addDatasource);
    }
  }

  /** Deletes a datasource through `_ds_manager`; null if unknown. */
  async deleteDatasource(nameOrId: string): Promise<DatasourceDict | null> {
    try {
      return (await this.node.call(MANAGER_SERVICE, MANAGER_METHODS.deleteDatasource, { id: nameOrId }, { timeoutMs: this.longTimeoutMs })) as DatasourceDict;
    } catch (error) {
      if (error instanceof ServiceError && error.errorCode === 'datasource_not_found') return null;
      return mapError(error, MANAGER_SERVICE, MANAGER_METHODS.deleteDatasource);
    }
  }

  /** `{"id", "description"}` of every driver, sorted by id. */
  async listDrivers(): Promise<DriverSummary[]> {
    return this.registry.list();
  }

  /** The driver info with its tables, or null. */
  async getDriver(id: string): Promise<DriverInfo | null> {
    return this.registry.info(id);
  }

  /**
   * The service of a datasource given by name or id (an unknown value is used as a service name,
   * as the original does), or null when no node hosts it.
   */
  async service(nameOrId: string): Promise<DatasourceClient | null> {
    const d = await this.store.getDatasource(nameOrId);
    const name = d?.name ?? nameOrId;
    if (this.node.serviceHosts()[name] === undefined) return null;
    return new DatasourceClient(this.node, name, this.timeoutMs);
  }
}

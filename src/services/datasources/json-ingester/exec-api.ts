/**
 * The JSON ingester's actions (the original's exec API): SQL policies propose API calls as rows
 * of views named `_exec_api` in any schema. After every change an ingester writes, all of them
 * are read in one snapshot and each row not present the previous time is sent to the endpoint
 * of the ingester configuration it names (`allow_exec_api: true`). A row that stays is not sent
 * again; one that goes and comes back is.
 */
import { JsonText, UpstreamError } from '../openstack/http';
import type { DatasourceLogger } from '../logger';
import { pythonStr } from '../../../datalog/python-text';
import { isJsonObject, type JsonValue } from '../../../datalog/json';
import { canonicalJson, pythonJson } from './canonical-json';
import type { DocumentStore, ExecApiRow } from './document-store';
import type { Upstream } from './upstream';

/** keystoneauth's `connect_retries` and `status_code_retries` of the original's request. */
const RETRIES = 10;
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;

export interface ExecApiOptions {
  readonly store: DocumentStore;
  /** Endpoints by configuration name, for the configurations with `allow_exec_api: true`. */
  readonly endpoints: ReadonlyMap<string, Upstream>;
  readonly log: DatasourceLogger;
  /** `[DEFAULT] enable_execute_action`: false only logs what would be sent. */
  readonly enabled: boolean;
  /** Delay before retry n (tests shorten it). */
  readonly retryDelayMs?: (attempt: number) => number;
}

export class ExecApiManager {
  private last = new Set<string>();
  private running: Promise<void> = Promise.resolve();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: ExecApiOptions) {}

  /** Reads the views and sends what is new; runs one at a time, as the original's lock did. */
  evaluate(): Promise<void> {
    const next = this.running.then(() => this.evaluateOnce());
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Waits for the requests under way (and stops sending new ones). */
  async close(): Promise<void> {
    this.closed = true;
    await this.running;
    await Promise.allSettled([...this.inFlight]);
  }

  private async evaluateOnce(): Promise<void> {
    if (this.closed) return;
    const { rows, problems } = await this.options.store.execApiRows();
    for (const p of problems) {
      this.options.log.warn(`the "${p.table}" relation in the "${p.schema}" schema does not have the columns of an API call (endpoint, path, method, body, parameters, headers); its rows are ignored: ${p.error}`);
    }
    const now = new Map<string, ExecApiRow>();
    for (const row of rows) now.set(canonicalJson([row.endpoint, row.path, row.method, row.body, row.parameters, row.headers]), row);
    const fresh = [...now].filter(([key]) => !this.last.has(key));
    this.last = new Set(now.keys());
    for (const [, row] of fresh) this.execute(row);
  }

  private execute(row: ExecApiRow): void {
    const endpoint = this.options.endpoints.get(pythonStr(row.endpoint));
    const request = { endpoint: pythonStr(row.endpoint), path: pythonStr(row.path), method: pythonStr(row.method).toUpperCase() };
    if (endpoint === undefined) {
      this.options.log.warn(`no API endpoint named '${request.endpoint}' allows exec API requests; skipping ${request.method} ${request.path}`);
      return;
    }
    if (!this.options.enabled) {
      this.options.log.info(`simulating API request (enable_execute_action is false): ${request.method} ${request.path} on '${request.endpoint}'`);
      return;
    }
    const sent = this.send(endpoint, request.method, request.path, row).then(
      (): void => void this.options.log.info(`API request done: ${request.method} ${request.path} on '${request.endpoint}'`),
      (err: unknown): void => void this.options.log.warn(`API request failed: ${request.method} ${request.path} on '${request.endpoint}': ${err instanceof Error ? err.message : String(err)}`),
    );
    this.inFlight.add(sent);
    void sent.finally(() => this.inFlight.delete(sent));
  }

  private async send(endpoint: Upstream, method: string, path: string, row: ExecApiRow): Promise<void> {
    const given = row.headers as JsonValue;
    const headers = isJsonObject(given) ? Object.fromEntries(Object.entries(given).map(([k, v]) => [k, pythonStr(v)])) : undefined;
    // As its JSON text: the view's 1.0 stays 1.0 on the wire, as python-requests sent it.
    const body = row.body === null || row.body === undefined ? undefined : new JsonText(pythonJson(row.body));
    for (let attempt = 0; ; attempt++) {
      try {
        await endpoint.send(method, path, { body, params: row.parameters, headers });
        return;
      } catch (err) {
        const retriable = err instanceof UpstreamError && (err.kind === 'connection' || err.status === 503);
        if (!retriable || attempt >= RETRIES || this.closed) throw err;
        const delay = this.options.retryDelayMs?.(attempt) ?? Math.min(FIRST_DELAY_MS * 2 ** attempt, MAX_DELAY_MS);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}

/**
 * One JSON ingester (an `[json_ingester]` configuration with tables): it polls its API paths,
 * keeps each table's documents in PostgreSQL as they are after the last poll, and takes webhook
 * documents for its webhook tables. It is the bus service `__json__<name>`, which the API's
 * webhook route calls; after every change it has the exec API manager look at the `_exec_api`
 * views again.
 */
import type { DseNode, LocalService } from '../../../bus';
import { parseJson } from '../../../datalog/json';
import { pythonStr } from '../../../datalog/python-text';
import { DatasourceError, errors } from '../errors';
import type { DatasourceLogger } from '../logger';
import { canonicalJson } from './canonical-json';
import type { IngesterConfig, IngesterTable } from './config';
import type { DocumentStore } from './document-store';
import type { ExecApiManager } from './exec-api';
import { parseJsonPath, type JsonPath } from './jsonpath';
import { KeyMap } from './key-map';
import type { Upstream } from './upstream';

/** The original's prefix of an ingester's service id, so that it never meets a datasource's. */
export const JSON_SERVICE_PREFIX = '__json__';
export const WEBHOOK_METHOD = 'json_ingester_webhook_handler';
/** PostgreSQL cannot index a btree key longer than this (the original's limit). */
const MAX_KEY_LENGTH = 2712;

interface PolledTable {
  readonly name: string;
  readonly path: string;
  readonly select: JsonPath;
}

interface HookTable {
  readonly record: JsonPath;
  readonly id: JsonPath;
  readonly recordText: string;
  readonly idText: string;
}

export interface IngesterParts {
  readonly store: DocumentStore;
  readonly exec: ExecApiManager;
  readonly upstream: Upstream | null;
  readonly log: DatasourceLogger;
}

export class JsonIngester {
  private readonly pollTables: PolledTable[] = [];
  private readonly webhookTables = new Map<string, HookTable>();
  /** Each poll table's documents (canonical text) as stored; absent: the next write replaces the table. */
  private readonly state = new Map<string, Set<string>>();
  private readonly keys = new Map<string, KeyMap>();
  private local: LocalService | null = null;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | null = null;
  /** A poll queued behind the one in flight, shared by the callers that asked meanwhile. */
  private followUp: Promise<void> | null = null;
  private stopped = false;
  /** Polls done, and the last poll's failure (null when it went well). */
  updates = 0;
  lastError: string | null = null;

  /** Checks the configuration's JSONPath expressions; a bad one stops this ingester only. */
  constructor(
    readonly config: IngesterConfig & { readonly tables: readonly IngesterTable[] },
    private readonly parts: IngesterParts,
  ) {
    for (const t of config.tables) {
      this.keys.set(t.name, new KeyMap());
      if (t.poll !== undefined) this.pollTables.push({ name: t.name, path: t.poll.apiPath, select: compile(t.poll.jsonpath, config.name, t.name) });
      if (t.webhook !== undefined) {
        this.webhookTables.set(t.name, {
          record: compile(t.webhook.recordJsonpath, config.name, t.name),
          id: compile(t.webhook.idJsonpath, config.name, t.name),
          recordText: t.webhook.recordJsonpath,
          idText: t.webhook.idJsonpath,
        });
      }
    }
    if (this.pollTables.length > 0 && parts.upstream === null) throw new Error(`JSON ingester '${config.name}' polls tables but has no api_endpoint`);
  }

  get serviceId(): string {
    return JSON_SERVICE_PREFIX + this.config.name;
  }

  /** Creates the schema and tables, joins the bus and starts polling. */
  async start(node: DseNode): Promise<void> {
    await this.parts.store.prepare(this.config.name, this.config.tables);
    this.local = await node.register({
      id: this.serviceId,
      methods: {
        [WEBHOOK_METHOD]: (args: unknown) => {
          const a = (args ?? {}) as { table_name?: unknown; body?: unknown; body_json?: unknown };
          // body_json keeps what the bus's plain JSON loses (1.0, big integers); body alone is what a node of an earlier version sends.
          const body = typeof a.body_json === 'string' ? parseJson(a.body_json) : (a.body ?? null);
          return this.webhook(typeof a.table_name === 'string' ? a.table_name : '', body);
        },
      },
    });
    if (this.pollTables.length > 0) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling;
    await this.followUp;
    await this.local?.unregister();
    this.local = null;
  }

  /**
   * A poll that starts now, or right after the one in flight (which fetched before this call):
   * callers meanwhile share that follow-up, so a caller always sees the upstream as it was at
   * its call or later (the timer, and tests after changing the upstream).
   */
  poll(): Promise<void> {
    if (this.polling === null) {
      this.polling = this.pollOnce().finally(() => {
        this.polling = null;
      });
      return this.polling;
    }
    // After the one in flight however it ended: a rejection must not leave the follow-up stuck.
    const next = (): Promise<void> => {
      this.followUp = null;
      return this.poll();
    };
    this.followUp ??= this.polling.then(next, next);
    return this.followUp;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.poll().finally(() => this.schedule(this.config.pollIntervalSeconds * 1000));
    }, delayMs);
    this.timer.unref();
  }

  private async pollOnce(): Promise<void> {
    const log = this.parts.log;
    let changed = false;
    const failures: string[] = [];
    for (const t of this.pollTables) {
      if (this.stopped) return;
      let documents: Set<string>;
      try {
        const r = await this.parts.upstream!.send('GET', t.path);
        // Read again with Python's number semantics: JSON.parse would store 1.0 as 1 and round big integers.
        const body = r.text.trim() === '' ? null : parseJson(r.text);
        documents = new Set(t.select.find(body).map((d) => canonicalJson(d)));
      } catch (err) {
        // The table keeps what the last good poll stored.
        failures.push(`${t.name}: ${message(err)}`);
        log.warn(`JSON ingester '${this.config.name}' could not update table ${t.name}: ${message(err)}`);
        continue;
      }
      try {
        if (await this.store(t.name, documents)) changed = true;
      } catch (err) {
        failures.push(`${t.name}: ${message(err)}`);
        log.error(`JSON ingester '${this.config.name}' could not write table ${t.name}; it is replaced whole next time: ${message(err)}`);
        this.state.delete(t.name);
        this.keys.get(t.name)?.clear();
      }
    }
    this.updates += 1;
    this.lastError = failures.length > 0 ? failures.join('; ') : null;
    if (changed) await this.evaluateActions();
  }

  /** Writes a table's new documents; false when nothing changed. */
  private async store(table: string, documents: Set<string>): Promise<boolean> {
    const before = this.state.get(table);
    const keys = this.keys.get(table)!;
    if (before === undefined) {
      keys.clear();
      const insert = [...documents].map((json) => ({ json, key: keys.add(json) }));
      await this.parts.store.write(this.config.name, table, { replace: true, deleteKeys: [], insert });
    } else {
      const gone = [...before].filter((d) => !documents.has(d));
      const added = [...documents].filter((d) => !before.has(d));
      if (gone.length === 0 && added.length === 0) return false;
      const deleteKeys = gone.map((d) => keys.remove(d)).filter((k): k is string => k !== undefined);
      const insert = added.map((json) => ({ json, key: keys.add(json) }));
      await this.parts.store.write(this.config.name, table, { replace: false, deleteKeys, insert });
    }
    this.state.set(table, documents);
    return true;
  }

  /** A webhook document: the one record its path selects, stored under the one id in it. */
  async webhook(table: string, body: unknown): Promise<void> {
    const hook = this.webhookTables.get(table);
    if (hook === undefined) {
      throw new DatasourceError('table_not_found', `In JSON Ingester: "${this.config.name}", the table "${table}" either does not exist or is not configured for webhook.`);
    }
    const record = exactlyOne(hook.record, hook.recordText, body, 'In identifying JSON record from webhook body, the configured jsonpath expression "{path}" fails to obtain exactly one match on webhook body "{data}".');
    const id = exactlyOne(hook.id, hook.idText, record, 'In identifying ID from JSON record, the configured jsonpath expression "{path}" fails to obtain exactly one match on JSON record "{data}".');
    const key = canonicalJson(id);
    if (key.length > MAX_KEY_LENGTH) throw errors.badPush(`The supplied key (${key}) exceeds the max indexable size (${MAX_KEY_LENGTH}) in PostgreSQL.`);
    try {
      await this.parts.store.upsert(this.config.name, table, { json: canonicalJson(record), key });
    } catch (err) {
      // The original logged this and answered success; the sender should know to send again.
      throw new DatasourceError('manager_unavailable', `JSON ingester '${this.config.name}' could not store the document in table ${table}: ${message(err)}`);
    }
    await this.evaluateActions();
  }

  private async evaluateActions(): Promise<void> {
    try {
      await this.parts.exec.evaluate();
    } catch (err) {
      this.parts.log.error(`JSON ingester '${this.config.name}': reading the _exec_api views failed: ${message(err)}`);
    }
  }
}

function compile(text: string, ingester: string, table: string): JsonPath {
  try {
    return parseJsonPath(text);
  } catch (err) {
    throw new Error(`JSON ingester '${ingester}', table ${table}: bad jsonpath ${JSON.stringify(text)}: ${message(err)}`);
  }
}

function exactlyOne(path: JsonPath, text: string, data: unknown, template: string): unknown {
  const found = path.find(data);
  if (found.length !== 1) throw errors.badPush(template.replace('{path}', () => text).replace('{data}', () => pythonStr(data)));
  return found[0];
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

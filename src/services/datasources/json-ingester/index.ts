/**
 * The JSON ingester subsystem of a datasources node (`[json_ingester] enable = true`): loads the
 * configurations, starts one ingester per configuration with tables, and shares one exec API
 * manager and one PostgreSQL pool among them. A configuration that fails stops only itself.
 */
import type { DseNode } from '../../../bus';
import type { HttpOptions } from '../openstack/http';
import type { DatasourceLogger } from '../logger';
import { loadIngesterConfigs, type IngesterConfig, type IngesterTable } from './config';
import { DocumentStore } from './document-store';
import { ExecApiManager } from './exec-api';
import { JsonIngester } from './ingester';
import { Upstream } from './upstream';

export { JSON_SERVICE_PREFIX, WEBHOOK_METHOD, JsonIngester } from './ingester';
export { connectionConfig } from './document-store';

export interface JsonIngesterOptions {
  readonly node: DseNode;
  /** `[json_ingester] db_connection`. */
  readonly connection: string;
  readonly configPath: string;
  readonly reusablesPath?: string;
  /** `[DEFAULT] enable_execute_action`. */
  readonly enableExecuteAction: boolean;
  readonly log: DatasourceLogger;
  readonly http?: HttpOptions & { readonly timeoutMs?: number };
  readonly execRetryDelayMs?: (attempt: number) => number;
}

export class JsonIngesters {
  private constructor(
    readonly ingesters: readonly JsonIngester[],
    /** Configurations that did not start, with the reason. */
    readonly failed: Readonly<Record<string, string>>,
    private readonly store: DocumentStore,
    private readonly exec: ExecApiManager,
  ) {}

  static async start(options: JsonIngesterOptions): Promise<JsonIngesters> {
    const log = options.log;
    const { configs } = loadIngesterConfigs(options.configPath, options.reusablesPath, { warn: (m) => log.warn(m) });
    const store = new DocumentStore(options.connection);
    const upstreams = new Map<string, Upstream>();
    for (const c of configs) if (c.apiEndpoint !== undefined) upstreams.set(c.name, new Upstream(c.apiEndpoint, c, options.http));
    const endpoints = new Map([...upstreams].filter(([name]) => configs.some((c) => c.name === name && c.allowExecApi)));
    const exec = new ExecApiManager({ store, endpoints, log, enabled: options.enableExecuteAction, retryDelayMs: options.execRetryDelayMs });
    const started: JsonIngester[] = [];
    const failed: Record<string, string> = {};
    for (const c of configs) {
      if (!hasTables(c)) continue; // names an exec API endpoint only
      try {
        const ingester = new JsonIngester(c, { store, exec, upstream: upstreams.get(c.name) ?? null, log });
        await ingester.start(options.node);
        started.push(ingester);
        log.info(`JSON ingester '${c.name}' started (${c.tables.length} tables)`);
      } catch (err) {
        failed[c.name] = err instanceof Error ? err.message : String(err);
        log.error(`JSON ingester '${c.name}' failed to start: ${failed[c.name]}`);
      }
    }
    return new JsonIngesters(started, failed, store, exec);
  }

  names(): string[] {
    return this.ingesters.map((i) => i.config.name);
  }

  async stop(): Promise<void> {
    await Promise.all(this.ingesters.map((i) => i.stop()));
    await this.exec.close();
    await this.store.close();
  }
}

function hasTables(c: IngesterConfig): c is IngesterConfig & { readonly tables: readonly IngesterTable[] } {
  return c.tables !== undefined;
}

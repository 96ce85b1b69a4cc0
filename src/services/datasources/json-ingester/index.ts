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

export { JSON_SERVICE_PREFIX, WEBHOOK_METHOD } from './ingester';

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
  /** Pause before trying again to start ingesters whose tables could not be created (default 10 s). */
  readonly startRetryMs?: number;
}

export class JsonIngesters {
  /** Ingesters running. */
  readonly ingesters: JsonIngester[] = [];
  /** Configurations that cannot run (a bad JSONPath expression, no endpoint), with the reason. */
  readonly failed: Record<string, string> = {};
  /** Ingesters whose tables could not be created yet (PostgreSQL not reachable), with the last error; retried. */
  private readonly waiting = new Map<string, { readonly ingester: JsonIngester; error: string }>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  private constructor(
    private readonly options: JsonIngesterOptions,
    private readonly store: DocumentStore,
    private readonly exec: ExecApiManager,
  ) {}

  static async start(options: JsonIngesterOptions): Promise<JsonIngesters> {
    const log = options.log;
    const { configs } = loadIngesterConfigs(options.configPath, options.reusablesPath, { warn: (m) => log.warn(m) });
    const store = await DocumentStore.open(options.connection);
    const upstreams = new Map<string, Upstream>();
    for (const c of configs) if (c.apiEndpoint !== undefined) upstreams.set(c.name, new Upstream(c.apiEndpoint, c, options.http));
    const endpoints = new Map([...upstreams].filter(([name]) => configs.some((c) => c.name === name && c.allowExecApi)));
    const exec = new ExecApiManager({ store, endpoints, log, enabled: options.enableExecuteAction, retryDelayMs: options.execRetryDelayMs });
    const all = new JsonIngesters(options, store, exec);
    for (const c of configs) {
      if (!hasTables(c)) continue; // names an exec API endpoint only
      try {
        const ingester = new JsonIngester(c, { store, exec, upstream: upstreams.get(c.name) ?? null, log });
        all.waiting.set(c.name, { ingester, error: '' });
      } catch (err) {
        all.failed[c.name] = message(err);
        log.error(`JSON ingester '${c.name}' cannot run: ${all.failed[c.name]}`);
      }
    }
    await all.startWaiting();
    return all;
  }

  /** Names of the running ingesters. */
  names(): string[] {
    return this.ingesters.map((i) => i.config.name);
  }

  /** The last poll's failure of each running ingester whose last poll failed. */
  pollErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const i of this.ingesters) if (i.lastError !== null) out[i.config.name] = i.lastError;
    return out;
  }

  /** Names of the ingesters still waiting for their database, with the last error. */
  pending(): Record<string, string> {
    return Object.fromEntries([...this.waiting].map(([name, w]) => [name, w.error]));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.all(this.ingesters.map((i) => i.stop()));
    await this.exec.close();
    await this.store.close();
  }

  /**
   * Starts what waits; what still fails is tried again later. The datasources node may well
   * start before PostgreSQL does (the original gave such an ingester up until the next restart).
   */
  private async startWaiting(): Promise<void> {
    for (const [name, w] of this.waiting) {
      if (this.stopped) return;
      try {
        await w.ingester.start(this.options.node);
        this.waiting.delete(name);
        if (this.stopped) {
          await w.ingester.stop();
          return;
        }
        this.ingesters.push(w.ingester);
        this.options.log.info(`JSON ingester '${name}' started (${w.ingester.config.tables.length} tables)`);
      } catch (err) {
        w.error = message(err);
        this.options.log.warn(`JSON ingester '${name}' could not start, trying again in ${this.retryMs / 1000} s: ${w.error}`);
      }
    }
    if (this.waiting.size > 0 && !this.stopped) {
      this.timer = setTimeout(() => void this.startWaiting(), this.retryMs);
      this.timer.unref();
    }
  }

  private get retryMs(): number {
    return this.options.startRetryMs ?? 10_000;
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function hasTables(c: IngesterConfig): c is IngesterConfig & { readonly tables: readonly IngesterTable[] } {
  return c.tables !== undefined;
}

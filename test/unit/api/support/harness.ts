/**
 * An API application on a real store (SQLite in a temporary directory by default, or any
 * connection URL), with the real engine service behind it: what route tests run against.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { createApiApp } from '../../../../src/api';
import type { CorsPolicy } from '../../../../src/api/cors';
import { openPolicyStore, type PolicyStore } from '../../../../src/db';
import { PolicyEngineService, silentLogger } from '../../../../src/services/engine';
import { StoredDatasources } from '../../../../src/server/stored-datasources';

/** A running application and what it is made of. */
export interface ApiHarness {
  readonly app: Express;
  readonly engine: PolicyEngineService;
  readonly store: PolicyStore;
  readonly dir: string;
  /** Log lines the application wrote (info and error). */
  readonly logs: string[];
  close(): Promise<void>;
}

/** Options of `startHarness`. */
export interface HarnessOptions {
  /** A database URL; default: a new SQLite file in the temporary directory. */
  readonly connection?: string;
  /** Wraps the store (to inject failures). */
  readonly wrapStore?: (store: PolicyStore) => PolicyStore;
  readonly maxBodyBytes?: number;
  readonly cors?: CorsPolicy;
}

/** Builds the application on a fresh, migrated database. */
export async function startHarness(options: HarnessOptions = {}): Promise<ApiHarness> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-api-'));
  const base = await openPolicyStore({
    connection: options.connection ?? `sqlite:///${path.join(dir, 'congress.sqlite')}`,
    encryptionKeyPath: path.join(dir, 'keys'),
    migrate: true,
  });
  const store = options.wrapStore ? options.wrapStore(base) : base;
  const { engine } = await PolicyEngineService.start(store, { logger: silentLogger });
  const logs: string[] = [];
  const logger = { info: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };
  const app = createApiApp({
    engine,
    library: engine.library,
    datasources: new StoredDatasources(store),
    logger,
    maxBodyBytes: options.maxBodyBytes,
    cors: options.cors,
  });
  return {
    app,
    engine,
    store,
    dir,
    logs,
    close: async () => {
      await base.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/** The `error` member of a Congress error body. */
export function errorOf(body: unknown): { message: string; error_code: number; error_data: unknown } {
  const e = (body as { error?: unknown }).error;
  if (typeof e !== 'object' || e === null) throw new Error(`not a Congress error body: ${JSON.stringify(body)}`);
  return e as { message: string; error_code: number; error_data: unknown };
}

/**
 * A policy-engine node and a datasource node on one in-process bus, with the API of the engine
 * node in front (the split-roles deployment without processes), over a fresh SQLite store.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApiApp } from '../../../../src/api';
import { DseNode, InProcessBroker } from '../../../../src/bus';
import { openPolicyStore, type PolicyStore } from '../../../../src/db';
import { DatasourceDirectory, DatasourceManager } from '../../../../src/services/datasources';
import { PolicyEngineService, silentLogger } from '../../../../src/services/engine';
import { BusActionSink } from '../../../../src/services/engine/bus-actions';
import { DatasourceLink } from '../../../../src/services/engine/datasource-link';
import { BusDatasources } from '../../../../src/server/bus-datasources';

const timing = { heartbeatIntervalMs: 50, peerTimeoutMs: 200, discoveryMs: 20, callTimeoutMs: 2000 };

export interface SplitRoles {
  readonly store: PolicyStore;
  /** The policy-engine node (the API's). */
  readonly pe: DseNode;
  /** The datasource node. */
  readonly ds: DseNode;
  readonly manager: DatasourceManager;
  readonly app: ReturnType<typeof createApiApp>;
  /** Stops both nodes and removes the store. */
  close(): Promise<void>;
}

/** Starts both roles; `actions` routes the engine's execute requests over the bus. */
export async function startSplitRoles(options: { actions?: boolean } = {}): Promise<SplitRoles> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-roles-'));
  const store = await openPolicyStore({ connection: `sqlite:///${path.join(dir, 'c.sqlite')}`, encryptionKeyPath: path.join(dir, 'keys'), migrate: true });
  const broker = new InProcessBroker();
  const ds = new DseNode({ nodeId: 'ds', busId: 'b', transport: broker.transport(), ...timing });
  await ds.start();
  const manager = new DatasourceManager({ node: ds, store, syncPeriodMs: 0 });
  await manager.start();
  const pe = new DseNode({ nodeId: 'pe', busId: 'b', transport: broker.transport(), ...timing });
  await pe.start();
  // The link is made after the engine, which tells it when the rules change.
  const onRulesChanged = (): void => link.changed();
  const { engine } = await PolicyEngineService.start(store, {
    logger: silentLogger,
    onRulesChanged,
    ...(options.actions === true ? { actions: new BusActionSink(pe) } : {}),
  });
  const link = new DatasourceLink(store, engine.runtime, pe, { syncPeriodMs: 0 });
  await link.start();
  const datasources = new BusDatasources(new DatasourceDirectory(pe, store), pe, store, onRulesChanged, 2000);
  const app = createApiApp({ engine, library: engine.library, datasources, logger: { info: () => undefined, error: () => undefined } });
  return {
    store,
    pe,
    ds,
    manager,
    app,
    async close() {
      await link.stop();
      await manager.stop();
      await pe.stop();
      await ds.stop();
      await store.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

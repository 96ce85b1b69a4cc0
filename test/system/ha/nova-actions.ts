/**
 * The set-up of the action system tests: a fake cloud, the replicated cluster, the `nova`
 * datasource and a policy `ops` whose `execute[nova:servers.pause(id)]` rule fires for servers
 * named in `pause_me` (every fake server is ACTIVE), with both engines holding nova:servers
 * before anything is derived.
 */
import { FakeCloud } from '../../fixtures/openstack';
import { waitFor } from '../../support/wait';
import { call, startCluster, type Cluster } from '../replication/cluster';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const eventually = (what: string, timeoutMs: number, check: () => boolean | Promise<boolean>): Promise<true> =>
  waitFor(what, timeoutMs, async () => ((await check()) ? true : undefined), 100);

export interface NovaActions {
  readonly cluster: Cluster;
  readonly cloud: FakeCloud;
  /** Requests to pause, unpause... server `id` the fake Nova received. */
  actionsOn(id: string): number;
  /** The id of the fake server named `name`. */
  serverId(name: string): string;
  stop(): Promise<void>;
}

/** Starts everything; `dse`: more `[dse]` options of the cluster. */
export async function startNovaActions(dse: Record<string, string> = {}): Promise<NovaActions> {
  const cloud = await FakeCloud.start();
  let cluster: Cluster | undefined;
  const stop = async (): Promise<void> => {
    await cluster?.stop();
    await cloud.close();
  };
  try {
    for (const s of cloud.nova.servers.list()) cloud.nova.servers.update(String(s.id), { status: 'ACTIVE' });
    cluster = await startCluster('2', dse);
    const { pe1, pe2 } = cluster;
    expect((await call(pe1.url, 'POST', '/v1/data-sources', { name: 'nova', driver: 'nova', config: cloud.config({ poll_time: 0 }) })).status).toBe(201);
    expect((await call(pe1.url, 'POST', '/v1/policies', { name: 'ops' })).status).toBe(201);
    const rule = 'execute[nova:servers.pause(id)] :- nova:servers(id=id, status="ACTIVE"), pause_me(id)';
    // The create answered once this engine knew the schema: column references work at once.
    expect((await call(pe1.url, 'POST', '/v1/policies/ops/rules', { rule })).status).toBe(201);
    // Both engines follow nova:servers before the action is derived.
    expect((await call(pe1.url, 'POST', '/v1/policies/ops/rules', { rule: 'srv(id) :- nova:servers(id=id)' })).status).toBe(201);
    await call(pe1.url, 'POST', '/v1/data-sources/nova?action=request-refresh');
    for (const pe of [pe1, pe2]) {
      let last: unknown = null;
      await eventually(`nova servers in the engine of ${pe.url}`, 20_000, async () => {
        // The engine's own copy of nova:servers, read through a policy table derived from it.
        const r = await call(pe.url, 'GET', '/v1/policies/ops/tables/srv/rows');
        last = r.body;
        return r.status === 200 && (r.body as { results: unknown[] }).results.length === 2;
      }).catch((err: unknown) => {
        throw new Error(`${(err as Error).message}: ${JSON.stringify(last)}`);
      });
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const started = cluster;
  return {
    cluster: started,
    cloud,
    actionsOn: (id) => cloud.requestsTo('POST', `/servers/${id}/action`).length,
    serverId: (name) => String(cloud.nova.servers.list().find((s) => s.name === name)?.id),
    stop,
  };
}

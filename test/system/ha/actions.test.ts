/**
 * Exactly-once actions with replicated engines: both policy-engine nodes derive the same
 * execute[nova:servers.pause(...)] row, but the datasource node executes the requests of one
 * leader engine only, so the fake Nova sees exactly one call per derived action. After the
 * leader is killed (kill -9), the next derived action runs exactly once through the other node.
 */
import { FakeCloud } from '../../fixtures/openstack';
import { waitFor } from '../../support/wait';
import { call, startCluster, type Cluster } from '../replication/cluster';

jest.setTimeout(180_000);

let cluster: Cluster;
let cloud: FakeCloud;

afterAll(async () => {
  await cluster?.stop();
  await cloud?.close();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const eventually = (what: string, timeoutMs: number, check: () => boolean | Promise<boolean>): Promise<true> =>
  waitFor(what, timeoutMs, async () => ((await check()) ? true : undefined), 100);

test('each derived action reaches the upstream service exactly once, also across a leader kill', async () => {
  cloud = await FakeCloud.start();
  cluster = await startCluster('2');
  const { pe1, pe2 } = cluster;
  const servers = cloud.nova.servers.list();
  const web = String(servers.find((s) => s.name === 'web-1')?.id);
  const dbId = String(servers.find((s) => s.name === 'db-1')?.id);
  cloud.nova.servers.update(dbId, { status: 'ACTIVE' });

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

  const actionsOn = (id: string): number => cloud.requestsTo('POST', `/servers/${id}/action`).length;
  expect((await call(pe1.url, 'POST', '/v1/policies/ops/rules', { rule: `pause_me("${web}")` })).status).toBe(201);
  await eventually('the pause of web-1 upstream', 20_000, () => actionsOn(web) >= 1);
  await sleep(1500); // the other engine's request would have arrived by now
  expect(actionsOn(web)).toBe(1);

  // An explicit execute through the node that is not the leader runs too (once).
  expect((await call(pe2.url, 'POST', '/v1/policies/ops?action=execute', { name: 'nova:servers.unpause', args: { positional: [web] } })).status).toBe(200);
  await eventually('the explicit unpause upstream', 20_000, () => actionsOn(web) >= 2);
  await sleep(500);
  expect(actionsOn(web)).toBe(2);
  expect(cloud.nova.servers.get(web)?.status).toBe('ACTIVE');

  // Kill the node that wrote (and so asked first: the leader); the next action goes through pe2.
  process.kill(pe1.pid, 'SIGKILL');
  await sleep(1500); // its heartbeats stop; the datasource node forgets it
  expect((await call(pe2.url, 'POST', '/v1/policies/ops/rules', { rule: `pause_me("${dbId}")` })).status).toBe(201);
  await eventually('the pause of db-1 upstream', 20_000, () => actionsOn(dbId) >= 1);
  await sleep(1500);
  expect(actionsOn(dbId)).toBe(1);
  expect(actionsOn(web)).toBe(2);

  // The datasource node's /metrics shows the datasource's polls and rows.
  const text = await (await fetch(`${cluster.ds.url}/metrics`)).text();
  expect(text).toMatch(/^congress_datasource_rows\{datasource="nova",table="servers"\} 2$/m);
  expect(text).toMatch(/^congress_datasource_consecutive_failures\{datasource="nova"\} 0$/m);
  expect(text).toMatch(/^congress_datasource_updates\{datasource="nova"\} [1-9]\d*$/m);
  expect(text).toMatch(/^congress_datasource_last_poll_seconds\{datasource="nova"\} \d/m);
  expect(text).toMatch(/^congress_bus_table_messages_published [1-9]\d*$/m);
});

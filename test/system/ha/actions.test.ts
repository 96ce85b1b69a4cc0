/**
 * Exactly-once actions with replicated engines: both policy-engine nodes derive the same
 * execute[nova:servers.pause(...)] row, but the datasource node executes the requests of one
 * leader engine only, so the fake Nova sees exactly one call per derived action. After the
 * leader is killed (kill -9), the next derived action runs exactly once through the other node.
 */
import { call } from '../replication/cluster';
import { eventually, sleep, startNovaActions, type NovaActions } from './nova-actions';

jest.setTimeout(180_000);

let setup: NovaActions | undefined;

afterAll(async () => {
  await setup?.stop();
});

test('each derived action reaches the upstream service exactly once, also across a leader kill', async () => {
  setup = await startNovaActions();
  const { cluster, cloud, actionsOn } = setup;
  const { pe1, pe2 } = cluster;
  const web = setup.serverId('web-1');
  const dbId = setup.serverId('db-1');

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

/**
 * `[dse] execute_action_retry = True` on the replicated topology: an action derived while the
 * datasource node is down (killed, as Pacemaker would find it) is sent again until the restarted
 * datasource node takes it, and reaches the fake Nova exactly once. Without the option the same
 * request is lost (test/unit/roles/action-retry.test.ts).
 */
import { call } from '../replication/cluster';
import { eventually, sleep, startNovaActions, type NovaActions } from './nova-actions';

jest.setTimeout(180_000);

let setup: NovaActions | undefined;

afterAll(async () => {
  await setup?.stop();
});

test('an action derived while the datasource node is down runs once when it is back', async () => {
  setup = await startNovaActions({ execute_action_retry: 'True', execute_action_retry_timeout: '60' });
  const { cluster, cloud, actionsOn } = setup;
  const { pe1 } = cluster;
  const web = setup.serverId('web-1');

  process.kill(cluster.ds.pid, 'SIGKILL');
  // The engines keep their copy of nova:servers; the datasource service is gone from the bus.
  await eventually('the datasource node gone from the bus', 10_000, async () => (await call(pe1.url, 'GET', '/v1/data-sources/nova/status')).status === 503);
  expect((await call(pe1.url, 'POST', '/v1/policies/ops/rules', { rule: `pause_me("${web}")` })).status).toBe(201);
  await eventually('a retried action request in the log', 10_000, () => /action nova:servers\.pause not delivered \(attempt \d+\).*retrying/.test(pe1.output().stderr));
  await sleep(1000);
  expect(actionsOn(web)).toBe(0);

  await cluster.start('--datasources', '--node-id', 'ds');
  await eventually('the pause of web-1 upstream', 30_000, () => actionsOn(web) >= 1);
  await sleep(2000); // the other engine's retried request would have arrived by now
  expect(actionsOn(web)).toBe(1);
  expect(cloud.nova.servers.get(web)?.status).toBe('PAUSED');
});

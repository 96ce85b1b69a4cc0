// `[oslo_messaging_rabbit]` options reach the broker connection of a node built from
// congress.conf: an AMQP heartbeat of half `heartbeat_timeout_threshold`, as RabbitMQ itself
// reports it (`rabbitmqctl list_connections timeout`), and the original's linear reconnect
// back-off once `rabbit_retry_interval` (or its companions) is set, the consumers' prefetch, and the
// login mechanism.
import { randomUUID } from 'node:crypto';
import winston from 'winston';
import type { DseNode } from '../../../src/bus';
import { createBusNode } from '../../../src/server/bus-node';
import { loadConfig } from '../../../src/server/config';
import { serviceQueue } from '../../../src/bus/amqp/topology';
import { closeConnectionsOf, deleteBusExchanges, deleteQueue, ensureRabbitMq, RABBIT_URL, rabbitmqctl } from '../../support/rabbitmq';
import { waitFor } from '../../support/wait';

jest.setTimeout(30_000);

const quiet = winston.createLogger({ silent: true });

/** The heartbeat RabbitMQ negotiated with the node of `busId`. */
async function negotiatedHeartbeat(busId: string): Promise<number> {
  const listing = await rabbitmqctl(['list_connections', '--no-table-headers', '--quiet', 'client_properties', 'timeout']);
  const line = listing.split('\n').find((l) => l.includes(`"congress ${busId} `));
  if (line === undefined) throw new Error(`no connection of bus ${busId} in:\n${listing}`);
  return Number(line.trim().split('\t').at(-1));
}

async function withNode(rabbit: Record<string, string>, check: (busId: string, node: DseNode) => Promise<void>): Promise<void> {
  const busId = `hb-${randomUUID().slice(0, 8)}`;
  const { config } = loadConfig({
    overrides: { DEFAULT: { transport_url: RABBIT_URL, node_id: 'n1' }, dse: { bus_id: busId }, oslo_messaging_rabbit: rabbit },
  });
  const node: DseNode = createBusNode(config, quiet);
  await node.start();
  try {
    await check(busId, node);
  } finally {
    await node.stop();
    await deleteBusExchanges(busId);
  }
}

beforeAll(() => ensureRabbitMq());

test('half of heartbeat_timeout_threshold is the AMQP heartbeat', async () => {
  await withNode({ heartbeat_timeout_threshold: '8' }, async (busId) => expect(await negotiatedHeartbeat(busId)).toBe(4));
});

test("the original's default threshold of 60 s gives 30 s heartbeats", async () => {
  await withNode({}, async (busId) => expect(await negotiatedHeartbeat(busId)).toBe(30));
});

/** Milliseconds from the broker closing the node's connection to the node being linked again. */
async function reconnectionMs(busId: string, node: DseNode): Promise<number> {
  const drops = node.status().linkDrops;
  const closedAt = Date.now();
  expect(await closeConnectionsOf(busId)).toBe(1);
  await waitFor('the drop', 5000, () => (node.status().linkDrops > drops ? true : undefined), 20);
  await waitFor('the reconnection', 15_000, () => (node.status().connected ? true : undefined), 20);
  return Date.now() - closedAt;
}

test("with rabbit_retry_interval set the first reconnection waits that long; unset, the bus's own back-off is quicker", async () => {
  let slow = 0;
  let quick = 0;
  await withNode({ rabbit_retry_interval: '8' }, async (busId, node) => {
    slow = await reconnectionMs(busId, node);
  });
  await withNode({}, async (busId, node) => {
    quick = await reconnectionMs(busId, node);
  });
  expect(slow).toBeGreaterThanOrEqual(8000);
  // Relative, not an absolute bound: on a loaded machine the reconnection itself (connection,
  // queues, bindings) took up to 4.2 s, and 2.5 s in the same run; the wait is long enough that
  // this spread cannot close the gap.
  expect(quick + 1500).toBeLessThan(slow);
});

/** Milliseconds from deleting the queue of a service the node hosts (the broker cancels its consumer) to the node being linked again. */
async function cancelRecoveryMs(busId: string, node: DseNode): Promise<number> {
  await node.register({ id: 'echo', methods: { echo: (args: unknown) => args } });
  const drops = node.status().linkDrops;
  const deletedAt = Date.now();
  await deleteQueue(serviceQueue(busId, 'echo'));
  await waitFor('the drop', 5000, () => (node.status().linkDrops > drops ? true : undefined), 20);
  await waitFor('the reconnection', 15_000, () => (node.status().connected ? true : undefined), 20);
  return Date.now() - deletedAt;
}

test("kombu_reconnect_delay: after the broker cancels a consumer the node waits that long; unset, the bus's back-off", async () => {
  let slow = 0;
  let quick = 0;
  await withNode({ kombu_reconnect_delay: '6' }, async (busId, node) => {
    slow = await cancelRecoveryMs(busId, node);
  });
  await withNode({}, async (busId, node) => {
    quick = await cancelRecoveryMs(busId, node);
  });
  expect(slow).toBeGreaterThanOrEqual(6000);
  expect(quick + 1500).toBeLessThan(slow);
});

test('rabbit_qos_prefetch_count sets the prefetch of the node\'s consumers; unset, 64', async () => {
  const prefetchOf = async (busId: string): Promise<number[]> => {
    const listing = await rabbitmqctl(['list_consumers', '--no-table-headers', '--quiet', 'queue_name', 'ack_required', 'prefetch_count']);
    return listing
      .split('\n')
      .filter((l) => l.startsWith(`${busId}.`) && l.split('\t')[1]?.trim() === 'true')
      .map((l) => Number(l.trim().split('\t').at(-1)));
  };
  await withNode({ rabbit_qos_prefetch_count: '7' }, async (busId) => {
    const counts = await prefetchOf(busId);
    expect(counts.length).toBeGreaterThan(0);
    expect(new Set(counts)).toEqual(new Set([7]));
  });
  await withNode({}, async (busId) => expect(new Set(await prefetchOf(busId))).toEqual(new Set([64])));
});

test("rabbit_login_method: the original's AMQPLAIN by default, PLAIN when asked", async () => {
  const mechanismOf = async (busId: string): Promise<string | undefined> => {
    const listing = await rabbitmqctl(['list_connections', '--no-table-headers', '--quiet', 'client_properties', 'auth_mechanism']);
    return listing.split('\n').find((l) => l.includes(`"congress ${busId} `))?.trim().split('\t').at(-1);
  };
  await withNode({}, async (busId) => expect(await mechanismOf(busId)).toBe('AMQPLAIN'));
  await withNode({ rabbit_login_method: 'PLAIN' }, async (busId) => expect(await mechanismOf(busId)).toBe('PLAIN'));
  await expect(withNode({ rabbit_login_method: 'RABBIT-CR-DEMO' }, () => Promise.resolve())).rejects.toThrow('rabbit_login_method RABBIT-CR-DEMO is not supported');
});

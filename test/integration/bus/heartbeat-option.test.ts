// `[oslo_messaging_rabbit] heartbeat_timeout_threshold` reaches the broker: the connection of a
// node built from congress.conf carries an AMQP heartbeat of half the threshold, as RabbitMQ
// itself reports it (`rabbitmqctl list_connections timeout`).
import { randomUUID } from 'node:crypto';
import winston from 'winston';
import type { DseNode } from '../../../src/bus';
import { createBusNode } from '../../../src/server/bus-node';
import { loadConfig } from '../../../src/server/config';
import { deleteBusExchanges, ensureRabbitMq, RABBIT_URL, rabbitmqctl } from '../../support/rabbitmq';

jest.setTimeout(30_000);

const quiet = winston.createLogger({ silent: true });

/** The heartbeat RabbitMQ negotiated with the node of `busId`. */
async function negotiatedHeartbeat(busId: string): Promise<number> {
  const listing = await rabbitmqctl(['list_connections', '--no-table-headers', '--quiet', 'client_properties', 'timeout']);
  const line = listing.split('\n').find((l) => l.includes(`"congress ${busId} `));
  if (line === undefined) throw new Error(`no connection of bus ${busId} in:\n${listing}`);
  return Number(line.trim().split('\t').at(-1));
}

async function withNode(rabbit: Record<string, string>, check: (busId: string) => Promise<void>): Promise<void> {
  const busId = `hb-${randomUUID().slice(0, 8)}`;
  const { config } = loadConfig({
    overrides: { DEFAULT: { transport_url: RABBIT_URL, node_id: 'n1' }, dse: { bus_id: busId }, oslo_messaging_rabbit: rabbit },
  });
  const node: DseNode = createBusNode(config, quiet);
  await node.start();
  try {
    await check(busId);
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

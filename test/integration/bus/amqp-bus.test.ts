// The shared bus suite over RabbitMQ (the machine's broker on 127.0.0.1:5672). Dropping links is
// done from the broker's side: `rabbitmqctl close_connection` on this bus id's connections only.
import { createTransport } from '../../../src/bus';
import { closeConnectionsOf, deleteBusExchanges, ensureRabbitMq, RABBIT_URL } from '../../support/rabbitmq';
import { busSuite } from '../../unit/bus/support/bus-suite';

jest.setTimeout(30_000);

busSuite('AMQP (RabbitMQ)', async () => {
  await ensureRabbitMq();
  return {
    timing: { heartbeatIntervalMs: 100, peerTimeoutMs: 600, discoveryMs: 150 },
    transport: () => createTransport(RABBIT_URL, { heartbeatSeconds: 5, reconnect: { initialMs: 50, maxMs: 500 }, openTimeoutMs: 10_000 }),
    dropLinks: async (busId) => {
      const closed = await closeConnectionsOf(busId);
      if (closed === 0) throw new Error(`no connection of bus ${busId} found to close`);
    },
    cleanup: (busId) => deleteBusExchanges(busId),
    close: async () => {
      await Promise.resolve();
    },
  };
});

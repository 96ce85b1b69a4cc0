// Failures only a real broker can stage: connections closed by RabbitMQ while data flows, a full
// broker restart, bindings and queues lost inside the broker while every connection stays open,
// several broker addresses, no broker at all.
import { randomUUID } from 'node:crypto';
import {
  BrokerUnreachable,
  createTransport,
  DseNode,
  TableReplica,
  type DseNodeOptions,
  type Row,
  type ServiceDefinition,
  type Subscription,
} from '../../../src/bus';
import { controlQueue, dataQueue, exchanges, serviceQueue, tableKey } from '../../../src/bus/amqp/topology';
import {
  closeConnectionsOf,
  deleteBusExchanges,
  deleteQueue,
  ensureRabbitMq,
  PrivateBroker,
  RABBIT_URL,
  removeBindings,
} from '../../support/rabbitmq';
import { eventually, sleep, timed } from '../../unit/bus/support/eventually';

jest.setTimeout(40_000);

const timing = { heartbeatIntervalMs: 100, peerTimeoutMs: 600, discoveryMs: 150 };

/** The nodes of one test on one bus id (and broker); stopped afterwards. */
class Bus {
  readonly busId = `bus-test-${randomUUID().slice(0, 8)}`;
  private readonly nodes: DseNode[] = [];

  constructor(private readonly url: string = RABBIT_URL) {}

  options(nodeId: string, url = this.url): DseNodeOptions {
    return {
      nodeId,
      busId: this.busId,
      transport: createTransport(url, { heartbeatSeconds: 5, reconnect: { initialMs: 50, maxMs: 500 }, openTimeoutMs: 10_000 }),
      ...timing,
      callTimeoutMs: 5000,
      snapshotTimeoutMs: 2000,
      resyncMaxDelayMs: 500,
    };
  }

  async node(nodeId: string, services: ServiceDefinition[] = [], url?: string): Promise<DseNode> {
    const node = new DseNode(this.options(nodeId, url));
    this.nodes.push(node);
    for (const service of services) await node.register(service);
    await node.start();
    return node;
  }

  async stop(port?: number): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop().catch(() => undefined)));
    await deleteBusExchanges(this.busId, port);
  }
}

async function follow(node: DseNode, publisher: string, table: string): Promise<{ sub: Subscription; replica: TableReplica }> {
  const replica = new TableReplica();
  const sub = await node.subscribe({ subscriber: 'engine', publisher, table, onUpdate: (u) => replica.apply(u) });
  return { sub, replica };
}

function window(from: number, size: number): Row[] {
  return Array.from({ length: size }, (_, i) => [`port-${from + i}`, from + i]);
}

function sorted(rows: Row[]): Row[] {
  return [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

const echo: ServiceDefinition = { id: 'echo', methods: { echo: (args) => args } };

describe('bus over RabbitMQ: broker-side failures', () => {
  let bus: Bus;

  beforeAll(async () => {
    await ensureRabbitMq();
  });
  beforeEach(() => {
    bus = new Bus();
  });
  afterEach(async () => {
    await bus.stop();
  });

  test('connections closed by the broker while a publisher keeps publishing: subscribers end with exactly its rows', async () => {
    const ds = await bus.node('ds');
    const neutron = await ds.register({ id: 'neutron' });
    const pe1 = await bus.node('pe1');
    const pe2 = await bus.node('pe2');
    const f1 = await follow(pe1, 'neutron', 'ports');
    const f2 = await follow(pe2, 'neutron', 'ports');
    let step = 0;
    let publishing = true;
    const publisher = (async () => {
      while (publishing) {
        step += 1;
        await neutron.publish('ports', window(step, 5 + (step % 7)));
        await sleep(20);
      }
    })();
    await eventually(() => expect(f1.replica.size).toBeGreaterThan(0));
    for (let round = 0; round < 2; round += 1) {
      expect(await closeConnectionsOf(bus.busId)).toBe(3);
      await eventually(() => expect([ds, pe1, pe2].every((n) => n.status().connected)).toBe(true), 10_000);
      await sleep(200);
    }
    publishing = false;
    await publisher;
    const final = neutron.snapshot('ports');
    await eventually(() => {
      expect(f1.replica.rows()).toEqual(sorted(final.rows));
      expect(f2.replica.rows()).toEqual(sorted(final.rows));
    }, 5000);
    expect(f1.sub.state()).toMatchObject({ synced: true, seq: final.seq, epoch: final.epoch });
    expect(pe1.status().linkDrops).toBe(2);
    expect(f2.sub.state().deltasApplied).toBeGreaterThan(10);
  });

  test('a node whose heartbeat and data bindings vanish inside the broker notices it is deaf, reconnects and resyncs', async () => {
    const ds = await bus.node('ds');
    const nova = await ds.register({ id: 'nova' });
    const pe = await bus.node('pe');
    const { sub, replica } = await follow(pe, 'nova', 'servers');
    await nova.publish('servers', window(0, 3));
    await eventually(() => expect(replica.rows()).toEqual(sorted(window(0, 3))));
    const names = exchanges(bus.busId);
    await removeBindings([
      { exchange: names.control, queue: controlQueue(bus.busId, 'pe'), routingKey: '' },
      { exchange: names.tables, queue: dataQueue(bus.busId, 'pe'), routingKey: tableKey('nova', 'servers') },
    ]);
    await nova.publish('servers', window(1, 4)); // goes nowhere: no binding
    await eventually(() => expect(pe.status().deafEpisodes).toBe(1), 5000);
    await eventually(() => expect(pe.status()).toMatchObject({ deaf: false, connected: true }), 10_000);
    await eventually(() => expect(replica.rows()).toEqual(sorted(window(1, 4))), 5000);
    // The rebuilt link carries deltas again, not just snapshots.
    const before = sub.state().deltasApplied;
    await nova.publish('servers', window(2, 4));
    await eventually(() => expect(replica.rows()).toEqual(sorted(window(2, 4))));
    expect(sub.state().deltasApplied).toBe(before + 1);
    await eventually(() => expect(ds.peers().map((p) => p.nodeId)).toEqual(['pe']));
  });

  test('a lost table binding alone is noticed from heartbeats, resynced, and the binding restored', async () => {
    const ds = await bus.node('ds');
    const nova = await ds.register({ id: 'nova' });
    const pe = await bus.node('pe');
    const { sub, replica } = await follow(pe, 'nova', 'servers');
    await nova.publish('servers', window(0, 3));
    await eventually(() => expect(replica.rows()).toEqual(sorted(window(0, 3))));
    await removeBindings([{ exchange: exchanges(bus.busId).tables, queue: dataQueue(bus.busId, 'pe'), routingKey: tableKey('nova', 'servers') }]);
    await nova.publish('servers', window(5, 3)); // lost
    await eventually(() => expect(replica.rows()).toEqual(sorted(window(5, 3))), 5000);
    expect(sub.state().resyncs['heartbeat-lag']).toBeGreaterThanOrEqual(1);
    expect(pe.status().deafEpisodes).toBe(0);
    const before = sub.state().deltasApplied;
    await nova.publish('servers', window(6, 3));
    await eventually(() => expect(replica.rows()).toEqual(sorted(window(6, 3))));
    expect(sub.state().deltasApplied).toBe(before + 1);
  });

  test('a service queue deleted by an operator is declared again and the service answers again', async () => {
    await bus.node('server', [echo]);
    const client = await bus.node('client');
    await expect(client.call('echo', 'echo', { n: 1 })).resolves.toEqual({ n: 1 });
    await deleteQueue(serviceQueue(bus.busId, 'echo'));
    // A call that lands while the server's link is being rebuilt may go unanswered (RPC is
    // at most once); each try gets a short timeout so that such a loss is retried in time.
    await eventually(() => expect(client.call('echo', 'echo', { n: 2 }, { timeoutMs: 1000 })).resolves.toEqual({ n: 2 }), 10_000, 100);
  });

  test('with several brokers in transport_url, an unreachable first one is skipped', async () => {
    const url = 'rabbit://guest:guest@127.0.0.1:1,guest:guest@127.0.0.1:5672/';
    await bus.node('server', [echo], url);
    const client = await bus.node('client', [], url);
    await expect(client.call('echo', 'echo', { via: 'second host' })).resolves.toEqual({ via: 'second host' });
  });

  test('with no broker reachable, start fails with BrokerUnreachable within the open timeout', async () => {
    const node = new DseNode({
      nodeId: 'lonely',
      busId: bus.busId,
      transport: createTransport('rabbit://guest:guest@127.0.0.1:1/', { openTimeoutMs: 800, reconnect: { initialMs: 50, maxMs: 200 } }),
    });
    const { ms, error } = await timed(() => node.start());
    expect(error).toBeInstanceOf(BrokerUnreachable);
    expect((error as Error).message).not.toContain('guest:guest');
    expect(ms).toBeLessThan(3000);
    expect(node.status().state).toBe('failed');
  });
});

describe('bus over RabbitMQ: full broker restart', () => {
  let broker: PrivateBroker;
  let bus: Bus;

  beforeAll(async () => {
    broker = await PrivateBroker.start();
    bus = new Bus(broker.url);
  }, 90_000);
  afterAll(async () => {
    await bus?.stop(broker.port);
    await broker?.stop();
  }, 40_000);

  test('after stop_app/start_app every node reconnects, subscriptions resync, and RPC works again', async () => {
    const ds = await bus.node('ds', [echo]);
    const nova = await ds.register({ id: 'nova' });
    const pe1 = await bus.node('pe1');
    const pe2 = await bus.node('pe2');
    const f1 = await follow(pe1, 'nova', 'servers');
    const f2 = await follow(pe2, 'nova', 'servers');
    await nova.publish('servers', window(0, 10));
    await eventually(() => expect(f2.replica.rows()).toEqual(sorted(window(0, 10))));
    const restart = broker.restartApp(500);
    // Published while the broker is away: kept by the publisher, must reach everybody later.
    await eventually(() => expect(ds.status().connected).toBe(false), 10_000);
    expect(await nova.publish('servers', window(4, 10))).toMatchObject({ changed: true, delivered: false });
    const { ms } = await timed(async () => {
      await restart;
      await eventually(() => expect([ds, pe1, pe2].every((n) => n.status().connected)).toBe(true), 20_000, 50);
    });
    await eventually(() => {
      expect(f1.replica.rows()).toEqual(sorted(window(4, 10)));
      expect(f2.replica.rows()).toEqual(sorted(window(4, 10)));
    }, 10_000);
    await nova.publish('servers', window(5, 10));
    await eventually(() => expect(f1.replica.rows()).toEqual(sorted(window(5, 10))));
    await expect(pe2.call('echo', 'echo', { after: 'restart' })).resolves.toEqual({ after: 'restart' });
    expect(f1.sub.state().resyncs['link-restored']).toBeGreaterThanOrEqual(1);
    expect(ms).toBeLessThan(20_000);
  });
});

// The embedded transport: an in-memory broker shared by the nodes of one process. It mirrors what
// the AMQP transport promises (asynchronous delivery in send order, competing consumers, node-id
// claims, lost messages while a link is down) so that a node cannot tell the two apart.
import { LinkDown, NoRoute, NodeIdInUse } from './errors';
import { wireCopy } from './json';
import type { Inbox, LinkEvent, Transport, TransportIdentity } from './transport';

/** Who receives what on one bus id. */
class BusRoutes {
  readonly nodes = new Map<string, InProcessTransport>();
  readonly services = new Map<string, InProcessTransport[]>();
  readonly tables = new Map<string, Set<InProcessTransport>>();
  private turn = 0;

  /** Round-robin among the hosts of a service, as competing consumers on one queue. */
  pickHost(serviceId: string): InProcessTransport | undefined {
    const hosts = this.services.get(serviceId);
    if (!hosts || hosts.length === 0) return undefined;
    this.turn = (this.turn + 1) % 1_000_000;
    return hosts[this.turn % hosts.length];
  }
}

function tableKey(publisher: string, table: string): string {
  return JSON.stringify([publisher, table]);
}

/**
 * An in-memory message broker. One per process is the embedded default; tests make their own.
 * Several bus ids on one broker are isolated from each other, as on RabbitMQ.
 */
export class InProcessBroker {
  private readonly buses = new Map<string, BusRoutes>();
  private readonly attached = new Set<InProcessTransport>();

  /** A new, unopened transport whose links go through this broker. */
  transport(): Transport {
    return new InProcessTransport(this);
  }

  /**
   * Drops every link at once, as a broker restart does: messages in flight are lost and
   * registrations vanish; each transport comes back by itself after `downMs` and restores them.
   */
  dropLinks(downMs = 0): void {
    for (const transport of [...this.attached]) transport.dropLink('broker restarted', downMs);
  }

  /** Number of transports with an established link (for tests and diagnostics). */
  get linkCount(): number {
    return this.attached.size;
  }

  /** @internal Claims the node id and installs the transport's registrations. */
  attach(transport: InProcessTransport, identity: TransportIdentity, services: Iterable<string>, tables: Iterable<string>): void {
    const routes = this.routes(identity.busId);
    if (routes.nodes.has(identity.nodeId)) throw new NodeIdInUse(identity.nodeId, identity.busId);
    routes.nodes.set(identity.nodeId, transport);
    for (const serviceId of services) this.addHost(identity.busId, serviceId, transport);
    for (const key of tables) this.addListener(identity.busId, key, transport);
    this.attached.add(transport);
  }

  /** @internal Removes the transport's node id and registrations. */
  detach(transport: InProcessTransport, identity: TransportIdentity): void {
    const routes = this.routes(identity.busId);
    if (routes.nodes.get(identity.nodeId) === transport) routes.nodes.delete(identity.nodeId);
    for (const [serviceId, hosts] of routes.services) {
      const rest = hosts.filter((h) => h !== transport);
      if (rest.length === 0) routes.services.delete(serviceId);
      else routes.services.set(serviceId, rest);
    }
    for (const [key, listeners] of routes.tables) {
      listeners.delete(transport);
      if (listeners.size === 0) routes.tables.delete(key);
    }
    this.attached.delete(transport);
  }

  /** @internal */
  addHost(busId: string, serviceId: string, transport: InProcessTransport): void {
    const routes = this.routes(busId);
    const hosts = routes.services.get(serviceId) ?? [];
    if (!hosts.includes(transport)) routes.services.set(serviceId, [...hosts, transport]);
  }

  /** @internal */
  removeHost(busId: string, serviceId: string, transport: InProcessTransport): void {
    const routes = this.routes(busId);
    const rest = (routes.services.get(serviceId) ?? []).filter((h) => h !== transport);
    if (rest.length === 0) routes.services.delete(serviceId);
    else routes.services.set(serviceId, rest);
  }

  /** @internal */
  addListener(busId: string, key: string, transport: InProcessTransport): void {
    const routes = this.routes(busId);
    const listeners = routes.tables.get(key) ?? new Set<InProcessTransport>();
    listeners.add(transport);
    routes.tables.set(key, listeners);
  }

  /** @internal */
  removeListener(busId: string, key: string, transport: InProcessTransport): void {
    const listeners = this.routes(busId).tables.get(key);
    listeners?.delete(transport);
  }

  /** @internal */
  routes(busId: string): BusRoutes {
    let routes = this.buses.get(busId);
    if (!routes) {
      routes = new BusRoutes();
      this.buses.set(busId, routes);
    }
    return routes;
  }
}

/** A node's link to an `InProcessBroker`. Create it with `broker.transport()`. */
export class InProcessTransport implements Transport {
  readonly description = 'memory://';
  private identity: TransportIdentity | undefined;
  private inbox: Inbox | undefined;
  private up = false;
  private closed = false;
  /** Bumped whenever the link drops, so deliveries queued for the old link are discarded. */
  private generation = 0;
  private readonly services = new Set<string>();
  private readonly tables = new Set<string>();
  private readonly listeners = new Set<(event: LinkEvent) => void>();
  private reattachTimer: NodeJS.Timeout | undefined;

  constructor(private readonly broker: InProcessBroker) {}

  get isUp(): boolean {
    return this.up;
  }

  async open(identity: TransportIdentity, inbox: Inbox): Promise<void> {
    await Promise.resolve();
    this.broker.attach(this, identity, this.services, this.tables);
    this.identity = identity;
    this.inbox = inbox;
    this.up = true;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reattachTimer);
    if (this.identity && this.up) this.broker.detach(this, this.identity);
    this.up = false;
    this.generation += 1;
    await Promise.resolve();
  }

  reset(reason: string): void {
    this.dropLink(reason, 0);
  }

  onLink(listener: (event: LinkEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async broadcast(message: object): Promise<void> {
    const { identity } = this.requireUp();
    for (const target of this.broker.routes(identity.busId).nodes.values()) {
      this.deliver(target, (inbox, copy) => inbox.control(copy), message);
    }
    await Promise.resolve();
  }

  async sendToService(serviceId: string, message: object): Promise<void> {
    const { identity } = this.requireUp();
    const target = this.broker.routes(identity.busId).pickHost(serviceId);
    if (!target) throw new NoRoute(`service ${serviceId}`);
    this.deliver(target, (inbox, copy) => inbox.direct(copy), message);
    await Promise.resolve();
  }

  async sendToNode(nodeId: string, message: object): Promise<void> {
    const { identity } = this.requireUp();
    const target = this.broker.routes(identity.busId).nodes.get(nodeId);
    if (!target) throw new NoRoute(`node ${nodeId}`);
    this.deliver(target, (inbox, copy) => inbox.direct(copy), message);
    await Promise.resolve();
  }

  async publishTable(publisher: string, table: string, message: object): Promise<void> {
    const { identity } = this.requireUp();
    const listeners = this.broker.routes(identity.busId).tables.get(tableKey(publisher, table));
    for (const target of listeners ?? []) this.deliver(target, (inbox, copy) => inbox.table(copy), message);
    await Promise.resolve();
  }

  async hostService(serviceId: string): Promise<void> {
    this.services.add(serviceId);
    if (this.identity && this.up) this.broker.addHost(this.identity.busId, serviceId, this);
    await Promise.resolve();
  }

  async unhostService(serviceId: string): Promise<void> {
    this.services.delete(serviceId);
    if (this.identity && this.up) this.broker.removeHost(this.identity.busId, serviceId, this);
    await Promise.resolve();
  }

  async listenTable(publisher: string, table: string): Promise<void> {
    const key = tableKey(publisher, table);
    this.tables.add(key);
    if (this.identity && this.up) this.broker.addListener(this.identity.busId, key, this);
    await Promise.resolve();
  }

  async unlistenTable(publisher: string, table: string): Promise<void> {
    const key = tableKey(publisher, table);
    this.tables.delete(key);
    if (this.identity && this.up) this.broker.removeListener(this.identity.busId, key, this);
    await Promise.resolve();
  }

  /** @internal Drops the link and re-establishes it after `downMs`, restoring registrations. */
  dropLink(reason: string, downMs: number): void {
    const identity = this.identity;
    if (!identity || this.closed || !this.up) return;
    this.broker.detach(this, identity);
    this.up = false;
    this.generation += 1;
    this.emit({ state: 'down', reason });
    const reattach = (): void => {
      if (this.closed || this.up) return;
      try {
        this.broker.attach(this, identity, this.services, this.tables);
      } catch {
        // Someone holds our node id (possible only if it was taken while we were away): retry, as
        // the AMQP transport does when its old exclusive queue has not been released yet.
        this.reattachTimer = setTimeout(reattach, 50);
        return;
      }
      this.up = true;
      this.emit({ state: 'up', restored: true });
    };
    this.reattachTimer = setTimeout(reattach, downMs);
  }

  private deliver(target: InProcessTransport, hand: (inbox: Inbox, copy: unknown) => unknown, message: object): void {
    // Copy now, as the wire would, so later mutation by the sender cannot leak through.
    const copy = wireCopy(message);
    const generation = target.generation;
    setImmediate(() => {
      if (target.generation !== generation || !target.up || !target.inbox) return;
      try {
        void Promise.resolve(hand(target.inbox, copy)).catch(() => undefined);
      } catch {
        // A throwing handler is the receiver's problem; the broker carries on.
      }
    });
  }

  private requireUp(): { identity: TransportIdentity } {
    if (!this.identity || !this.up) throw new LinkDown(this.closed ? 'transport closed' : 'not connected');
    return { identity: this.identity };
  }

  private emit(event: LinkEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}

const namedBrokers = new Map<string, InProcessBroker>();

/** The process-wide broker for `memory://<name>` URLs (the embedded default uses the empty name). */
export function sharedBroker(name = ''): InProcessBroker {
  let broker = namedBrokers.get(name);
  if (!broker) {
    broker = new InProcessBroker();
    namedBrokers.set(name, broker);
  }
  return broker;
}

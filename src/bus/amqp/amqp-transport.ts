// The RabbitMQ transport (amqplib). One connection per node with a confirm channel for
// publishing and a channel for consuming. Any failure of either (connection drop, broker restart,
// a channel closed by an error, a consumer cancelled by the broker) is handled the same way: the
// whole link is dropped and rebuilt with back-off, then every registration is declared again and
// the node is told so it can resync. Reconnect code is hand-written because the node id claim
// (an exclusive queue) must fail `open()` loudly yet be retried quietly after a reconnect, which
// generic reconnecting wrappers do not distinguish.
import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { backoffDelay, type BackoffPolicy } from '../backoff';
import { BrokerUnreachable, LinkDown, NodeIdInUse, NoRoute } from '../errors';
import { silentLogger, type BusLogger } from '../logger';
import type { Inbox, LinkEvent, Transport, TransportIdentity } from '../transport';
import {
  connectionName,
  controlQueue,
  dataQueue,
  exchanges,
  nodeKey,
  nodeQueue,
  serviceKey,
  serviceQueue,
  tableKey,
} from './topology';
import { describeEndpoints, type AmqpEndpoint } from './transport-url';

/** TLS to the broker (AMQPS): PEM contents; without `ca` the system's CAs verify the broker. */
export interface AmqpTls {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** One protocol version only (`ssl_version`); absent: negotiated. */
  readonly version?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
}

/** Settings of the AMQP transport. */
export interface AmqpTransportOptions {
  /** Brokers to try in turn (a cluster); at least one. */
  readonly endpoints: readonly AmqpEndpoint[];
  /** AMQP connection heartbeat; a dead TCP peer is noticed after about twice this. Default 10 s. */
  readonly heartbeatSeconds?: number;
  /** Unacknowledged deliveries per consumer. Default 64. */
  readonly prefetch?: number;
  /** Back-off between reconnect attempts. Default 100 ms doubling to 5 s. */
  readonly reconnect?: BackoffPolicy;
  /** Wait before reconnecting after the broker cancelled a consumer (`kombu_reconnect_delay`); default: the back-off. */
  readonly consumerCancelDelayMs?: number;
  /** Socket connect timeout of one attempt. Default 5000 ms. */
  readonly connectTimeoutMs?: number;
  /** How long `open()` keeps trying before `BrokerUnreachable`. Default 30000 ms. */
  readonly openTimeoutMs?: number;
  /** A publication not confirmed by the broker within this time fails. Default 10000 ms. */
  readonly confirmTimeoutMs?: number;
  /** Connect over TLS; the broker's certificate and name are always verified. */
  readonly tls?: AmqpTls;
  /** SASL mechanism of the login (`rabbit_login_method`); default PLAIN. */
  readonly loginMethod?: 'PLAIN' | 'AMQPLAIN';
  readonly logger?: BusLogger;
}

/** One established connection and what was set up on it. */
interface Link {
  readonly generation: number;
  readonly model: amqp.ChannelModel;
  readonly pub: amqp.ConfirmChannel;
  readonly sub: amqp.Channel;
  /** Ids of mandatory messages the broker returned as unroutable. */
  readonly returned: Set<string>;
  /** Consumer tag per hosted service. */
  readonly serviceConsumers: Map<string, string>;
  /** Settles when the connection is closed, whoever closed it. */
  readonly gone: Promise<void>;
}

interface ErrorWithCode {
  readonly code?: unknown;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for `promise`, but no longer than `ms`. */
async function within(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function decode(message: amqp.ConsumeMessage): unknown {
  try {
    return JSON.parse(message.content.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** A node's link to RabbitMQ. Build it with `createTransport(transport_url)`. */
export class AmqpTransport implements Transport {
  readonly description: string;
  private readonly log: BusLogger;
  private readonly heartbeatSeconds: number;
  private readonly prefetch: number;
  private readonly reconnectPolicy: BackoffPolicy;
  private readonly connectTimeoutMs: number;
  private readonly openTimeoutMs: number;
  private readonly confirmTimeoutMs: number;

  private identity: TransportIdentity | undefined;
  private inbox: Inbox | undefined;
  private link: Link | undefined;
  private generation = 0;
  private closed = false;
  private endpointTurn = 0;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> = Promise.resolve();
  private readonly services = new Set<string>();
  private readonly tables = new Set<string>();
  private readonly listeners = new Set<(event: LinkEvent) => void>();

  constructor(private readonly options: AmqpTransportOptions) {
    if (options.endpoints.length === 0) throw new Error('AmqpTransport needs at least one endpoint');
    this.description = describeEndpoints(options.endpoints);
    this.log = options.logger ?? silentLogger;
    this.heartbeatSeconds = options.heartbeatSeconds ?? 10;
    this.prefetch = options.prefetch ?? 64;
    this.reconnectPolicy = options.reconnect ?? { initialMs: 100, maxMs: 5000 };
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.openTimeoutMs = options.openTimeoutMs ?? 30_000;
    this.confirmTimeoutMs = options.confirmTimeoutMs ?? 10_000;
  }

  get isUp(): boolean {
    return this.link !== undefined;
  }

  async open(identity: TransportIdentity, inbox: Inbox): Promise<void> {
    this.identity = identity;
    this.inbox = inbox;
    const deadline = Date.now() + this.openTimeoutMs;
    let lastError = 'no attempt made';
    for (let attempt = 0; !this.closed; attempt += 1) {
      try {
        await this.connect();
        return;
      } catch (error) {
        if (error instanceof NodeIdInUse) throw error;
        lastError = error instanceof Error ? error.message : String(error);
        this.log.warn('cannot connect to the broker yet', { broker: this.description, error: lastError });
      }
      const left = deadline - Date.now();
      if (left <= 0) break;
      await sleep(Math.min(left, backoffDelay(this.reconnectPolicy, attempt)));
    }
    throw new BrokerUnreachable(this.description, lastError);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const link = this.link;
    this.link = undefined;
    if (link) this.closing = this.release(link);
    await within(this.closing, 5000);
  }

  reset(reason: string): void {
    if (this.link) this.linkLost(this.link.generation, `reset: ${reason}`, 0);
  }

  onLink(listener: (event: LinkEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async broadcast(message: object): Promise<void> {
    return this.publish(exchanges(this.requireIdentity().busId).control, '', message, { mandatory: false });
  }

  async sendToService(serviceId: string, message: object, ttlMs?: number): Promise<void> {
    return this.publish(exchanges(this.requireIdentity().busId).rpc, serviceKey(serviceId), message, { mandatory: true, ttlMs, address: `service ${serviceId}` });
  }

  async sendToNode(nodeId: string, message: object, ttlMs?: number): Promise<void> {
    return this.publish(exchanges(this.requireIdentity().busId).rpc, nodeKey(nodeId), message, { mandatory: true, ttlMs, address: `node ${nodeId}` });
  }

  async publishTable(publisher: string, table: string, message: object): Promise<void> {
    return this.publish(exchanges(this.requireIdentity().busId).tables, tableKey(publisher, table), message, { mandatory: false });
  }

  async hostService(serviceId: string): Promise<void> {
    this.services.add(serviceId);
    const link = this.link;
    if (!link || link.serviceConsumers.has(serviceId)) return;
    // A failure here has closed the channel; the reconnect that follows hosts the service again.
    await this.hostOn(link, serviceId).catch(() => undefined);
  }

  async unhostService(serviceId: string): Promise<void> {
    this.services.delete(serviceId);
    const link = this.link;
    const tag = link?.serviceConsumers.get(serviceId);
    if (!link || tag === undefined) return;
    link.serviceConsumers.delete(serviceId);
    await link.sub.cancel(tag).catch(() => undefined);
  }

  async listenTable(publisher: string, table: string): Promise<void> {
    const key = tableKey(publisher, table);
    this.tables.add(key);
    const link = this.link;
    if (!link || !this.identity) return;
    await link.sub.bindQueue(dataQueue(this.identity.busId, this.identity.nodeId), exchanges(this.identity.busId).tables, key).catch(() => undefined);
  }

  async unlistenTable(publisher: string, table: string): Promise<void> {
    const key = tableKey(publisher, table);
    this.tables.delete(key);
    const link = this.link;
    if (!link || !this.identity) return;
    await link.sub.unbindQueue(dataQueue(this.identity.busId, this.identity.nodeId), exchanges(this.identity.busId).tables, key).catch(() => undefined);
  }

  // ------------------------------------------------------------ connecting

  private async connect(): Promise<void> {
    const identity = this.requireIdentity();
    const endpoint = this.options.endpoints[this.endpointTurn % this.options.endpoints.length];
    this.endpointTurn += 1;
    const generation = ++this.generation;
    const tls = this.options.tls;
    const model = await amqp.connect(
      {
        protocol: tls === undefined ? 'amqp' : 'amqps',
        hostname: endpoint.hostname,
        port: endpoint.port,
        username: endpoint.username,
        password: endpoint.password,
        vhost: endpoint.vhost,
        heartbeat: this.heartbeatSeconds,
        frameMax: 131_072,
      },
      {
        clientProperties: { connection_name: connectionName(identity.busId, identity.nodeId) },
        ...(this.options.loginMethod === 'AMQPLAIN' ? { credentials: amqp.credentials.amqplain(endpoint.username, endpoint.password) } : {}),
        timeout: this.connectTimeoutMs,
        ...(tls === undefined ? {} : { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: true }),
        ...(tls?.version === undefined ? {} : { minVersion: tls.version, maxVersion: tls.version }),
      },
    );
    model.on('error', (error: unknown) => this.log.warn('broker connection error', { error: String(error) }));
    model.on('close', (error: unknown) => this.linkLost(generation, error ? `connection closed: ${String(error)}` : 'connection closed'));
    model.on('blocked', (reason: unknown) => this.log.warn('broker blocked publishing (resource alarm)', { reason: String(reason) }));
    const gone = new Promise<void>((resolve) => model.once('close', () => resolve()));
    try {
      const pub = await model.createConfirmChannel();
      const sub = await model.createChannel();
      const link: Link = { generation, model, pub, sub, returned: new Set(), serviceConsumers: new Map(), gone };
      for (const channel of [pub, sub]) {
        channel.on('error', (error: unknown) => this.log.warn('broker channel error', { error: String(error) }));
        channel.on('close', () => this.linkLost(generation, 'channel closed'));
      }
      pub.on('return', (message: amqp.Message) => {
        const id: unknown = message.properties.messageId;
        if (typeof id === 'string') link.returned.add(id);
      });
      await sub.prefetch(this.prefetch);
      await this.declare(link, identity);
      if (this.closed) throw new LinkDown('transport closed while connecting');
      this.link = link;
      this.log.info('connected to the broker', { broker: `${endpoint.hostname}:${endpoint.port}`, node: identity.nodeId });
    } catch (error) {
      await model.close().catch(() => undefined);
      throw error;
    }
  }

  /** Declares the bus's exchanges, claims the node id, and restores every registration. */
  private async declare(link: Link, identity: TransportIdentity): Promise<void> {
    const { sub } = link;
    const names = exchanges(identity.busId);
    await sub.assertExchange(names.tables, 'topic', { durable: false, autoDelete: false });
    await sub.assertExchange(names.rpc, 'direct', { durable: false, autoDelete: false });
    await sub.assertExchange(names.control, 'fanout', { durable: false, autoDelete: false });
    const own = nodeQueue(identity.busId, identity.nodeId);
    try {
      await sub.assertQueue(own, { exclusive: true, durable: false, autoDelete: true });
    } catch (error) {
      // 405 RESOURCE_LOCKED: another live connection holds the exclusive queue of this node id.
      if ((error as ErrorWithCode).code === 405) throw new NodeIdInUse(identity.nodeId, identity.busId);
      throw error;
    }
    await sub.bindQueue(own, names.rpc, nodeKey(identity.nodeId));
    const control = controlQueue(identity.busId, identity.nodeId);
    await sub.assertQueue(control, { exclusive: true, durable: false, autoDelete: true });
    await sub.bindQueue(control, names.control, '');
    const data = dataQueue(identity.busId, identity.nodeId);
    await sub.assertQueue(data, { exclusive: true, durable: false, autoDelete: true });
    for (const key of this.tables) await sub.bindQueue(data, names.tables, key);
    await sub.consume(control, (message) => this.onControl(link, message), { noAck: true });
    await sub.consume(data, (message) => this.onDelivery(link, message, 'table'), { noAck: false });
    await sub.consume(own, (message) => this.onDelivery(link, message, 'direct'), { noAck: false });
    for (const serviceId of this.services) await this.hostOn(link, serviceId);
  }

  private async hostOn(link: Link, serviceId: string): Promise<void> {
    const identity = this.requireIdentity();
    const queue = serviceQueue(identity.busId, serviceId);
    await link.sub.assertQueue(queue, { exclusive: false, durable: false, autoDelete: true });
    await link.sub.bindQueue(queue, exchanges(identity.busId).rpc, serviceKey(serviceId));
    const { consumerTag } = await link.sub.consume(queue, (message) => this.onDelivery(link, message, 'direct'), { noAck: false });
    link.serviceConsumers.set(serviceId, consumerTag);
  }

  /** Drops a link (if still current), tells the node, and reconnects after `delayMs` or a back-off. */
  private linkLost(generation: number, reason: string, delayMs?: number): void {
    const link = this.link;
    if (!link || link.generation !== generation) return;
    this.link = undefined;
    this.log.warn('broker link lost', { reason, node: this.identity?.nodeId });
    // The old connection must be gone before reconnecting, or its exclusive queues still hold our id.
    this.closing = this.release(link);
    this.emit({ state: 'down', reason });
    this.scheduleReconnect(delayMs);
  }

  /** Closes a link's connection; settles once it is closed (a connection the broker closed is already). */
  private release(link: Link): Promise<void> {
    return Promise.race([link.gone, link.model.close().catch(() => undefined)]);
  }

  private scheduleReconnect(delayMs?: number): void {
    if (this.closed || this.reconnectTimer !== undefined) return;
    const wait = delayMs ?? backoffDelay(this.reconnectPolicy, this.attempt);
    this.reconnectTimer = setTimeout(() => void this.reconnect(), wait);
  }

  private async reconnect(): Promise<void> {
    this.reconnectTimer = undefined;
    if (this.closed || this.link) return;
    await within(this.closing, 5000);
    try {
      await this.connect();
    } catch (error) {
      this.attempt += 1;
      const detail = error instanceof NodeIdInUse ? 'node id still held by the previous connection' : String(error);
      this.log.warn('reconnect failed, retrying', { broker: this.description, attempt: this.attempt, error: detail });
      this.scheduleReconnect();
      return;
    }
    this.attempt = 0;
    this.emit({ state: 'up', restored: true });
  }

  // ------------------------------------------------------------ receiving

  private onControl(link: Link, message: amqp.ConsumeMessage | null): void {
    if (message === null) {
      this.linkLost(link.generation, 'control consumer cancelled by the broker', this.options.consumerCancelDelayMs);
      return;
    }
    const body = decode(message);
    if (body !== undefined) this.inbox?.control(body);
  }

  /** Hands a delivery to the node and acknowledges it once handled. */
  private onDelivery(link: Link, message: amqp.ConsumeMessage | null, kind: 'table' | 'direct'): void {
    if (message === null) {
      this.linkLost(link.generation, `${kind} consumer cancelled by the broker`, this.options.consumerCancelDelayMs);
      return;
    }
    const body = decode(message);
    const inbox = this.inbox;
    const handled = body === undefined || !inbox ? Promise.resolve() : kind === 'table' ? inbox.table(body) : inbox.direct(body);
    void handled
      .catch((error: unknown) => this.log.warn('handler failed on a delivery', { kind, error: String(error) }))
      .finally(() => {
        // On a dead channel the broker has requeued or dropped the message already.
        if (this.link !== link) return;
        try {
          link.sub.ack(message);
        } catch {
          // Channel closed meanwhile: same as above.
        }
      });
  }

  // ------------------------------------------------------------ sending

  private publish(exchange: string, routingKey: string, message: object, options: { mandatory: boolean; ttlMs?: number; address?: string }): Promise<void> {
    const link = this.link;
    if (!link) return Promise.reject(new LinkDown(this.closed ? 'transport closed' : 'reconnecting'));
    const id = randomUUID();
    const content = Buffer.from(JSON.stringify(message));
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | undefined): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        link.returned.delete(id);
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(() => finish(new LinkDown('publication not confirmed in time')), this.confirmTimeoutMs);
      try {
        link.pub.publish(
          exchange,
          routingKey,
          content,
          {
            messageId: id,
            contentType: 'application/json',
            mandatory: options.mandatory,
            persistent: false,
            expiration: options.ttlMs !== undefined ? String(Math.max(1, Math.ceil(options.ttlMs))) : undefined,
          },
          (error: unknown) => {
            if (error) finish(new LinkDown(`publication failed: ${String(error)}`));
            // The broker sends basic.return before the confirm of an unroutable mandatory message.
            else if (link.returned.has(id)) finish(new NoRoute(options.address ?? routingKey));
            else finish(undefined);
          },
        );
      } catch (error) {
        finish(new LinkDown(`publication failed: ${String(error)}`));
      }
    });
  }

  private requireIdentity(): TransportIdentity {
    if (!this.identity) throw new LinkDown('transport not opened');
    return this.identity;
  }

  private emit(event: LinkEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}

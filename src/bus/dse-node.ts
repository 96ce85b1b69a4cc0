// A node on the bus: the services of one process, its heartbeats and view of its peers, RPC
// between services wherever they run, and table replication with sequence numbers, epochs and
// snapshot resync. It talks to other nodes only through a Transport.
import { randomUUID } from 'node:crypto';
import { BusError, LinkDown, MethodNotFound, NodeNotRunning, NoRoute, RpcTimeout, ServiceUnavailable } from './errors';
import { wireCopy, isRecord } from './json';
import { silentLogger, type BusLogger } from './logger';
import type {
  CallContext,
  CallOptions,
  DseNodeOptions,
  LocalService,
  NodeAnswer,
  NodeState,
  NodeStatus,
  PublishResult,
  ServiceDefinition,
  SubscribeOptions,
  Subscription,
} from './node-types';
import { PendingCalls, type PendingTarget } from './pending-calls';
import { PeerTable, type PeerEvent, type PeerInfo } from './peer-table';
import {
  parseControl,
  parseDirect,
  parseSnapshot,
  parseTable,
  type ControlMessage,
  type HeartbeatMessage,
  type RequestMessage,
  type SnapshotReply,
  type SubscriptionReport,
  type TableMarks,
  type TableMessage,
} from './protocol';
import { TablePublisher } from './table-publisher';
import { TableSubscription } from './table-subscription';
import type { Inbox, LinkEvent, Transport } from './transport';
import { fromWireError, toWireError } from './wire-errors';

/** Method every service answers: returns the node and instance serving it. */
export const PING_METHOD = 'bus.ping';
/** Method every service answers: `{table}` -> `{epoch, seq, rows}` of its last publication. */
export const SNAPSHOT_METHOD = 'bus.snapshot';

interface HostedService {
  readonly definition: ServiceDefinition;
  readonly publisher: TablePublisher;
}

function tableKey(publisher: string, table: string): string {
  return JSON.stringify([publisher, table]);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for `promise`, but no longer than `ms`; never rejects. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([promise.then(() => undefined, () => undefined), limit]);
  clearTimeout(timer);
}

/** Turns a transport failure to send into what the caller should see. */
function unavailable(service: string, error: unknown): BusError {
  if (error instanceof NoRoute) return new ServiceUnavailable(service, 'no-host');
  if (error instanceof LinkDown) return new ServiceUnavailable(service, 'disconnected');
  if (error instanceof BusError) return error;
  return new ServiceUnavailable(service, 'disconnected');
}

/**
 * One process's presence on the bus (`DseNode` in the original). Register services, then `start()`;
 * call services anywhere with `call`/`cast`/`callAll`/`castAll`; publish tables through the
 * `LocalService` handle and follow other services' tables with `subscribe`.
 */
export class DseNode {
  readonly nodeId: string;
  readonly busId: string;
  /** Random id of this incarnation; peers treat a new one as leave + join. */
  readonly instance: string = randomUUID();

  private readonly transport: Transport;
  private readonly log: BusLogger;
  private readonly heartbeatIntervalMs: number;
  private readonly deafAfterMs: number;
  private readonly discoveryMs: number;
  private readonly callTimeoutMs: number;
  private readonly snapshotTimeoutMs: number;
  private readonly resyncMaxDelayMs: number;

  private nodeState: NodeState = 'new';
  private readonly services = new Map<string, HostedService>();
  private readonly subscriptions = new Map<string, Set<TableSubscription>>();
  private readonly peerTable: PeerTable;
  private readonly pending = new PendingCalls();
  private readonly peerListeners = new Set<(event: PeerEvent) => void>();
  private ticker: NodeJS.Timeout | undefined;
  private unlistenLink: (() => void) | undefined;

  private lastHeartbeatSeen: number | null = null;
  private lastOwnHeartbeatSeen: number | null = null;
  /** Start of the current period in which our own heartbeat is expected back. */
  private deafClockFrom = 0;
  private deaf = false;
  private deafEpisodes = 0;
  private nextResetAt = 0;
  private resetBackoffMs: number;
  private linkDrops = 0;
  /** Table messages this node published, deltas it applied, snapshots it resynced from (since start). */
  private readonly tableCounters = { published: 0, deltasApplied: 0, snapshotsApplied: 0 };
  private ownHeartbeatWaiters: Array<() => void> = [];

  constructor(options: DseNodeOptions) {
    if (!options.nodeId) throw new BusError('invalid_option', 'nodeId must not be empty');
    this.nodeId = options.nodeId;
    this.busId = options.busId ?? 'bus';
    this.transport = options.transport;
    this.log = options.logger ?? silentLogger;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 1000;
    const peerTimeoutMs = options.peerTimeoutMs ?? 3 * this.heartbeatIntervalMs;
    this.deafAfterMs = options.deafAfterMs ?? peerTimeoutMs;
    this.discoveryMs = options.discoveryMs ?? this.heartbeatIntervalMs;
    this.callTimeoutMs = options.callTimeoutMs ?? 60_000;
    this.snapshotTimeoutMs = options.snapshotTimeoutMs ?? 10_000;
    this.resyncMaxDelayMs = options.resyncMaxDelayMs ?? 5000;
    this.resetBackoffMs = this.deafAfterMs;
    this.peerTable = new PeerTable(this.nodeId, peerTimeoutMs);
  }

  // ---------------------------------------------------------------- life cycle

  /**
   * Joins the bus: claims the node id (rejects with `NodeIdInUse` if a live node holds it), starts
   * hosting the registered services, announces itself and listens for peers for `discoveryMs`.
   */
  async start(): Promise<void> {
    if (this.nodeState !== 'new') throw new NodeNotRunning(this.nodeId, this.nodeState);
    this.nodeState = 'starting';
    this.unlistenLink = this.transport.onLink((event) => this.onLink(event));
    try {
      for (const id of this.services.keys()) await this.transport.hostService(id);
      await this.transport.open({ busId: this.busId, nodeId: this.nodeId, instance: this.instance }, this.inbox());
    } catch (error) {
      this.nodeState = 'failed';
      this.unlistenLink();
      await this.transport.close().catch(() => undefined);
      throw error;
    }
    this.nodeState = 'running';
    this.deafClockFrom = Date.now();
    this.ticker = setInterval(() => this.tick(), this.heartbeatIntervalMs);
    this.ticker.unref();
    await this.announce();
    const ownBeat = new Promise<void>((resolve) => this.ownHeartbeatWaiters.push(resolve));
    await within(ownBeat, Math.max(this.deafAfterMs, this.discoveryMs));
    await delay(this.discoveryMs);
    this.log.info('node started', { node: this.nodeId, instance: this.instance, bus: this.busId, peers: this.peerTable.list().length });
  }

  /** Leaves the bus: says goodbye, fails pending calls, closes subscriptions and the link. */
  async stop(): Promise<void> {
    if (this.nodeState !== 'running' && this.nodeState !== 'starting') return;
    this.nodeState = 'stopping';
    clearInterval(this.ticker);
    await within(this.transport.broadcast(this.ref('goodbye')), 1000);
    for (const set of this.subscriptions.values()) for (const sub of set) sub.close();
    this.subscriptions.clear();
    this.pending.failWhere(
      () => true,
      (t) => new ServiceUnavailable(t.service, 'stopped'),
    );
    this.unlistenLink?.();
    await this.transport.close();
    this.nodeState = 'stopped';
    this.log.info('node stopped', { node: this.nodeId });
  }

  /** The node's state and health, for readiness checks. */
  status(): NodeStatus {
    let notSynced = 0;
    let count = 0;
    for (const set of this.subscriptions.values()) {
      for (const sub of set) {
        count += 1;
        if (!sub.state().synced) notSynced += 1;
      }
    }
    return {
      nodeId: this.nodeId,
      instance: this.instance,
      busId: this.busId,
      state: this.nodeState,
      connected: this.nodeState === 'running' && this.transport.isUp,
      lastHeartbeatSeen: this.lastHeartbeatSeen,
      lastOwnHeartbeatSeen: this.lastOwnHeartbeatSeen,
      deaf: this.deaf,
      deafEpisodes: this.deafEpisodes,
      linkDrops: this.linkDrops,
      tablePublished: this.tableCounters.published,
      deltasApplied: this.tableCounters.deltasApplied,
      snapshotsApplied: this.tableCounters.snapshotsApplied,
      peers: this.peerTable.list().length,
      pendingCalls: this.pending.size,
      subscriptions: count,
      subscriptionsNotSynced: notSynced,
    };
  }

  /** The live peers (this node excluded). */
  peers(): PeerInfo[] {
    return this.peerTable.list();
  }

  /** Every service known on the bus with the ids of the live nodes hosting it (this one included). */
  serviceHosts(): Record<string, string[]> {
    const hosts: Record<string, string[]> = {};
    const add = (service: string, node: string): void => {
      (hosts[service] ??= []).push(node);
    };
    for (const id of this.services.keys()) add(id, this.nodeId);
    for (const peer of this.peerTable.list()) for (const id of peer.services) add(id, peer.nodeId);
    return hosts;
  }

  /** Tables of `publisher` that some service anywhere on the bus subscribes to. */
  subscribedTables(publisher: string): string[] {
    const tables = new Set<string>();
    for (const report of [this.subscriptionReport(), ...this.peerTable.list().map((p) => p.subscriptions)]) {
      const byTable = report[publisher];
      if (isRecord(byTable)) for (const table of Object.keys(byTable)) tables.add(table);
    }
    return [...tables].sort();
  }

  /** Subscribes to membership changes; returns the unsubscribe function. */
  onPeerEvent(listener: (event: PeerEvent) => void): () => void {
    this.peerListeners.add(listener);
    return () => this.peerListeners.delete(listener);
  }

  // ---------------------------------------------------------------- services

  /** Hosts a service on this node (before or after `start`); its id must be unique on this node. */
  async register(definition: ServiceDefinition): Promise<LocalService> {
    const id = definition.id;
    if (!id) throw new BusError('invalid_service', 'service id must not be empty');
    if (this.services.has(id)) throw new BusError('service_exists', `Service '${id}' is already registered on node '${this.nodeId}'`);
    for (const name of Object.keys(definition.methods ?? {})) {
      if (name.startsWith('bus.')) throw new BusError('invalid_service', `Method name '${name}' is reserved`);
    }
    const hosted: HostedService = { definition, publisher: new TablePublisher(id) };
    this.services.set(id, hosted);
    if (this.nodeState === 'running') {
      await this.transport.hostService(id);
      this.sendHeartbeat();
      this.notifyPublisherAppeared(id);
    }
    this.log.info('service registered', { node: this.nodeId, service: id });
    return {
      id,
      publish: (table, rows) => this.send(hosted, hosted.publisher.replace(table, rows), table),
      publishDelta: (table, delta) => this.send(hosted, hosted.publisher.change(table, delta), table),
      snapshot: (table) => hosted.publisher.snapshot(table),
      unregister: () => this.unregister(hosted),
    };
  }

  private async unregister(hosted: HostedService): Promise<void> {
    const id = hosted.definition.id;
    if (this.services.get(id) !== hosted) return;
    this.services.delete(id);
    if (this.nodeState === 'running') {
      await this.transport.unhostService(id);
      this.sendHeartbeat();
    }
    this.log.info('service unregistered', { node: this.nodeId, service: id });
  }

  private async send(hosted: HostedService, message: TableMessage | undefined, table: string): Promise<PublishResult> {
    if (!message) return { seq: hosted.publisher.snapshot(table).seq, changed: false, delivered: true };
    if (this.nodeState !== 'running' || this.services.get(hosted.definition.id) !== hosted) {
      return { seq: message.seq, changed: true, delivered: false };
    }
    try {
      await this.transport.publishTable(message.publisher, message.table, message);
      this.tableCounters.published += 1;
      return { seq: message.seq, changed: true, delivered: true };
    } catch (error) {
      this.log.warn('publication not delivered; subscribers will resync', { publisher: message.publisher, table, seq: message.seq, error: String(error) });
      return { seq: message.seq, changed: true, delivered: false };
    }
  }

  // ---------------------------------------------------------------- RPC

  /**
   * Calls `service.method` on one node hosting it and returns the result. Rejects at once with
   * `ServiceUnavailable` when no live node hosts the service, with `RpcTimeout` after the timeout,
   * with `MethodNotFound`, or with `ServiceError` when the method threw.
   */
  async call(service: string, method: string, args: unknown = {}, options: CallOptions = {}): Promise<unknown> {
    this.requireRunning();
    const timeoutMs = options.timeoutMs ?? this.callTimeoutMs;
    if (this.servesLocally(service, options)) return this.callLocal(service, method, args, timeoutMs);
    const request = this.request(service, method, args, true);
    const target: PendingTarget = { service, method, node: options.node };
    const answer = this.pending.expect(request.id, target, timeoutMs);
    // Not awaited: a broker that holds the publication (resource alarm) must not outlast the timeout.
    const sent = options.node ? this.transport.sendToNode(options.node, request, timeoutMs) : this.transport.sendToService(service, request, timeoutMs);
    sent.catch((error: unknown) => this.pending.settle(request.id, { ok: false, error: unavailable(service, error) }));
    return answer;
  }

  /** Sends `service.method` to one node hosting it without waiting for the method to run. */
  async cast(service: string, method: string, args: unknown = {}, options: Omit<CallOptions, 'timeoutMs'> = {}): Promise<void> {
    this.requireRunning();
    if (this.servesLocally(service, options)) {
      const hosted = this.services.get(service);
      if (hosted) this.runDetached(hosted, method, wireCopy(args), this.nodeId, true);
      return;
    }
    const request = this.request(service, method, args, false);
    try {
      if (options.node) await this.transport.sendToNode(options.node, request);
      else await this.transport.sendToService(service, request);
    } catch (error) {
      throw unavailable(service, error);
    }
  }

  /** Calls `service.method` on every live node hosting it; one answer per node, failures included. */
  async callAll(service: string, method: string, args: unknown = {}, options: Omit<CallOptions, 'node'> = {}): Promise<NodeAnswer[]> {
    this.requireRunning();
    const nodes = this.serviceHosts()[service] ?? [];
    return Promise.all(
      nodes.map(async (node): Promise<NodeAnswer> => {
        try {
          return { node, ok: true, result: await this.call(service, method, args, { ...options, node }) };
        } catch (error) {
          return { node, ok: false, error: error instanceof BusError ? error : new BusError('unknown', String(error)) };
        }
      }),
    );
  }

  /** Casts `service.method` to every node hosting it, including nodes not yet in the peer table. */
  async castAll(service: string, method: string, args: unknown = {}): Promise<void> {
    this.requireRunning();
    try {
      await this.transport.broadcast({ ...this.ref('cast-all'), service, method, args });
    } catch (error) {
      throw unavailable(service, error);
    }
  }

  private servesLocally(service: string, options: CallOptions): boolean {
    if (options.node !== undefined) return options.node === this.nodeId;
    return (options.preferLocal ?? true) && this.services.has(service);
  }

  private request(service: string, method: string, args: unknown, reply: boolean): RequestMessage {
    return { t: 'request', id: randomUUID(), node: this.nodeId, instance: this.instance, service, method, args, reply };
  }

  private async callLocal(service: string, method: string, args: unknown, timeoutMs: number): Promise<unknown> {
    const hosted = this.services.get(service);
    if (!hosted) throw new ServiceUnavailable(service, 'no-host');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RpcTimeout(service, method, timeoutMs)), timeoutMs);
    });
    try {
      // Copies in and out so that a local call behaves like a remote one (no shared objects).
      const result = await Promise.race([this.invoke(hosted, method, wireCopy(args), this.nodeId, true), timeout]);
      return wireCopy(result);
    } catch (error) {
      if (error instanceof RpcTimeout) throw error;
      throw fromWireError(toWireError(error), service, method);
    } finally {
      clearTimeout(timer);
    }
  }

  private async invoke(hosted: HostedService, method: string, args: unknown, callerNode: string, local: boolean): Promise<unknown> {
    const service = hosted.definition.id;
    if (method === PING_METHOD) return { node: this.nodeId, instance: this.instance };
    if (method === SNAPSHOT_METHOD) {
      const table = isRecord(args) && typeof args.table === 'string' ? args.table : undefined;
      if (table === undefined) throw new BusError('invalid_args', `${SNAPSHOT_METHOD} needs {table: string}`);
      return hosted.publisher.snapshot(table);
    }
    const methods = hosted.definition.methods ?? {};
    const fn = Object.hasOwn(methods, method) ? methods[method] : undefined;
    if (typeof fn !== 'function') throw new MethodNotFound(service, method);
    const context: CallContext = { service, method, callerNode, local };
    return fn(args, context);
  }

  private runDetached(hosted: HostedService, method: string, args: unknown, callerNode: string, local: boolean): void {
    void this.invoke(hosted, method, args, callerNode, local).catch((error: unknown) => {
      this.log.warn('cast failed', { service: hosted.definition.id, method, error: String(error) });
    });
  }

  private async serveRequest(request: RequestMessage): Promise<void> {
    const hosted = this.services.get(request.service);
    let reply: object;
    try {
      if (!hosted) throw new ServiceUnavailable(request.service, 'no-host');
      const result = await this.invoke(hosted, request.method, request.args, request.node, false);
      reply = { t: 'reply', id: request.id, ok: true, result };
    } catch (error) {
      if (!request.reply) this.log.warn('cast failed', { service: request.service, method: request.method, error: String(error) });
      reply = { t: 'reply', id: request.id, ok: false, error: toWireError(error) };
    }
    if (!request.reply) return;
    // The caller may be gone; its call then fails on its side and there is nobody to tell.
    await this.transport.sendToNode(request.node, reply).catch(() => undefined);
  }

  private requireRunning(): void {
    if (this.nodeState !== 'running') throw new NodeNotRunning(this.nodeId, this.nodeState);
  }

  // ---------------------------------------------------------------- tables

  /**
   * Follows `(publisher, table)`: the first snapshot is fetched at once (or as soon as the
   * publisher appears), then every update is handed to `onUpdate` in order.
   */
  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.requireRunning();
    const { publisher, table, subscriber } = options;
    const key = tableKey(publisher, table);
    let set = this.subscriptions.get(key);
    if (!set) {
      set = new Set();
      this.subscriptions.set(key, set);
      // Listen before asking for the snapshot, so no publication after it can slip by.
      await this.transport.listenTable(publisher, table);
    }
    const sub = new TableSubscription(publisher, table, subscriber, {
      fetchSnapshot: () => this.fetchSnapshot(publisher, table),
      isPublisherMissing: (error) => error instanceof ServiceUnavailable,
      reassertRoute: () => void this.transport.listenTable(publisher, table).catch(() => undefined),
      deliver: async (update) => {
        await options.onUpdate(update);
        if (update.kind === 'delta') this.tableCounters.deltasApplied += 1;
        else this.tableCounters.snapshotsApplied += 1;
      },
      retry: { initialMs: Math.min(50, this.resyncMaxDelayMs), maxMs: this.resyncMaxDelayMs },
      lagGraceMs: this.heartbeatIntervalMs / 2,
      log: this.log,
    });
    set.add(sub);
    sub.start();
    return {
      subscriber,
      publisher,
      table,
      state: () => sub.state(),
      synced: (timeoutMs = 10_000) => sub.synced(timeoutMs),
      unsubscribe: async () => {
        sub.close();
        const current = this.subscriptions.get(key);
        if (!current?.delete(sub) || current.size > 0) return;
        this.subscriptions.delete(key);
        if (this.nodeState === 'running') await this.transport.unlistenTable(publisher, table);
      },
    };
  }

  private async fetchSnapshot(publisher: string, table: string): Promise<SnapshotReply> {
    const reply = parseSnapshot(await this.call(publisher, SNAPSHOT_METHOD, { table }, { timeoutMs: this.snapshotTimeoutMs }));
    if (!reply) throw new BusError('invalid_snapshot', `Malformed snapshot of ${publisher}:${table}`);
    return reply;
  }

  private async receiveTable(message: TableMessage): Promise<void> {
    const set = this.subscriptions.get(tableKey(message.publisher, message.table));
    if (!set || set.size === 0) return;
    let first = true;
    await Promise.all(
      [...set].map((sub) => {
        // Each subscriber gets its own rows, so one cannot alter what another sees.
        const copy = first ? message : (wireCopy(message) as TableMessage);
        first = false;
        return sub.receive(copy);
      }),
    );
  }

  private subscriptionReport(): SubscriptionReport {
    const report: SubscriptionReport = {};
    for (const set of this.subscriptions.values()) {
      for (const sub of set) {
        const byTable = (report[sub.publisher] ??= {});
        const subscribers = (byTable[sub.table] ??= []);
        if (!subscribers.includes(sub.subscriber)) subscribers.push(sub.subscriber);
      }
    }
    return report;
  }

  private observeMarks(marks: TableMarks, now: number): void {
    for (const [publisher, tables] of Object.entries(marks)) {
      if (!isRecord(tables)) continue;
      for (const [table, mark] of Object.entries(tables)) {
        const set = this.subscriptions.get(tableKey(publisher, table));
        if (!set || !Array.isArray(mark) || typeof mark[0] !== 'string' || typeof mark[1] !== 'number') continue;
        for (const sub of set) sub.observeMark(mark[0], mark[1], now);
      }
    }
  }

  private notifyPublisherAppeared(service: string): void {
    for (const set of this.subscriptions.values()) {
      for (const sub of set) if (sub.publisher === service) sub.publisherAppeared();
    }
  }

  private resyncAll(): void {
    for (const set of this.subscriptions.values()) for (const sub of set) sub.resync('link-restored');
  }

  // ---------------------------------------------------------------- heartbeats and membership

  private ref<T extends 'hello' | 'goodbye' | 'cast-all'>(t: T): { t: T; node: string; instance: string } {
    return { t, node: this.nodeId, instance: this.instance };
  }

  private heartbeat(): HeartbeatMessage {
    const tables: TableMarks = {};
    for (const [id, hosted] of this.services) {
      const marks = hosted.publisher.marks();
      if (Object.keys(marks).length > 0) tables[id] = marks;
    }
    return {
      t: 'heartbeat',
      node: this.nodeId,
      instance: this.instance,
      services: [...this.services.keys()],
      subscriptions: this.subscriptionReport(),
      tables,
    };
  }

  private sendHeartbeat(): void {
    if (this.nodeState !== 'running') return;
    this.transport.broadcast(this.heartbeat()).catch((error: unknown) => {
      this.log.debug('heartbeat not sent', { node: this.nodeId, error: String(error) });
    });
  }

  /** Asks every node for a heartbeat now and sends ours. */
  private async announce(): Promise<void> {
    await this.transport.broadcast(this.ref('hello')).catch(() => undefined);
    this.sendHeartbeat();
  }

  private tick(): void {
    if (this.nodeState !== 'running') return;
    const now = Date.now();
    this.sendHeartbeat();
    this.applyPeerEvents(this.peerTable.expire(now));
    this.checkDeaf(now);
  }

  /** A node whose own heartbeats stop coming back receives nothing, however open its link looks. */
  private checkDeaf(now: number): void {
    if (!this.transport.isUp) return;
    const heardAt = Math.max(this.lastOwnHeartbeatSeen ?? 0, this.deafClockFrom);
    if (now - heardAt <= this.deafAfterMs) return;
    if (!this.deaf) {
      this.deaf = true;
      this.deafEpisodes += 1;
      this.log.warn('no heartbeat received although the link is up: node is deaf, resetting the link', {
        node: this.nodeId,
        silentForMs: now - heardAt,
      });
    }
    if (now >= this.nextResetAt) {
      this.nextResetAt = now + this.resetBackoffMs;
      this.resetBackoffMs = Math.min(this.resetBackoffMs * 2, 30_000);
      this.transport.reset('no heartbeat received');
    }
  }

  private onLink(event: LinkEvent): void {
    if (this.nodeState !== 'running') return;
    if (event.state === 'down') {
      this.linkDrops += 1;
      this.log.warn('bus link down', { node: this.nodeId, reason: event.reason });
      // Replies travel on the link just lost: no pending call can be answered any more.
      this.pending.failWhere(
        () => true,
        (t) => new ServiceUnavailable(t.service, 'disconnected'),
      );
      return;
    }
    this.log.info('bus link up', { node: this.nodeId, restored: event.restored });
    this.deafClockFrom = Date.now();
    void this.announce();
    this.resyncAll();
  }

  private onControl(message: ControlMessage): void {
    const now = Date.now();
    switch (message.t) {
      case 'heartbeat':
        this.onHeartbeat(message, now);
        return;
      case 'hello':
        if (message.node !== this.nodeId) this.sendHeartbeat();
        return;
      case 'goodbye':
        this.applyPeerEvents(this.peerTable.forget(message.node, message.instance));
        return;
      case 'cast-all': {
        const hosted = this.services.get(message.service);
        if (hosted) this.runDetached(hosted, message.method, message.args, message.node, message.node === this.nodeId);
        return;
      }
    }
  }

  private onHeartbeat(heartbeat: HeartbeatMessage, now: number): void {
    this.lastHeartbeatSeen = now;
    if (heartbeat.node === this.nodeId) {
      if (heartbeat.instance !== this.instance) {
        this.log.error('another process uses this node id', { node: this.nodeId, instance: this.instance, other: heartbeat.instance });
        return;
      }
      this.lastOwnHeartbeatSeen = now;
      if (this.deaf) {
        this.log.info('heartbeats received again: node hears the bus', { node: this.nodeId });
        this.deaf = false;
        this.resetBackoffMs = this.deafAfterMs;
        this.nextResetAt = 0;
      }
      const waiters = this.ownHeartbeatWaiters;
      this.ownHeartbeatWaiters = [];
      for (const waiter of waiters) waiter();
    } else {
      this.applyPeerEvents(this.peerTable.observe(heartbeat, now));
    }
    this.observeMarks(heartbeat.tables, now);
  }

  private applyPeerEvents(events: PeerEvent[]): void {
    for (const event of events) {
      if (event.type === 'joined') {
        this.log.info('peer joined', { node: this.nodeId, peer: event.peer.nodeId, services: event.peer.services });
        for (const service of event.peer.services) this.notifyPublisherAppeared(service);
      } else if (event.type === 'updated') {
        for (const service of event.peer.services) {
          if (!event.previous.services.includes(service)) this.notifyPublisherAppeared(service);
        }
        this.failCallsToVanished(event.peer.nodeId, event.previous.services.filter((s) => !event.peer.services.includes(s)));
      } else {
        this.log.info('peer left', { node: this.nodeId, peer: event.peer.nodeId, reason: event.reason });
        this.failCallsToVanished(event.peer.nodeId, event.peer.services);
      }
      for (const listener of [...this.peerListeners]) listener(event);
    }
  }

  /** Fails calls whose only possible answerer just went away, instead of letting them time out. */
  private failCallsToVanished(nodeId: string, services: readonly string[]): void {
    const gone = new Set(services);
    this.pending.failWhere(
      (t) => {
        if (t.node !== undefined) return t.node === nodeId && gone.has(t.service);
        return gone.has(t.service) && this.peerTable.hostsOf(t.service).length === 0 && !this.services.has(t.service);
      },
      (t) => new ServiceUnavailable(t.service, 'host-lost'),
    );
  }

  private inbox(): Inbox {
    return {
      control: (message) => {
        const parsed = parseControl(message);
        if (parsed) this.onControl(parsed);
      },
      table: async (message) => {
        const parsed = parseTable(message);
        if (parsed) await this.receiveTable(parsed);
      },
      direct: async (message) => {
        const parsed = parseDirect(message);
        if (!parsed) return;
        if (parsed.t === 'request') {
          await this.serveRequest(parsed);
          return;
        }
        this.pending.settleReply(parsed);
      },
    };
  }
}

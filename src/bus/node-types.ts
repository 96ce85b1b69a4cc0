// The vocabulary services use to live on a node: how they are declared, what a call sees, what
// publishing returns, what a subscription and the node's status look like.
import type { BusError } from './errors';
import type { Row, TableDelta } from './json';
import type { BusLogger } from './logger';
import type { SnapshotReply } from './protocol';
import type { SubscriptionState, TableUpdate } from './table-subscription';
import type { Transport } from './transport';

/** Settings of a node. Only `nodeId` and `transport` are required. */
export interface DseNodeOptions {
  /** Unique on the bus (`--node-id`). */
  readonly nodeId: string;
  /** How messages travel (see `createTransport`). */
  readonly transport: Transport;
  /** Partition of the broker shared by one deployment (`[dse] bus_id`). Default `bus`. */
  readonly busId?: string;
  /** Period of heartbeats. Default 1000 ms. */
  readonly heartbeatIntervalMs?: number;
  /** A peer not heard from for this long is dropped. Default 3 heartbeat periods. */
  readonly peerTimeoutMs?: number;
  /** The node counts itself deaf when its own heartbeats stop coming back for this long. Default: `peerTimeoutMs`. */
  readonly deafAfterMs?: number;
  /** How long `start()` listens for peers before resolving. Default one heartbeat period. */
  readonly discoveryMs?: number;
  /** Default timeout of `call` (oslo's `rpc_response_timeout`). Default 60000 ms. */
  readonly callTimeoutMs?: number;
  /** Timeout of one snapshot request. Default 10000 ms. */
  readonly snapshotTimeoutMs?: number;
  /** Upper bound between repeated snapshot attempts. Default 5000 ms. */
  readonly resyncMaxDelayMs?: number;
  readonly logger?: BusLogger;
}

/** What a service method learns about the call it serves. */
export interface CallContext {
  readonly service: string;
  readonly method: string;
  /** Node id of the caller. */
  readonly callerNode: string;
  /** True when caller and service share this process (no broker hop). */
  readonly local: boolean;
}

/**
 * A method of a service: receives the JSON arguments (narrow them, they come from the wire) and
 * returns a JSON-serialisable result or a promise of one. A thrown error reaches the caller as a
 * `ServiceError` keeping its name, message, `code` and `data`.
 */
export type ServiceMethod = (args: unknown, context: CallContext) => unknown;

/** A service to register on a node. */
export interface ServiceDefinition {
  /** Service id, e.g. `__engine` or a datasource name; may run on several nodes. */
  readonly id: string;
  /** Methods callable over the bus. Names starting with `bus.` are reserved. */
  readonly methods?: Readonly<Record<string, ServiceMethod>>;
}

/** The outcome of publishing a table. */
export interface PublishResult {
  /** Sequence number of the table after the publication. */
  readonly seq: number;
  /** False when the contents did not change (nothing was sent). */
  readonly changed: boolean;
  /**
   * False when the change could not be handed to the broker (link down). Nothing to do: the
   * contents are kept and subscribers catch up by snapshot.
   */
  readonly delivered: boolean;
}

/** A service registered on this node. */
export interface LocalService {
  readonly id: string;
  /** Publishes the table's full new contents; subscribers receive the difference. */
  publish(table: string, rows: readonly Row[]): Promise<PublishResult>;
  /** Publishes a change to the table's contents. */
  publishDelta(table: string, delta: TableDelta): Promise<PublishResult>;
  /** The table's last published contents and sequence number. */
  snapshot(table: string): SnapshotReply;
  /** Stops hosting the service on this node. */
  unregister(): Promise<void>;
}

/** Options of `call`. */
export interface CallOptions {
  /** Default: the node's `callTimeoutMs`. */
  readonly timeoutMs?: number;
  /** Only the service instance on this node may answer. */
  readonly node?: string;
  /** Serve the call in-process when the service is hosted here (default true). */
  readonly preferLocal?: boolean;
}

/** One node's answer to `callAll`. */
export type NodeAnswer =
  | { readonly node: string; readonly ok: true; readonly result: unknown }
  | { readonly node: string; readonly ok: false; readonly error: BusError };

/** What to subscribe to and where to hand the updates. */
export interface SubscribeOptions {
  /** The local service that subscribes (advertised in heartbeats). */
  readonly subscriber: string;
  readonly publisher: string;
  readonly table: string;
  /** Called for each update, one at a time, in order; a rejection makes the subscription resync. */
  readonly onUpdate: (update: TableUpdate) => void | Promise<void>;
}

/** A live subscription. */
export interface Subscription {
  readonly subscriber: string;
  readonly publisher: string;
  readonly table: string;
  /** Progress and counters. */
  state(): SubscriptionState;
  /** Resolves once the table is in sync with its publisher; rejects after `timeoutMs` (default 10 s). */
  synced(timeoutMs?: number): Promise<void>;
  /** Stops the subscription; no update is delivered afterwards. */
  unsubscribe(): Promise<void>;
}

/** Life cycle of a node. */
export type NodeState = 'new' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

/** What a node reports about itself, for readiness checks and metrics. */
export interface NodeStatus {
  readonly nodeId: string;
  readonly instance: string;
  readonly busId: string;
  readonly state: NodeState;
  /** The link to the bus is established. */
  readonly connected: boolean;
  /** Local clock (ms) of the last heartbeat received from any node, this one included; null if none yet. */
  readonly lastHeartbeatSeen: number | null;
  /** Local clock (ms) of the last of its own heartbeats the node received back. */
  readonly lastOwnHeartbeatSeen: number | null;
  /** Connected, but its own heartbeats stopped coming back: it receives nothing. Not ready. */
  readonly deaf: boolean;
  /** How many times the node found itself deaf and reset its link. */
  readonly deafEpisodes: number;
  /** How many times the link dropped. */
  readonly linkDrops: number;
  /** Table messages (snapshots and deltas) this node published since start. */
  readonly tablePublished: number;
  /** Deltas applied by this node's subscriptions since start. */
  readonly deltasApplied: number;
  /** Full snapshots applied by this node's subscriptions since start (first syncs and resyncs). */
  readonly snapshotsApplied: number;
  readonly peers: number;
  readonly pendingCalls: number;
  readonly subscriptions: number;
  /** Subscriptions not in sync right now. */
  readonly subscriptionsNotSynced: number;
}

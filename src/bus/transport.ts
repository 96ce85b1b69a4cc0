// The contract between a node and whatever moves its messages. It speaks of nodes, services and
// tables, never of connections or channels, so the in-process and the AMQP implementation are
// interchangeable and one test suite checks both.

/** Who opens a link: the bus partition, the node's id (unique on the bus) and this incarnation. */
export interface TransportIdentity {
  readonly busId: string;
  readonly nodeId: string;
  readonly instance: string;
}

/**
 * Where a transport hands over what it receives. A returned promise is awaited before the message
 * counts as handled (AMQP acknowledges it only then).
 */
export interface Inbox {
  /** Heartbeats and other messages sent to every node (including this one). */
  control(message: unknown): void;
  /** A table publication this node listens to. */
  table(message: unknown): Promise<void>;
  /** A request to a service hosted here, a request addressed to this node, or a reply to a call. */
  direct(message: unknown): Promise<void>;
}

/** A change of the link's state. After `up` with `restored: true` every registration is back in force. */
export type LinkEvent = { readonly state: 'down'; readonly reason: string } | { readonly state: 'up'; readonly restored: boolean };

/**
 * Moves JSON messages between the nodes of one bus. Registrations (hosted services, listened
 * tables) survive a lost link: the transport reconnects with back-off and restores them by itself;
 * messages in flight while the link is down are lost, which the node repairs by resyncing.
 */
export interface Transport {
  /** A human-readable description without credentials, e.g. `amqp://127.0.0.1:5672/`. */
  readonly description: string;
  /** True while the link is established. */
  readonly isUp: boolean;
  /**
   * Establishes the link and claims the node id. Rejects with `NodeIdInUse` when a live node holds
   * the id, with `BrokerUnreachable` when no broker answers within the transport's start-up time.
   */
  open(identity: TransportIdentity, inbox: Inbox): Promise<void>;
  /** Releases the node id and every registration; idempotent. */
  close(): Promise<void>;
  /** Drops the link and establishes a new one (used when the node has gone deaf). */
  reset(reason: string): void;
  /** Subscribes to link state changes; returns the unsubscribe function. */
  onLink(listener: (event: LinkEvent) => void): () => void;

  /** Sends to every open node of the bus, this one included. */
  broadcast(message: object): Promise<void>;
  /** Sends to exactly one node hosting the service; rejects with `NoRoute` when none does. */
  sendToService(serviceId: string, message: object, ttlMs?: number): Promise<void>;
  /** Sends to one node by id; rejects with `NoRoute` when it is not on the bus. */
  sendToNode(nodeId: string, message: object, ttlMs?: number): Promise<void>;
  /** Publishes to every node listening to `(publisher, table)`; resolves once the broker has taken it. */
  publishTable(publisher: string, table: string, message: object): Promise<void>;

  /** Starts taking requests for a service on this node (several nodes may host the same one). */
  hostService(serviceId: string): Promise<void>;
  /** Stops taking requests for a service. */
  unhostService(serviceId: string): Promise<void>;
  /** Starts receiving publications of `(publisher, table)`. */
  listenTable(publisher: string, table: string): Promise<void>;
  /** Stops receiving publications of `(publisher, table)`. */
  unlistenTable(publisher: string, table: string): Promise<void>;
}

// Names of the RabbitMQ objects of one bus id. Everything is prefixed by the bus id, so
// deployments sharing a broker never meet. Exchanges are transient (not durable) and kept
// (not auto-deleted): an exchange vanishing under a publisher would close its channel.

/** The three exchanges of a bus. */
export interface Exchanges {
  /** Topic exchange for table publications; routing key `<publisher>.<table>`. */
  readonly tables: string;
  /** Direct exchange for requests and replies; keys `service.<id>` and `node.<id>`. */
  readonly rpc: string;
  /** Fan-out exchange for heartbeats and other messages to every node. */
  readonly control: string;
}

/** The exchange names of `busId`. */
export function exchanges(busId: string): Exchanges {
  return { tables: `${busId}.tables`, rpc: `${busId}.rpc`, control: `${busId}.heartbeat` };
}

/** The exclusive queue that proves a node id is taken: requests to the node and replies to its calls. */
export function nodeQueue(busId: string, nodeId: string): string {
  return `${busId}.node.${nodeId}`;
}

/** The node's exclusive queue bound to the control fan-out. */
export function controlQueue(busId: string, nodeId: string): string {
  return `${busId}.heartbeat.${nodeId}`;
}

/** The node's exclusive queue bound to the tables it listens to. */
export function dataQueue(busId: string, nodeId: string): string {
  return `${busId}.data.${nodeId}`;
}

/** The queue shared by every node hosting a service (competing consumers); deleted with its last consumer. */
export function serviceQueue(busId: string, serviceId: string): string {
  return `${busId}.service.${serviceId}`;
}

/** Routing key of requests to any host of a service. */
export function serviceKey(serviceId: string): string {
  return `service.${serviceId}`;
}

/** Routing key of messages to one node. */
export function nodeKey(nodeId: string): string {
  return `node.${nodeId}`;
}

// Dots separate topic words and `*`/`#` are wildcards; escaping them keeps `a.b`+`c` and
// `a`+`b.c` apart and makes every binding an exact match.
function escapeWord(word: string): string {
  return word.replace(/[%.*#]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Routing (and binding) key of one table's publications. */
export function tableKey(publisher: string, table: string): string {
  return `${escapeWord(publisher)}.${escapeWord(table)}`;
}

/** `connection_name` shown by `rabbitmqctl list_connections`, naming bus and node. */
export function connectionName(busId: string, nodeId: string): string {
  return `congress ${busId} ${nodeId}`;
}

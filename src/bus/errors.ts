// Every error the bus raises. Callers (the API layer above all) map them by class or by `code`,
// so each carries typed fields instead of facts hidden in its message.

/** Base class of every error raised by the bus; `code` is stable and meant for mapping to API errors. */
export class BusError extends Error {
  /** Stable machine-readable code, e.g. `service_unavailable`. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Why a service could not be reached. */
export type UnavailableReason =
  /** No live node hosts the service (nothing is routed to it). */
  | 'no-host'
  /** Every node that hosted the service left while the call was pending. */
  | 'host-lost'
  /** This node has no link to the bus right now; it reconnects by itself. */
  | 'disconnected'
  /** This node is stopping or stopped. */
  | 'stopped';

/**
 * No node can take a request for a service right now. Raised at once (no waiting for a timeout);
 * the API answers 503. Retrying later may succeed.
 */
export class ServiceUnavailable extends BusError {
  constructor(
    readonly service: string,
    readonly reason: UnavailableReason,
  ) {
    super('service_unavailable', `Service '${service}' is unavailable (${reason})`);
  }
}

/** A call got no answer within its timeout; the service may still have run it. */
export class RpcTimeout extends BusError {
  constructor(
    readonly service: string,
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super('rpc_timeout', `Request to service '${service}' (method '${method}') timed out after ${timeoutMs} ms`);
  }
}

/** The service exists but has no such method; calling again will not help. */
export class MethodNotFound extends BusError {
  constructor(
    readonly service: string,
    readonly method: string,
  ) {
    super('method_not_found', `Method '${method}' not supported by service '${service}'`);
  }
}

/**
 * Another live node on the same bus already uses this node id. Start the node with a different
 * `--node-id`, or stop the other process first.
 */
export class NodeIdInUse extends BusError {
  constructor(
    readonly nodeId: string,
    readonly busId: string,
  ) {
    super('node_id_in_use', `Node id '${nodeId}' is already in use on bus '${busId}' by a live node`);
  }
}

/**
 * A service method threw. Its error's name, message, `code` and `data` (if any) are kept, so the
 * caller can map it as if the error had been raised locally.
 */
export class ServiceError extends BusError {
  constructor(
    readonly service: string,
    readonly method: string,
    readonly errorName: string,
    message: string,
    readonly errorCode: string | number | undefined,
    readonly errorData: unknown,
  ) {
    super('service_error', message);
  }
}

/** The broker could not be reached within the start-up time; check `transport_url` and the broker. */
export class BrokerUnreachable extends BusError {
  constructor(
    readonly endpoints: string,
    readonly lastError: string,
  ) {
    super('broker_unreachable', `Cannot connect to the message broker at ${endpoints}: ${lastError}`);
  }
}

/** A transport was asked to deliver to an address nobody listens on (no queue, no node). */
export class NoRoute extends BusError {
  constructor(readonly address: string) {
    super('no_route', `Nothing on the bus listens on '${address}'`);
  }
}

/** A transport was used while its link to the broker is down; it reconnects by itself. */
export class LinkDown extends BusError {
  constructor(detail: string) {
    super('link_down', `The bus link is down: ${detail}`);
  }
}

/** The node was used before `start()` or after `stop()`. */
export class NodeNotRunning extends BusError {
  constructor(
    readonly nodeId: string,
    readonly state: string,
  ) {
    super('node_not_running', `Node '${nodeId}' is not running (state: ${state})`);
  }
}

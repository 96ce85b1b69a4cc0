// The bus's public surface. Everything outside src/bus imports from here.
export { DseNode, PING_METHOD, SNAPSHOT_METHOD } from './dse-node';
export type {
  CallContext,
  CallOptions,
  DseNodeOptions,
  LocalService,
  NodeAnswer,
  NodeState,
  NodeStatus,
  PublishResult,
  ServiceDefinition,
  ServiceMethod,
  SubscribeOptions,
  Subscription,
} from './node-types';
export type { PeerEvent, PeerInfo, LeaveReason } from './peer-table';
export type { TableUpdate, SubscriptionState, ResyncReason } from './table-subscription';
export { TableReplica } from './table-replica';
export type { JsonValue, Row, TableDelta } from './json';
export type { Transport, TransportIdentity, Inbox, LinkEvent } from './transport';
export { InProcessBroker, InProcessTransport, sharedBroker } from './in-process-transport';
export type { BusLogger, LogFields } from './logger';
export { silentLogger } from './logger';
export {
  BusError,
  ServiceUnavailable,
  RpcTimeout,
  MethodNotFound,
  NodeIdInUse,
  ServiceError,
  BrokerUnreachable,
  NoRoute,
  LinkDown,
  NodeNotRunning,
  type UnavailableReason,
} from './errors';
export { createTransport, type TransportOptions } from './create-transport';
export { backoffDelay, type BackoffPolicy } from './backoff';
export { AmqpTransport, type AmqpTls, type AmqpTransportOptions } from './amqp/amqp-transport';
export { parseTransportUrl, describeEndpoints, sslRequested, type AmqpEndpoint, type TransportUrl } from './amqp/transport-url';

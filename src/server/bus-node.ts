/**
 * This process's node on the message bus, built from the configuration: `transport_url` picks
 * RabbitMQ or the in-process bus, `[dse] bus_id` the partition, `node_id` the identity, and the
 * `[dse]` timings the heartbeats and peer expiry.
 */
import type winston from 'winston';
import { createTransport, describeEndpoints, DseNode, parseTransportUrl, type BusLogger, type LogFields } from '../bus';
import type { CongressConfig } from './config';

/** The bus writes into the server's log; its structured fields go on the line. */
export function busLogger(logger: winston.Logger): BusLogger {
  const line = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: LogFields) => {
    logger[level](fields === undefined ? `bus: ${message}` : `bus: ${message} ${JSON.stringify(fields)}`);
  };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

/** A node for this process, not yet started. */
export function createBusNode(config: CongressConfig, logger: winston.Logger): DseNode {
  const heartbeatIntervalMs = Math.max(50, Math.round(config.dse.heartbeat_interval * 1000));
  return new DseNode({
    nodeId: config.DEFAULT.node_id,
    busId: config.dse.bus_id,
    transport: createTransport(config.DEFAULT.transport_url ?? undefined),
    heartbeatIntervalMs,
    peerTimeoutMs: Math.max(heartbeatIntervalMs * 2, Math.round(config.dse.peer_timeout * 1000)),
    callTimeoutMs: config.DEFAULT.rpc_response_timeout * 1000,
    logger: busLogger(logger),
  });
}

/** What the node's bus runs over, for the start-up log (broker addresses without credentials). */
export function busKind(config: CongressConfig): string {
  const url = parseTransportUrl(config.DEFAULT.transport_url ?? undefined);
  return url.kind === 'memory' ? 'in-process' : `message broker ${describeEndpoints(url.endpoints)}`;
}

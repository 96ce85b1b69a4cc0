// Picks the transport from `[DEFAULT] transport_url`, as the original does.
import { AmqpTransport, type AmqpTransportOptions } from './amqp/amqp-transport';
import { parseTransportUrl, sslRequested } from './amqp/transport-url';
import { sharedBroker } from './in-process-transport';
import type { Transport } from './transport';

/** Tuning of the AMQP transport that does not belong in the URL. */
export type TransportOptions = Omit<AmqpTransportOptions, 'endpoints'>;

/**
 * Builds a transport for `transport_url`: `rabbit://user:pw@host:port[,user:pw@host2:port]/vhost`
 * selects RabbitMQ; no URL or `memory://[name]` selects the in-process broker of that name (nodes
 * of one process with the same name share it). The URL's `?heartbeat=N` sets the AMQP heartbeat,
 * `?ssl=1` TLS.
 */
export function createTransport(url: string | undefined, options: TransportOptions = {}): Transport {
  const parsed = parseTransportUrl(url);
  if (parsed.kind === 'memory') return sharedBroker(parsed.name).transport();
  const heartbeat = Number(parsed.query.heartbeat);
  return new AmqpTransport({
    ...options,
    // With `?ssl=1` and no TLS settings of the caller's, the system's CAs verify the broker.
    tls: options.tls ?? (sslRequested(parsed) ? {} : undefined),
    endpoints: parsed.endpoints,
    heartbeatSeconds: Number.isFinite(heartbeat) && heartbeat >= 0 ? heartbeat : options.heartbeatSeconds,
  });
}

/**
 * This process's node on the message bus, built from the configuration: `transport_url` picks
 * RabbitMQ or the in-process bus, `[dse] bus_id` the partition, `node_id` the identity, and the
 * `[dse]` timings the heartbeats and peer expiry.
 */
import { readFileSync } from 'node:fs';
import type winston from 'winston';
import { createTransport, describeEndpoints, DseNode, parseTransportUrl, sslRequested, type AmqpTls, type BackoffPolicy, type BusLogger, type LogFields } from '../bus';
import type { CongressConfig } from './config';

function readPem(option: string, file: string): Buffer | undefined {
  if (file === '') return undefined;
  try {
    return readFileSync(file);
  } catch (err) {
    throw new Error(`[oslo_messaging_rabbit] ${option}: cannot read ${file}: ${(err as Error).message}`);
  }
}

/**
 * TLS to the broker from `[oslo_messaging_rabbit] ssl` (or `?ssl=1` in transport_url) and its
 * `ssl_ca_file`, `ssl_cert_file`, `ssl_key_file`; undefined for a plain connection.
 */
export function brokerTls(config: CongressConfig): AmqpTls | undefined {
  const rabbit = config.oslo_messaging_rabbit;
  if (!rabbit.ssl && !sslRequested(parseTransportUrl(config.DEFAULT.transport_url ?? undefined))) return undefined;
  if ((rabbit.ssl_cert_file === '') !== (rabbit.ssl_key_file === '')) {
    throw new Error('[oslo_messaging_rabbit] ssl_cert_file and ssl_key_file go together');
  }
  const version = tlsVersion(rabbit.ssl_version);
  return {
    ca: readPem('ssl_ca_file', rabbit.ssl_ca_file),
    cert: readPem('ssl_cert_file', rabbit.ssl_cert_file),
    key: readPem('ssl_key_file', rabbit.ssl_key_file),
    ...(version === undefined ? {} : { version }),
  };
}

/** oslo.messaging's `ssl_version` names (case-insensitive); SSLv23 and empty mean negotiated. */
const TLS_VERSIONS: Readonly<Record<string, NonNullable<AmqpTls['version']> | null>> = {
  '': null,
  sslv23: null,
  tlsv1: 'TLSv1',
  tlsv1_1: 'TLSv1.1',
  tlsv1_2: 'TLSv1.2',
  tlsv1_3: 'TLSv1.3',
};

function tlsVersion(name: string): AmqpTls['version'] {
  const key = name.trim().toLowerCase();
  if (!Object.hasOwn(TLS_VERSIONS, key)) {
    throw new Error(`[oslo_messaging_rabbit] ssl_version ${name}: use TLSv1_2, TLSv1_3, TLSv1_1, TLSv1 or SSLv23 (negotiated); SSLv2 and SSLv3 are not supported`);
  }
  return TLS_VERSIONS[key] ?? undefined;
}

/** The bus writes into the server's log; its structured fields go on the line. */
export function busLogger(logger: winston.Logger): BusLogger {
  const line = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: LogFields) => {
    logger[level](fields === undefined ? `bus: ${message}` : `bus: ${message} ${JSON.stringify(fields)}`);
  };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

/**
 * The AMQP heartbeat for `heartbeat_timeout_threshold`: amqplib calls a silent broker dead after
 * two to three heartbeat periods, so half the threshold makes it about the threshold, oslo's
 * meaning. 0 asks for none; the broker's own heartbeat then applies (amqplib, unlike py-amqp,
 * takes a non-zero value from either side).
 */
export function amqpHeartbeatSeconds(config: CongressConfig): number {
  const threshold = config.oslo_messaging_rabbit.heartbeat_timeout_threshold;
  return threshold <= 0 ? 0 : Math.max(1, Math.ceil(threshold / 2));
}

/**
 * The reconnect back-off of `[oslo_messaging_rabbit]`: unset (all three options), the bus's own
 * (0.1 s doubling to 5 s); any of them set, the original's linear one with its defaults for the
 * others (1 s, +2 s, at most 30 s).
 */
export function reconnectBackoff(config: CongressConfig): BackoffPolicy | undefined {
  const { rabbit_retry_interval: interval, rabbit_retry_backoff: step, rabbit_interval_max: max } = config.oslo_messaging_rabbit;
  if (interval === null && step === null && max === null) return undefined;
  return { initialMs: (interval ?? 1) * 1000, stepMs: (step ?? 2) * 1000, maxMs: (max ?? 30) * 1000 };
}

/** `kombu_reconnect_delay` in ms, when set. */
export function consumerCancelDelayMs(config: CongressConfig): number | undefined {
  const delay = config.oslo_messaging_rabbit.kombu_reconnect_delay;
  return delay === null ? undefined : delay * 1000;
}

/** `rabbit_login_method`: PLAIN or AMQPLAIN (the original's default); the demonstration mechanism is refused. */
export function loginMethod(config: CongressConfig): 'PLAIN' | 'AMQPLAIN' {
  const method = config.oslo_messaging_rabbit.rabbit_login_method;
  if (method === 'RABBIT-CR-DEMO') throw new Error('[oslo_messaging_rabbit] rabbit_login_method RABBIT-CR-DEMO is not supported: use AMQPLAIN or PLAIN');
  return method;
}

/** A node for this process, not yet started. */
export function createBusNode(config: CongressConfig, logger: winston.Logger): DseNode {
  const heartbeatIntervalMs = Math.max(50, Math.round(config.dse.heartbeat_interval * 1000));
  // A server is the only node of its process, so on the in-process bus there is no peer to wait
  // for: listening for one heartbeat period only delayed every start of the embedded default.
  const inProcess = parseTransportUrl(config.DEFAULT.transport_url ?? undefined).kind === 'memory';
  return new DseNode({
    nodeId: config.DEFAULT.node_id,
    busId: config.dse.bus_id,
    transport: createTransport(config.DEFAULT.transport_url ?? undefined, {
      tls: brokerTls(config),
      heartbeatSeconds: amqpHeartbeatSeconds(config),
      reconnect: reconnectBackoff(config),
      consumerCancelDelayMs: consumerCancelDelayMs(config),
      prefetch: config.oslo_messaging_rabbit.rabbit_qos_prefetch_count ?? undefined,
      loginMethod: loginMethod(config),
    }),
    heartbeatIntervalMs,
    discoveryMs: inProcess ? 0 : heartbeatIntervalMs,
    peerTimeoutMs: Math.max(heartbeatIntervalMs * 2, Math.round(config.dse.peer_timeout * 1000)),
    callTimeoutMs: config.DEFAULT.rpc_response_timeout * 1000,
    logger: busLogger(logger),
  });
}

/** What the node's bus runs over, for the start-up log (broker addresses without credentials). */
export function busKind(config: CongressConfig): string {
  const url = parseTransportUrl(config.DEFAULT.transport_url ?? undefined);
  if (url.kind === 'memory') return 'in-process';
  const tls = config.oslo_messaging_rabbit.ssl || sslRequested(url);
  return `message broker ${describeEndpoints(url.endpoints)}${tls ? ' over TLS' : ''}`;
}

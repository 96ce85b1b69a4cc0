// `transport_url` as oslo.messaging writes it: `rabbit://user:pw@host1:5672,user:pw@host2:5672/vhost`.
// Several hosts (a RabbitMQ cluster) are tried in turn; the virtual host follows the first `/`.
import { BusError } from '../errors';

/** One broker address with its credentials. */
export interface AmqpEndpoint {
  readonly hostname: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly vhost: string;
}

/** A parsed `transport_url`. */
export type TransportUrl =
  | { readonly kind: 'amqp'; readonly endpoints: readonly AmqpEndpoint[]; readonly query: Readonly<Record<string, string>> }
  | { readonly kind: 'memory'; readonly name: string };

const DEFAULT_PORT = 5672;

function invalid(why: string): BusError {
  // Never echo the URL: it carries passwords.
  return new BusError('invalid_transport_url', `Invalid transport_url: ${why}`);
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid('bad percent-encoding');
  }
}

function parseHost(entry: string, vhost: string): AmqpEndpoint {
  const at = entry.lastIndexOf('@');
  const credentials = at >= 0 ? entry.slice(0, at) : '';
  const address = at >= 0 ? entry.slice(at + 1) : entry;
  const colon = credentials.indexOf(':');
  const username = at < 0 ? 'guest' : decode(colon >= 0 ? credentials.slice(0, colon) : credentials);
  const password = at < 0 ? 'guest' : colon >= 0 ? decode(credentials.slice(colon + 1)) : '';
  let hostname: string;
  let portText: string | undefined;
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    if (close < 0) throw invalid('unclosed [ in an IPv6 address');
    hostname = address.slice(1, close);
    const rest = address.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) throw invalid('junk after an IPv6 address');
    portText = rest === '' ? undefined : rest.slice(1);
  } else {
    const parts = address.split(':');
    if (parts.length > 2) throw invalid('IPv6 addresses must be written in brackets');
    hostname = parts[0];
    portText = parts[1];
  }
  if (!hostname) throw invalid('empty host name');
  const port = portText === undefined || portText === '' ? DEFAULT_PORT : Number(portText);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw invalid('bad port');
  return { hostname, port, username, password, vhost };
}

/**
 * Parses `transport_url`. `rabbit://` and `amqp://` select RabbitMQ; `memory://[name]` (or no URL
 * at all) selects the in-process transport.
 */
export function parseTransportUrl(url: string | undefined): TransportUrl {
  if (url === undefined || url.trim() === '') return { kind: 'memory', name: '' };
  const match = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(url.trim());
  if (!match) throw invalid('expected <scheme>://...');
  const scheme = match[1].toLowerCase();
  const rest = match[2];
  if (scheme === 'memory' || scheme === 'inproc') return { kind: 'memory', name: rest.replace(/\/+$/, '') };
  if (scheme !== 'rabbit' && scheme !== 'amqp') throw invalid(`unsupported scheme '${scheme}' (use rabbit:// or memory://)`);
  const [beforeQuery, queryText] = splitOnce(rest, '?');
  const [hostsText, pathText] = splitOnce(beforeQuery, '/');
  const vhostText = decode(pathText ?? '');
  const vhost = vhostText === '' ? '/' : vhostText;
  const entries = hostsText.split(',').filter((e) => e !== '');
  const endpoints = entries.length === 0 ? [parseHost('localhost', vhost)] : entries.map((e) => parseHost(e, vhost));
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(queryText ?? '')) query[key] = value;
  return { kind: 'amqp', endpoints, query };
}

/** Whether the URL asks for TLS (`?ssl=1`, as oslo.messaging reads it). */
export function sslRequested(url: TransportUrl): boolean {
  return url.kind === 'amqp' && /^(1|true|yes|on)$/i.test(url.query.ssl ?? '');
}

/** The endpoints as text without credentials, for logs and error messages. */
export function describeEndpoints(endpoints: readonly AmqpEndpoint[]): string {
  const hosts = endpoints.map((e) => `${e.hostname.includes(':') ? `[${e.hostname}]` : e.hostname}:${e.port}`).join(',');
  const vhost = endpoints[0]?.vhost ?? '/';
  return `amqp://${hosts}/${vhost === '/' ? '' : encodeURIComponent(vhost)}`;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

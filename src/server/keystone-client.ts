/**
 * How the API reaches Keystone, from keystonemiddleware's `[keystone_authtoken]` options: the
 * TLS settings (`cafile`, `certfile`, `keyfile`, `insecure`) and `http_connect_timeout`; and
 * which of its other common options have no effect here, for the start-up log.
 */
import fs from 'node:fs';
import type { KeystoneFetch } from '../api/auth';
import { fetchWithTls, type UpstreamTls } from '../services/datasources';

/** A setting of `[keystone_authtoken]` that cannot work; start-up stops with it. */
export class KeystoneClientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeystoneClientError';
  }
}

/** The TLS settings of `[keystone_authtoken]` (`cafile`, `certfile`, `keyfile`, `insecure`). */
export type KeystoneTls = UpstreamTls;

/** What `[keystone_authtoken]` says about the connection to Keystone. */
export interface KeystoneClientSettings {
  /** Null: Node's defaults (the system's CAs). */
  readonly tls: KeystoneTls | null;
  /** Bound of one call to Keystone. */
  readonly timeoutMs: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** oslo.config's boolean spellings. */
function bool(section: Readonly<Record<string, string>>, name: string): boolean {
  const raw = section[name];
  if (raw === undefined || raw.trim() === '') return false;
  const v = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw new KeystoneClientError(`[keystone_authtoken] ${name} must be true or false, not ${raw}`);
}

function file(section: Readonly<Record<string, string>>, name: string): Buffer | undefined {
  const p = section[name]?.trim();
  if (p === undefined || p === '') return undefined;
  try {
    return fs.readFileSync(p);
  } catch (err) {
    throw new KeystoneClientError(`[keystone_authtoken] ${name} ${p} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Reads the connection settings; throws `KeystoneClientError` naming the option. */
export function keystoneClientSettings(section: Readonly<Record<string, string>>): KeystoneClientSettings {
  const ca = file(section, 'cafile');
  const cert = file(section, 'certfile');
  const key = file(section, 'keyfile');
  if ((cert === undefined) !== (key === undefined)) throw new KeystoneClientError('[keystone_authtoken] certfile and keyfile go together');
  const insecure = bool(section, 'insecure');
  const timeoutRaw = section.http_connect_timeout?.trim();
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (timeoutRaw !== undefined && timeoutRaw !== '') {
    const seconds = Number(timeoutRaw);
    if (!Number.isFinite(seconds) || seconds <= 0) throw new KeystoneClientError(`[keystone_authtoken] http_connect_timeout must be a positive number of seconds, not ${timeoutRaw}`);
    timeoutMs = seconds * 1000;
  }
  const tls = ca === undefined && cert === undefined && !insecure ? null : { ca, cert, key, insecure };
  return { tls, timeoutMs };
}

/** The fetch that reaches Keystone with these TLS settings. */
export function keystoneFetch(tls: KeystoneTls | null): KeystoneFetch {
  return fetchWithTls(tls);
}

/** keystonemiddleware options operators commonly set that change nothing here, with the reason. */
const WITHOUT_EFFECT: Readonly<Record<string, string>> = {
  memcached_servers: 'validated tokens are cached in the API process for token_cache_time',
  memcache_security_strategy: 'validated tokens are cached in the API process',
  memcache_secret_key: 'validated tokens are cached in the API process',
  memcache_use_advanced_pool: 'validated tokens are cached in the API process',
  region_name: 'Keystone is reached at auth_url; the service catalog is not read',
  interface: 'Keystone is reached at auth_url; the service catalog is not read',
  service_type: 'the service catalog is not read',
  include_service_catalog: 'the service catalog is not passed on to the API',
  service_token_roles: 'service tokens are not checked',
  service_token_roles_required: 'service tokens are not checked',
  delay_auth_decision: 'a request without a valid token is refused at once',
  http_request_max_retries: 'a call to Keystone that fails is not retried: the client gets 503 and may retry',
  enforce_token_bind: 'token binding is not checked',
  auth_version: 'Keystone v3 is used',
};

/** Warnings for the options of `WITHOUT_EFFECT` that the section sets. */
export function keystoneOptionWarnings(section: Readonly<Record<string, string>>): string[] {
  return Object.keys(section)
    .filter((name) => Object.hasOwn(WITHOUT_EFFECT, name))
    .map((name) => `[keystone_authtoken] ${name} has no effect in Congress-TS: ${WITHOUT_EFFECT[name]}`);
}

/**
 * Remembers validated tokens so that a client's burst of requests costs one Keystone call:
 * bounded (least recently used entries go first), keyed by a hash of the token (the cache
 * never holds a usable credential), each entry kept until the earlier of the token's own
 * `expires_at` and `token_cache_time`. Concurrent first requests with the same token share one
 * validation.
 */
import { createHash } from 'node:crypto';
import type { TokenIdentity, TokenValidator } from './keystone-tokens';

/** Bounds of the cache. */
export interface TokenCacheOptions {
  /** keystonemiddleware's `token_cache_time`: a revoked token is accepted at most this long. */
  readonly ttlMs: number;
  readonly maxEntries: number;
  /** The clock (tests move it). */
  readonly now?: () => number;
}

interface Entry {
  readonly identity: TokenIdentity;
  readonly until: number;
}

/** A `TokenValidator` that asks another one only for tokens it has not seen recently. */
export class CachingTokenValidator implements TokenValidator {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<TokenIdentity | null>>();
  private readonly now: () => number;

  constructor(
    private readonly inner: TokenValidator,
    private readonly options: TokenCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Tokens currently remembered. */
  get size(): number {
    return this.entries.size;
  }

  async validate(token: string): Promise<TokenIdentity | null> {
    const key = createHash('sha256').update(token).digest('hex');
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      if (hit.until > this.now()) {
        // Re-inserted: Map order is the recency order.
        this.entries.set(key, hit);
        return hit.identity;
      }
    }
    const running = this.pending.get(key);
    if (running !== undefined) return running;
    const asked = this.inner.validate(token).finally(() => this.pending.delete(key));
    this.pending.set(key, asked);
    const identity = await asked;
    // Invalid tokens are not remembered: the next request asks again, as keystonemiddleware does without memcache.
    if (identity !== null) this.remember(key, identity);
    return identity;
  }

  private remember(key: string, identity: TokenIdentity): void {
    const until = Math.min(identity.expiresAt, this.now() + this.options.ttlMs);
    if (until <= this.now() || this.options.maxEntries <= 0) return;
    this.entries.set(key, { identity, until });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}

/** The token cache: bounded, expiring with the token or token_cache_time, one validation per burst. */
import { CachingTokenValidator, type TokenIdentity, type TokenValidator } from '../../../src/api/auth';

class Counting implements TokenValidator {
  readonly calls: string[] = [];
  expiresAt = Number.MAX_SAFE_INTEGER;
  async validate(token: string): Promise<TokenIdentity | null> {
    this.calls.push(token);
    await new Promise((r) => setImmediate(r));
    return token.startsWith('bad') ? null : { userId: token, userName: null, projectId: null, projectName: null, roles: ['admin'], expiresAt: this.expiresAt };
  }
}

describe('CachingTokenValidator', () => {
  let now = 1_000_000;
  const clock = (): number => now;
  beforeEach(() => (now = 1_000_000));

  it('asks once within token_cache_time and again after it', async () => {
    const inner = new Counting();
    const cache = new CachingTokenValidator(inner, { ttlMs: 300_000, maxEntries: 10, now: clock });
    expect((await cache.validate('t1'))?.userId).toBe('t1');
    now += 299_000;
    expect((await cache.validate('t1'))?.userId).toBe('t1');
    expect(inner.calls).toEqual(['t1']);
    now += 2_000;
    await cache.validate('t1');
    expect(inner.calls).toEqual(['t1', 't1']);
  });

  it('never keeps a token past its own expires_at', async () => {
    const inner = new Counting();
    inner.expiresAt = now + 10_000;
    const cache = new CachingTokenValidator(inner, { ttlMs: 300_000, maxEntries: 10, now: clock });
    await cache.validate('t1');
    now += 10_001;
    await cache.validate('t1');
    expect(inner.calls).toHaveLength(2);
  });

  it('does not remember invalid tokens', async () => {
    const inner = new Counting();
    const cache = new CachingTokenValidator(inner, { ttlMs: 300_000, maxEntries: 10, now: clock });
    expect(await cache.validate('bad1')).toBeNull();
    expect(await cache.validate('bad1')).toBeNull();
    expect(inner.calls).toEqual(['bad1', 'bad1']);
  });

  it('drops the least recently used token beyond its bound', async () => {
    const inner = new Counting();
    const cache = new CachingTokenValidator(inner, { ttlMs: 300_000, maxEntries: 2, now: clock });
    await cache.validate('a');
    await cache.validate('b');
    await cache.validate('a');
    await cache.validate('c');
    expect(cache.size).toBe(2);
    await cache.validate('a');
    await cache.validate('b');
    expect(inner.calls).toEqual(['a', 'b', 'c', 'b']);
  });

  it('shares one validation among concurrent first requests', async () => {
    const inner = new Counting();
    const cache = new CachingTokenValidator(inner, { ttlMs: 300_000, maxEntries: 10, now: clock });
    const answers = await Promise.all([cache.validate('t'), cache.validate('t'), cache.validate('t')]);
    expect(answers.map((a) => a?.userId)).toEqual(['t', 't', 't']);
    expect(inner.calls).toEqual(['t']);
  });
});

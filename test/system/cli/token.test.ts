/**
 * `congress --os-token` / `OS_TOKEN` against a congress-server with auth_strategy = keystone
 * (tokens validated by the fake Keystone): the token is sent as X-Auth-Token, and refusals come
 * out as the API's messages with exit code 1.
 */
import { congress } from '../../support/cli';
import { keystoneProtectedServerForSuite } from '../../support/keystone-server';

jest.setTimeout(60_000);

describe('congress with a token against a keystone-protected server', () => {
  const ks = keystoneProtectedServerForSuite();

  it('is refused without a token and served with an admin token from --os-token or OS_TOKEN', async () => {
    const env = { CONGRESS_URL: ks.server.url };
    const none = await congress(['policy', 'list'], env);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/^The request you have made requires authentication\. \(HTTP 401\)/);
    const flag = await congress(['policy', 'create', 'tokened', '--os-token', ks.keystone.issue('admin')], env);
    expect(flag.code).toBe(0);
    const fromEnv = await congress(['policy', 'list', '--json'], { ...env, OS_TOKEN: ks.keystone.issue('admin') });
    expect(fromEnv.code).toBe(0);
    expect((JSON.parse(fromEnv.out) as { name: string }[]).map((p) => p.name)).toContain('tokened');
    const member = await congress(['policy', 'create', 'other'], { ...env, OS_TOKEN: ks.keystone.issue('demo') });
    expect(member.code).toBe(1);
    expect(member.err).toMatch(/^Policy doesn't allow create_policies to be performed\. \(HTTP 403\)/);
  });
});

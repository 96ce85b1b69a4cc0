// keystonemiddleware's connection options of [keystone_authtoken], read as the API uses them.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { keystoneClientSettings, keystoneOptionWarnings } from '../../../src/server/keystone-client';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-ks-client-'));
  await fs.writeFile(path.join(dir, 'ca.pem'), 'CA');
  await fs.writeFile(path.join(dir, 'c.pem'), 'CERT');
  await fs.writeFile(path.join(dir, 'k.pem'), 'KEY');
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

test('without TLS options Node defaults apply, with the 10 s bound', () => {
  expect(keystoneClientSettings({ auth_url: 'https://ks/v3' })).toEqual({ tls: null, timeoutMs: 10_000 });
});

test('cafile, certfile with keyfile, insecure and http_connect_timeout are read', () => {
  const s = keystoneClientSettings({ cafile: path.join(dir, 'ca.pem'), certfile: path.join(dir, 'c.pem'), keyfile: path.join(dir, 'k.pem'), insecure: 'False', http_connect_timeout: '2.5' });
  expect(s.timeoutMs).toBe(2500);
  expect(s.tls?.insecure).toBe(false);
  expect([s.tls?.ca?.toString(), s.tls?.cert?.toString(), s.tls?.key?.toString()]).toEqual(['CA', 'CERT', 'KEY']);
  expect(keystoneClientSettings({ insecure: 'yes' }).tls).toEqual({ ca: undefined, cert: undefined, key: undefined, insecure: true });
});

test('bad values name the option', () => {
  expect(() => keystoneClientSettings({ keyfile: path.join(dir, 'k.pem') })).toThrow('certfile and keyfile go together');
  expect(() => keystoneClientSettings({ http_connect_timeout: '0' })).toThrow('http_connect_timeout must be a positive number of seconds, not 0');
  expect(() => keystoneClientSettings({ cafile: path.join(dir, 'nope.pem') })).toThrow(/cafile .*nope\.pem cannot be read: ENOENT/);
});

test('common keystonemiddleware options without effect are named, others are not', () => {
  expect(keystoneOptionWarnings({ memcached_servers: 'a:1', region_name: 'r1', username: 'congress', cafile: '/x' })).toEqual([
    '[keystone_authtoken] memcached_servers has no effect in Congress-TS: validated tokens are cached in the API process for token_cache_time',
    '[keystone_authtoken] region_name has no effect in Congress-TS: Keystone is reached at auth_url; the service catalog is not read',
  ]);
});

/**
 * Keystone over HTTPS, as keystonemiddleware's `[keystone_authtoken]` options set it up: with
 * `cafile` tokens are validated against a Keystone whose certificate a private CA signed;
 * without it the API answers 503 and logs the certificate error; `insecure = True` skips the
 * check; an unreadable `cafile` or an unsupported `auth_type` stops start-up naming the option;
 * memcached settings are warned about.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FakeKeystoneAuth } from '../../fixtures/keystone-auth';
import { configDirectory, runServer, startServer, type ServerProcess } from '../../support/server';
import { waitFor } from '../../support/wait';

jest.setTimeout(90_000);

type Dir = Awaited<ReturnType<typeof configDirectory>>;
let keystone: FakeKeystoneAuth;
let certDir: Dir;
let ca: string;
const cleanup: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  certDir = await configDirectory();
  ca = path.join(certDir.dir, 'ca.pem');
  const caKey = path.join(certDir.dir, 'ca-key.pem');
  const key = path.join(certDir.dir, 'keystone-key.pem');
  const csr = path.join(certDir.dir, 'keystone.csr');
  const cert = path.join(certDir.dir, 'keystone.pem');
  const ext = path.join(certDir.dir, 'ext.cnf');
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', ca, '-days', '1', '-subj', '/CN=Congress test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=127.0.0.1');
  execFileSync('sh', ['-c', `echo 'subjectAltName=IP:127.0.0.1' > '${ext}'`]);
  openssl('x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-CAcreateserial', '-out', cert, '-days', '1', '-extfile', ext);
  keystone = await FakeKeystoneAuth.start({ cert: readFileSync(cert), key: readFileSync(key) });
});

afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
  await keystone?.stop();
  await certDir?.remove();
});

async function serve(extra: Record<string, string>): Promise<ServerProcess> {
  const dir = await configDirectory({ DEFAULT: { auth_strategy: 'keystone' }, database: { connection: 'sqlite://' }, keystone_authtoken: { ...keystone.authtokenSection(), ...extra } });
  cleanup.push(() => dir.remove());
  const server = await startServer({ args: ['--config-file', dir.configFile] });
  cleanup.push(() => server.stop());
  return server;
}

const policies = async (server: ServerProcess, token: string): Promise<number> =>
  (await fetch(`${server.url}/v1/policies`, { headers: { 'X-Auth-Token': token }, signal: AbortSignal.timeout(10_000) })).status;

test('cafile: tokens are validated over HTTPS against a private CA', async () => {
  expect(keystone.origin).toMatch(/^https:/);
  const server = await serve({ cafile: ca, memcached_servers: '127.0.0.1:11211' });
  expect(await policies(server, keystone.issue('admin'))).toBe(200);
  expect(await policies(server, 'no-such-token')).toBe(401);
  await waitFor('the memcached warning', 10_000, () => (server.output().stderr.includes('[keystone_authtoken] memcached_servers has no effect in Congress-TS') ? true : undefined));
});

test('without cafile the certificate is refused: 503, and the reason in the log', async () => {
  const server = await serve({});
  expect(await policies(server, keystone.issue('admin'))).toBe(503);
  const logged = await waitFor('the validation error in the log', 10_000, () => /token validation failed: .*/.exec(server.output().stderr)?.[0]);
  expect(logged).toMatch(/Keystone at https:\/\/127\.0\.0\.1:\d+\/identity\/v3 cannot be reached: .*(certificate|issuer)/i);
});

test('insecure = True skips the certificate check', async () => {
  const server = await serve({ insecure: 'True' });
  expect(await policies(server, keystone.issue('admin'))).toBe(200);
});

test('an unreadable cafile, a lone certfile or an unsupported auth_type stops start-up', async () => {
  for (const [extra, message] of [
    [{ cafile: path.join(certDir.dir, 'missing.pem') }, `[keystone_authtoken] cafile ${path.join(certDir.dir, 'missing.pem')} cannot be read: ENOENT`],
    [{ certfile: ca }, '[keystone_authtoken] certfile and keyfile go together'],
    [{ auth_type: 'v3applicationcredential' }, '[keystone_authtoken] auth_type v3applicationcredential is not supported'],
    [{ insecure: 'maybe' }, '[keystone_authtoken] insecure must be true or false, not maybe'],
  ] as const) {
    const dir = await configDirectory({ DEFAULT: { auth_strategy: 'keystone' }, database: { connection: 'sqlite://' }, keystone_authtoken: { ...keystone.authtokenSection(), ...extra } });
    cleanup.push(() => dir.remove());
    const run = await runServer({ args: ['--config-file', dir.configFile] });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(message);
  }
});

/**
 * The bus over TLS: `[oslo_messaging_rabbit] ssl = true` with `ssl_ca_file` connects a real
 * congress-server to a private RabbitMQ node's AMQPS listener (the broker itself reports the
 * connection as TLS); a broker certificate from another CA stops start-up with the reason.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { PrivateBroker, rabbitmqctl } from '../../support/rabbitmq';
import { configDirectory, runServer, startServer, type ServerProcess } from '../../support/server';
import { call } from '../replication/cluster';

jest.setTimeout(180_000);

const run = promisify(execFile);
const dir = mkdtempSync(path.join(os.tmpdir(), 'congress-broker-tls-'));
const file = (name: string): string => path.join(dir, name);
let broker: PrivateBroker | null = null;
let server: ServerProcess | null = null;
const configs: Awaited<ReturnType<typeof configDirectory>>[] = [];

async function makeCa(name: string): Promise<void> {
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name} test CA`, '-keyout', file(`${name}-ca-key.pem`), '-out', file(`${name}-ca.pem`)]);
}

beforeAll(async () => {
  await makeCa('good');
  await makeCa('other');
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', file('broker-key.pem'), '-out', file('broker.csr')]);
  await run('bash', ['-c', `printf 'subjectAltName=IP:127.0.0.1\\n' > ${file('san.ext')}`]);
  await run('openssl', ['x509', '-req', '-in', file('broker.csr'), '-CA', file('good-ca.pem'), '-CAkey', file('good-ca-key.pem'), '-CAcreateserial', '-days', '2', '-extfile', file('san.ext'), '-out', file('broker.pem')]);
  // The broker runs as the rabbitmq user and reads its files itself.
  chmodSync(dir, 0o755);
  for (const f of ['good-ca.pem', 'broker.pem', 'broker-key.pem']) chmodSync(file(f), 0o644);
  broker = await PrivateBroker.start(60_000, { ca: file('good-ca.pem'), cert: file('broker.pem'), key: file('broker-key.pem') });
});

afterAll(async () => {
  await server?.stop('SIGTERM');
  for (const c of configs) await c.remove();
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function configWithCa(ca: string, rabbit: Record<string, string> = {}): Promise<string> {
  const b = broker as PrivateBroker;
  const cfg = await configDirectory({
    DEFAULT: { transport_url: `rabbit://guest:guest@127.0.0.1:${b.tlsPort}/` },
    oslo_messaging_rabbit: { ssl: 'true', ssl_ca_file: ca, ...rabbit },
    dse: { bus_id: `tls-${randomUUID().slice(0, 8)}` },
    // In memory: migrates itself, no --db-upgrade step.
    database: { connection: 'sqlite://' },
  });
  configs.push(cfg);
  return cfg.configFile;
}

test('ssl = true with ssl_ca_file: the node joins the bus over TLS and serves the API', async () => {
  server = await startServer({ args: ['--config-file', await configWithCa(file('good-ca.pem'))], timeoutMs: 60_000 });
  const { stdout, stderr } = server.output();
  expect(stdout + stderr).toMatch(/joined bus 'tls-[0-9a-f]{8}' as node .* \(message broker amqp:\/\/127\.0\.0\.1:\d+\/ over TLS\)/);
  expect((await call(server.url, 'GET', '/v1/policies')).status).toBe(200);
  const connections = await rabbitmqctl(['list_connections', 'ssl', 'port', 'ssl_protocol', '--quiet', '--no-table-headers'], (broker as PrivateBroker).nodeName);
  const lines = connections.split('\n').filter((l) => l.trim() !== '');
  expect(lines.length).toBeGreaterThan(0);
  // Negotiated: the newest version both sides speak.
  for (const line of lines) expect(line).toMatch(new RegExp(`^true\\s+${(broker as PrivateBroker).tlsPort}\\s+'?tlsv1\\.3'?$`));
  expect((await server.stop('SIGTERM')).code).toBe(0);
  server = null;
});

test('ssl_version = TLSv1_2 holds the connection to that version; an unknown one stops start-up', async () => {
  server = await startServer({ args: ['--config-file', await configWithCa(file('good-ca.pem'), { ssl_version: 'TLSv1_2' })], timeoutMs: 60_000 });
  const connections = await rabbitmqctl(['list_connections', 'ssl_protocol', '--quiet', '--no-table-headers'], (broker as PrivateBroker).nodeName);
  const lines = connections.split('\n').filter((l) => l.trim() !== '');
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(line.trim()).toMatch(/^'?tlsv1\.2'?$/);
  expect((await server.stop('SIGTERM')).code).toBe(0);
  server = null;
  const bad = await runServer({ args: ['--config-file', await configWithCa(file('good-ca.pem'), { ssl_version: 'SSLv3' })] });
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toContain('ssl_version SSLv3: use TLSv1_2');
});

test('a broker certificate from another CA stops start-up with the reason', async () => {
  const result = await runServer({ args: ['--config-file', await configWithCa(file('other-ca.pem'))], timeoutMs: 120_000 });
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/start-up failed: .*(self[- ]signed|unable to verify|certificate)/i);
});

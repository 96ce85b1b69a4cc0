/**
 * The API over HTTPS end to end, in process: a CongressServer whose congress.conf names a
 * self-signed certificate made here (`[DEFAULT] ssl_cert_file`, `ssl_key_file`) answers the
 * REST API over TLS only.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import winston from 'winston';
import { loadConfig } from '../../../src/server/config';
import { CongressServer } from '../../../src/server/congress-server';

jest.setTimeout(60_000);

function get(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

describe('congress-server over TLS', () => {
  let dir: string;
  let server: CongressServer;
  let ca: Buffer;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'congress-tls-server-'));
    const certFile = path.join(dir, 'cert.pem');
    const keyFile = path.join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore', timeout: 20_000 });
    ca = fs.readFileSync(certFile);
    fs.mkdirSync(path.join(dir, 'library'));
    const conf = path.join(dir, 'congress.conf');
    fs.writeFileSync(
      conf,
      `[DEFAULT]\nbind_host = 127.0.0.1\nbind_port = 0\nauth_strategy = noauth\nssl_cert_file = ${certFile}\nssl_key_file = ${keyFile}\n` +
        `policy_library_path = ${path.join(dir, 'library')}\nencryption_key_path = ${path.join(dir, 'keys')}\n[database]\nconnection = sqlite://\n`,
    );
    const config = loadConfig({ files: [conf] }).config;
    const logger = winston.createLogger({ silent: true });
    server = await CongressServer.start({ config, logger, roles: { api: true, policyEngine: true, datasources: true } });
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('advertises an https URL and answers the API, health and metrics over TLS', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const policies = await get(`${server.url}/v1/policies`, ca);
    expect(policies.status).toBe(200);
    expect(JSON.parse(policies.body)).toMatchObject({ results: expect.arrayContaining([expect.objectContaining({ name: 'classification' })]) });
    expect((await get(`${server.url}/readyz`, ca)).status).toBe(200);
    expect((await get(`${server.url}/metrics`, ca)).body).toContain('congress_http_requests_total');
  });

  it('does not answer plain HTTP on the same port', async () => {
    const plain = server.url.replace(/^https:/, 'http:');
    const res = await fetch(`${plain}/v1/policies`, { signal: AbortSignal.timeout(5_000) }).then(
      (r) => r.status,
      () => 'refused',
    );
    // Node's TLS server answers a clear-text request with 400 or drops it; never with the API.
    expect([400, 'refused']).toContain(res);
  });
});

/** TLS for the API listener: a self-signed certificate made here, served and verified. */
import { selfSigned } from '../../support/certs';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { CongressConfig } from '../../../src/server/config';
import { loadConfig } from '../../../src/server/config';
import { createApiServer, tlsFilesOf, TlsSetupError } from '../../../src/server/tls';

function withDefaults(config: CongressConfig, extra: Record<string, string>): CongressConfig {
  return { ...config, DEFAULT: { ...config.DEFAULT, ...extra } } as CongressConfig;
}

function get(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca, timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

describe('API TLS', () => {
  let dir: string;
  let base: CongressConfig;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'congress-tls-'));
    fs.writeFileSync(path.join(dir, 'congress.conf'), '[DEFAULT]\n');
    base = loadConfig({ files: [path.join(dir, 'congress.conf')] }).config;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is off unless both files are named, and refuses half a pair', () => {
    expect(tlsFilesOf(base)).toBeNull();
    expect(tlsFilesOf(withDefaults(base, { ssl_cert_file: '/c.pem', ssl_key_file: '/k.pem' }))).toEqual({ certFile: '/c.pem', keyFile: '/k.pem' });
    expect(() => tlsFilesOf(withDefaults(base, { ssl_cert_file: '/c.pem' }))).toThrow('both [DEFAULT] ssl_cert_file and ssl_key_file');
  });

  it('serves HTTPS that a client trusting the certificate can verify', async () => {
    const files = selfSigned(dir);
    const server = createApiServer({ options: {}, listener: (_req, res) => res.end('secure') }, files);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const res = await get(`https://127.0.0.1:${port}/`, fs.readFileSync(files.certFile));
      expect(res).toEqual({ status: 200, body: 'secure' });
      // A client without the certificate in its trust store refuses the connection.
      await expect(get(`https://127.0.0.1:${port}/`, Buffer.from(''))).rejects.toThrow();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('asks for a client certificate signed by the CA bundle when one is given', async () => {
    const files = selfSigned(dir);
    const cert = fs.readFileSync(files.certFile);
    // The self-signed certificate is its own CA, so it also serves as the client certificate.
    const server = createApiServer({ options: {}, listener: (_req, res) => res.end('mutual') }, { ...files, caFile: files.certFile });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const withCert = await new Promise<number>((resolve, reject) => {
        const req = https.get(`https://127.0.0.1:${port}/`, { ca: cert, cert, key: fs.readFileSync(files.keyFile), timeout: 5_000 }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
      });
      expect(withCert).toBe(200);
      await expect(get(`https://127.0.0.1:${port}/`, cert)).rejects.toThrow();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('names the file that cannot be read or used', () => {
    expect(() => createApiServer({ options: {}, listener: () => undefined }, { certFile: path.join(dir, 'nosuch.pem'), keyFile: path.join(dir, 'key.pem') })).toThrow(/certificate .*nosuch\.pem/);
    fs.writeFileSync(path.join(dir, 'garbage.pem'), 'not a key');
    expect(() => createApiServer({ options: {}, listener: () => undefined }, { certFile: path.join(dir, 'cert.pem'), keyFile: path.join(dir, 'garbage.pem') })).toThrow(TlsSetupError);
  });
});

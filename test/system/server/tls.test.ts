/**
 * With `[DEFAULT] ssl_cert_file` and `ssl_key_file` the API serves HTTPS only (a real process
 * and a self-signed certificate made by openssl).
 */
import { execFileSync } from 'node:child_process';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { congress } from '../../support/cli';
import { configDirectory, runServer, startServer } from '../../support/server';

jest.setTimeout(60_000);

function get(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

test('HTTPS with the configured certificate, and no plain HTTP', async () => {
  const base = await configDirectory();
  const cert = path.join(base.dir, 'cert.pem');
  const key = path.join(base.dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const cfg = await configDirectory({ DEFAULT: { ssl_cert_file: cert, ssl_key_file: key } });
  try {
    expect((await runServer({ args: ['--config-file', cfg.configFile, '--db-upgrade'] })).code).toBe(0);
    const server = await startServer({ args: ['--config-file', cfg.configFile] });
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const r = await get(`${server.url}/v1/policies`, readFileSync(cert));
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body).results.map((p: { name: string }) => p.name).sort()).toEqual(['action', 'classification']);
      await expect(fetch(server.url.replace('https:', 'http:') + '/v1/policies')).rejects.toThrow();
      // The congress CLI: refuses the unknown issuer with advice, trusts --os-cacert / OS_CACERT, or skips checks with --insecure.
      const refused = await congress(['policy', 'list', '--os-url', server.url]);
      expect(refused.code).toBe(3);
      expect(refused.err).toMatch(/certificate verify failed: self-signed certificate \(use --os-cacert FILE, or --insecure\)/);
      for (const run of [
        await congress(['policy', 'list', '--os-url', server.url, '--os-cacert', cert, '--json']),
        await congress(['policy', 'list', '--os-url', server.url, '--json'], { OS_CACERT: cert }),
        await congress(['policy', 'list', '--os-url', server.url, '--insecure', '--json']),
      ]) {
        expect(run).toMatchObject({ code: 0, err: '' });
        expect((JSON.parse(run.out) as { name: string }[]).map((p) => p.name).sort()).toEqual(['action', 'classification']);
      }
      const unreadable = await congress(['policy', 'list', '--os-url', server.url, '--os-cacert', path.join(base.dir, 'nosuch.pem')]);
      expect(unreadable.code).toBe(2);
      expect(unreadable.err).toMatch(/cannot read the CA bundle .*nosuch\.pem/);
    } finally {
      expect((await server.stop('SIGTERM')).code).toBe(0);
    }
  } finally {
    await cfg.remove();
    await base.remove();
  }
});

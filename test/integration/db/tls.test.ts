/**
 * TLS to MariaDB from pymysql's URL parameters (`ssl_ca`, `ssl_check_hostname`), against a
 * private MariaDB serving a certificate made here with openssl. The certificate names only
 * `db.example`, so that checking the name and not checking it give different answers.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DataSource } from 'typeorm';
import { databaseDownReason, openDataSource } from '../../../src/db';
import { PrivateMariaDb } from '../../support/private-mariadb';

jest.setTimeout(120_000);

const run = promisify(execFile);
const dir = mkdtempSync(path.join(os.tmpdir(), 'congress-tls-'));
const file = (name: string): string => path.join(dir, name);
let db: PrivateMariaDb | null = null;

/** A CA (`<name>-ca.pem`) and, when `server` is set, a server certificate it signed for db.example. */
async function makeCa(name: string, server = false): Promise<void> {
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name} test CA`, '-keyout', file(`${name}-ca-key.pem`), '-out', file(`${name}-ca.pem`)]);
  if (!server) return;
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=db.example', '-keyout', file('server-key.pem'), '-out', file('server.csr')]);
  await run('bash', ['-c', `printf 'subjectAltName=DNS:db.example\\n' > ${file('san.ext')}`]);
  await run('openssl', ['x509', '-req', '-in', file('server.csr'), '-CA', file(`${name}-ca.pem`), '-CAkey', file(`${name}-ca-key.pem`), '-CAcreateserial', '-days', '2', '-extfile', file('san.ext'), '-out', file('server.pem')]);
}

beforeAll(async () => {
  await makeCa('good', true);
  await makeCa('other');
  // mariadbd runs as the mysql user and reads the server's files itself.
  chmodSync(dir, 0o755);
  for (const f of ['good-ca.pem', 'server.pem', 'server-key.pem']) chmodSync(file(f), 0o644);
  db = await PrivateMariaDb.start([`--ssl-ca=${file('good-ca.pem')}`, `--ssl-cert=${file('server.pem')}`, `--ssl-key=${file('server-key.pem')}`]);
  await db.createDatabase('congress');
});

afterAll(async () => {
  await db?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The session's TLS cipher, empty on a plain connection. */
async function cipherOf(query: string): Promise<string> {
  const ds: DataSource = await openDataSource({ connection: `${(db as PrivateMariaDb).url('congress')}${query}` });
  try {
    const rows = (await ds.query("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) as { Value: string }[];
    return rows[0].Value;
  } finally {
    await ds.destroy();
  }
}

test('without ssl_* parameters the connection is plain', async () => {
  expect(await cipherOf('')).toBe('');
});

test('ssl_ca encrypts and verifies the certificate; ssl_check_hostname=false accepts a certificate for another name', async () => {
  expect(await cipherOf(`&ssl_ca=${file('good-ca.pem')}&ssl_check_hostname=false`)).not.toBe('');
});

test('the server name is checked by default: a certificate for db.example does not do for 127.0.0.1', async () => {
  await expect(cipherOf(`&ssl_ca=${file('good-ca.pem')}`)).rejects.toThrow(/does not match certificate's altnames: .*DNS:db\.example/);
});

test('a certificate from another CA is refused, and is not taken for a database that is down', async () => {
  const err: unknown = await cipherOf(`&ssl_ca=${file('other-ca.pem')}&ssl_check_hostname=false`).then(
    () => null,
    (e: unknown) => e,
  );
  expect(String(err)).toMatch(/self[- ]signed|unable to verify|certificate/i);
  expect(databaseDownReason(err)).toBeNull();
});

test('an unreadable CA file is named in the error', async () => {
  await expect(cipherOf(`&ssl_ca=${file('missing.pem')}`)).rejects.toThrow(`cannot read the ssl_ca file ${file('missing.pem')}`);
});

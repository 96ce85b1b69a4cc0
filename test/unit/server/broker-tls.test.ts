import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/server/config';
import { brokerTls, busKind } from '../../../src/server/bus-node';

describe('brokerTls', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-broker-tls-unit-'));
    await fs.writeFile(path.join(dir, 'ca.pem'), 'CA PEM');
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  const configOf = async (text: string) => {
    const conf = path.join(dir, 'congress.conf');
    await fs.writeFile(conf, text);
    return loadConfig({ files: [conf] }).config;
  };
  const URL = '[DEFAULT]\ntransport_url = rabbit://u:p@broker:5671/\n';

  test('no TLS unless [oslo_messaging_rabbit] ssl or ?ssl=1 asks for it', async () => {
    const plain = await configOf(`${URL}[oslo_messaging_rabbit]\nssl_ca_file = ${dir}/ca.pem\n`);
    expect(brokerTls(plain)).toBeUndefined();
    expect(busKind(plain)).toBe('message broker amqp://broker:5671/');
  });

  test('ssl = true reads the CA file; the rabbit_use_ssl name works too', async () => {
    const tls = await configOf(`${URL}[oslo_messaging_rabbit]\nssl = true\nssl_ca_file = ${dir}/ca.pem\n`);
    expect(brokerTls(tls)).toEqual({ ca: Buffer.from('CA PEM'), cert: undefined, key: undefined });
    expect(busKind(tls)).toBe('message broker amqp://broker:5671/ over TLS');
    expect(brokerTls(await configOf(`${URL}[oslo_messaging_rabbit]\nrabbit_use_ssl = true\n`))).toEqual({ ca: undefined, cert: undefined, key: undefined });
  });

  test('?ssl=1 in transport_url turns TLS on, verified by the system CAs without a CA file', async () => {
    expect(brokerTls(await configOf('[DEFAULT]\ntransport_url = rabbit://u:p@broker:5671/?ssl=1\n'))).toEqual({ ca: undefined, cert: undefined, key: undefined });
  });

  test('an unreadable file or a certificate without its key stops start-up with the option named', async () => {
    await expect(configOf(`${URL}[oslo_messaging_rabbit]\nssl = true\nssl_ca_file = ${dir}/missing.pem\n`).then(brokerTls)).rejects.toThrow(
      `[oslo_messaging_rabbit] ssl_ca_file: cannot read ${dir}/missing.pem`,
    );
    await expect(configOf(`${URL}[oslo_messaging_rabbit]\nssl = true\nssl_cert_file = ${dir}/ca.pem\n`).then(brokerTls)).rejects.toThrow(
      '[oslo_messaging_rabbit] ssl_cert_file and ssl_key_file go together',
    );
  });
});

// The effective options logged at DEBUG on start-up: every option, secrets masked.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { allOptions, effectiveOptions, loadConfig } from '../../../src/server/config';

test('every option once, with its value; secrets and keystone passwords as ****', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-values-'));
  try {
    const conf = path.join(dir, 'congress.conf');
    await fs.writeFile(
      conf,
      '[DEFAULT]\nbind_port = 8080\ntransport_url = rabbit://congress:rabbit-pw@127.0.0.1:5672/\ndisabled_drivers = nova, plexxi\n' +
        '[database]\nconnection = mysql+pymysql://congress:db-pw@127.0.0.1/congress\n' +
        '[keystone_authtoken]\nusername = congress\npassword = ks-pw\n',
    );
    const lines = effectiveOptions(loadConfig({ files: [conf] }).config);
    expect(lines[0]).toBe(`configuration options gathered from config files: [${conf}]`);
    expect(lines).toHaveLength(1 + allOptions().length + 2);
    expect(lines).toContain('bind_port = 8080');
    expect(lines).toContain("disabled_drivers = ['nova', 'plexxi']");
    expect(lines).toContain('transport_url = ****');
    expect(lines).toContain('database.connection = ****');
    expect(lines).toContain('engine.allow_recursion = false');
    expect(lines.slice(-2)).toEqual(['keystone_authtoken.password = ****', 'keystone_authtoken.username = congress']);
    expect(lines.join('\n')).not.toMatch(/rabbit-pw|db-pw|ks-pw/);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

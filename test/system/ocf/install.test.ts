/**
 * `scripts/install-ocf.sh` into temporary directories: the agent lands as
 * `<ocf-root>/resource.d/openstack/congress-datasource` (mode 755), the `congress-server`
 * wrapper execs this checkout's server, a second run changes nothing, and a foreign
 * `congress-server` is not overwritten without `--force`.
 */
import { promises as fs, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AGENT, INSTALL_SCRIPT, run } from '../../support/pacemaker';

jest.setTimeout(60_000);

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-install-ocf-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const install = (...extra: string[]) => run('sh', [INSTALL_SCRIPT, '--ocf-root', path.join(dir, 'ocf'), '--bin-dir', path.join(dir, 'bin'), ...extra]);

test('installs the agent and the wrapper, idempotently', async () => {
  const first = await install();
  expect(first.code).toBe(0);
  const agent = path.join(dir, 'ocf', 'resource.d', 'openstack', 'congress-datasource');
  expect(await fs.readFile(agent, 'utf8')).toBe(await fs.readFile(AGENT, 'utf8'));
  expect(statSync(agent).mode & 0o777).toBe(0o755);
  expect(statSync(path.dirname(agent)).mode & 0o777).toBe(0o755);
  const wrapper = path.join(dir, 'bin', 'congress-server');
  expect(statSync(wrapper).mode & 0o777).toBe(0o755);
  const version = await run(wrapper, ['--version'], { env: { PATH: '/usr/bin:/bin' } });
  expect(version.code).toBe(0);
  expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);

  const before = statSync(agent).mtimeMs;
  const second = await install();
  expect(second.code).toBe(0);
  expect(second.stdout).toContain(`${agent} is up to date`);
  expect(second.stdout).toContain(`${wrapper} is up to date`);
  expect(statSync(agent).mtimeMs).toBe(before);
});

test('a congress-server the script did not write is kept unless --force', async () => {
  const wrapper = path.join(dir, 'bin', 'congress-server');
  await fs.writeFile(wrapper, '#!/bin/sh\necho mine\n', { mode: 0o755 });
  const refused = await install();
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('was not written by this script');
  expect(await fs.readFile(wrapper, 'utf8')).toBe('#!/bin/sh\necho mine\n');
  const forced = await install('--force');
  expect(forced.code).toBe(0);
  expect(await fs.readFile(wrapper, 'utf8')).toContain('install-ocf.sh');
});

test('--no-wrapper installs only the agent; unknown arguments are refused', async () => {
  const only = await run('sh', [INSTALL_SCRIPT, '--ocf-root', path.join(dir, 'ocf2'), '--bin-dir', path.join(dir, 'bin2'), '--no-wrapper']);
  expect(only.code).toBe(0);
  await expect(fs.stat(path.join(dir, 'bin2', 'congress-server'))).rejects.toThrow();
  const bad = await run('sh', [INSTALL_SCRIPT, '--bogus']);
  expect(bad.code).toBe(2);
});

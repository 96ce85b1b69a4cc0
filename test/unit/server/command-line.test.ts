// congress-server's command line: the original's oslo.log and Congress flags set their options
// over the configuration files, with oslo.config's --no<flag> form for booleans.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configFromArgs, parseArgs } from '../../../src/server/command-line';

let dir: string;
let conf: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-cli-flags-'));
  conf = path.join(dir, 'congress.conf');
  await fs.writeFile(conf, '[DEFAULT]\ndebug = False\nuse_syslog = True\nlog_file = from-file.log\n[database]\nconnection = sqlite://\n');
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

test('roles, node id and repeated config files', () => {
  const a = parseArgs(['--api', '--policy-engine', '--node-id=pe1', '--config-file', 'a.conf', '--config-file', 'b.conf']);
  expect(a).toMatchObject({ api: true, policyEngine: true, nodeId: 'pe1', configFiles: ['a.conf', 'b.conf'], dbUpgrade: false });
});

test("the original's logging flags win over the file", () => {
  const { config, warnings } = configFromArgs(parseArgs(['--config-file', conf, '--debug', '--nouse-syslog', '--logfile', 'flag.log', '--log-dir', dir, '--delete-missing-driver-datasources']));
  expect(config.DEFAULT).toMatchObject({ debug: true, use_syslog: false, log_file: 'flag.log', log_dir: dir, delete_missing_driver_datasources: true });
  expect(warnings).toEqual([]);
  expect(configFromArgs(parseArgs(['--config-file', conf, '-d'])).config.DEFAULT.debug).toBe(true);
  expect(configFromArgs(parseArgs(['--config-file', conf, '--nodebug'])).config.DEFAULT.debug).toBe(false);
  // Left out, the file's values stand.
  expect(configFromArgs(parseArgs(['--config-file', conf])).config.DEFAULT).toMatchObject({ debug: false, use_syslog: true, log_file: 'from-file.log' });
});

test('a flag without effect here warns like the option in a file', () => {
  const { warnings } = configFromArgs(parseArgs(['--config-file', conf, '--use-journal', '--log-config', '/etc/congress/logging.conf']));
  expect(warnings).toEqual([
    'command line: [DEFAULT] log_config_append has no effect in Congress-TS: Python logging configuration is not read; use the log options',
    'command line: [DEFAULT] use_journal has no effect in Congress-TS: under systemd, stderr already goes to the journal',
  ]);
});

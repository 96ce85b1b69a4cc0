/**
 * `[DEFAULT] use_syslog` against a real rsyslogd (private socket): the server's lines arrive
 * with the configured facility, the ident `congress-server` and each line's severity; nothing
 * goes to stderr unless `use_stderr`; a syslog daemon restarted under a running server gets the
 * lines logged after it is back; a missing socket or an unknown facility stops start-up (exit 2).
 */
import { PrivateSyslog } from '../../support/syslog';
import { configDirectory, runServer, startServer, type ServerProcess } from '../../support/server';
import { waitFor } from '../../support/wait';

jest.setTimeout(120_000);

let syslog: PrivateSyslog;
let cfg: Awaited<ReturnType<typeof configDirectory>> | undefined;
let server: ServerProcess | undefined;

beforeAll(async () => {
  syslog = await PrivateSyslog.start();
});

afterAll(async () => {
  await server?.stop();
  await cfg?.remove();
  await syslog?.stop();
});

const fromServer = async (): Promise<string[]> => (await syslog.lines()).filter((l) => l.includes('congress-server'));

test('lines go to syslog with the facility, the ident and their severity', async () => {
  cfg = await configDirectory({
    // use_journal has no effect here: setting it makes the start-up warn, at warning severity.
    DEFAULT: { use_syslog: 'True', syslog_log_facility: 'LOG_LOCAL3', syslog_address: syslog.socket, use_journal: 'False' },
    database: { connection: 'sqlite://' },
  });
  server = await startServer({ args: ['--config-file', cfg.configFile] });
  const r = await fetch(`${server.url}/v1/policies`);
  expect(r.status).toBe(200);
  const lines = await waitFor('the request line in syslog', 10_000, async () => {
    const got = await fromServer();
    return got.some((l) => l.includes('GET /v1/policies 200')) ? got : undefined;
  });
  expect(lines).toContainEqual(expect.stringMatching(/^local3\.info congress-server(\[\d+\])?: .*INFO .*GET \/v1\/policies 200/));
  expect(lines).toContainEqual(expect.stringMatching(/^local3\.warning congress-server(\[\d+\])?: .*WARN .*use_journal/));
  expect(lines.every((l) => l.startsWith('local3.'))).toBe(true);
  // Syslog alone: stderr carries no log lines (use_stderr is off).
  expect(server.output().stderr).not.toContain('GET /v1/policies');

  // The daemon restarts: lines logged while it is down are lost (as with syslog(3)); later ones arrive.
  await syslog.pause();
  await fetch(`${server.url}/v1/policies?while=down`);
  await syslog.resume();
  await fetch(`${server.url}/v1/policies?after=restart`);
  await waitFor('a line logged after the daemon restarted', 10_000, async () => ((await fromServer()).some((l) => l.includes('after=restart')) ? true : undefined));

  const stopped = await server.stop();
  server = undefined;
  expect(stopped.code).toBe(0);
  await waitFor('the last lines of the shutdown', 10_000, async () => ((await fromServer()).some((l) => l.includes('lifecycle draining -> stopped') || l.includes('-> stopped')) ? true : undefined));
});

test('use_stderr keeps stderr as well', async () => {
  const both = await configDirectory({ DEFAULT: { use_syslog: 'True', use_stderr: 'True', syslog_address: syslog.socket }, database: { connection: 'sqlite://' } });
  try {
    const s = await startServer({ args: ['--config-file', both.configFile] });
    await fetch(`${s.url}/v1/policies?both=1`);
    await waitFor('the line in syslog', 10_000, async () => ((await fromServer()).some((l) => l.startsWith('user.info') && l.includes('both=1')) ? true : undefined));
    await waitFor('the line on stderr', 10_000, () => (s.output().stderr.includes('both=1') ? true : undefined));
    expect((await s.stop()).code).toBe(0);
  } finally {
    await both.remove();
  }
});

test('no socket or an unknown facility stops start-up with exit 2 and the reason', async () => {
  const bad = await configDirectory({ DEFAULT: { use_syslog: 'True', syslog_address: `${syslog.dir}/nothing-here` }, database: { connection: 'sqlite://' } });
  try {
    const noSocket = await runServer({ args: ['--config-file', bad.configFile] });
    expect(noSocket.code).toBe(2);
    expect(noSocket.stderr).toContain(`no syslog socket at ${syslog.dir}/nothing-here`);
    const facility = await configDirectory({ DEFAULT: { use_syslog: 'True', syslog_address: syslog.socket, syslog_log_facility: 'LOG_NOPE' }, database: { connection: 'sqlite://' } });
    try {
      const wrong = await runServer({ args: ['--config-file', facility.configFile] });
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/syslog_log_facility "LOG_NOPE": must be one of .*LOG_LOCAL0/);
    } finally {
      await facility.remove();
    }
  } finally {
    await bad.remove();
  }
});

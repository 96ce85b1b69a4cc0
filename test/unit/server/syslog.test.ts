// The syslog facility names oslo.log accepts, the priority prefix of each level, and the bound on
// what is held for a logger process that does not read.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LoggerProcess, syslogFacility, syslogPriority } from '../../../src/server/syslog';
import { waitFor } from '../../support/wait';

test('facilities are read as oslo.log reads them', () => {
  expect(syslogFacility('LOG_USER')).toBe(1);
  expect(syslogFacility('user')).toBe(1);
  expect(syslogFacility('Local0')).toBe(16);
  expect(syslogFacility('LOG_LOCAL7')).toBe(23);
  expect(syslogFacility(' log_daemon ')).toBe(3);
  expect(syslogFacility('LOG_AUTHPRIV')).toBe(10);
  expect(() => syslogFacility('LOG_LOCAL8')).toThrow(/syslog_log_facility "LOG_LOCAL8": must be one of LOG_KERN, LOG_USER, .*LOG_LOCAL7$/);
  expect(() => syslogFacility('')).toThrow(/must be one of/);
});

test('a level becomes its syslog severity under the facility', () => {
  const local3 = syslogFacility('local3');
  expect(syslogPriority(local3, 'error')).toBe('<155>');
  expect(syslogPriority(local3, 'warn')).toBe('<156>');
  expect(syslogPriority(local3, 'info')).toBe('<158>');
  expect(syslogPriority(local3, 'debug')).toBe('<159>');
  expect(syslogPriority(syslogFacility('user'), 'info')).toBe('<14>');
  // An unknown level is logged as information rather than dropped.
  expect(syslogPriority(1, 'notice')).toBe('<14>');
});

test('lines beyond the cap are dropped while logger does not read, and counted once it does', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-syslog-unit-'));
  const out = path.join(dir, 'out');
  // A stand-in for logger that reads nothing for a while (a syslog daemon that stopped), then everything.
  const proc = new LoggerProcess('/bin/sh', ['-c', `sleep 1; cat > '${out}'`], syslogFacility('local1'), 64 * 1024);
  try {
    const line = `<142>INFO ${'x'.repeat(100)}\n`;
    for (let i = 0; i < 5000; i++) proc.write(line); // about 520 kB
    expect(proc.pendingBytes).toBeLessThan(64 * 1024 + 2 * line.length);
    const dropped = proc.droppedLines;
    expect(dropped).toBeGreaterThan(3000);
    await waitFor('the note of the dropped lines', 10_000, async () => {
      const text = await fs.readFile(out, 'utf8').catch(() => '');
      return text.includes(`<140>WARN syslog: ${dropped} log lines dropped while the syslog daemon was not reading\n`) ? text : undefined;
    });
    expect(proc.droppedLines).toBe(0);
  } finally {
    proc.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
});

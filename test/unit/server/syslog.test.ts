// The syslog facility names oslo.log accepts, and the priority prefix of each level.
import { syslogFacility, syslogPriority } from '../../../src/server/syslog';

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

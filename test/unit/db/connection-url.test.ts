/** `[database] connection` URLs in the forms operators write them. */
import path from 'node:path';
import { ConnectionUrlError, parseConnectionUrl, redactConnectionUrl } from '../../../src/db';

describe('parseConnectionUrl', () => {
  it("reads the original's mysql+pymysql URL", () => {
    expect(parseConnectionUrl('mysql+pymysql://congress:secret@db-vip/congress?charset=utf8')).toEqual({
      kind: 'mysql',
      host: 'db-vip',
      port: 3306,
      user: 'congress',
      password: 'secret',
      database: 'congress',
      charset: 'utf8mb4',
      socketPath: null,
    });
  });

  it.each(['mysql', 'mysql+mysqldb', 'mysql+pymysql', 'mariadb+pymysql'])('accepts the %s scheme', (scheme) => {
    expect(parseConnectionUrl(`${scheme}://u:p@127.0.0.1:3307/c`)).toMatchObject({ kind: 'mysql', host: '127.0.0.1', port: 3307 });
  });

  it('keeps a password with reserved characters, encoded or not', () => {
    expect(parseConnectionUrl('mysql://u:p%40ss%2Fw:rd@h/c')).toMatchObject({ user: 'u', password: 'p@ss/w:rd' });
    expect(parseConnectionUrl('mysql://u:pa:ss/x@h/c')).toMatchObject({ password: 'pa:ss/x', host: 'h' });
  });

  it('reads an IPv6 host, a missing password and a Unix socket', () => {
    expect(parseConnectionUrl('mysql://root@[::1]:3306/c')).toMatchObject({ host: '::1', user: 'root', password: '' });
    expect(parseConnectionUrl('mysql://u@localhost/c?unix_socket=/run/mysqld/mysqld.sock&charset=utf8mb4')).toMatchObject({
      socketPath: '/run/mysqld/mysqld.sock',
      charset: 'utf8mb4',
    });
  });

  it('resolves sqlite:/// relative and sqlite://// absolute paths, and sqlite:// in memory', () => {
    expect(parseConnectionUrl('sqlite:///data/congress.sqlite', '/srv/congress')).toEqual({
      kind: 'sqlite',
      file: path.join('/srv/congress', 'data/congress.sqlite'),
    });
    expect(parseConnectionUrl('sqlite:////var/lib/congress/congress.sqlite')).toEqual({
      kind: 'sqlite',
      file: '/var/lib/congress/congress.sqlite',
    });
    expect(parseConnectionUrl('sqlite://')).toEqual({ kind: 'sqlite', file: ':memory:' });
    expect(parseConnectionUrl('sqlite:///:memory:')).toEqual({ kind: 'sqlite', file: ':memory:' });
  });

  it('refuses what it cannot serve, without echoing the password', () => {
    expect(() => parseConnectionUrl('postgresql://u:topsecret@h/c')).toThrow(ConnectionUrlError);
    expect(() => parseConnectionUrl('postgresql://u:topsecret@h/c')).toThrow(/unsupported database scheme 'postgresql'.*u:\*\*\*@h/);
    expect(() => parseConnectionUrl('mysql://u:p@h')).toThrow(/no database name/);
    expect(() => parseConnectionUrl('mysql://u:p@h:99999/c')).toThrow(/invalid port/);
    expect(() => parseConnectionUrl('congress.sqlite')).toThrow(ConnectionUrlError);
  });
});

describe('redactConnectionUrl', () => {
  it('hides the password only', () => {
    expect(redactConnectionUrl('mysql+pymysql://congress:secret@db/congress?charset=utf8')).toBe(
      'mysql+pymysql://congress:***@db/congress?charset=utf8',
    );
    expect(redactConnectionUrl('sqlite:////x/y.sqlite')).toBe('sqlite:////x/y.sqlite');
  });
});

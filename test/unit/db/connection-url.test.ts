/** `[database] connection` URLs in the forms operators write them. */
import path from 'node:path';
import { ConnectionUrlError, parseConnectionUrl, redactConnectionUrl, withConnectionParameters } from '../../../src/db';

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
      tls: null,
      ignoredParameters: [],
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

describe('TLS and other URL parameters', () => {
  it("reads pymysql's ssl_* parameters: verification only with a CA, the name unless ssl_check_hostname is false", () => {
    expect(parseConnectionUrl('mysql+pymysql://c:pw@db/congress?charset=utf8&ssl_ca=/etc/mysql/ca.pem')).toMatchObject({
      tls: { ca: '/etc/mysql/ca.pem', cert: null, key: null, checkHostname: true },
      ignoredParameters: [],
    });
    expect(parseConnectionUrl('mysql://c@db/congress?ssl_ca=/ca.pem&ssl_cert=/c.pem&ssl_key=/k.pem&ssl_check_hostname=false')).toMatchObject({
      tls: { ca: '/ca.pem', cert: '/c.pem', key: '/k.pem', checkHostname: false },
    });
    expect(parseConnectionUrl('mysql://c@db/congress?charset=utf8')).toMatchObject({ tls: null });
  });

  it('refuses a TLS parameter it cannot honour rather than connect with less protection', () => {
    expect(() => parseConnectionUrl('mysql://c:secret@db/congress?ssl_capath=/etc/ssl/certs')).toThrow(
      "unsupported TLS parameter 'ssl_capath' in mysql://c:***@db/congress?ssl_capath=/etc/ssl/certs: use ssl_ca (a CA bundle file), ssl_cert, ssl_key and ssl_check_hostname",
    );
    expect(() => parseConnectionUrl('mysql://c@db/congress?ssl_cipher=AES256-SHA')).toThrow(ConnectionUrlError);
    expect(() => parseConnectionUrl('mysql://c@db/congress?ssl_cert=/c.pem')).toThrow(/ssl_cert and ssl_key go together/);
  });

  it('lists the parameters it does not use, once each', () => {
    expect(parseConnectionUrl('mysql+pymysql://c@db/congress?charset=utf8&plugin=dbcounter&read_timeout=5&plugin=x')).toMatchObject({
      ignoredParameters: ['plugin', 'read_timeout'],
    });
  });

  it('appends [database] connection_parameters to the query, as oslo.db does', () => {
    expect(withConnectionParameters('mysql://c@db/congress?charset=utf8', 'ssl_ca=/ca.pem')).toBe('mysql://c@db/congress?charset=utf8&ssl_ca=/ca.pem');
    expect(withConnectionParameters('mysql://c@db/congress', '?ssl_ca=/ca.pem&plugin=x')).toBe('mysql://c@db/congress?ssl_ca=/ca.pem&plugin=x');
    expect(withConnectionParameters('mysql://c@db/congress', '  ')).toBe('mysql://c@db/congress');
  });
});

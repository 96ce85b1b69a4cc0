/**
 * Parsing of `[database] connection`, which operators write as SQLAlchemy URLs
 * (`mysql+pymysql://user:pw@host:3306/congress?charset=utf8`, `sqlite:///relative.db`, ...).
 */
import path from 'node:path';
import { ConnectionUrlError } from './errors';

/** A MySQL or MariaDB server reached over TCP or a Unix socket. */
export interface MysqlTarget {
  readonly kind: 'mysql';
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** Connection character set; `utf8` is widened to `utf8mb4` (a superset) for the connection. */
  readonly charset: string;
  /** `?unix_socket=` of the URL, when given. */
  readonly socketPath: string | null;
  /** TLS to the server, from pymysql's `ssl_*` parameters; null for a plain connection. */
  readonly tls: MysqlTls | null;
  /** Parameters of the URL this product does not use (drivers' tuning knobs such as `plugin`). */
  readonly ignoredParameters: readonly string[];
}

/**
 * TLS as pymysql sets it up from `ssl_ca`, `ssl_cert`, `ssl_key` and `ssl_check_hostname`: the
 * server's certificate is verified only against a given CA, and then its name too unless
 * `ssl_check_hostname` is false. Paths are files, read when connecting.
 */
export interface MysqlTls {
  readonly ca: string | null;
  readonly cert: string | null;
  readonly key: string | null;
  readonly checkHostname: boolean;
}

/** A SQLite database file, or an in-memory database private to one connection. */
export interface SqliteTarget {
  readonly kind: 'sqlite';
  /** Absolute file path, or `:memory:`. */
  readonly file: string;
}

/** Where a `[database] connection` URL points. */
export type ConnectionTarget = MysqlTarget | SqliteTarget;

// SQLAlchemy's own URL grammar (sqlalchemy/engine/url.py): a password may contain ':' and '/'
// unencoded, which WHATWG URL parsing would reject, so the original's configs need this regex.
const URL_PATTERN =
  /^(?<scheme>[\w+]+):\/\/(?:(?<user>[^:/]*)(?::(?<password>[^@]*))?@)?(?:(?:\[(?<ipv6>[^/?]+)\]|(?<host>[^/:?]+))?(?::(?<port>[^/?]*))?)?(?:\/(?<database>[^?]*))?(?:\?(?<query>.*))?$/;

const MYSQL_SCHEMES = /^(mysql|mariadb)(\+\w+)?$/;
const SQLITE_SCHEMES = /^sqlite(\+\w+)?$/;

/** Parameters read here; any other is reported in `ignoredParameters`, except unknown `ssl*` ones. */
const USED_PARAMETERS = new Set(['charset', 'unix_socket', 'ssl_ca', 'ssl_cert', 'ssl_key', 'ssl_check_hostname']);

const FALSE_TEXT = /^(false|0|no|off)$/i;

/**
 * The `ssl_*` parameters as TLS settings. A TLS parameter this product cannot honour is an
 * error, not a warning: ignoring it would connect with less protection than the operator asked.
 */
function tlsOf(query: URLSearchParams, url: string): MysqlTls | null {
  for (const name of query.keys()) {
    if (name.startsWith('ssl') && !USED_PARAMETERS.has(name)) {
      throw new ConnectionUrlError(`unsupported TLS parameter '${name}' in ${redactConnectionUrl(url)}: use ssl_ca (a CA bundle file), ssl_cert, ssl_key and ssl_check_hostname`);
    }
  }
  const [ca, cert, key] = ['ssl_ca', 'ssl_cert', 'ssl_key'].map((name) => query.get(name));
  if (ca === null && cert === null && key === null) return null;
  if ((cert === null) !== (key === null)) {
    throw new ConnectionUrlError(`ssl_cert and ssl_key go together in ${redactConnectionUrl(url)}`);
  }
  return { ca, cert, key, checkHostname: !FALSE_TEXT.test(query.get('ssl_check_hostname') ?? 'true') };
}

function decode(part: string | undefined): string {
  return part === undefined ? '' : decodeURIComponent(part);
}

function parseSqlite(url: string, scheme: string, baseDir: string): SqliteTarget {
  // SQLAlchemy: `sqlite://` is in-memory, `sqlite:///x` is relative, `sqlite:////x` absolute.
  const rest = url.slice(scheme.length + 3);
  if (rest === '' || rest === '/' || rest === '/:memory:') return { kind: 'sqlite', file: ':memory:' };
  if (!rest.startsWith('/')) {
    throw new ConnectionUrlError(`SQLite URL must have no host part: ${url}`);
  }
  const file = rest.slice(1).split('?')[0];
  return { kind: 'sqlite', file: path.isAbsolute(file) ? file : path.resolve(baseDir, file) };
}

/**
 * Parses a SQLAlchemy-style connection URL. Relative SQLite paths resolve against `baseDir`
 * (default: the working directory, as the original does).
 */
export function parseConnectionUrl(url: string, baseDir: string = process.cwd()): ConnectionTarget {
  const match = URL_PATTERN.exec(url.trim());
  const groups = match?.groups;
  if (!groups) throw new ConnectionUrlError(`not a database URL: ${redactConnectionUrl(url)}`);
  const scheme = groups.scheme.toLowerCase();
  if (SQLITE_SCHEMES.test(scheme)) return parseSqlite(url.trim(), groups.scheme, baseDir);
  if (!MYSQL_SCHEMES.test(scheme)) {
    throw new ConnectionUrlError(
      `unsupported database scheme '${groups.scheme}' in ${redactConnectionUrl(url)}: ` +
        'use mysql+pymysql://, mysql:// or sqlite://',
    );
  }
  const query = new URLSearchParams(groups.query ?? '');
  const portText = groups.port ?? '';
  const port = portText === '' ? 3306 : Number(portText);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new ConnectionUrlError(`invalid port '${portText}' in ${redactConnectionUrl(url)}`);
  }
  const database = decode(groups.database);
  if (database === '') throw new ConnectionUrlError(`no database name in ${redactConnectionUrl(url)}`);
  const charset = (query.get('charset') ?? 'utf8mb4').toLowerCase();
  return {
    kind: 'mysql',
    host: groups.ipv6 ?? (groups.host ? decode(groups.host) : 'localhost'),
    port,
    user: decode(groups.user),
    password: decode(groups.password),
    database,
    charset: charset === 'utf8' || charset === 'utf8mb3' ? 'utf8mb4' : charset,
    socketPath: query.get('unix_socket'),
    tls: tlsOf(query, url),
    ignoredParameters: [...new Set(query.keys())].filter((name) => !USED_PARAMETERS.has(name) && !name.startsWith('ssl')),
  };
}

/**
 * `[database] connection` with `[database] connection_parameters` appended to its query, as
 * oslo.db does (`charset=utf8&ssl_ca=/etc/mysql/ca.pem`).
 */
export function withConnectionParameters(url: string, parameters: string): string {
  const extra = parameters.trim().replace(/^[?&]+/, '');
  if (extra === '') return url;
  return url + (url.includes('?') ? '&' : '?') + extra;
}

/** The URL with its password replaced by `***`, for log lines and error messages. */
export function redactConnectionUrl(url: string): string {
  return url.replace(/^([\w+]+:\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

/**
 * Every error the datasource layer raises on purpose, in one registry: a stable code, the HTTP
 * status the API answers with, and the message template. The API maps by `status` (or `kind`)
 * and shows `message` as is; nothing here knows about express.
 */

/** How the API should treat an error; mirrors the HTTP status classes Congress uses. */
export type DatasourceErrorKind = 'invalid' | 'not_found' | 'conflict' | 'unavailable' | 'not_implemented' | 'internal';

interface ErrorSpec {
  readonly status: number;
  readonly kind: DatasourceErrorKind;
}

/** The registry: code → HTTP status and kind. Messages are built by the helpers below. */
export const DATASOURCE_ERRORS = {
  invalid_datasource_name: { status: 400, kind: 'invalid' },
  invalid_driver: { status: 400, kind: 'invalid' },
  invalid_driver_option: { status: 400, kind: 'invalid' },
  missing_required_config: { status: 400, kind: 'invalid' },
  invalid_config_value: { status: 400, kind: 'invalid' },
  datasource_name_in_use: { status: 409, kind: 'conflict' },
  datasource_creation_error: { status: 400, kind: 'invalid' },
  datasource_not_found: { status: 404, kind: 'not_found' },
  driver_not_found: { status: 404, kind: 'not_found' },
  service_not_found: { status: 404, kind: 'not_found' },
  table_not_found: { status: 404, kind: 'not_found' },
  lazy_table: { status: 400, kind: 'invalid' },
  bad_push: { status: 400, kind: 'invalid' },
  not_supported: { status: 400, kind: 'invalid' },
  invalid_translator: { status: 400, kind: 'invalid' },
  unknown_action: { status: 400, kind: 'invalid' },
  action_failed: { status: 400, kind: 'invalid' },
  manager_unavailable: { status: 503, kind: 'unavailable' },
} as const satisfies Record<string, ErrorSpec>;

/** Stable code of a datasource error. */
export type DatasourceErrorCode = keyof typeof DATASOURCE_ERRORS;

/** An error of the datasource layer with the HTTP status the API should use. */
export class DatasourceError extends Error {
  /** HTTP status for the API's error body. */
  readonly status: number;
  /** Coarse class, for callers that only distinguish a few outcomes. */
  readonly kind: DatasourceErrorKind;

  constructor(
    readonly code: DatasourceErrorCode,
    message: string,
    /** Extra structured facts (`error_data` in the API body). */
    readonly data: unknown = null,
  ) {
    super(message);
    this.name = 'DatasourceError';
    this.status = DATASOURCE_ERRORS[code].status;
    this.kind = DATASOURCE_ERRORS[code].kind;
  }
}

/** Python's repr of a set of strings, as the original prints option names (`{'a', 'b'}`). */
function pySet(items: readonly string[]): string {
  return '{' + items.map((i) => `'${i}'`).join(', ') + '}';
}

/** Message helpers: one per error the original reports with a fixed text. */
export const errors = {
  invalidName: (name: string) =>
    new DatasourceError(
      'invalid_datasource_name',
      `Datasource name ${name} is invalid. Cannot be empty or start with underscore.  Must be valid in policy language`,
    ),
  invalidDriver: (driver: string) => new DatasourceError('invalid_driver', `Invalid driver: ${driver}`),
  invalidOptions: (keys: readonly string[]) => new DatasourceError('invalid_driver_option', `Invalid driver options: ${pySet(keys)}`),
  missingOptions: (keys: readonly string[]) =>
    new DatasourceError('missing_required_config', `Missing required config options: ${keys.join(', ')}`),
  invalidValue: (message: string) => new DatasourceError('invalid_config_value', message),
  nameInUse: (name: string) => new DatasourceError('datasource_name_in_use', `Datasource already in use with name ${name}`),
  creationFails: (name: string, cause?: string) =>
    new DatasourceError('datasource_creation_error', `Datasource service: ${name} creation fails.`, cause === undefined ? null : { cause }),
  datasourceNotFound: (id: string) => new DatasourceError('datasource_not_found', `Datasource not found ${id}`),
  driverNotFound: (id: string) =>
    new DatasourceError('driver_not_found', `Driver not found ${id}. Either not supported or disabled by deployer in Congress config`),
  serviceNotFound: (id: string) => new DatasourceError('service_not_found', `service '${id}' could not be found`),
  tableNotFound: (table: string, ds: string) => new DatasourceError('table_not_found', `table '${table}' doesn't exist in datasource '${ds}'`),
  lazyTable: (table: string) => new DatasourceError('lazy_table', `table ${table} is a lazy table and is not subscribed.`),
  notInDriver: (table: string) => new DatasourceError('bad_push', `translator: ${table} is not in the datasource driver`),
  badPush: (message: string) => new DatasourceError('bad_push', message),
  notSupported: (method: string, ds: string) =>
    new DatasourceError('not_supported', `Method ${method} not supported for datasource ${ds}`),
  unknownAction: (action: string) =>
    new DatasourceError('unknown_action', `Action ${action} is not an executable method of this datasource`),
  managerUnavailable: () => new DatasourceError('manager_unavailable', `service '_ds_manager' could not be found`),
};

/** The message of anything thrown, never `[object Object]`. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}

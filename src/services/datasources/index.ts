/**
 * The datasource layer's public surface: the manager (datasource node), the directory and client
 * (API nodes), the driver registry, errors, and the framework pieces for writing drivers.
 */
export { DatasourceManager, MANAGER_SERVICE, MANAGER_METHODS, type DatasourceManagerOptions, type DatasourceHooks, type SyncReport } from './manager';
export { DatasourceDirectory, DatasourceClient, type DirectoryOptions } from './directory';
export { DatasourceService, DATASOURCE_METHODS } from './datasource-service';
export { datasourceBody, isValidDatasourceName } from './datasource-body';
export { DriverRegistry, BUILTIN_DRIVERS, type DriverInfo, type DriverSummary } from './drivers';
export { DatasourceError, DATASOURCE_ERRORS, errors as datasourceErrors, type DatasourceErrorCode, type DatasourceErrorKind } from './errors';
export { datasourceDict, maskConfig, HIDDEN, type DatasourceDict } from './masking';
export { silentLogger, type DatasourceLogger } from './logger';
export type { Driver, DriverDefinition, DriverContext, TableSink, TableDataStore } from './framework/driver';
export type { ActionArgs, ActionDescription, ActionOutcome } from './framework/actions';
export type { DatasourceStatus } from './framework/status';
export type { ConfigOption } from './framework/config';
export { fetchWithTls, type HttpOptions, type UpstreamTls } from './openstack/http';
export { schemaOf, tableSchemaJson, type TableSchema, type ColumnSchema } from './translation/schema';
export type { Translator, TableTranslator, HdictTranslator, VdictTranslator, ListTranslator, ValueTranslator, FieldTranslator } from './translation/translator';
export { computeHash } from './translation/hash';
export { JsonIngesters, JSON_SERVICE_PREFIX, type JsonIngesterOptions } from './json-ingester';

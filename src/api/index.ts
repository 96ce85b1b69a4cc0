/** The REST API: the express application and the interfaces it is built on. */
export { healthRoutes } from './health';
export { createApiApp, apiRoutes, DEFAULT_MAX_BODY_BYTES } from './app';
export type { ApiDependencies } from './app';
export { DatasourceApiError } from './datasource-api';
export type { DatasourceApi, DatasourceService } from './datasource-api';
export type { HealthProbe } from './health';
export type { ApiLogger } from './middleware';
export { API_ERRORS, ApiError, toApiError } from './errors';
export type { ApiErrorKey, ErrorSpec } from './errors';
export { prettyRuleText } from './rule-text';
export { expressServing } from './serve';
export type { ExpressServing } from './serve';

/** The policy-engine service: its interface, its implementation, and the library service. */
export { PolicyEngineService } from './policy-engine-service';
export type { EngineServiceOptions } from './policy-engine-service';
export { LibraryService } from './library-service';
export { seedLibrary, readLibraryDirectory } from './library-files';
export type { SeedReport, LibraryDocument } from './library-files';
export { parsePolicyWithRules, policyWithRulesSchema, SCHEMA_KINDS } from './library-schema';
export { EngineServiceError } from './errors';
export type { EngineServiceErrorCode } from './errors';
export type { EngineLogger } from './logger';
export { silentLogger } from './logger';
export type { LoadReport } from './engine-loader';
export { SYSTEM_POLICIES, MAX_TEXT_LENGTH } from './naming';
export type * from './types';

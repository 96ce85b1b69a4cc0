/**
 * Configuration: congress.conf (oslo.config's INI dialect and option names), `--config-dir`,
 * command-line overrides, validated into one typed `CongressConfig`.
 */
export { loadConfig, defaultConfigFiles, findDefaultConfigFile } from './load';
export type { ConfigOverrides, LoadOptions, LoadedConfig, OverrideValue } from './load';
export { SECTIONS, FREE_FORM_SECTIONS, allOptions } from './catalog';
export type { CongressConfig, SectionName } from './catalog';
export type { OptionSpec, OptionKind, OptionAlias } from './options';
export { ConfigError } from './errors';
export { parseOsloIni, normaliseSection } from './oslo-ini';
export type { RawSections, RawValue } from './oslo-ini';
export { renderSample, sampleValue } from './sample';
export { storeOptionsFrom } from './database';
export { effectiveOptions } from './values';

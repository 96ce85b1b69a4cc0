/**
 * The effective value of every option, for the debug log at start-up, as oslo.service's launcher
 * logged the original's (`log_opt_values` at DEBUG): `[DEFAULT]` options by name, the others as
 * `group.name`, secrets as `****`.
 */
import { allOptions, type CongressConfig } from './catalog';

const SECRET_KEY = /password|secret|token/i;

function shown(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (Array.isArray(value)) return `[${value.map((v) => `'${String(v)}'`).join(', ')}]`;
  return String(value);
}

/** One line per option, in the catalog's order, then the free-form `[keystone_authtoken]`. */
export function effectiveOptions(config: CongressConfig): string[] {
  const lines = [`configuration options gathered from config files: [${config.sources.join(', ')}]${config.embedded ? ' (embedded default)' : ''}`];
  const sections = config as unknown as Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  for (const { section, name, spec } of allOptions()) {
    const label = section === 'DEFAULT' ? name : `${section}.${name}`;
    lines.push(`${label} = ${spec.secret === true ? '****' : shown(sections[section]?.[name])}`);
  }
  for (const [name, value] of Object.entries(config.keystone_authtoken).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    lines.push(`keystone_authtoken.${name} = ${SECRET_KEY.test(name) ? '****' : value}`);
  }
  return lines;
}

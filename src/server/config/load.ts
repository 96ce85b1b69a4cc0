/**
 * Loading congress.conf the way oslo.config does: `--config-file`s in order, then `*.conf` of
 * `--config-dir` in sorted order, later values overriding earlier ones, then command-line
 * overrides; `$name` / `${group.name}` substitution; every value validated and typed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { allOptions, type CongressConfig, FREE_FORM_SECTIONS, SECTIONS, type SectionName } from './catalog';
import { ConfigError } from './errors';
import type { OptionSpec } from './options';
import { normaliseSection, parseOsloIni, type RawSections, type RawValue } from './oslo-ini';

/** A value given on the command line (or by the embedding program) for one option. */
export type OverrideValue = string | number | boolean | readonly string[] | null;

/** Command-line values by section and option name, e.g. `{ DEFAULT: { node_id: 'pe-1' } }`. */
export type ConfigOverrides = Readonly<Partial<Record<SectionName, Readonly<Record<string, OverrideValue | undefined>>>>>;

/** Where to read the configuration from. */
export interface LoadOptions {
  /** `--config-file` values, in order. None and no `dir`: the embedded defaults apply. */
  readonly files?: readonly string[];
  /** `--config-dir`: its `*.conf` files are read after `files`, in sorted order. */
  readonly dir?: string | null;
  /** Values that win over every file (command-line flags). */
  readonly overrides?: ConfigOverrides;
}

/** The result of `loadConfig`. */
export interface LoadedConfig {
  readonly config: CongressConfig;
  /** Unknown or deprecated options and sections, ignored values: for the caller to log. */
  readonly warnings: readonly string[];
}

/** Where the standard search finds congress.conf when no file is given (the original's order). */
export function defaultConfigFiles(home = process.env.HOME ?? ''): string[] {
  return [
    path.join(home, '.congress', 'congress.conf'),
    path.join(home, 'congress.conf'),
    '/etc/congress/congress.conf',
    '/etc/congress.conf',
  ];
}

/** The first existing file of the standard search, or null. */
export function findDefaultConfigFile(candidates: readonly string[] = defaultConfigFiles()): string | null {
  return candidates.find((file) => fs.existsSync(file)) ?? null;
}

function sourcesOf(options: LoadOptions): string[] {
  const sources = [...(options.files ?? [])];
  if (options.dir) {
    let entries: string[];
    try {
      entries = fs.readdirSync(options.dir);
    } catch {
      throw new ConfigError(`config directory not found or not readable: ${options.dir}`);
    }
    sources.push(...entries.filter((e) => e.endsWith('.conf')).sort().map((e) => path.join(options.dir as string, e)));
  }
  return sources;
}

function readSources(sources: readonly string[]): RawSections {
  const raw: RawSections = new Map();
  for (const file of sources) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new ConfigError(`config file not found or not readable: ${file}`);
    }
    parseOsloIni(text, file, raw);
  }
  return raw;
}

function last(values: readonly RawValue[] | undefined): RawValue | undefined {
  return values && values.length > 0 ? values[values.length - 1] : undefined;
}

function defaultAsText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

/** Resolves one section's options, typing each value and collecting warnings. */
class Resolver {
  readonly warnings: string[] = [];

  constructor(
    private readonly raw: RawSections,
    private readonly embedded: boolean,
    private readonly overrides: ConfigOverrides,
  ) {}

  private specOf(section: string, name: string): OptionSpec<unknown> | undefined {
    const options = (SECTIONS as Record<string, Record<string, OptionSpec<unknown>>>)[section];
    return options && Object.hasOwn(options, name) ? options[name] : undefined;
  }

  /** The text of an option for substitution: its file value, else its default. */
  private textFor(section: string, name: string, depth: number): string | undefined {
    const given = last(this.raw.get(section)?.get(name));
    if (given) return this.substitute(given.value, section, given.where, depth + 1);
    const spec = this.specOf(section, name);
    return spec ? defaultAsText(this.embedded && spec.embedded !== undefined ? spec.embedded : spec.default) : undefined;
  }

  /** oslo.config's template substitution; `$$` and `\$` are a literal `$`. */
  substitute(value: string, section: string, where: string, depth = 0): string {
    if (depth > 10) throw new ConfigError(`${where}: substitution in [${section}] nests too deeply (a loop?)`);
    return value.replace(/\\\$/g, '$$$$').replace(/\$(?:(\$)|\{([_a-z][._a-z0-9]*)\}|([_a-z][._a-z0-9]*))/gi, (match, dollar: string | undefined, braced: string | undefined, bare: string | undefined) => {
      if (dollar) return '$';
      const key = braced ?? bare ?? '';
      const dot = key.indexOf('.');
      const found =
        dot > 0
          ? this.textFor(normaliseSection(key.slice(0, dot)), key.slice(dot + 1), depth)
          : (this.textFor(section, key, depth) ?? (section === 'DEFAULT' ? undefined : this.textFor('DEFAULT', key, depth)));
      if (found === undefined) {
        this.warnings.push(`${where}: ${match} does not name an option and is kept as written (write $$ for a literal $)`);
        return match;
      }
      return found;
    });
  }

  /** The typed value of one option. */
  resolve(section: SectionName, name: string, spec: OptionSpec<unknown>): unknown {
    const label = `[${section}] ${name}`;
    const override = this.overrides[section]?.[name];
    let input: unknown;
    let where = 'command line';
    let given = false;
    if (override !== undefined) {
      input = override;
      given = true;
    } else {
      const fromFile = last(this.raw.get(section)?.get(name)) ?? this.fromAlias(label, spec);
      if (fromFile) {
        // oslo.config substitutes before converting, whatever the option's type.
        input = this.substitute(fromFile.value, section, fromFile.where);
        where = fromFile.where;
        given = true;
      } else {
        const value = this.embedded && spec.embedded !== undefined ? spec.embedded : spec.default;
        // oslo.config substitutes defaults too (`rabbit_hosts = $rabbit_host:$rabbit_port`).
        const where = `default of ${label}`;
        if (typeof value === 'string' && value.includes('$')) return this.substitute(value, section, where);
        if (Array.isArray(value)) return value.map((item: unknown) => (typeof item === 'string' ? this.substitute(item, section, where) : item));
        return value;
      }
    }
    const parsed = spec.schema.safeParse(input);
    if (!parsed.success) {
      const shown = spec.secret ? '***' : typeof input === 'string' ? `'${input}'` : JSON.stringify(input);
      const reason = parsed.error.issues.map((issue) => issue.message).join('; ');
      throw new ConfigError(`invalid value ${shown} for option ${name} in section [${section}] (${where}): ${reason}`, section, name);
    }
    if (given && spec.deprecated) this.warnings.push(`${label} is deprecated: ${spec.deprecated}`);
    if (given && spec.inert !== undefined) this.warnings.push(`${where}: ${label} has no effect in Congress-TS: ${spec.inert}`);
    return parsed.data;
  }

  private fromAlias(label: string, spec: OptionSpec<unknown>): RawValue | undefined {
    for (const alias of spec.aliases ?? []) {
      const value = last(this.raw.get(alias.section)?.get(alias.name));
      if (value) {
        this.warnings.push(`${value.where}: [${alias.section}] ${alias.name} is a deprecated name of ${label}`);
        return value;
      }
    }
    return undefined;
  }

  /** Warnings for every section and option of the files that nothing reads. */
  reportUnknown(): void {
    const aliasNames = new Set(allOptions().flatMap(({ spec }) => (spec.aliases ?? []).map((a) => `${a.section}\u0000${a.name}`)));
    for (const [section, options] of this.raw) {
      if ((FREE_FORM_SECTIONS as readonly string[]).includes(section)) continue;
      const known = Object.hasOwn(SECTIONS, section);
      const unknownNames = [...options.keys()].filter((name) => !this.specOf(section, name) && !aliasNames.has(`${section}\u0000${name}`));
      if (!known && unknownNames.length === options.size) {
        this.warnings.push(`unknown section [${section}] is ignored`);
        continue;
      }
      for (const name of unknownNames) {
        this.warnings.push(`${last(options.get(name))?.where ?? section}: unknown option ${name} in section [${section}] is ignored`);
      }
    }
  }
}

function freeForm(raw: RawSections, resolver: Resolver, section: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, given] of raw.get(section) ?? []) {
    const value = last(given);
    if (value) values[name] = resolver.substitute(value.value, section, value.where);
  }
  return values;
}

/**
 * Reads, merges and validates the configuration. With no file and no directory the embedded
 * single-node defaults apply (`config.embedded`: 127.0.0.1, no auth, a SQLite file under
 * ./data/); as soon as any file is given — even an empty one — the original's defaults apply to
 * whatever it leaves unset. Invalid values throw `ConfigError`; unknown and deprecated options
 * come back as warnings.
 */
export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const sources = sourcesOf(options);
  const raw = readSources(sources);
  const embedded = sources.length === 0;
  const overrides = options.overrides ?? {};
  const resolver = new Resolver(raw, embedded, overrides);

  for (const [section, values] of Object.entries(overrides)) {
    if (!Object.hasOwn(SECTIONS, section)) throw new ConfigError(`unknown section [${section}] in overrides`);
    for (const name of Object.keys(values ?? {})) {
      if (!Object.hasOwn(SECTIONS[section as SectionName], name)) {
        throw new ConfigError(`unknown option ${name} in section [${section}] in overrides`, section, name);
      }
    }
  }

  const typed: Record<string, Record<string, unknown>> = {};
  for (const { section, name, spec } of allOptions()) {
    typed[section] ??= {};
    typed[section][name] = resolver.resolve(section, name, spec);
  }
  resolver.reportUnknown();
  if (typeof typed.DEFAULT.api_workers === 'number' && typed.DEFAULT.api_workers > 1) {
    resolver.warnings.push(`[DEFAULT] api_workers = ${typed.DEFAULT.api_workers} is ignored: Congress-TS runs one API worker per process`);
  }

  // Built from the catalog by iteration, so every section and option of the type is present.
  const config = {
    ...typed,
    keystone_authtoken: freeForm(raw, resolver, 'keystone_authtoken'),
    embedded,
    sources,
  } as unknown as CongressConfig;
  return { config, warnings: resolver.warnings };
}

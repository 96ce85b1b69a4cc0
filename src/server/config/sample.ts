/**
 * Renders `config/congress.conf.sample` from the option catalog, in the layout of
 * oslo-config-generator: every option commented out at its default, with a line of help.
 */
import { FREE_FORM_SECTIONS, SECTIONS, type SectionName } from './catalog';
import type { OptionSpec } from './options';

/** How the sample writes a default value. */
export function sampleValue(spec: OptionSpec<unknown>, value: unknown = spec.default): string {
  if (spec.sampleDefault !== undefined && value === spec.default) return spec.sampleDefault;
  if (value === null || value === undefined) return '<None>';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

function wrap(text: string, width = 76): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

function renderOption(name: string, spec: OptionSpec<unknown>): string[] {
  const lines = wrap(`${spec.help} (${spec.kind} value)`).map((l) => `# ${l}`);
  if (spec.choices) lines.push(`# Allowed values: ${spec.choices.join(', ')}`);
  if (spec.embedded !== undefined) {
    lines.push(`# With no configuration file at all, Congress-TS uses: ${sampleValue(spec, spec.embedded)}`);
  }
  for (const alias of spec.aliases ?? []) lines.push(`# Deprecated name: [${alias.section}] ${alias.name}`);
  if (spec.deprecated) lines.push(...wrap(`DEPRECATED: ${spec.deprecated}.`).map((l) => `# ${l}`));
  if (spec.inert !== undefined) lines.push(...wrap(`Has no effect in Congress-TS: ${spec.inert}.`).map((l) => `# ${l}`));
  if (spec.ours) lines.push('# (Congress-TS addition.)');
  const value = sampleValue(spec);
  lines.push(value === '' ? `#${name} =` : `#${name} = ${value}`);
  return lines;
}

/** The whole sample file. */
export function renderSample(): string {
  const out: string[] = [
    '# congress.conf sample for Congress-TS.',
    '#',
    '# Every option is shown commented out, at its default. The file format and option names',
    '# are those of the original OpenStack Congress (oslo.config), so an existing congress.conf',
    '# loads unchanged; options marked "Congress-TS addition" are new.',
    '#',
    '# Generated from src/server/config/catalog.ts; regenerate with',
    '#   UPDATE_SAMPLE=1 npx jest --selectProjects=unit --testPathPatterns test/unit/config/sample',
  ];
  for (const section of Object.keys(SECTIONS) as SectionName[]) {
    out.push('', `[${section}]`);
    for (const [name, spec] of Object.entries(SECTIONS[section]) as Array<[string, OptionSpec<unknown>]>) {
      out.push('', ...renderOption(name, spec));
    }
  }
  for (const section of FREE_FORM_SECTIONS) {
    out.push(
      '',
      `[${section}]`,
      '',
      '# keystonemiddleware auth_token settings, used when auth_strategy = keystone (for',
      '# example www_authenticate_uri, auth_url, auth_type, username, password,',
      '# project_name, user_domain_name, project_domain_name, memcached_servers).',
      '# Every key is kept as a string; none has a default.',
    );
  }
  return `${out.join('\n')}\n`;
}

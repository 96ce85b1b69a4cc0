/** config/congress.conf.sample lists exactly the options of the catalog, at their defaults. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { FREE_FORM_SECTIONS, allOptions, loadConfig, renderSample, sampleValue } from '../../../src/server/config';

const SAMPLE = path.join(__dirname, '../../../config/congress.conf.sample');

/** `[section] name` -> value of every commented-out option line of the sample. */
function optionsInSample(text: string): Map<string, string> {
  const found = new Map<string, string>();
  let section = '';
  for (const line of text.split('\n')) {
    const header = /^\[(.+)\]$/.exec(line);
    if (header) section = header[1];
    const option = /^#([a-z_]+) =(?: (.*))?$/.exec(line);
    if (option) found.set(`[${section}] ${option[1]}`, option[2] ?? '');
  }
  return found;
}

describe('congress.conf.sample', () => {
  beforeAll(async () => {
    if (process.env.UPDATE_SAMPLE === '1') await fs.writeFile(SAMPLE, renderSample());
  });

  it('is up to date with the catalog (regenerate with UPDATE_SAMPLE=1)', async () => {
    expect(await fs.readFile(SAMPLE, 'utf8')).toBe(renderSample());
  });

  it('shows every option of the catalog at its default, and nothing else', async () => {
    const inSample = optionsInSample(await fs.readFile(SAMPLE, 'utf8'));
    const inCatalog = new Map(allOptions().map(({ section, name, spec }) => [`[${section}] ${name}`, sampleValue(spec)]));
    expect([...inSample.keys()].sort()).toEqual([...inCatalog.keys()].sort());
    for (const [key, value] of inCatalog) expect([key, inSample.get(key)]).toEqual([key, value]);
  });

  it('has a section for every free-form section', async () => {
    const text = await fs.readFile(SAMPLE, 'utf8');
    for (const section of FREE_FORM_SECTIONS) expect(text).toContain(`\n[${section}]\n`);
  });

  it('loads as a configuration file without warnings (everything is commented out)', () => {
    const { config, warnings } = loadConfig({ files: [SAMPLE] });
    expect(warnings).toEqual([]);
    expect(config.embedded).toBe(false);
    expect(config.DEFAULT.bind_port).toBe(1789);
  });

  it('uncommented, reproduces the defaults', async () => {
    const text = (await fs.readFile(SAMPLE, 'utf8'))
      .split('\n')
      .map((line) => (/^#[a-z_]+ =/.test(line) && !/= <(None|host name)>$/.test(line) ? line.slice(1) : line))
      .join('\n');
    const uncommented = path.join(__dirname, `sample-uncommented-${process.pid}.conf`);
    await fs.writeFile(uncommented, text);
    try {
      const fromSample = loadConfig({ files: [uncommented] });
      const fromDefaults = loadConfig({ files: [SAMPLE] });
      expect(fromSample.config).toEqual({ ...fromDefaults.config, sources: [uncommented] });
      // Only the deprecated options and those that change nothing here (set explicitly now) warn.
      expect(fromSample.warnings.filter((w) => !w.includes('deprecated') && !w.includes('has no effect in Congress-TS'))).toEqual([]);
    } finally {
      await fs.rm(uncommented);
    }
  });
});

/**
 * The per-node sample configurations shipped in config/ load without warnings and give each
 * node its own port on one bus and one database.
 */
import path from 'node:path';
import { loadConfig } from '../../../src/server/config';

const dir = path.resolve(__dirname, '..', '..', '..', 'config');

describe('shipped node configurations', () => {
  const load = (name: string): ReturnType<typeof loadConfig> => loadConfig({ files: [path.join(dir, name)] });

  it('load without warnings', () => {
    for (const name of ['congress-pe1.conf', 'congress-pe2.conf', 'congress-ds.conf']) expect(load(name).warnings).toEqual([]);
  });

  it('put the nodes on distinct ports, one bus and one database', () => {
    const nodes = ['congress-pe1.conf', 'congress-pe2.conf', 'congress-ds.conf'].map((n) => load(n).config);
    expect(new Set(nodes.map((c) => c.DEFAULT.bind_port)).size).toBe(3);
    expect(new Set(nodes.map((c) => c.dse.bus_id))).toEqual(new Set(['congress']));
    expect(new Set(nodes.map((c) => c.database.connection)).size).toBe(1);
    expect(new Set(nodes.map((c) => c.DEFAULT.transport_url)).size).toBe(1);
  });
});

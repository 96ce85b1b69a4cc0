/**
 * The example library policies shipped in library/ load, compile against the real drivers'
 * schemas, and report the violations they describe.
 */
import path from 'node:path';
import { Runtime } from '../../../src/datalog/runtime/runtime';
import { insertRulePersistent } from '../../../src/datalog/runtime/persistent';
import { BUILTIN_DRIVERS, DriverRegistry } from '../../../src/services/datasources';
import { readLibraryDirectory } from '../../../src/services/engine/library-files';
import type { LibraryPolicySpec } from '../../../src/services/engine/types';
import type { Value } from '../../../src/datalog/value';

const LIBRARY = path.resolve(__dirname, '..', '..', '..', 'library');

async function shipped(): Promise<LibraryPolicySpec[]> {
  const docs = await readLibraryDirectory(LIBRARY);
  for (const d of docs) if ('error' in d) throw new Error(`${d.file}: ${d.error}`);
  return docs.map((d) => (d as { spec: LibraryPolicySpec }).spec);
}

/** A runtime with nova and neutronv2 datasource policies (the drivers' own schemas) and the library instantiated. */
function engineWith(policies: LibraryPolicySpec[]): Runtime {
  const rt = new Runtime();
  rt.createPolicy('classification');
  rt.createPolicy('action', { kind: 'action' });
  const registry = new DriverRegistry(BUILTIN_DRIVERS);
  for (const ds of ['nova', 'neutronv2']) {
    const info = registry.info(ds) as { tables: { table_id: string; columns: { name: string }[] }[] };
    rt.createDatasourcePolicy(ds, Object.fromEntries(info.tables.map((t) => [t.table_id, t.columns.map((c) => c.name)])));
  }
  for (const p of policies) {
    rt.createPolicy(p.name, { kind: p.kind ?? 'nonrecursive' });
    for (const r of p.rules) insertRulePersistent(rt, p.name, r.rule);
  }
  return rt;
}

const server = (id: string, status: string, flavor: string, image: string, tenant = 't1'): Value[] =>
  [id, `vm-${id}`, 'h', status, tenant, 'u', image, flavor, 'nova', 'host', '2020-01-01 00:00:00'];

describe('shipped library policies', () => {
  it('load as library documents and compile against the nova and neutronv2 schemas', async () => {
    const policies = await shipped();
    expect(policies.map((p) => p.name).sort()).toEqual([
      'OpenSecurityGroups',
      'PauseUnpermittedFlavors',
      'PermittedFlavors',
      'PermittedImages',
      'ServersInError',
      'ServersOnForeignNetworks',
    ]);
    expect(() => engineWith(policies)).not.toThrow();
  });

  it('report the violations they describe', async () => {
    const rt = engineWith(await shipped());
    const paused: string[] = [];
    rt.setActionHandler((service, action, args) => paused.push(`${service}:${action}(${args.join(',')})`));
    rt.initializeTables('nova', ['servers', 'flavors'], [
      { table: 'servers', row: server('s1', 'ERROR', 'f1', '00000000-0000-0000-0000-000000000000') },
      { table: 'servers', row: server('s2', 'ACTIVE', 'f2', 'rogue-image') },
      { table: 'flavors', row: ['f1', 'm1.small', 1, 2048, 20, 0, 1.0] },
      { table: 'flavors', row: ['f2', 'm1.huge', 16, 65536, 400, 0, 1.0] },
    ]);
    rt.initializeTables('neutronv2', ['security_group_rules', 'ports', 'networks'], [
      { table: 'security_group_rules', row: ['sg1', 'r1', 't1', 'None', 'ingress', 'IPv4', 'tcp', 20, 25, '0.0.0.0/0'] },
      { table: 'security_group_rules', row: ['sg2', 'r2', 't1', 'None', 'ingress', 'IPv4', 'tcp', 80, 80, '0.0.0.0/0'] },
      { table: 'ports', row: ['p1', 't1', '', 'n2', 'mac', 'True', 'ACTIVE', 's2', 'compute:nova'] },
      { table: 'networks', row: ['n2', 't2', 'other', 'ACTIVE', 'True', 'False'] },
    ]);
    expect(rt.selectStrings('error(id, name, tenant)', 'ServersInError')).toEqual(['error("s1", "vm-s1", "t1")']);
    expect(rt.selectStrings('error(id, flavor)', 'PermittedFlavors')).toEqual(['error("s2", "m1.huge")']);
    expect(rt.selectStrings('error(id, image)', 'PermittedImages')).toEqual(['error("s2", "rogue-image")']);
    expect(rt.selectStrings('error(group, port)', 'OpenSecurityGroups')).toEqual(['error("sg1", 22)']);
    expect(rt.selectStrings('error(vm, net)', 'ServersOnForeignNetworks')).toEqual(['error("s2", "n2")']);
    expect(paused).toEqual(['nova:servers.pause(s2)']);
  });
});

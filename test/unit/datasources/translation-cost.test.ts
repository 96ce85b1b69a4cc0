// Translation and diff cost at scale (the budget: 10,000 Nova servers with addresses and
// 50,000 Neutron ports under 300 ms per poll; a small change costs work proportional to it).
// The bounds here are loose multiples of the budget so that a slow CI machine does not flake;
// the measured times are printed.
import { TableState } from '../../../src/services/datasources/framework/table-state';
import { NEUTRON_TRANSLATORS } from '../../../src/services/datasources/drivers/neutronv2';
import { NOVA_TRANSLATORS } from '../../../src/services/datasources/drivers/nova';
import { RootTranslator } from '../../../src/services/datasources/translation/translate';
import { rowToCongressInPlace, type NativeValue } from '../../../src/services/datasources/translation/values';

function servers(n: number, status: (i: number) => string = (i) => (i % 7 === 0 ? 'SHUTOFF' : 'ACTIVE')): unknown[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `srv-${i}`,
    name: `vm-${i}`,
    hostId: `host-${i % 100}`,
    status: status(i),
    tenant_id: `t-${i % 50}`,
    user_id: `u-${i % 20}`,
    image: { id: `img-${i % 10}`, links: [] },
    flavor: { id: String(i % 5), links: [] },
    'OS-EXT-AZ:availability_zone': 'nova',
    'OS-EXT-SRV-ATTR:hypervisor_hostname': `compute-${i % 100}`,
    created: '2020-02-20T10:00:00Z',
    addresses: { private: [{ version: 4, addr: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01' }] },
    tags: ['a', 'b'],
  }));
}

function ports(n: number): unknown[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `port-${i}`,
    tenant_id: `t-${i % 50}`,
    name: '',
    network_id: `net-${i % 10}`,
    mac_address: 'fa:16:3e:00:00:01',
    admin_state_up: true,
    status: 'ACTIVE',
    device_id: `srv-${i}`,
    device_owner: 'compute:nova',
    fixed_ips: [{ subnet_id: `sub-${i % 10}`, ip_address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }],
    security_groups: ['sg-1'],
  }));
}

function poll(root: RootTranslator, tables: string[], state: TableState, data: unknown[]): number {
  let changed = 0;
  const t = root.convert(data);
  for (const table of tables) {
    const d = state.replace(table, (t.tables.get(table) ?? []).map((r) => rowToCongressInPlace(r as NativeValue[])));
    changed += d.add.length + d.del.length;
  }
  return changed;
}

it('translates and diffs 10,000 servers and 50,000 ports within budget; a 10-row change yields a 20-row delta', () => {
  const nova = new RootTranslator(NOVA_TRANSLATORS[0]);
  const neutron = new RootTranslator(NEUTRON_TRANSLATORS[1]);
  const state = new TableState();
  const serverData = servers(10_000);
  const portData = ports(50_000);
  poll(nova, ['servers', 'servers.addresses', 'tags'], state, serverData);
  poll(neutron, ['ports', 'fixed_ips', 'security_group_port_bindings'], state, portData);

  const changedServers = servers(10_000, (i) => (i < 10 ? 'PAUSED' : i % 7 === 0 ? 'SHUTOFF' : 'ACTIVE'));
  const start = process.hrtime.bigint();
  const changed = poll(nova, ['servers', 'servers.addresses', 'tags'], state, changedServers) + poll(neutron, ['ports', 'fixed_ips', 'security_group_port_bindings'], state, portData);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`one poll of 10,000 servers + 50,000 ports: ${ms.toFixed(0)} ms`);
  expect(changed).toBe(20);
  expect(state.counts()).toMatchObject({ servers: 10_000, 'servers.addresses': 10_000, tags: 20_000, ports: 50_000, fixed_ips: 50_000, security_group_port_bindings: 50_000 });
  expect(ms).toBeLessThan(1500);
});

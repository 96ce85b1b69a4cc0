// Translation and diff at scale: 10,000 Nova servers with addresses and 50,000 Neutron ports
// give the expected tables, and a 10-row change upstream yields exactly a 20-row delta (work
// proportional to the change). The time per poll is measured by `npm run bench` (bench/datasources.ts).
import { NEUTRON_TRANSLATORS } from '../../../src/services/datasources/drivers/neutronv2';
import { NOVA_TRANSLATORS } from '../../../src/services/datasources/drivers/nova';
import { poll, ports, RootTranslator, servers, TableState } from '../../fixtures/openstack/scale';

it('translates and diffs 10,000 servers and 50,000 ports; a 10-row change yields a 20-row delta', () => {
  const nova = new RootTranslator(NOVA_TRANSLATORS[0]);
  const neutron = new RootTranslator(NEUTRON_TRANSLATORS[1]);
  const state = new TableState();
  const serverData = servers(10_000);
  const portData = ports(50_000);
  poll(nova, ['servers', 'servers.addresses', 'tags'], state, serverData);
  poll(neutron, ['ports', 'fixed_ips', 'security_group_port_bindings'], state, portData);
  const changedServers = servers(10_000, (i) => (i < 10 ? 'PAUSED' : i % 7 === 0 ? 'SHUTOFF' : 'ACTIVE'));
  const changed = poll(nova, ['servers', 'servers.addresses', 'tags'], state, changedServers) + poll(neutron, ['ports', 'fixed_ips', 'security_group_port_bindings'], state, portData);
  expect(changed).toBe(20);
  expect(state.counts()).toMatchObject({ servers: 10_000, 'servers.addresses': 10_000, tags: 20_000, ports: 50_000, fixed_ips: 50_000, security_group_port_bindings: 50_000 });
});

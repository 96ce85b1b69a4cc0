/**
 * Datasource translation benchmark: one poll of 10,000 Nova servers (nested addresses, tags) and
 * 50,000 Neutron ports through the drivers' translators and the per-table diff, and a poll in
 * which 10 servers changed. Target: under 300 ms per poll; a small change costs O(changed).
 */
import { NEUTRON_TRANSLATORS } from '../src/services/datasources/drivers/neutronv2';
import { NOVA_TRANSLATORS } from '../src/services/datasources/drivers/nova';
import { poll, ports, RootTranslator, servers, TableState } from '../test/fixtures/openstack/scale';

const NOVA_TABLES = ['servers', 'servers.addresses', 'tags'];
const NEUTRON_TABLES = ['ports', 'fixed_ips', 'security_group_port_bindings'];

function main(): void {
  const nova = new RootTranslator(NOVA_TRANSLATORS[0]);
  const neutron = new RootTranslator(NEUTRON_TRANSLATORS[1]);
  const state = new TableState();
  const serverData = servers(10_000);
  const portData = ports(50_000);
  let t = performance.now();
  poll(nova, NOVA_TABLES, state, serverData);
  poll(neutron, NEUTRON_TABLES, state, portData);
  const first = performance.now() - t;
  const times: number[] = [];
  let changed = 0;
  for (let round = 0; round < 5; round++) {
    const data = servers(10_000, (i) => (i < 10 && round % 2 === 0 ? 'PAUSED' : i % 7 === 0 ? 'SHUTOFF' : 'ACTIVE'));
    t = performance.now();
    changed = poll(nova, NOVA_TABLES, state, data) + poll(neutron, NEUTRON_TABLES, state, portData);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`# Datasource translation (${new Date().toISOString()}, node ${process.version})\n`);
  console.log('| measure | value |');
  console.log('| --- | --- |');
  console.log(`| first poll, 10,000 servers + 50,000 ports (cold) | ${first.toFixed(0)} ms |`);
  console.log(`| later polls, median of 5 | ${times[2].toFixed(0)} ms |`);
  console.log(`| rows in the delta after 10 servers changed | ${changed} |`);
}

main();

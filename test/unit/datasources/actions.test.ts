// Actions: each catalogue entry calls the right upstream endpoint with the right body, wrapper
// conventions (strings from policies coerced), outcomes recorded, listing sorted.
import { FakeCloud } from '../../fixtures/openstack';
import { cinderDriver } from '../../../src/services/datasources/drivers/cinder';
import { glancev2Driver } from '../../../src/services/datasources/drivers/glancev2';
import { keystonev3Driver } from '../../../src/services/datasources/drivers/keystonev3';
import { neutronv2Driver } from '../../../src/services/datasources/drivers/neutronv2';
import { novaDriver } from '../../../src/services/datasources/drivers/nova';
import { doctorDriver } from '../../../src/services/datasources/drivers/doctor';
import type { DriverDefinition } from '../../../src/services/datasources';
import { Float } from '../../../src/datalog/value';
import { MemoryTableData, startDriver } from './support';

let cloud: FakeCloud;
beforeEach(async () => {
  cloud = await FakeCloud.start();
});
afterEach(async () => {
  await cloud.close();
});

const WEB1 = '9168b536-cd40-4630-b43f-b259807c6e87';
const PORT = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';
const SG = 'd6c5b4a3-9281-4f7e-8d6c-5b4a39281706';
const pos = (...positional: unknown[]) => ({ positional, named: {} });

async function run(def: DriverDefinition, action: string, positional: unknown[]): Promise<void> {
  const { driver } = await startDriver(def, cloud.config());
  await driver.execute(action, pos(...positional));
  await driver.stop();
}

function last(method: string, path: string): { path: string; body: unknown; text: string } {
  const found = cloud.requestsTo(method, path);
  expect(found.length).toBeGreaterThan(0);
  return found[found.length - 1];
}

describe('nova actions', () => {
  it.each([
    ['servers.pause', { pause: null }, 'PAUSED'],
    ['servers.stop', { 'os-stop': null }, 'SHUTOFF'],
    ['servers.suspend', { suspend: null }, 'SUSPENDED'],
  ])('%s posts %j and the server changes', async (action, body, status) => {
    await run(novaDriver, action, [WEB1]);
    expect(last('POST', `/servers/${WEB1}/action`).body).toEqual(body);
    expect(cloud.nova.servers.get(WEB1)?.status).toBe(status);
  });

  it('servers.reboot defaults to SOFT', async () => {
    await run(novaDriver, 'servers.reboot', [WEB1]);
    expect(last('POST', '/action').body).toEqual({ reboot: { type: 'SOFT' } });
  });

  it('servers_set_meta takes key/value pairs after the server id', async () => {
    await run(novaDriver, 'servers_set_meta', [WEB1, 'owner', 'team-b', 'tier', 'gold']);
    expect(last('POST', `/servers/${WEB1}/metadata`).body).toEqual({ metadata: { owner: 'team-b', tier: 'gold' } });
    expect(cloud.nova.servers.get(WEB1)?.metadata).toEqual({ owner: 'team-b', tier: 'gold' });
  });

  it('services.force_down turns the policy string "True" into a boolean', async () => {
    await run(novaDriver, 'services.force_down', ['compute-1', 'nova-compute', 'True']);
    expect(last('PUT', '/os-services/force-down').body).toEqual({ host: 'compute-1', binary: 'nova-compute', forced_down: true });
    expect(cloud.nova.services.get('4')?.state).toBe('down');
  });

  it('servers.delete deletes', async () => {
    await run(novaDriver, 'servers.delete', [WEB1]);
    expect(cloud.requestsTo('DELETE', `/servers/${WEB1}`)).toHaveLength(1);
    expect(cloud.nova.servers.get(WEB1)).toBeUndefined();
  });

  it('an upstream error fails the action and is recorded; unknown actions are refused', async () => {
    const { driver } = await startDriver(novaDriver, cloud.config());
    await expect(driver.execute('servers.pause', pos('nosuch'))).rejects.toThrow(/returned HTTP 404: \{"itemNotFound"/);
    await expect(driver.execute('servers.explode', pos(WEB1))).rejects.toThrow('Action servers.explode is not an executable method of this datasource');
    await driver.execute('servers.lock', pos(WEB1));
    expect(driver.actionHistory().map((o) => [o.action, o.ok])).toEqual([
      ['servers.pause', false],
      ['servers.lock', true],
    ]);
    await driver.stop();
  });

  it('lists actions sorted by name with argument descriptions', async () => {
    const { driver } = await startDriver(novaDriver, cloud.config());
    const names = driver.actions().map((a) => a.name);
    expect(names).toEqual([...names].sort());
    expect(driver.actions().find((a) => a.name === 'servers.pause')).toEqual({
      name: 'servers.pause',
      description: 'Pause the server.',
      args: [{ name: 'server', description: 'The server ID', desc: 'The server ID' }],
    });
    await driver.stop();
  });
});

describe('neutron actions', () => {
  it('update_resource_attrs PUTs the attributes, coercing "False"', async () => {
    await run(neutronv2Driver, 'update_resource_attrs', ['port', PORT, 'admin_state_up', 'False', 'name', 'p1']);
    expect(last('PUT', `/v2.0/ports/${PORT}`).body).toEqual({ port: { admin_state_up: false, name: 'p1' } });
    expect(cloud.neutron.ports.get(PORT)?.admin_state_up).toBe(false);
  });

  it('update_resource_attrs sends a float argument as a float and a big integer with its digits, as the original', async () => {
    await run(neutronv2Driver, 'update_resource_attrs', ['port', PORT, 'mtu', new Float(1500), 'tag', 12345678901234567890n]);
    expect(last('PUT', `/v2.0/ports/${PORT}`).text).toBe('{"port":{"mtu":1500.0,"tag":12345678901234567890}}');
  });

  it('detach then attach a security group by read-modify-write; attaching twice is a no-op', async () => {
    await run(neutronv2Driver, 'detach_port_security_group', [PORT, SG]);
    expect(cloud.neutron.ports.get(PORT)?.security_groups).toEqual([]);
    await run(neutronv2Driver, 'attach_port_security_group', [PORT, SG]);
    expect(cloud.neutron.ports.get(PORT)?.security_groups).toEqual([SG]);
    const puts = cloud.requestsTo('PUT', `/v2.0/ports/${PORT}`).length;
    await run(neutronv2Driver, 'attach_port_security_group', [PORT, SG]);
    expect(cloud.requestsTo('PUT', `/v2.0/ports/${PORT}`)).toHaveLength(puts);
  });

  it('create_security_group_rule accepts its body as JSON text', async () => {
    await run(neutronv2Driver, 'create_security_group_rule', [JSON.stringify({ security_group_rule: { security_group_id: SG, direction: 'ingress', protocol: 'icmp' } })]);
    expect(last('POST', '/v2.0/security-group-rules').body).toEqual({ security_group_rule: { security_group_id: SG, direction: 'ingress', protocol: 'icmp' } });
    expect((cloud.neutron.securityGroups.get(SG)?.security_group_rules as unknown[]).length).toBe(3);
  });

  it('delete_port and remove_gateway_router', async () => {
    await run(neutronv2Driver, 'delete_port', [PORT]);
    expect(cloud.neutron.ports.get(PORT)).toBeUndefined();
    await run(neutronv2Driver, 'remove_gateway_router', ['1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d']);
    expect(last('PUT', '/v2.0/routers/1a2b3c4d').body).toEqual({ router: { external_gateway_info: {} } });
  });
});

describe('other drivers', () => {
  it('cinder volumes.extend and reset_state', async () => {
    const vol = 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b';
    await run(cinderDriver, 'volumes.extend', [vol, '20']);
    expect(last('POST', `/volumes/${vol}/action`).body).toEqual({ 'os-extend': { new_size: 20 } });
    expect(last('POST', `/volumes/${vol}/action`).path).toBe(`/volume/v3/8538a3f13f9541b28c2620eb19065e45/volumes/${vol}/action`);
    await run(cinderDriver, 'volumes.reset_state', [vol, 'error']);
    expect(cloud.cinder.volumes.get(vol)?.status).toBe('error');
  });

  it('glance images.deactivate and tag updates', async () => {
    const img = '70a599e0-31e7-49b7-b260-868f441e862b';
    await run(glancev2Driver, 'images.deactivate', [img]);
    expect(cloud.glance.images.get(img)?.status).toBe('deactivated');
    await run(glancev2Driver, 'image_tags.update', [img, 'quarantine']);
    expect(cloud.requestsTo('PUT', `/image/v2/images/${img}/tags/quarantine`)).toHaveLength(1);
  });

  it('keystone users.update_enabled and users.delete', async () => {
    const demo = '5b5f2e3d9a1c4d7e8f0a1b2c3d4e5f60';
    await run(keystonev3Driver, 'users.update_enabled', [demo, 'False']);
    expect(last('PATCH', `/identity/v3/users/${demo}`).body).toEqual({ user: { enabled: false } });
    await run(keystonev3Driver, 'users.delete', [demo]);
    expect(cloud.keystone.users.get(demo)).toBeUndefined();
  });

  it('doctor has no actions: an empty listing', async () => {
    const { driver } = await startDriver(doctorDriver, {}, { tableData: new MemoryTableData() });
    expect(driver.actions()).toEqual([]);
    await driver.stop();
  });
});

// Polling drivers against the fake cloud: only deltas are published, faults show in the status
// while the last good tables stay, retries and re-authentication, scheduling and lazy tables.
import { FakeCloud } from '../../fixtures/openstack';
import { DatasourceError } from '../../../src/services/datasources';
import { neutronv2Driver } from '../../../src/services/datasources/drivers/neutronv2';
import { novaDriver } from '../../../src/services/datasources/drivers/nova';
import { EXPECTED } from './expected-state';
import { congress, startDriver, tablesOf } from './support';

let cloud: FakeCloud;
beforeEach(async () => {
  cloud = await FakeCloud.start();
});
afterEach(async () => {
  await cloud.close();
});

const WEB1 = '9168b536-cd40-4630-b43f-b259807c6e87';

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('deltas', () => {
  it('publishes everything once, then nothing while upstream is unchanged', async () => {
    const { driver, sink } = await startDriver(novaDriver, cloud.config());
    await driver.refreshAndWait();
    const first = sink.take();
    expect(first.servers.add).toHaveLength(2);
    expect(first.services.add).toHaveLength(3);
    expect(Object.values(first).every((d) => d.del.length === 0)).toBe(true);
    await driver.refreshAndWait();
    expect(sink.take()).toEqual({});
    expect(driver.status([]).number_of_updates).toBe('2');
    await driver.stop();
  });

  it('a new server adds its rows to servers, tags and servers.addresses only', async () => {
    const { driver, sink } = await startDriver(novaDriver, cloud.config());
    await driver.refreshAndWait();
    sink.take();
    const copy = { ...cloud.nova.servers.list()[0], id: 'new-1', name: 'web-2', tags: ['x'], addresses: { private: [{ version: 4, addr: '10.0.0.9', 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:09' }] } };
    cloud.nova.servers.upsert(copy);
    await driver.refreshAndWait();
    const delta = sink.take();
    expect(Object.keys(delta).sort()).toEqual(['servers', 'servers.addresses', 'tags']);
    expect(delta.tags).toEqual({ add: [['new-1', 'x']], del: [] });
    expect(delta['servers.addresses']).toEqual({ add: [['new-1', 'private', '10.0.0.9', 4, 'fa:16:3e:00:00:09', 'fixed']], del: [] });
    expect(delta.servers.add).toHaveLength(1);
    expect(delta.servers.del).toHaveLength(0);
    await driver.stop();
  });

  it('a status change is one row removed and one added', async () => {
    const { driver, sink } = await startDriver(novaDriver, cloud.config());
    await driver.refreshAndWait();
    sink.take();
    cloud.nova.servers.update(WEB1, { status: 'SHUTOFF' });
    await driver.refreshAndWait();
    const delta = sink.take();
    expect(Object.keys(delta)).toEqual(['servers']);
    expect(delta.servers.del.map((r) => r[3])).toEqual(['ACTIVE']);
    expect(delta.servers.add.map((r) => r[3])).toEqual(['SHUTOFF']);
    await driver.stop();
  });

  it('removing a port removes its rows from ports and both nested tables; nested and null-ing changes stay local', async () => {
    const { driver, sink } = await startDriver(neutronv2Driver, cloud.config());
    await driver.refreshAndWait();
    sink.take();
    cloud.neutron.ports.remove('a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d');
    await driver.refreshAndWait();
    let delta = sink.take();
    expect(Object.keys(delta).sort()).toEqual(['fixed_ips', 'ports', 'security_group_port_bindings']);
    expect(delta.fixed_ips).toEqual({ add: [], del: [['a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d', '10.0.0.5', '8d2ac2a1-6e3b-4b8a-9f1d-2c3b4a5d6e7f']] });

    const group = cloud.neutron.securityGroups.get('d6c5b4a3-9281-4f7e-8d6c-5b4a39281706') as { security_group_rules: { id: string }[] };
    group.security_group_rules = group.security_group_rules.filter((r) => r.id !== 'f0e1d2c3-b4a5-4968-8776-a5b4c3d2e1f0');
    await driver.refreshAndWait();
    delta = sink.take();
    expect(Object.keys(delta)).toEqual(['security_group_rules']);
    expect(delta.security_group_rules.del.map((r) => r[1])).toEqual(['f0e1d2c3-b4a5-4968-8776-a5b4c3d2e1f0']);

    cloud.neutron.routers.update('1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', { external_gateway_info: null });
    await driver.refreshAndWait();
    delta = sink.take();
    expect(Object.keys(delta).sort()).toEqual(['external_fixed_ips', 'external_gateway_infos']);
    expect(delta.external_gateway_infos.add).toEqual([]);
    expect(delta.external_fixed_ips.del).toHaveLength(1);
    await driver.stop();
  });
});

describe('faults', () => {
  it('a failing root keeps its last good rows, the others are refreshed, and it recovers', async () => {
    const { driver, sink } = await startDriver(novaDriver, cloud.config());
    await driver.refreshAndWait();
    sink.take();
    const remove = cloud.addFault({ service: 'nova', path: '/os-services', status: 500 });
    cloud.nova.servers.update(WEB1, { status: 'PAUSED' });
    cloud.nova.services.update('1', { state: 'down' });
    await driver.refreshAndWait();
    const status = driver.status([]);
    expect(status.last_error).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/compute\/v2\.1\/os-services returned HTTP 500: /);
    expect(Object.keys(status.table_errors)).toEqual(['services']);
    expect(status.consecutive_failures).toBe(1);
    expect(tablesOf(driver).services).toEqual(congress(EXPECTED.nova.services));
    expect(Object.keys(sink.take())).toEqual(['servers']);
    // 500 is not retried.
    expect(cloud.requestsTo('GET', '/os-services')).toHaveLength(2);
    remove();
    await driver.refreshAndWait();
    expect(driver.status([]).last_error).toBe('None');
    expect(driver.status([]).consecutive_failures).toBe(0);
    expect(sink.take().services.del).toHaveLength(1);
    await driver.stop();
  });

  it('retries a GET on 503 and on a reset connection, with back-off, and then succeeds', async () => {
    const { driver } = await startDriver(novaDriver, cloud.config());
    cloud.addFault({ service: 'nova', path: '/flavors/detail', status: 503, times: 2 });
    cloud.addFault({ service: 'nova', path: '/os-hypervisors', reset: true, times: 1 });
    await driver.refreshAndWait();
    expect(driver.status([]).last_error).toBe('None');
    expect(cloud.requestsTo('GET', '/flavors/detail')).toHaveLength(3);
    expect(cloud.requestsTo('GET', '/os-hypervisors/detail')).toHaveLength(2);
    await driver.stop();
  });

  it('gives up after the bounded retries of a service that stays down', async () => {
    const { driver } = await startDriver(novaDriver, cloud.config());
    cloud.addFault({ service: 'nova', path: '/os-availability-zone', reset: true });
    await driver.refreshAndWait();
    expect(driver.status([]).table_errors.availability_zones).toMatch(/^Unable to establish connection to http:\/\/127\.0\.0\.1:\d+\/compute\/v2\.1\/os-availability-zone\/detail/);
    expect(cloud.requestsTo('GET', '/os-availability-zone/detail')).toHaveLength(3);
    await driver.stop();
  });

  it('times out a slow upstream within the request timeout', async () => {
    const { driver } = await startDriver(neutronv2Driver, cloud.config({ request_timeout: 0.2 }));
    await driver.refreshAndWait();
    cloud.addFault({ service: 'neutron', path: '/v2.0/subnets', delayMs: 5000 });
    const started = Date.now();
    await driver.refreshAndWait();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(driver.status([]).table_errors.subnets).toMatch(/^timeout after 0\.2 s calling GET http:\/\/127\.0\.0\.1:\d+\/networking\/v2\.0\/subnets$/);
    expect(tablesOf(driver).subnets).toEqual(congress(EXPECTED.neutronv2.subnets));
    await driver.stop();
  });

  it('reports malformed JSON and a wrong top-level key with the URL, keeping the last good rows', async () => {
    const { driver } = await startDriver(neutronv2Driver, cloud.config());
    await driver.refreshAndWait();
    const remove = cloud.addFault({ service: 'neutron', path: '/v2.0/networks', malformed: 'truncated' });
    await driver.refreshAndWait();
    expect(driver.status([]).last_error).toMatch(/^malformed JSON from GET http:\/\/127\.0\.0\.1:\d+\/networking\/v2\.0\/networks: \{"networks/);
    remove();
    cloud.addFault({ service: 'neutron', path: '/v2.0/networks', malformed: 'wrong-key' });
    await driver.refreshAndWait();
    expect(driver.status([]).last_error).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/networking\/v2\.0\/networks: expected a list under "networks", got: \{"nets":\[/);
    expect(tablesOf(driver).networks).toEqual(congress(EXPECTED.neutronv2.networks));
    await driver.stop();
  });

  it('re-authenticates once when a token is revoked', async () => {
    const { driver } = await startDriver(novaDriver, cloud.config());
    await driver.refreshAndWait();
    expect(cloud.requestsTo('POST', '/auth/tokens')).toHaveLength(1);
    cloud.keystone.revokeAllTokens();
    await driver.refreshAndWait();
    expect(driver.status([]).last_error).toBe('None');
    expect(cloud.requestsTo('POST', '/auth/tokens')).toHaveLength(2);
    await driver.stop();
  });

  it('renews a token about to expire before using it', async () => {
    cloud.keystone.tokenTtlMs = 60_000;
    const { driver } = await startDriver(novaDriver, cloud.config());
    await driver.refreshAndWait();
    await driver.refreshAndWait();
    // A token valid for less than the two-minute margin is renewed before every call.
    const calls = cloud.requests.filter((r) => r.service === 'nova').length;
    expect(calls).toBe(10);
    expect(cloud.requestsTo('POST', '/auth/tokens')).toHaveLength(calls);
    await driver.stop();
  });

  it('a wrong password fails every poll with Keystone 401, never showing the password', async () => {
    const { driver } = await startDriver(novaDriver, cloud.config({ password: 'wrong-pw' }));
    await driver.refreshAndWait();
    const status = driver.status([]);
    expect(status.last_error).toMatch(/^The request you have made requires authentication\. \(HTTP 401\) from Keystone at POST http:\/\/127\.0\.0\.1:\d+\/identity\/v3\/auth\/tokens$/);
    expect(JSON.stringify(status)).not.toContain('wrong-pw');
    expect(status.number_of_updates).toBe('1');
    expect(Object.keys(status.table_errors)).toHaveLength(5);
    await driver.stop();
  });

  it('reports a down cloud and recovers when it is back', async () => {
    const port = Number(new URL(cloud.origin).port);
    const { driver } = await startDriver(novaDriver, cloud.config());
    await cloud.close();
    await driver.refreshAndWait();
    expect(driver.status([]).last_error).toMatch(/^Keystone: Unable to establish connection to http:\/\/127\.0\.0\.1:\d+\/identity\/v3\/auth\/tokens: /);
    cloud = await FakeCloud.start(port);
    await driver.refreshAndWait();
    expect(driver.status([]).last_error).toBe('None');
    expect(tablesOf(driver).flavors).toEqual(congress(EXPECTED.nova.flavors));
    await driver.stop();
  });
});

describe('scheduling', () => {
  it('poll_time 0 never polls by itself', async () => {
    const { driver } = await startDriver(novaDriver, cloud.config({ poll_time: 0 }));
    await new Promise((r) => setTimeout(r, 150));
    expect(driver.status([]).number_of_updates).toBe('0');
    expect(driver.status([]).last_updated).toBe('None');
    expect(cloud.requests).toHaveLength(0);
    await driver.stop();
  });

  it('polls at once and then every poll_time seconds', async () => {
    const { driver } = await startDriver(novaDriver, cloud.config({ poll_time: 1 }));
    await until(() => driver.status([]).number_of_updates === '1', 1000);
    await until(() => driver.status([]).number_of_updates === '2', 2500);
    expect(driver.status([]).last_updated).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$/);
    await driver.stop();
  });

  it('coalesces refresh requests made during a poll into one follow-up poll', async () => {
    const { driver } = await startDriver(novaDriver, cloud.config());
    cloud.addFault({ service: 'nova', path: '/servers/detail', delayMs: 200, times: 1 });
    const first = driver.refreshAndWait();
    await until(() => cloud.requestsTo('GET', '/servers/detail').length === 1);
    driver.requestRefresh();
    driver.requestRefresh();
    const second = driver.refreshAndWait();
    await Promise.all([first, second]);
    expect(driver.status([]).number_of_updates).toBe('2');
    expect(cloud.requestsTo('GET', '/servers/detail')).toHaveLength(2);
    await driver.stop();
  });

  it('stop abandons an in-flight poll', async () => {
    const { driver } = await startDriver(novaDriver, cloud.config());
    cloud.addFault({ service: 'nova', path: '/servers/detail', delayMs: 10_000 });
    const pending = driver.refreshAndWait();
    await until(() => cloud.requestsTo('GET', '/servers/detail').length === 1);
    const started = Date.now();
    await driver.stop();
    await pending;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(driver.status([]).number_of_updates).toBe('0');
  });
});

describe('configuration', () => {
  it('lazy tables are not fetched until activated', async () => {
    const { driver } = await startDriver(novaDriver, cloud.config({ lazy_tables: ['flavors'] }));
    await driver.refreshAndWait();
    expect(cloud.requestsTo('GET', '/flavors/detail')).toHaveLength(0);
    expect(() => driver.rows('flavors')).toThrow('table flavors is a lazy table and is not subscribed.');
    expect(driver.status([]).lazy_tables).toEqual(['flavors']);
    const next = driver.refreshAndWait();
    driver.activateLazyTables(['flavors']);
    await next;
    await until(() => driver.status([]).lazy_tables.length === 0 && driver.rows('flavors').length === 2);
    expect(tablesOf(driver).flavors).toEqual(congress(EXPECTED.nova.flavors));
    await driver.stop();
  });

  it.each([
    [{ poll_time: 'often' }, 'poll_time must be a non-negative integer number of seconds, got "often"'],
    [{ poll_time: -1 }, 'poll_time must be a non-negative integer number of seconds, got -1'],
    [{ lazy_tables: ['nope'] }, 'Invalid lazy tables: ["nope"]. Accepted tables for datasource nova are ["servers","flavors","services","hypervisors","availability_zones"]'],
    [{ request_timeout: 0 }, 'request_timeout must be a positive number of seconds, got 0'],
  ])('rejects %j with a clear 400', (extra, message) => {
    let caught: unknown;
    try {
      novaDriver.create({ name: 'nova', id: 'x', config: cloud.config(extra), logger: { debug: () => 0, info: () => 0, warn: () => 0, error: () => 0 } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DatasourceError);
    expect((caught as DatasourceError).status).toBe(400);
    expect((caught as DatasourceError).message).toBe(message);
  });

  it('accepts poll_time as a digit string and tenant_name instead of project_name', async () => {
    const config = cloud.config({ poll_time: '0', tenant_name: 'admin' });
    delete config.project_name;
    const { driver } = await startDriver(novaDriver, config);
    await driver.refreshAndWait();
    expect(driver.status([]).last_error).toBe('None');
    await driver.stop();
  });
});

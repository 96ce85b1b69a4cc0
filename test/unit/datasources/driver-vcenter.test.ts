// The vcenter driver against a fake vCenter speaking the vSphere Web Services API (SOAP) with the
// original driver test's hosts and VMs: that test's expected rows (the DNS list id included),
// the calls made (session, container views, paged property retrieval, nothing left open), session
// renewal, max_hosts / max_vms, deltas, the driver info recorded from the original, and faults.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeVCenter } from '../../fixtures/vsphere';
import { selfSigned } from '../../support/certs';
import { DriverRegistry, type Driver } from '../../../src/services/datasources';
import { sdkUrl, vcenterDriver } from '../../../src/services/datasources/drivers/vcenter';
import { valueOf } from '../../../src/services/datasources/vsphere/client';
import { congress, startDriver, startPolled, tablesOf, type RecordingSink } from './support';

let vc: FakeVCenter;
let driver: Driver | undefined;
beforeEach(async () => {
  vc = await FakeVCenter.start();
});
afterEach(async () => {
  await driver?.stop();
  driver = undefined;
  await vc.close();
});

async function polled(extra: Record<string, unknown> = {}): Promise<{ driver: Driver; sink: RecordingSink }> {
  const started = await startPolled(vcenterDriver, vc.config(extra));
  driver = started.driver;
  return started;
}

const H1 = '9912c61d-79e0-4423-bb43-d79926e0d1f0';
const H2 = '9912c61d-79e0-4423-bb43-d79926e0d1f5';
/** The id the original gave the DNS list ['10.11.12.1', '10.11.12.2'] (from its test). */
const DNS_ID = '895f69d340dac8cd4c9550e745703c77';

/** The original test's expected state. */
const EXPECTED = {
  hosts: [
    ['Host1', H1, DNS_ID],
    ['Host2', H2, DNS_ID],
  ],
  'host.DNS_IPs': [
    [DNS_ID, '10.11.12.1'],
    [DNS_ID, '10.11.12.2'],
  ],
  'host.PNICs': [
    [H1, 'vmnic1', '3F-0B-DD-8A-F3-B9', '10.11.13.1', '255.255.255.0'],
    [H1, 'vmnic2', '3F-0B-DD-8A-F3-BA', '10.11.13.2', '255.255.255.0'],
    [H2, 'vmnic1', '3F-0B-DD-8A-F3-BD', '10.11.14.1', '255.255.255.0'],
    [H2, 'vmnic2', '3F-0B-DD-8A-F3-BE', '10.11.14.2', '255.255.255.0'],
  ],
  'host.VNICs': [
    [H1, 'vmk1', '3F-0B-DD-8A-F3-BB', 'Management', '10.11.13.3', '255.255.255.0'],
    [H1, 'vmk2', '3F-0B-DD-8A-F3-BC', 'Public', '10.11.13.4', '255.255.255.0'],
    [H2, 'vmk1', '3F-0B-DD-8A-F3-BF', 'Management', '10.11.14.3', '255.255.255.0'],
    [H2, 'vmk2', '3F-0B-DD-8A-F3-C0', 'Public', '10.11.14.4', '255.255.255.0'],
  ],
  vms: [
    ['VM1', '9912c61d-79e0-4423-bb43-d79926e0d200', H1, '[Datastore] VM1/VM1.vmtx', 'green', 216, 192, 4096, 245, 25294964803, 32812040762, 'First VM'],
    ['VM2', '9912c61d-79e0-4423-bb43-d79926e0d201', H2, '[Datastore] VM2/VM2.vmtx', 'green', 216, 192, 4096, 245, 6271694636, 34110177822, 'Second VM'],
  ],
};
const EXPECTED_TABLES = Object.fromEntries(Object.entries(EXPECTED).map(([t, rows]) => [t, congress(rows)]));

describe('polling', () => {
  it("gives exactly the rows the original's unit test expects", async () => {
    const { driver: d } = await polled();
    expect(d.status([]).last_error).toBe('None');
    expect(tablesOf(d)).toEqual(EXPECTED_TABLES);
  });

  it('logs in once, reads each type through a container view, and leaves nothing open', async () => {
    const { driver: d } = await polled();
    const read = ['CreateContainerView', 'RetrievePropertiesEx', 'DestroyView'];
    expect(vc.methods()).toEqual(['RetrieveServiceContent', 'Login', ...read, ...read]);
    expect(vc.calls.every((c) => c.soapAction === '"urn:vim25/6.0"')).toBe(true);
    expect(vc.calls.slice(2).every((c) => /^vmware_soap_session="[0-9a-f-]+"$/.test(c.cookie ?? ''))).toBe(true);
    expect(vc.calls[2].args.type).toBe('HostSystem');
    expect(vc.calls[5].args.type).toBe('VirtualMachine');
    expect(vc.openServerState()).toEqual({ views: 0, retrievals: 0, sessions: 1 });
    await d.refreshAndWait();
    expect(vc.methods().slice(8)).toEqual([...read, ...read]);
    await d.stop();
    driver = undefined;
    for (let i = 0; i < 50 && vc.openServerState().sessions > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(vc.methods().at(-1)).toBe('Logout');
    expect(vc.openServerState().sessions).toBe(0);
  });

  it('follows the paging token, and asks for max_hosts / max_vms objects', async () => {
    vc.pageLimit = 1;
    const { driver: d } = await polled({ max_hosts: 5, max_vms: '7' });
    expect(tablesOf(d)).toEqual(EXPECTED_TABLES);
    expect(vc.methods().filter((m) => m === 'ContinueRetrievePropertiesEx')).toHaveLength(2);
    const asked = vc.calls.filter((c) => c.method === 'RetrievePropertiesEx').map((c) => (c.args.options as { maxObjects: string }).maxObjects);
    expect(asked).toEqual(['5', '7']);
    expect(vc.openServerState().retrievals).toBe(0);
  });

  it('keeps at most max_vms VMs and cancels the rest of the retrieval', async () => {
    vc.pageLimit = 1;
    const { driver: d } = await polled({ max_vms: 1 });
    expect(tablesOf(d).vms).toEqual(congress([EXPECTED.vms[0]]));
    expect(vc.methods()).toContain('CancelRetrievePropertiesEx');
    expect(vc.openServerState()).toEqual({ views: 0, retrievals: 0, sessions: 1 });
  });

  it('publishes what changed: a VM moved to another host, a host without DNS servers', async () => {
    const { driver: d, sink } = await polled();
    sink.take();
    vc.vms[1].host = 'Host1';
    vc.hosts[1].dns = null;
    await d.refreshAndWait();
    const delta = sink.take();
    expect(delta.vms.del).toEqual(congress([EXPECTED.vms[1]]));
    expect(delta.vms.add).toEqual(congress([EXPECTED.vms[1].map((v, i) => (i === 2 ? H1 : v))]));
    const tables = tablesOf(d);
    const noDnsId = tables.hosts.find((h) => h[0] === 'Host2')?.[2];
    expect(tables['host.DNS_IPs']).toContainEqual([noDnsId, 'No DNS IP adddresses configured']);
  });

  it('leaves a VM on a host it did not read without host_uuid', async () => {
    vc.vms[0].host = 'host-999';
    const { driver: d } = await polled();
    expect(tablesOf(d).vms).toContainEqual(congress([EXPECTED.vms[0].map((v, i) => (i === 2 ? null : v))])[0]);
  });
});

describe('sessions and faults', () => {
  it('logs in again once when the session has expired', async () => {
    const { driver: d } = await polled();
    vc.expireSessions();
    await d.refreshAndWait();
    expect(d.status([]).last_error).toBe('None');
    expect(vc.methods().filter((m) => m === 'Login')).toHaveLength(2);
    expect(vc.methods().filter((m) => m === 'RetrieveServiceContent')).toHaveLength(1);
    expect(tablesOf(d)).toEqual(EXPECTED_TABLES);
  });

  it('reports a refused login with the fault, without the password', async () => {
    const { driver: d, sink } = await polled({ password: 'not-the-secret' });
    const error = d.status([]).last_error;
    expect(error).toMatch(/Login at http:\/\/127\.0\.0\.1:\d+\/sdk failed: InvalidLogin: Cannot complete login due to an incorrect user name or password\./);
    expect(error).not.toContain('not-the-secret');
    expect(sink.take()).toEqual({});
    expect(vc.methods()).toEqual(['RetrieveServiceContent', 'Login']);
  });

  it('escapes XML in credentials', async () => {
    vc.users.set('ops<&>"', 'pw</password><x>');
    const { driver: d } = await polled({ username: 'ops<&>"', password: 'pw</password><x>' });
    expect(d.status([]).last_error).toBe('None');
  });

  it('keeps every table when a poll fails, and names what failed', async () => {
    const { driver: d } = await polled();
    await vc.close();
    await d.refreshAndWait();
    expect(d.status([]).last_error).toMatch(/Unable to establish connection to http:\/\/127\.0\.0\.1:\d+\/sdk/);
    expect(tablesOf(d)).toEqual(EXPECTED_TABLES);
    vc = await FakeVCenter.start();
  });

  it('reports an endpoint that is not a vSphere SDK', async () => {
    const { driver: d } = await polled({ auth_url: `${vc.origin}/elsewhere` });
    expect(d.status([]).last_error).toMatch(/RetrieveServiceContent at http:\/\/127\.0\.0\.1:\d+\/elsewhere returned HTTP 404/);
  });

  it('reports an answer that is not SOAP, or a fault without detail, and keeps the tables', async () => {
    const { driver: d } = await polled();
    vc.garbled.set('RetrievePropertiesEx', { status: 200, body: '<html>maintenance</html>' });
    await d.refreshAndWait();
    expect(d.status([]).last_error).toMatch(/RetrievePropertiesEx at http:\/\/127\.0\.0\.1:\d+\/sdk answered no SOAP envelope: <html>maintenance<\/html>/);
    vc.garbled.set('CreateContainerView', { status: 500, body: '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>busy</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>' });
    await d.refreshAndWait();
    expect(d.status([]).last_error).toMatch(/CreateContainerView at http:\/\/127\.0\.0\.1:\d+\/sdk failed: ServerFaultCode: busy/);
    expect(tablesOf(d)).toEqual(EXPECTED_TABLES);
    expect(vc.openServerState().views).toBe(0);
  });

  it('refuses a bad max_vms or auth_url at creation', async () => {
    await expect(startDriver(vcenterDriver, vc.config({ max_vms: 'lots' }))).rejects.toThrow(/max_vms must be a positive integer, got "lots"/);
    await expect(startDriver(vcenterDriver, vc.config({ max_hosts: 0 }))).rejects.toThrow(/max_hosts must be a positive integer/);
    await expect(startDriver(vcenterDriver, vc.config({ auth_url: 'http://' }))).rejects.toThrow(/auth_url must be a vCenter host name or URL/);
  });
});

describe('TLS', () => {
  let dir = '';
  let certFile = '';
  let tlsVc: FakeVCenter | undefined;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vcenter-tls-'));
    certFile = selfSigned(dir).certFile;
  });
  beforeEach(async () => {
    tlsVc = await FakeVCenter.start({ key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(certFile) });
  });
  afterEach(async () => {
    await driver?.stop();
    driver = undefined;
    await tlsVc?.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const pollTls = async (extra: Record<string, unknown>): Promise<Driver> => {
    driver = (await startPolled(vcenterDriver, { ...tlsVc?.config(), ...extra })).driver;
    return driver;
  };

  it("verifies vCenter's certificate: a self-signed one is refused, and the status says why", async () => {
    const d = await pollTls({});
    expect(d.status([]).last_error).toMatch(/Unable to establish connection to https:\/\/127\.0\.0\.1:\d+\/sdk: self[- ]signed certificate/);
    expect(tlsVc?.calls).toEqual([]);
  });

  it('trusts the CA given as cacert', async () => {
    const d = await pollTls({ cacert: certFile });
    expect(d.status([]).last_error).toBe('None');
    expect(tablesOf(d)).toEqual(EXPECTED_TABLES);
  });

  it('skips verification with insecure, as oslo.vmware did by default', async () => {
    const d = await pollTls({ insecure: 'True' });
    expect(d.status([]).last_error).toBe('None');
    expect(tablesOf(d).vms).toEqual(EXPECTED_TABLES.vms);
  });

  it('refuses an unreadable cacert or a non-boolean insecure at creation', async () => {
    await expect(startDriver(vcenterDriver, { ...tlsVc?.config(), cacert: path.join(dir, 'missing.pem') })).rejects.toThrow(/cacert .*missing\.pem cannot be read: ENOENT/);
    await expect(startDriver(vcenterDriver, { ...tlsVc?.config(), insecure: 'maybe' })).rejects.toThrow(/insecure must be a boolean/);
  });
});

describe('the SDK endpoint and values', () => {
  it('takes a host name as the original did, or a URL', () => {
    expect(sdkUrl('vcenter.example.com')).toBe('https://vcenter.example.com/sdk');
    expect(sdkUrl('vcenter.example.com:8443')).toBe('https://vcenter.example.com:8443/sdk');
    expect(sdkUrl('https://vc.example.com/')).toBe('https://vc.example.com/sdk');
    expect(sdkUrl('http://127.0.0.1:9/sdk')).toBe('http://127.0.0.1:9/sdk');
  });

  it('types values by xsi:type', () => {
    expect(valueOf({ '#text': '4096', '@type': 'xsd:int' })).toBe(4096);
    expect(valueOf({ '#text': '0123', '@type': 'xsd:string' })).toBe('0123');
    expect(valueOf({ '#text': 'true', '@type': 'xsd:boolean' })).toBe(true);
    expect(valueOf({ '@type': 'ArrayOfString', string: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(valueOf({ '@type': 'ArrayOfString' })).toEqual([]);
    expect(valueOf({ '@type': 'X', a: { b: '1' } })).toEqual({ a: { b: '1' } });
  });
});

describe('driver info', () => {
  // Recorded from the original (get_datasource_info and api_utils.create_table_dict over
  // get_schema of Congress 85243abf).
  it('answers GET /v1/system/drivers/vcenter as the original', () => {
    const info = new DriverRegistry([vcenterDriver]).info('vcenter');
    expect({ id: info?.id, description: info?.description, config: info?.config, secret: info?.secret, tables: info?.tables }).toEqual({
      id: 'vcenter',
      description: 'Datasource driver that interfaces with vcenter',
      config: { auth_url: 'required', username: 'required', password: 'required', poll_time: '(optional)', max_vms: '(optional)', max_hosts: '(optional)' },
      secret: ['password'],
      tables: [
        ['host.DNS_IPs', ['Host:DNS_id', 'DNS_IPs']],
        ['hosts', ['name', 'uuid', 'Host:DNS_id']],
        ['host.PNICs', ['host_uuid', 'device', 'mac', 'ipAddress', 'subnetMask']],
        ['host.VNICs', ['host_uuid', 'device', 'mac', 'portgroup', 'ipAddress', 'subnetMask']],
        ['vms', ['name', 'uuid', 'host_uuid', 'pathName', 'status', 'CpuDemand', 'CpuUsage', 'memorySizeMB', 'MemoryUsage', 'committedStorage', 'uncommittedStorage', 'annotation']],
      ].map(([table_id, columns]) => ({ table_id, columns: (columns as string[]).map((name) => ({ name, description: null })) })),
    });
  });

  it('offers no actions', async () => {
    const { driver: d } = await polled();
    expect(d.actions()).toEqual([]);
  });
});

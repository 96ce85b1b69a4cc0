// Push drivers (doctor, generic push) with replace-table semantics and persistence, and the
// generic json_rest polling driver with a translator from config.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DatasourceError } from '../../../src/services/datasources';
import { doctorDriver } from '../../../src/services/datasources/drivers/doctor';
import { jsonRestDriver } from '../../../src/services/datasources/drivers/json-rest';
import { pushDriver } from '../../../src/services/datasources/drivers/push';
import { MemoryTableData, startDriver, tablesOf } from './support';

const EVENT = {
  time: '2016-02-22T11:48:55Z',
  type: 'compute.host.down',
  details: { hostname: 'compute1', status: 'down', monitor: 'zabbix1', monitor_event_id: '111' },
};
const DS_ID = '11111111-2222-4333-8444-555555555555';

async function rejection(p: Promise<unknown>): Promise<DatasourceError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(DatasourceError);
    return error as DatasourceError;
  }
  throw new Error('expected a rejection');
}

describe('doctor', () => {
  it('replaces the events table with flattened events and publishes the delta', async () => {
    const { driver, sink } = await startDriver(doctorDriver, {}, { tableData: new MemoryTableData(), id: DS_ID });
    expect(driver.status([]).number_of_updates).toBe('0');
    await driver.replaceTable('events', [EVENT, { ...EVENT, details: { ...EVENT.details, hostname: 'compute2', extra: 1 } }]);
    expect(tablesOf(driver).events).toEqual([
      ['2016-02-22T11:48:55Z', 'compute.host.down', 'compute1', 'down', 'zabbix1', '111'],
      ['2016-02-22T11:48:55Z', 'compute.host.down', 'compute2', 'down', 'zabbix1', '111'],
    ]);
    expect(sink.take().events.add).toHaveLength(2);
    await driver.replaceTable('events', [EVENT]);
    expect(sink.take()).toEqual({ events: { add: [], del: [['2016-02-22T11:48:55Z', 'compute.host.down', 'compute2', 'down', 'zabbix1', '111']] } });
    await driver.replaceTable('events', []);
    expect(driver.rows('events')).toEqual([]);
    const status = driver.status([]);
    expect(status.number_of_updates).toBe('3');
    expect(status.last_updated).not.toBe('None');
    expect(status.initialized).toBe('True');
    await driver.stop();
  });

  it('rejects malformed pushes with 400 and leaves the table unchanged', async () => {
    const { driver } = await startDriver(doctorDriver, {}, { tableData: new MemoryTableData() });
    await driver.replaceTable('events', [EVENT]);
    const noDetails = await rejection(driver.replaceTable('events', [EVENT, { time: 't', type: 'x' }]));
    expect([noDetails.status, noDetails.message]).toEqual([400, 'row 1 lacks field details']);
    const wrongTable = await rejection(driver.replaceTable('alarms', []));
    expect([wrongTable.status, wrongTable.message]).toEqual([400, 'translator: alarms is not in the datasource driver']);
    const notList = await rejection(driver.replaceTable('events', { events: [] }));
    expect(notList.message).toBe('the rows of events must be a JSON array');
    expect(driver.rows('events')).toHaveLength(1);
    expect(driver.status([]).number_of_updates).toBe('1');
    await driver.stop();
  });

  it('persists pushed tables and restores them in a new life, publishing them to the first sink', async () => {
    const store = new MemoryTableData();
    const first = await startDriver(doctorDriver, {}, { tableData: store, id: DS_ID });
    await first.driver.replaceTable('events', [EVENT]);
    await first.driver.stop();
    expect(store.data.get(DS_ID)?.get('events')).toEqual([['2016-02-22T11:48:55Z', 'compute.host.down', 'compute1', 'down', 'zabbix1', '111']]);
    const second = await startDriver(doctorDriver, { persist_data: 'yes' }, { tableData: store, id: DS_ID });
    expect(second.driver.rows('events')).toEqual([['2016-02-22T11:48:55Z', 'compute.host.down', 'compute1', 'down', 'zabbix1', '111']]);
    expect(second.sink.take().events.add).toHaveLength(1);
    await second.driver.stop();
  });

  it('with persist_data off stores nothing and restores nothing', async () => {
    const store = new MemoryTableData();
    await store.putTableData(DS_ID, 'events', [['old', 'x', 'h', 's', 'm', '1']]);
    const { driver } = await startDriver(doctorDriver, { persist_data: false }, { tableData: store, id: DS_ID });
    expect(driver.rows('events')).toEqual([]);
    await driver.replaceTable('events', [EVENT]);
    expect(store.data.get(DS_ID)?.get('events')).toEqual([['old', 'x', 'h', 's', 'm', '1']]);
    await driver.stop();
  });

  it('rejects a persist_data that is not a boolean word', () => {
    expect(() => doctorDriver.create({ name: 'd', id: DS_ID, config: { persist_data: 'maybe' }, logger: console, tableData: new MemoryTableData() })).toThrow(
      'persist_data must be a boolean (true/false, yes/no, on/off, 1/0), got "maybe"',
    );
  });

  it('is not a polling driver: refresh does nothing, rows of unknown tables are 404', async () => {
    const { driver } = await startDriver(doctorDriver, {}, { tableData: new MemoryTableData() });
    driver.requestRefresh();
    await driver.refreshAndWait();
    expect(driver.status([]).number_of_updates).toBe('0');
    expect((await rejection(Promise.resolve().then(() => driver.rows('nope')))).status).toBe(404);
    await driver.stop();
  });
});

describe('generic push', () => {
  const config = { tables: { alarms: ['id', 'severity', 'active'] } };

  it('accepts rows by position or by column name and checks arity', async () => {
    const { driver } = await startDriver(pushDriver, config, { tableData: new MemoryTableData() });
    expect(driver.schema().map((t) => [t.name, t.columns.map((c) => c.name)])).toEqual([['alarms', ['id', 'severity', 'active']]]);
    await driver.replaceTable('alarms', [['a1', 'high', true], { id: 'a2', severity: 'low' }]);
    expect(tablesOf(driver).alarms).toEqual([
      ['a1', 'high', 'True'],
      ['a2', 'low', 'None'],
    ]);
    expect((await rejection(driver.replaceTable('alarms', [['a3']]))).message).toBe('row 0 has 1 values; table alarms has 3 columns');
    expect((await rejection(driver.replaceTable('alarms', [{ id: 'x', bogus: 1 }]))).message).toBe('row 0 has unknown columns: bogus');
    await driver.stop();
  });

  it('describes its tables from config and rejects bad declarations', () => {
    expect(pushDriver.schema(config)[0].name).toBe('alarms');
    expect(pushDriver.schema()).toEqual([]);
    expect(() => pushDriver.create({ name: 'p', id: DS_ID, config: { tables: { t: [] } }, logger: console, tableData: new MemoryTableData() })).toThrow('table t: columns must be a non-empty list of names');
  });
});

describe('json_rest', () => {
  let server: Server;
  let base: string;
  let items: unknown[] = [];
  const seen: { url: string; token: string | undefined }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', token: req.headers['x-auth-token'] as string | undefined });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ items }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('maps a JSON endpoint to tables through a translator given in config', async () => {
    items = [
      { name: 'a', size: '3', labels: ['x', 'y'] },
      { name: 'b', size: 4, labels: [] },
    ];
    const config = {
      endpoint: base,
      auth_token: 'tok',
      poll_time: 0,
      resources: [
        {
          path: '/items',
          key: 'items',
          translator: {
            'translation-type': 'HDICT',
            'table-name': 'items',
            'selector-type': 'DICT_SELECTOR',
            'field-translators': [
              { fieldname: 'name', translator: { 'translation-type': 'VALUE' } },
              { fieldname: 'size', translator: { 'translation-type': 'VALUE', 'data-type': 'Int' } },
              {
                fieldname: 'labels',
                translator: { 'translation-type': 'LIST', 'table-name': 'labels', 'parent-key': 'name', 'parent-col-name': 'item', 'val-col': 'label', translator: { 'translation-type': 'VALUE' } },
              },
            ],
          },
        },
      ],
    };
    expect(jsonRestDriver.schema(config).map((t) => t.name)).toEqual(['labels', 'items']);
    const { driver } = await startDriver(jsonRestDriver, config);
    await driver.refreshAndWait();
    expect(tablesOf(driver)).toEqual({
      labels: [
        ['a', 'x'],
        ['a', 'y'],
      ],
      items: [
        ['a', '3'],
        ['b', 4],
      ],
    });
    expect(seen[seen.length - 1]).toEqual({ url: '/api/items', token: 'tok' });
    await driver.stop();
  });

  it('rejects translators with unknown data types', () => {
    const config = { endpoint: base, resources: [{ path: '/x', translator: { 'translation-type': 'HDICT', 'table-name': 't', 'selector-type': 'DICT_SELECTOR', 'field-translators': [{ fieldname: 'a', translator: { 'translation-type': 'VALUE', 'data-type': 'Quux' } }] } }] };
    expect(() => jsonRestDriver.schema(config)).toThrow(/unknown data-type "Quux"/);
  });
});

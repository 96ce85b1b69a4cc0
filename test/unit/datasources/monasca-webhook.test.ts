// The monasca_webhook push driver: notifications into three tables, a repeated alarm replacing
// its rows, malformed notifications refused, old alarms dropped with their metrics, driver info.
import { DatasourceError, DriverRegistry, type Driver } from '../../../src/services/datasources';
import { monascaWebhookDriver } from '../../../src/services/datasources/drivers/monasca-webhook';
import { MemoryTableData, startDriver, tablesOf } from './support';

const ALARM = 'a1b2c3d4-0000-4000-8000-000000000001';
const NOW = Date.parse('2026-11-24T00:00:00Z');

function notification(alarmId: string, state: string, seconds: number, dims: Record<string, string>) {
  return {
    alarm_id: alarmId,
    alarm_definition_id: 'def-1',
    alarm_name: 'cpu high',
    alarm_description: '',
    alarm_timestamp: seconds,
    state,
    old_state: 'OK',
    message: `cpu is ${state}`,
    tenant_id: 'tenant-1',
    metrics: [{ id: null, name: 'cpu.idle_perc', dimensions: dims }],
  };
}

async function started(now = NOW): Promise<Driver> {
  const clock = { t: now };
  const { driver } = await startDriver(monascaWebhookDriver, {}, { tableData: new MemoryTableData(), now: () => new Date(clock.t) });
  return driver;
}

describe('monasca_webhook', () => {
  it('turns a notification into its notification, metrics and dimensions rows', async () => {
    const driver = await started();
    await driver.webhook(notification(ALARM, 'ALARM', NOW / 1000 - 60, { hostname: 'compute1', service: 'monitoring' }));
    const t = tablesOf(driver);
    expect(t.alarm_notification).toEqual([[ALARM, 'def-1', 'cpu high', '', NOW / 1000 - 60, 'ALARM', 'OK', 'cpu is ALARM', 'tenant-1']]);
    expect(t['alarms.metrics']).toHaveLength(1);
    const [alarmId, metricId, name, dimsId] = t['alarms.metrics'][0];
    expect([alarmId, metricId, name]).toEqual([ALARM, 'None', 'cpu.idle_perc']);
    expect(t['alarms.metrics.dimensions']).toEqual([
      [dimsId, 'hostname', 'compute1'],
      [dimsId, 'service', 'monitoring'],
    ]);
    await driver.stop();
  });

  it('replaces the notification and metrics of an alarm it already has', async () => {
    const driver = await started();
    await driver.webhook(notification(ALARM, 'ALARM', NOW / 1000 - 60, { hostname: 'compute1' }));
    await driver.webhook(notification(ALARM, 'OK', NOW / 1000, { hostname: 'compute2' }));
    await driver.webhook(notification('other', 'ALARM', NOW / 1000, { hostname: 'compute1' }));
    const t = tablesOf(driver);
    expect(t.alarm_notification.map((r) => [r[0], r[5]])).toEqual([
      [ALARM, 'OK'],
      ['other', 'ALARM'],
    ]);
    expect(t['alarms.metrics'].map((r) => r[0])).toEqual([ALARM, 'other']);
    // Dimension rows are shared by content: compute1's once, compute2's once.
    expect(t['alarms.metrics.dimensions'].map((r) => r[2]).sort()).toEqual(['compute1', 'compute2']);
    await driver.stop();
  });

  it('refuses a notification that is not an object or has no alarm_id, changing nothing', async () => {
    const driver = await started();
    for (const body of [[1], 'x', { state: 'ALARM' }]) {
      const error = await driver.webhook(body).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DatasourceError);
      expect((error as DatasourceError).status).toBe(400);
    }
    expect(tablesOf(driver).alarm_notification).toEqual([]);
    await driver.stop();
  });

  it('drops alarms older than hours_to_keep_alarm with their metrics', async () => {
    const driver = await started();
    const hours = 240;
    await driver.webhook(notification('old', 'ALARM', NOW / 1000 - hours * 3600 - 1, { hostname: 'a' }));
    await driver.webhook(notification('new', 'ALARM', NOW / 1000 - 10, { hostname: 'b' }));
    await (driver as unknown as { pruneOldAlarms(): Promise<void> }).pruneOldAlarms();
    const t = tablesOf(driver);
    expect(t.alarm_notification.map((r) => r[0])).toEqual(['new']);
    expect(t['alarms.metrics'].map((r) => r[0])).toEqual(['new']);
    await driver.stop();
  });

  it('describes itself as the original', () => {
    const info = new DriverRegistry().info('monasca_webhook');
    expect(info?.description).toBe('Datasource driver that accepts Monasca webhook alarm notifications.');
    expect(info?.config).toEqual({ persist_data: '(optional)', hours_to_keep_alarm: '(optional)' });
    expect(info?.tables.map((t) => [t.table_id, t.columns.map((c) => c.name)])).toEqual([
      ['alarms.metrics.dimensions', ['id', 'key', 'value']],
      ['alarms.metrics', ['alarm_id', 'id', 'name', 'dimensions']],
      ['alarm_notification', ['alarm_id', 'alarm_definition_id', 'alarm_name', 'alarm_description', 'alarm_timestamp', 'state', 'old_state', 'message', 'tenant_id']],
    ]);
  });
});

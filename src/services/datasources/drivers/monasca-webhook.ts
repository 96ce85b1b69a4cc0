/**
 * The `monasca_webhook` push driver (spec §11): Monasca alarm notifications posted to the
 * datasource's webhook. A notification becomes one row of `alarm_notification`, its metrics rows
 * of `alarms.metrics` (under the alarm's id) and their dimensions rows of
 * `alarms.metrics.dimensions` (under an id generated from the dimensions). A notification for an
 * alarm already known replaces its notification and metrics rows, as in the original; dimension
 * rows are shared by content and stay. A periodic task (alarm-retention.ts) drops alarms whose
 * `alarm_timestamp` (seconds since the epoch) is older than `hours_to_keep_alarm`, with their
 * metrics. The original marks this schema unstable; so does the log line at creation.
 */
import { isRecord, type Row } from '../../../bus/json';
import { floatOf, isFloatCell } from '../../common/number-cell';
import { errors } from '../errors';
import type { DriverContext, DriverDefinition } from '../framework/driver';
import { schemaOf } from '../translation/schema';
import { VALUE, valueFields, type TableTranslator } from '../translation/translator';
import { rowToCongress } from '../translation/values';
import { AlarmWebhookDriver, HOURS_OPTION } from './alarm-retention';
import { PERSIST_OPTION } from './doctor';

const NOTIFICATIONS = 'alarm_notification';
const METRICS = 'alarms.metrics';
const DIMENSIONS = 'alarms.metrics.dimensions';
/** `alarm_id` is the first column of both the notification and the metrics tables. */
const ALARM_ID_COLUMN = 0;
const ALARM_TIMESTAMP_COLUMN = 4;

/** The notification table with its nested metrics and dimensions, as the original declares them. */
export const MONASCA_WEBHOOK_TRANSLATORS: readonly TableTranslator[] = [
  {
    'translation-type': 'HDICT',
    'table-name': NOTIFICATIONS,
    'selector-type': 'DICT_SELECTOR',
    'field-translators': [
      ...valueFields(['alarm_id', 'alarm_definition_id', 'alarm_name', 'alarm_description', 'alarm_timestamp', 'state', 'old_state', 'message', 'tenant_id']),
      {
        fieldname: 'metrics',
        translator: {
          'translation-type': 'HDICT',
          'table-name': METRICS,
          'parent-key': 'alarm_id',
          'parent-col-name': 'alarm_id',
          'parent-key-desc': 'ALARM id',
          'selector-type': 'DICT_SELECTOR',
          'in-list': true,
          'field-translators': [
            ...valueFields(['id', 'name']),
            {
              fieldname: 'dimensions',
              translator: { 'translation-type': 'VDICT', 'table-name': DIMENSIONS, 'id-col': 'id', 'key-col': 'key', 'val-col': 'value', translator: VALUE },
            },
          ],
        },
      },
    ],
  },
];

class MonascaWebhookDriver extends AlarmWebhookDriver {
  constructor(context: DriverContext) {
    super(context, MONASCA_WEBHOOK_TRANSLATORS);
    context.logger.warn('The Monasca webhook driver is classified as having unstable schema. The schema may change in future releases in backwards-incompatible ways.', {
      datasource: context.name,
    });
  }

  override webhook(body: unknown): Promise<void> {
    return this.serialized(async () => {
      // As for vitrage (D18): a malformed notification is the client's error (400), not a 500.
      if (!isRecord(body)) throw errors.badPush('the notification is not an object');
      if (!Object.hasOwn(body, 'alarm_id')) throw errors.badPush('the notification lacks field alarm_id');
      const translated = this.translateBody(NOTIFICATIONS, [body]);
      const added = (table: string): Row[] => (translated.get(table) ?? []).map(rowToCongress);
      const notification = added(NOTIFICATIONS);
      const id = notification.length > 0 ? notification[0][ALARM_ID_COLUMN] : null;
      const others = (table: string): Row[] => this.rowsWithout(table, ALARM_ID_COLUMN, new Set([id]));
      const known = new Set(this.state.rows(DIMENSIONS).map((row) => JSON.stringify(row)));
      await this.applyTables([
        [NOTIFICATIONS, [...others(NOTIFICATIONS), ...notification]],
        [METRICS, [...others(METRICS), ...added(METRICS)]],
        [DIMENSIONS, [...this.state.rows(DIMENSIONS), ...added(DIMENSIONS).filter((row) => !known.has(JSON.stringify(row)))]],
      ]);
    });
  }

  /** Drops alarms raised before `oldest`, and their metrics. */
  protected async dropAlarmsBefore(oldest: number): Promise<void> {
    const gone = new Set(this.state.rows(NOTIFICATIONS).filter((row) => expired(row, oldest)).map((row) => row[ALARM_ID_COLUMN]));
    if (gone.size === 0) return;
    await this.applyTables([
      [NOTIFICATIONS, this.rowsWithout(NOTIFICATIONS, ALARM_ID_COLUMN, gone)],
      [METRICS, this.rowsWithout(METRICS, ALARM_ID_COLUMN, gone)],
    ]);
  }
}

/** An alarm raised before `oldest` (ms); rows without a numeric time are kept. */
function expired(row: Row, oldest: number): boolean {
  const cell = row[ALARM_TIMESTAMP_COLUMN];
  const seconds = isFloatCell(cell) ? floatOf(cell) : cell;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds * 1000 <= oldest;
}

/** The `monasca_webhook` driver definition. */
export const monascaWebhookDriver: DriverDefinition = {
  id: 'monasca_webhook',
  description: 'Datasource driver that accepts Monasca webhook alarm notifications.',
  options: [PERSIST_OPTION, HOURS_OPTION],
  schema: () => schemaOf(MONASCA_WEBHOOK_TRANSLATORS),
  create: (context) => new MonascaWebhookDriver(context),
};

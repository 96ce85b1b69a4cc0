/**
 * The `vitrage` push driver: Vitrage alarm notifications posted to the datasource's webhook
 * (api.md §10). Each notification's `payload` becomes one row of `alarms`, replacing an earlier
 * alarm with the same `vitrage_id`; its `resource` is flattened into `resource_*` columns and the
 * time of receipt (UTC) is added. As in the original, a periodic task (alarm-retention.ts) drops
 * alarms whose `update_timestamp` is older than `hours_to_keep_alarm`. Tables can
 * also be replaced whole through `PUT …/rows`, as for every push driver.
 */
import { isRecord, type Row } from '../../../bus/json';
import { errors } from '../errors';
import type { DriverContext, DriverDefinition } from '../framework/driver';
import { schemaOf } from '../translation/schema';
import { VALUE, type TableTranslator } from '../translation/translator';
import { rowToCongress } from '../translation/values';
import { AlarmWebhookDriver, HOURS_OPTION } from './alarm-retention';
import { PERSIST_OPTION } from './doctor';

const TABLE = 'alarms';
/** Columns of `alarms` that identify an alarm and date it. */
const VITRAGE_ID_COLUMN = 4;
const UPDATE_TIMESTAMP_COLUMN = 5;

/** `%Y-%m-%dT%H:%M:%SZ` of a date, in UTC. */
function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Moves `resource`'s keys to the top level as `resource_<key>`. */
function flattenAlarm(alarm: Record<string, unknown>, received: string): Record<string, unknown> {
  const { resource, ...rest } = alarm;
  const out: Record<string, unknown> = { ...rest };
  if (isRecord(resource)) for (const [k, v] of Object.entries(resource)) out[`resource_${k}`] = v;
  out.receive_timestamp = received;
  return out;
}

const field = (fieldname: string, col?: string) => (col === undefined ? { fieldname, translator: VALUE } : { fieldname, col, translator: VALUE });

/** Vitrage's one table, in the original's column order. */
export const VITRAGE_TRANSLATORS: readonly TableTranslator[] = [
  {
    'translation-type': 'HDICT',
    'table-name': TABLE,
    'selector-type': 'DICT_SELECTOR',
    'field-translators': [
      field('name'),
      field('state'),
      field('vitrage_type', 'type'),
      field('vitrage_operational_severity', 'operational_severity'),
      field('vitrage_id'),
      field('update_timestamp'),
      field('receive_timestamp'),
      field('resource_name'),
      field('resource_id'),
      field('resource_vitrage_id'),
      field('resource_project_id'),
      field('resource_vitrage_operational_state', 'resource_operational_state'),
      field('resource_vitrage_type', 'resource_type'),
    ],
  },
];

class VitrageDriver extends AlarmWebhookDriver {
  constructor(context: DriverContext) {
    super(context, VITRAGE_TRANSLATORS);
  }

  override webhook(body: unknown): Promise<void> {
    return this.serialized(async () => {
      // D18: a malformed notification is the client's error (400), not the original's 500.
      if (!isRecord(body) || !isRecord(body.payload)) throw errors.badPush('the notification lacks an object payload');
      const alarm = body.payload;
      if (!Object.hasOwn(alarm, 'vitrage_id')) throw errors.badPush('the notification payload lacks field vitrage_id');
      const now = this.now();
      const translated = this.translateBody(TABLE, [flattenAlarm(alarm, timestamp(now))]);
      const added = (translated.get(TABLE) ?? []).map(rowToCongress);
      const id = added.length > 0 ? added[0][VITRAGE_ID_COLUMN] : null;
      const kept = this.state.rows(TABLE).filter((row: Row) => row[VITRAGE_ID_COLUMN] !== id);
      await this.applyTables([[TABLE, [...kept, ...added]]]);
    });
  }

  /** Drops alarms last updated before `oldest`. */
  protected async dropAlarmsBefore(oldest: number): Promise<void> {
    const rows = this.state.rows(TABLE);
    const kept = rows.filter((row) => !expired(row, oldest));
    if (kept.length !== rows.length) await this.applyTables([[TABLE, kept]]);
  }
}

/** An alarm last updated before `oldest` (ms); rows without a readable time are kept. */
function expired(row: Row, oldest: number): boolean {
  const t = row[UPDATE_TIMESTAMP_COLUMN];
  if (typeof t !== 'string') return false;
  const ms = Date.parse(t);
  return Number.isFinite(ms) && ms < oldest;
}

/** The `vitrage` driver definition. */
export const vitrageDriver: DriverDefinition = {
  id: 'vitrage',
  description: 'Datasource driver that accepts Vitrage webhook alarm notifications.',
  options: [PERSIST_OPTION, HOURS_OPTION],
  schema: () => schemaOf(VITRAGE_TRANSLATORS),
  create: (context) => new VitrageDriver(context),
};

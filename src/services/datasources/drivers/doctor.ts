/**
 * The `doctor` push driver (spec §3.3): OPNFV Doctor inspector events pushed as whole-table
 * replacements of `events`. Each event's `details` are flattened into the row; an event without
 * `details` rejects the whole push (400) and changes nothing.
 */
import { isRecord } from '../../../bus/json';
import { parsePersistData, type ConfigOption } from '../framework/config';
import type { DriverContext, DriverDefinition } from '../framework/driver';
import { PushDriver } from '../framework/push-driver';
import { schemaOf } from '../translation/schema';
import { TranslationError } from '../translation/translate';
import { VALUE, type TableTranslator } from '../translation/translator';

function flattenEvents(raw: unknown): unknown {
  if (!Array.isArray(raw)) return raw;
  return raw.map((event: unknown, i) => {
    if (!isRecord(event) || !isRecord(event.details)) throw new TranslationError(`row ${i} lacks field details`);
    const { details, ...rest } = event;
    return { ...rest, ...details };
  });
}

/** Doctor's one table. */
export const DOCTOR_TRANSLATORS: readonly TableTranslator[] = [
  {
    'translation-type': 'HDICT',
    'table-name': 'events',
    'selector-type': 'DICT_SELECTOR',
    'objects-extract-fn': flattenEvents,
    'field-translators': ['time', 'type', 'hostname', 'status', 'monitor', 'monitor_event_id'].map((fieldname) => ({ fieldname, translator: VALUE })),
  },
];

/** `persist_data`, default on (a deliberate divergence: the original defaults to off). */
export const PERSIST_OPTION: ConfigOption = { name: 'persist_data', required: false, type: 'boolean', default: true };

class DoctorDriver extends PushDriver {
  constructor(context: DriverContext) {
    super(context, DOCTOR_TRANSLATORS, parsePersistData(context.config.persist_data, true));
  }
}

/** The `doctor` driver definition. */
export const doctorDriver: DriverDefinition = {
  id: 'doctor',
  description: 'Datasource driver that allows external systems to push data in accordance with OPNFV Doctor Inspector southbound interface specification.',
  options: [PERSIST_OPTION],
  schema: () => schemaOf(DOCTOR_TRANSLATORS),
  create: (context) => new DoctorDriver(context),
};

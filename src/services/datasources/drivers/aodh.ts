/**
 * The `aodh` driver (spec §11): telemetry alarms from the `alarming` service, one `alarms`
 * table with the original's fifteen columns. Aodh answers `GET /v2/alarms` with a bare array.
 * List-valued fields (`time_constraints`, the `*_actions` lists) become text as the original
 * shows them (Python's `str()`, `toNative`), so existing policies compare against the same values.
 */
import { argString, type ActionSpec } from '../framework/actions';
import type { DriverContext, DriverDefinition } from '../framework/driver';
import { OpenStackDriver, openstackOptions, ServiceClient } from '../openstack/openstack-driver';
import { schemaOf } from '../translation/schema';
import { valueFields, type TableTranslator } from '../translation/translator';

const ALARM_FIELDS = [
  'alarm_id',
  'name',
  'state',
  'enabled',
  'type',
  'description',
  'time_constraints',
  'user_id',
  'project_id',
  'alarm_actions',
  'ok_actions',
  'insufficient_data_actions',
  'repeat_actions',
  'timestamp',
  'state_timestamp',
];

/** Aodh's root translator. */
export const AODH_TRANSLATORS: readonly TableTranslator[] = [
  {
    'translation-type': 'HDICT',
    'table-name': 'alarms',
    'selector-type': 'DICT_SELECTOR',
    'field-translators': valueFields(ALARM_FIELDS),
  },
];

const alarmArg = { name: 'alarm_id', description: 'ID of the alarm' };
const alarm = (a: Parameters<ActionSpec<ServiceClient>['run']>[1]): string => encodeURIComponent(argString(a, 0, 'alarm_id'));

/** Aodh's action catalogue (aodhclient v2 manager names). */
export const AODH_ACTIONS: readonly ActionSpec<ServiceClient>[] = [
  { name: 'alarm.delete', description: 'Delete an alarm.', args: [alarmArg], run: (c, a, s) => c.call('DELETE', `/v2/alarms/${alarm(a)}`, undefined, s) },
  {
    name: 'alarm.set_state',
    description: 'Set the state of an alarm.',
    args: [alarmArg, { name: 'state', description: 'ok, alarm or insufficient data' }],
    run: (c, a, s) => c.call('PUT', `/v2/alarms/${alarm(a)}/state`, argString(a, 1, 'state'), s),
  },
];

/** An aodh datasource. */
class AodhDriver extends OpenStackDriver<ServiceClient> {
  private readonly alarming: ServiceClient;

  constructor(context: DriverContext) {
    super(context, AODH_TRANSLATORS, AODH_ACTIONS);
    const c = (this.alarming = new ServiceClient(this.session, { types: ['alarming'], interfaces: ['public'] }, this.http.maxPages));
    this.registerFetcher('alarms', (s) => c.getArray('/v2/alarms', s));
  }

  protected actionClient(): ServiceClient {
    return this.alarming;
  }
}

/** The `aodh` driver definition. */
export const aodhDriver: DriverDefinition = {
  id: 'aodh',
  description: 'Datasource driver that interfaces with aodh.',
  options: openstackOptions(),
  schema: () => schemaOf(AODH_TRANSLATORS),
  create: (context) => new AodhDriver(context),
};

/**
 * The `heat` driver (spec §11): stacks, software deployments, and each stack's resources and
 * events from the catalog's `orchestration` service, with the links tables the original declares.
 * A resource or event carries the id of its stack in `stack_id`, as the original adds it.
 */
import { isRecord } from '../../../bus/json';
import { argString, type ActionSpec } from '../framework/actions';
import type { DriverContext, DriverDefinition } from '../framework/driver';
import { OpenStackDriver, openstackOptions, ServiceClient } from '../openstack/openstack-driver';
import { schemaOf } from '../translation/schema';
import { valueFields, type TableTranslator } from '../translation/translator';

/** A `links` list of one object, as its own table under the object's key. */
function links(table: string, parentKey: string): TableTranslator {
  return {
    'translation-type': 'HDICT',
    'table-name': table,
    'parent-key': parentKey,
    'selector-type': 'DICT_SELECTOR',
    'in-list': true,
    'field-translators': valueFields(['href', 'rel']),
  };
}

/** Heat's root translators, in poll order. */
export const HEAT_TRANSLATORS: readonly TableTranslator[] = [
  {
    'translation-type': 'HDICT',
    'table-name': 'stacks',
    'selector-type': 'DOT_SELECTOR',
    'field-translators': [
      ...valueFields(['id', 'stack_name', 'description', 'creation_time', 'updated_time', 'stack_status', 'stack_status_reason', 'stack_owner', 'parent']),
      { fieldname: 'links', translator: links('stacks_links', 'id') },
    ],
  },
  {
    'translation-type': 'HDICT',
    'table-name': 'deployments',
    'selector-type': 'DOT_SELECTOR',
    'field-translators': [
      ...valueFields(['status', 'server_id', 'config_id', 'action', 'status_reason', 'id']),
      {
        fieldname: 'output_values',
        translator: {
          'translation-type': 'HDICT',
          'table-name': 'deployment_output_values',
          'parent-key': 'id',
          'selector-type': 'DICT_SELECTOR',
          'field-translators': valueFields(['deploy_stdout', 'deploy_stderr', 'deploy_status_code', 'result']),
        },
      },
    ],
  },
  {
    'translation-type': 'HDICT',
    'table-name': 'resources',
    'selector-type': 'DICT_SELECTOR',
    'field-translators': [
      ...valueFields([
        'physical_resource_id',
        'logical_resource_id',
        'stack_id',
        'resource_name',
        'resource_type',
        'creation_time',
        'updated_time',
        'resource_status',
        'resource_status_reason',
      ]),
      { fieldname: 'links', translator: links('resources_links', 'physical_resource_id') },
    ],
  },
  {
    'translation-type': 'HDICT',
    'table-name': 'events',
    'selector-type': 'DICT_SELECTOR',
    'field-translators': [
      ...valueFields(['id', 'physical_resource_id', 'logical_resource_id', 'stack_id', 'resource_name', 'event_time', 'resource_status', 'resource_status_reason']),
      { fieldname: 'links', translator: links('events_links', 'id') },
    ],
  },
];

const stackArg = { name: 'stack_id', description: 'ID of the stack' };

/** Heat's action catalogue (heatclient manager names). */
export const HEAT_ACTIONS: readonly ActionSpec<ServiceClient>[] = [
  {
    name: 'stacks.delete',
    description: 'Delete a stack.',
    args: [stackArg],
    run: (c, a, s) => c.call('DELETE', `/stacks/${encodeURIComponent(argString(a, 0, 'stack_id'))}`, undefined, s),
  },
];

/** A heat datasource. */
class HeatDriver extends OpenStackDriver<ServiceClient> {
  private readonly orchestration: ServiceClient;

  constructor(context: DriverContext) {
    super(context, HEAT_TRANSLATORS, HEAT_ACTIONS);
    const c = (this.orchestration = new ServiceClient(this.session, { types: ['orchestration'], interfaces: ['public'] }, this.http.maxPages));
    this.registerFetcher('stacks', (s) => c.list('/stacks', 'stacks', 'none', s));
    this.registerFetcher('deployments', (s) => c.list('/software_deployments', 'software_deployments', 'none', s));
    this.registerFetcher('resources', (s) => this.perStack(c, 'resources', s));
    this.registerFetcher('events', (s) => this.perStack(c, 'events', s));
  }

  /** `resources` or `events` of every stack, each labelled with its stack's id. */
  private async perStack(c: ServiceClient, kind: 'resources' | 'events', signal: AbortSignal): Promise<unknown[]> {
    const out: unknown[] = [];
    for (const stack of await c.list('/stacks', 'stacks', 'none', signal)) {
      if (!isRecord(stack) || typeof stack.id !== 'string') continue;
      for (const item of await c.list(`/stacks/${encodeURIComponent(stack.id)}/${kind}`, kind, 'none', signal)) {
        out.push(isRecord(item) ? { ...item, stack_id: stack.id } : item);
      }
    }
    return out;
  }

  protected actionClient(): ServiceClient {
    return this.orchestration;
  }
}

/** The `heat` driver definition. */
export const heatDriver: DriverDefinition = {
  id: 'heat',
  description: 'Datasource driver that interfaces with OpenStack orchestration aka heat.',
  options: openstackOptions(),
  schema: () => schemaOf(HEAT_TRANSLATORS),
  create: (context) => new HeatDriver(context),
};

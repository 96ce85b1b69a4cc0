/**
 * The `cinder` driver (spec §6.4): volumes (with attachments), snapshots and services. It talks
 * to Block Storage v3 and uses v2 only when the catalog has no v3 entry; the response fields the
 * tables read are the same in both.
 */
import { argString, type ActionSpec } from '../framework/actions';
import type { DriverContext, DriverDefinition } from '../framework/driver';
import { OpenStackDriver, openstackOptions, ServiceClient } from '../openstack/openstack-driver';
import { schemaOf } from '../translation/schema';
import { valueFields, type TableTranslator } from '../translation/translator';

/** Cinder's root translators, in poll order. */
export const CINDER_TRANSLATORS: readonly TableTranslator[] = [
  {
    'translation-type': 'HDICT',
    'table-name': 'volumes',
    'selector-type': 'DOT_SELECTOR',
    'field-translators': [
      ...valueFields([
        'id',
        'size',
        'user_id',
        'status',
        'description',
        'name',
        'bootable',
        'created_at',
        'volume_type',
        'encrypted',
        'availability_zone',
        'replication_status',
        'multiattach',
        'snapshot_id',
        'source_volid',
        'consistencygroup_id',
        'migration_status',
      ]),
      {
        fieldname: 'attachments',
        translator: {
          'translation-type': 'HDICT',
          'table-name': 'attachments',
          'parent-key': 'id',
          'parent-col-name': 'volume_id',
          'parent-key-desc': 'UUID of volume',
          'selector-type': 'DICT_SELECTOR',
          'in-list': true,
          'field-translators': valueFields(['server_id', 'attachment_id', 'host_name', 'device']),
        },
      },
    ],
  },
  {
    'translation-type': 'HDICT',
    'table-name': 'snapshots',
    'selector-type': 'DOT_SELECTOR',
    'field-translators': valueFields(['id', 'size', 'status', 'volume_id', 'name', 'created_at']),
  },
  {
    'translation-type': 'HDICT',
    'table-name': 'services',
    'selector-type': 'DOT_SELECTOR',
    'field-translators': valueFields(['status', 'binary', 'zone', 'state', 'updated_at', 'host', 'disabled_reason']),
  },
];

const volumeArg = { name: 'volume', description: 'ID of the volume' };
const vol = (a: Parameters<ActionSpec<ServiceClient>['run']>[1]): string => encodeURIComponent(argString(a, 0, 'volume'));

/** Cinder's action catalogue (cinderclient manager names). */
export const CINDER_ACTIONS: readonly ActionSpec<ServiceClient>[] = [
  { name: 'volumes.delete', description: 'Delete a volume.', args: [volumeArg], run: (c, a, s) => c.call('DELETE', `/volumes/${vol(a)}`, undefined, s) },
  {
    name: 'volumes.extend',
    description: 'Extend the size of the specified volume.',
    args: [volumeArg, { name: 'new_size', description: 'The new size of the volume (GB)' }],
    run: (c, a, s) => c.call('POST', `/volumes/${vol(a)}/action`, { 'os-extend': { new_size: Number(argString(a, 1, 'new_size')) } }, s),
  },
  {
    name: 'volumes.reset_state',
    description: 'Update the provided volume with the provided state.',
    args: [volumeArg, { name: 'state', description: 'The state to set' }],
    run: (c, a, s) => c.call('POST', `/volumes/${vol(a)}/action`, { 'os-reset_status': { status: argString(a, 1, 'state') } }, s),
  },
  {
    name: 'volumes.set_metadata',
    description: 'Update/Set a volume\'s metadata.',
    args: [volumeArg, { name: 'metadata', description: 'A dict (or JSON text) of metadata to set' }],
    run: (c, a, s) => {
      const raw = a.positional[1] ?? a.named.metadata;
      const metadata: unknown = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
      return c.call('POST', `/volumes/${vol(a)}/metadata`, { metadata }, s);
    },
  },
  {
    name: 'volume_snapshots.delete',
    description: 'Delete a snapshot.',
    args: [{ name: 'snapshot', description: 'ID of the snapshot' }],
    run: (c, a, s) => c.call('DELETE', `/snapshots/${encodeURIComponent(argString(a, 0, 'snapshot'))}`, undefined, s),
  },
  ...(['enable', 'disable'] as const).map(
    (op): ActionSpec<ServiceClient> => ({
      name: `services.${op}`,
      description: `${op === 'enable' ? 'Enable' : 'Disable'} the service specified by hostname and binary.`,
      args: [
        { name: 'host', description: 'Name of host' },
        { name: 'binary', description: 'Service binary' },
      ],
      run: (c, a, s) => c.call('PUT', `/os-services/${op}`, { host: argString(a, 0, 'host'), binary: argString(a, 1, 'binary') }, s),
    }),
  ),
];

/** A cinder datasource. */
class CinderDriver extends OpenStackDriver<ServiceClient> {
  private readonly volume: ServiceClient;

  constructor(context: DriverContext) {
    super(context, CINDER_TRANSLATORS, CINDER_ACTIONS);
    const c = (this.volume = new ServiceClient(this.session, { types: ['volumev3', 'block-storage', 'volumev2'], interfaces: ['public'] }, this.http.maxPages));
    this.registerFetcher('volumes', (s) => c.list('/volumes/detail?all_tenants=1', 'volumes', 'links', s));
    this.registerFetcher('snapshots', (s) => c.list('/snapshots/detail?all_tenants=1', 'snapshots', 'links', s));
    this.registerFetcher('services', (s) => c.list('/os-services', 'services', 'none', s));
  }

  protected actionClient(): ServiceClient {
    return this.volume;
  }
}

/** The `cinder` driver definition. */
export const cinderDriver: DriverDefinition = {
  id: 'cinder',
  description: 'Datasource driver that interfaces with OpenStack cinder.',
  options: openstackOptions(),
  schema: () => schemaOf(CINDER_TRANSLATORS),
  create: (context) => new CinderDriver(context),
};

/**
 * The `keystone` driver: the original's driver for the Keystone v2.0 API (keystoneclient's
 * `v2_0` client), beside `keystonev3`. It authenticates with `POST <auth_url>/tokens` scoped to
 * `tenant_name` and reads users, roles (`OS-KSADM`) and tenants from the identity endpoint of the
 * v2.0 catalog, the admin one as keystoneclient did (the public one when there is none). Keystone
 * itself dropped this API in its Queens release; the driver is for clouds that still serve it and
 * for datasources an original Congress stored with it.
 */
import { argString, coerceValue, type ActionArgs, type ActionSpec } from '../framework/actions';
import type { DriverContext, DriverDefinition } from '../framework/driver';
import { OpenStackDriver, openstackOptions, ServiceClient } from '../openstack/openstack-driver';
import { schemaOf } from '../translation/schema';
import { VALUE, type TableTranslator } from '../translation/translator';

function table(name: string, fields: string[]): TableTranslator {
  return {
    'translation-type': 'HDICT',
    'table-name': name,
    'selector-type': 'DOT_SELECTOR',
    'field-translators': fields.map((fieldname) => ({ fieldname, translator: VALUE })),
  };
}

/** The original's root translators, in its poll order and column order. */
export const KEYSTONE_V2_TRANSLATORS: readonly TableTranslator[] = [
  table('users', ['username', 'name', 'enabled', 'tenantId', 'id', 'email']),
  table('roles', ['id', 'name']),
  table('tenants', ['enabled', 'description', 'name', 'id']),
];

const id = (args: ActionArgs, i: number, name: string): string => encodeURIComponent(argString(args, i, name));

/** keystoneclient v2.0 methods the original exposed as actions, by their client names. */
export const KEYSTONE_V2_ACTIONS: readonly ActionSpec<ServiceClient>[] = [
  {
    name: 'users.delete',
    description: 'Delete a user.',
    args: [{ name: 'user', description: 'ID of the user' }],
    run: (c, a, s) => c.call('DELETE', `/users/${id(a, 0, 'user')}`, undefined, s),
  },
  {
    name: 'users.update_enabled',
    description: 'Enable or disable a user.',
    args: [
      { name: 'user', description: 'ID of the user' },
      { name: 'enabled', description: 'True or False' },
    ],
    run: (c, a, s) => c.call('PUT', `/users/${id(a, 0, 'user')}/OS-KSADM/enabled`, { user: { enabled: coerceValue(a.positional[1] ?? a.named.enabled) === true } }, s),
  },
  {
    name: 'tenants.delete',
    description: 'Delete a tenant.',
    args: [{ name: 'tenant', description: 'ID of the tenant' }],
    run: (c, a, s) => c.call('DELETE', `/tenants/${id(a, 0, 'tenant')}`, undefined, s),
  },
  {
    name: 'roles.remove_user_role',
    description: "Remove a role from a user's roles on a tenant.",
    args: [
      { name: 'user', description: 'ID of the user' },
      { name: 'role', description: 'ID of the role' },
      { name: 'tenant', description: 'ID of the tenant' },
    ],
    run: (c, a, s) => c.call('DELETE', `/tenants/${id(a, 2, 'tenant')}/users/${id(a, 0, 'user')}/roles/OS-KSADM/${id(a, 1, 'role')}`, undefined, s),
  },
];

/** A keystone (v2.0) datasource. */
class KeystoneV2Driver extends OpenStackDriver<ServiceClient> {
  private readonly identity: ServiceClient;

  constructor(context: DriverContext) {
    super(context, KEYSTONE_V2_TRANSLATORS, KEYSTONE_V2_ACTIONS, '2');
    const c = (this.identity = new ServiceClient(this.session, { types: ['identity'], interfaces: ['admin', 'public'] }, this.http.maxPages));
    this.registerFetcher('users', (s) => c.list('/users', 'users', 'none', s));
    this.registerFetcher('roles', (s) => c.list('/OS-KSADM/roles', 'roles', 'none', s));
    this.registerFetcher('tenants', (s) => c.list('/tenants', 'tenants', 'none', s));
  }

  protected actionClient(): ServiceClient {
    return this.identity;
  }
}

/** The `keystone` driver definition. */
export const keystoneDriver: DriverDefinition = {
  id: 'keystone',
  description: 'Datasource driver that interfaces with keystone.',
  options: openstackOptions(),
  schema: () => schemaOf(KEYSTONE_V2_TRANSLATORS),
  create: (context) => new KeystoneV2Driver(context),
};

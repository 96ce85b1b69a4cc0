/**
 * The `keystonev3` driver (spec §6.3): users, roles, projects and domains through the identity
 * endpoint (the `admin` interface as the original, falling back to `public`), and a small
 * explicit action catalogue.
 */
import { argString, coerceValue, type ActionSpec } from '../framework/actions';
import type { DriverContext, DriverDefinition } from '../framework/driver';
import { OpenStackDriver, openstackOptions, ServiceClient } from '../openstack/openstack-driver';
import { schemaOf } from '../translation/schema';
import { VALUE, type TableTranslator } from '../translation/translator';

function table(name: string, fields: [string, string][]): TableTranslator {
  return {
    'translation-type': 'HDICT',
    'table-name': name,
    'selector-type': 'DOT_SELECTOR',
    'field-translators': fields.map(([fieldname, desc]) => ({ fieldname, desc, translator: VALUE })),
  };
}

/** Keystone's root translators, in poll order (note `id` last in projects and domains). */
export const KEYSTONE_TRANSLATORS: readonly TableTranslator[] = [
  table('users', [
    ['id', 'The ID for the user.'],
    ['name', 'username, unique within domain'],
    ['enabled', 'user is enabled or not'],
    ['default_project_id', 'ID of the default project for the user'],
    ['domain_id', 'The ID of the domain for the user.'],
  ]),
  table('roles', [
    ['id', 'role ID'],
    ['name', 'role name'],
  ]),
  table('projects', [
    ['enabled', 'project is enabled or not'],
    ['description', 'project description'],
    ['name', 'project name'],
    ['domain_id', 'The ID of the domain for the project'],
    ['id', 'ID for the project'],
  ]),
  table('domains', [
    ['enabled', 'domain is enabled or disabled'],
    ['description', 'domain description'],
    ['name', 'domain name'],
    ['id', 'domain ID'],
  ]),
];

const id = (args: Parameters<ActionSpec<ServiceClient>['run']>[1], i: number, name: string): string => encodeURIComponent(argString(args, i, name));

/** Keystone's action catalogue (`users.update_enabled` is an addition). */
export const KEYSTONE_ACTIONS: readonly ActionSpec<ServiceClient>[] = [
  {
    name: 'users.delete',
    description: 'Delete a user.',
    args: [{ name: 'user', description: 'ID of the user' }],
    run: (c, a, s) => c.call('DELETE', `/users/${id(a, 0, 'user')}`, undefined, s),
  },
  {
    name: 'users.update_enabled',
    description: 'Enable or disable a user (addition: not in the original).',
    args: [
      { name: 'user', description: 'ID of the user' },
      { name: 'enabled', description: 'True or False' },
    ],
    run: (c, a, s) => c.call('PATCH', `/users/${id(a, 0, 'user')}`, { user: { enabled: coerceValue(a.positional[1] ?? a.named.enabled) === true } }, s),
  },
  {
    name: 'projects.delete',
    description: 'Delete a project.',
    args: [{ name: 'project', description: 'ID of the project' }],
    run: (c, a, s) => c.call('DELETE', `/projects/${id(a, 0, 'project')}`, undefined, s),
  },
  {
    name: 'roles.revoke',
    description: 'Revoke a role from a user on a project.',
    args: [
      { name: 'role', description: 'ID of the role' },
      { name: 'user', description: 'ID of the user' },
      { name: 'project', description: 'ID of the project' },
    ],
    run: (c, a, s) => c.call('DELETE', `/projects/${id(a, 2, 'project')}/users/${id(a, 1, 'user')}/roles/${id(a, 0, 'role')}`, undefined, s),
  },
];


/** A keystonev3 datasource. */
class KeystoneV3Driver extends OpenStackDriver<ServiceClient> {
  private readonly identity: ServiceClient;

  constructor(context: DriverContext) {
    super(context, KEYSTONE_TRANSLATORS, KEYSTONE_ACTIONS);
    // keystoneclient's default interface is admin; modern clouds often register only public.
    const c = (this.identity = new IdentityClient(this.session, this.http.maxPages));
    for (const name of ['users', 'roles', 'projects', 'domains']) this.registerFetcher(name, (s) => c.list(`/${name}`, name, 'none', s));
  }

  protected actionClient(): ServiceClient {
    return this.identity;
  }
}

/** The identity service client: resolves the catalog URL to its v3 root. */
class IdentityClient extends ServiceClient {
  constructor(session: ServiceClient['session'], maxPages: number) {
    super(session, { types: ['identity'], interfaces: ['admin', 'public'] }, maxPages);
  }

  override async call(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<unknown> {
    return super.call(method, await this.versioned(path, signal), body, signal);
  }

  override async list(path: string, key: string, paging: 'none', signal?: AbortSignal): Promise<unknown[]> {
    return super.list(await this.versioned(path, signal), key, paging, signal);
  }

  private async versioned(path: string, signal?: AbortSignal): Promise<string> {
    const base = await this.session.endpoint(this.service, signal);
    return /\/v3\/?$/.test(base) ? path : `/v3${path}`;
  }
}

/** The `keystonev3` driver definition. */
export const keystonev3Driver: DriverDefinition = {
  id: 'keystonev3',
  description: 'Datasource driver that interfaces with keystone.',
  options: openstackOptions(),
  schema: () => schemaOf(KEYSTONE_TRANSLATORS),
  create: (context) => new KeystoneV3Driver(context),
};

/**
 * The `swift` driver (spec §11): object storage containers and objects from the catalog's
 * `object-store` service (the account URL). Swift answers listings as bare JSON arrays of at
 * most 10,000 entries; the driver pages with `marker`, as swiftclient does, and reads each
 * container's objects, which it labels with `container_name`.
 *
 * Differences from the original: every page of the container listing counts (it kept only the
 * last page), and an account without objects gives an empty `objects` table (it translated a
 * tuple of both lists).
 */
import { argString, type ActionSpec } from '../framework/actions';
import type { DriverContext, DriverDefinition } from '../framework/driver';
import { OpenStackDriver, openstackOptions, ServiceClient } from '../openstack/openstack-driver';
import { UpstreamError } from '../openstack/http';
import { schemaOf } from '../translation/schema';
import { valueFields, type TableTranslator } from '../translation/translator';

/** Swift's root translators, in poll order. */
export const SWIFT_TRANSLATORS: readonly TableTranslator[] = [
  { 'translation-type': 'HDICT', 'table-name': 'containers', 'selector-type': 'DICT_SELECTOR', 'field-translators': valueFields(['count', 'bytes', 'name']) },
  {
    'translation-type': 'HDICT',
    'table-name': 'objects',
    'selector-type': 'DICT_SELECTOR',
    'field-translators': valueFields(['bytes', 'last_modified', 'hash', 'name', 'content_type', 'container_name']),
  },
];

/** Entries per listing page (Swift's own maximum). */
const PAGE = 10_000;

const containerArg = { name: 'container', description: 'Name of the container' };

/** Swift's action catalogue (swiftclient service names). */
export const SWIFT_ACTIONS: readonly ActionSpec<ServiceClient>[] = [
  {
    name: 'delete',
    description: 'Delete an object, or an empty container when no object is given.',
    args: [containerArg, { name: 'object', description: 'Name of the object (optional)' }],
    run: (c, a, s) => {
      const container = encodeURIComponent(argString(a, 0, 'container'));
      const object = a.positional.length > 1 ? argString(a, 1, 'object') : '';
      return c.call('DELETE', object === '' ? `/${container}` : `/${container}/${object.split('/').map(encodeURIComponent).join('/')}`, undefined, s);
    },
  },
];

function nameOf(entry: unknown): string {
  if (typeof entry === 'object' && entry !== null && typeof (entry as { name?: unknown }).name === 'string') return (entry as { name: string }).name;
  throw new UpstreamError('malformed', `a Swift listing entry without a name: ${JSON.stringify(entry)}`);
}

/** A swift datasource. */
class SwiftDriver extends OpenStackDriver<ServiceClient> {
  private readonly store: ServiceClient;

  constructor(context: DriverContext) {
    super(context, SWIFT_TRANSLATORS, SWIFT_ACTIONS);
    const c = (this.store = new ServiceClient(this.session, { types: ['object-store'], interfaces: ['public'] }, this.http.maxPages));
    this.registerFetcher('containers', (s) => this.listing(c, '', s));
    this.registerFetcher('objects', async (s) => {
      const objects: unknown[] = [];
      for (const container of await this.listing(c, '', s)) {
        const name = nameOf(container);
        for (const o of await this.listing(c, `/${encodeURIComponent(name)}`, s)) objects.push({ ...(o as object), container_name: name });
      }
      return objects;
    });
  }

  /** A whole listing of the account (`''`) or of a container, page by page. */
  private async listing(c: ServiceClient, path: string, signal: AbortSignal): Promise<unknown[]> {
    const all: unknown[] = [];
    for (let page = 0, marker = ''; ; page++) {
      if (page >= this.http.maxPages) throw new UpstreamError('malformed', `GET ${path || '/'}: more than ${this.http.maxPages} pages; giving up`);
      const query = `?format=json&limit=${PAGE}${marker === '' ? '' : `&marker=${encodeURIComponent(marker)}`}`;
      const entries = await c.getArray(`${path}${query}`, signal);
      all.push(...entries);
      if (entries.length < PAGE) return all;
      marker = nameOf(entries[entries.length - 1]);
    }
  }

  protected actionClient(): ServiceClient {
    return this.store;
  }
}

/** The `swift` driver definition. */
export const swiftDriver: DriverDefinition = {
  id: 'swift',
  description: 'Datasource driver that interfaces with swift.',
  options: openstackOptions(),
  schema: () => schemaOf(SWIFT_TRANSLATORS),
  create: (context) => new SwiftDriver(context),
};

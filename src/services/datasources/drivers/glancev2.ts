/**
 * The `glancev2` driver (spec §6.5): images and their tags. Like glanceclient it fetches the
 * image schema once per driver life, then pages through `/v2/images` following `next`, which is
 * a path appended to the catalog URL.
 */
import { argString, type ActionSpec } from '../framework/actions';
import type { DriverContext, DriverDefinition } from '../framework/driver';
import { OpenStackDriver, openstackOptions, ServiceClient } from '../openstack/openstack-driver';
import { schemaOf } from '../translation/schema';
import { VALUE, type TableTranslator } from '../translation/translator';

/** Images are listed 20 at a time, as glanceclient did in the original's era. */
const PAGE_SIZE = 20;

const IMAGE_FIELDS: [string, string][] = [
  ['id', 'UUID of image'],
  ['status', 'The image status'],
  ['name', 'Image Name'],
  ['container_format', 'The container format of image'],
  ['created_at', 'The date and time when the resource was created'],
  ['updated_at', 'The date and time when the resource was updated.'],
  ['disk_format', 'The disk format of the image.'],
  ['owner', 'The ID of the owner or tenant of the image'],
  ['protected', 'Indicates whether the image can be deleted.'],
  ['min_ram', 'minimum amount of RAM in MB required to boot the image'],
  ['min_disk', 'minimum disk size in GB required to boot the image'],
  ['checksum', 'Hash of the image data used'],
  ['size', 'The size of the image data, in bytes.'],
  ['file', 'URL for the virtual machine image file'],
  ['kernel_id', 'kernel id'],
  ['ramdisk_id', 'ramdisk id'],
  ['schema', 'URL for schema of the virtual machine image'],
  ['visibility', 'The image visibility'],
];

/** Glance's root translator. */
export const GLANCE_TRANSLATORS: readonly TableTranslator[] = [
  {
    'translation-type': 'HDICT',
    'table-name': 'images',
    'selector-type': 'DICT_SELECTOR',
    'field-translators': [
      ...IMAGE_FIELDS.map(([fieldname, desc]) => ({ fieldname, desc, translator: VALUE })),
      {
        fieldname: 'tags',
        translator: {
          'translation-type': 'LIST',
          'table-name': 'tags',
          'parent-key': 'id',
          'parent-col-name': 'image_id',
          'parent-key-desc': 'UUID of image',
          'val-col': 'tag',
          'val-col-desc': 'List of image tags',
          translator: VALUE,
        },
      },
    ],
  },
];

const image = (a: Parameters<ActionSpec<ServiceClient>['run']>[1]): string => encodeURIComponent(argString(a, 0, 'image_id'));
const imageArg = { name: 'image_id', description: 'ID of the image' };
const tagArg = { name: 'tag_value', description: 'The tag' };

/** Glance's action catalogue (glanceclient manager names). */
export const GLANCE_ACTIONS: readonly ActionSpec<ServiceClient>[] = [
  { name: 'images.delete', description: 'Delete an image.', args: [imageArg], run: (c, a, s) => c.call('DELETE', `/v2/images/${image(a)}`, undefined, s) },
  { name: 'images.deactivate', description: 'Deactivate an image.', args: [imageArg], run: (c, a, s) => c.call('POST', `/v2/images/${image(a)}/actions/deactivate`, undefined, s) },
  { name: 'images.reactivate', description: 'Reactivate an image.', args: [imageArg], run: (c, a, s) => c.call('POST', `/v2/images/${image(a)}/actions/reactivate`, undefined, s) },
  {
    name: 'image_tags.update',
    description: 'Update an image with the given tag.',
    args: [imageArg, tagArg],
    run: (c, a, s) => c.call('PUT', `/v2/images/${image(a)}/tags/${encodeURIComponent(argString(a, 1, 'tag_value'))}`, undefined, s),
  },
  {
    name: 'image_tags.delete',
    description: 'Delete the tag associated with the given image.',
    args: [imageArg, tagArg],
    run: (c, a, s) => c.call('DELETE', `/v2/images/${image(a)}/tags/${encodeURIComponent(argString(a, 1, 'tag_value'))}`, undefined, s),
  },
];

/** Drops the `self` link, as glanceclient does; the tables never read it. */
function withoutSelf(images: unknown[]): unknown[] {
  return images.map((i) => {
    if (typeof i !== 'object' || i === null || Array.isArray(i)) return i;
    const { self: _self, ...rest } = i as Record<string, unknown>;
    return rest;
  });
}

/** A glancev2 datasource. */
class GlanceV2Driver extends OpenStackDriver<ServiceClient> {
  private readonly image: ServiceClient;
  private schemaFetched = false;

  constructor(context: DriverContext) {
    super(context, GLANCE_TRANSLATORS, GLANCE_ACTIONS);
    const c = (this.image = new ServiceClient(this.session, { types: ['image'], interfaces: ['public'] }, this.http.maxPages));
    this.registerFetcher('images', async (s) => {
      if (!this.schemaFetched) {
        await c.getObject('/v2/schemas/image', s);
        this.schemaFetched = true;
      }
      return withoutSelf(await c.list(`/v2/images?limit=${PAGE_SIZE}`, 'images', 'next-path', s));
    });
  }

  protected actionClient(): ServiceClient {
    return this.image;
  }
}

/** The `glancev2` driver definition. */
export const glancev2Driver: DriverDefinition = {
  id: 'glancev2',
  description: 'Datasource driver that interfaces with OpenStack Images aka Glance.',
  options: openstackOptions(),
  schema: () => schemaOf(GLANCE_TRANSLATORS),
  create: (context) => new GlanceV2Driver(context),
};

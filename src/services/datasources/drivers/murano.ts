/**
 * The `murano` driver: the application catalog's object model as the original's driver laid it
 * out. Packages, environments, their services (and each service's instance) and the default
 * network of their deployments become `objects` with their `parent_types` (murano's class
 * hierarchy), flattened `properties` (dotted keys, one row per list item), `relationships`
 * (properties whose value is another object's UUID), their transitive closure `connected`, and
 * the environments' `states`. An action runs an enabled action of a deployed object
 * (`env_id, object_id, action_name`), as the original's `execute` did whatever the action's name.
 */
import { isRecord } from '../../../bus/json';
import { pythonStr } from '../../../datalog/python-text';
import { Float } from '../../../datalog/value';
import { argString, type ActionArgs, type ActionSpec } from '../framework/actions';
import type { DriverContext, DriverDefinition } from '../framework/driver';
import { OpenStackDriver, openstackOptions, ServiceClient } from '../openstack/openstack-driver';
import { UpstreamError } from '../openstack/http';
import { schemaOf } from '../translation/schema';
import { VALUE, type TableTranslator } from '../translation/translator';

/** The original's get_schema(), in its order. */
const TABLES: readonly (readonly [string, readonly string[]])[] = [
  ['objects', ['object_id', 'owner_id', 'type']],
  ['parent_types', ['id', 'parent_type']],
  ['properties', ['owner_id', 'name', 'value']],
  ['relationships', ['source_id', 'target_id', 'name']],
  ['connected', ['source_id', 'target_id']],
  ['states', ['id', 'state']],
];

/** Each table is a root of row objects the poll assembles (the original built its tables by hand). */
export const MURANO_TRANSLATORS: readonly TableTranslator[] = TABLES.map(([name, columns]) => ({
  'translation-type': 'HDICT',
  'table-name': name,
  'selector-type': 'DICT_SELECTOR',
  'field-translators': columns.map((fieldname) => ({ fieldname, translator: VALUE })),
}));

type Scalar = string | number | boolean | Float;
type Obj = Record<string, unknown>;

const ENVIRONMENT = 'io.murano.Environment';
const OBJECT = 'io.murano.Object';
const APPLICATION = 'io.murano.Application';
const INSTANCE = 'io.murano.resources.Instance';
const LINUX_INSTANCE = 'io.murano.resources.LinuxInstance';
const NETWORK = 'io.murano.resources.Network';

/** murano_classes: each known type with its ancestors, root first. */
const CLASS_CHAINS = new Map<string, readonly string[]>([
  [OBJECT, [OBJECT]],
  [ENVIRONMENT, [OBJECT, ENVIRONMENT]],
  [APPLICATION, [OBJECT, APPLICATION]],
  [INSTANCE, [OBJECT, INSTANCE]],
  [LINUX_INSTANCE, [OBJECT, INSTANCE, LINUX_INSTANCE]],
  ['io.murano.resources.LinuxMuranoInstance', [OBJECT, INSTANCE, LINUX_INSTANCE, 'io.murano.resources.LinuxMuranoInstance']],
  ['io.murano.resources.WindowsInstance', [OBJECT, INSTANCE, 'io.murano.resources.WindowsInstance']],
  [NETWORK, [OBJECT, NETWORK]],
  ['io.murano.resources.NeutronNetwork', [OBJECT, NETWORK, 'io.murano.resources.NeutronNetwork']],
]);

/** Class names of applications whose package is gone are recognised by these prefixes. */
const APP_TYPE_PREFIXES = ['io.murano.apps', 'io.murano.databases'];

/** oslo's uuidutils.is_uuid_like: 32 hex digits once `urn:`, `uuid:`, braces and dashes are dropped. */
function isUuidLike(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const bare = value.replace(/urn:/g, '').replace(/uuid:/g, '').replace(/^\{+|\}+$/g, '').replace(/-/g, '');
  return /^[0-9a-fA-F]{32}$/.test(bare);
}

/** Rows of one table, each once (the original kept sets). */
class RowSet {
  private readonly rows = new Map<string, Scalar[]>();

  add(...row: Scalar[]): void {
    this.rows.set(JSON.stringify(row), row);
  }

  list(): Scalar[][] {
    return [...this.rows.values()];
  }
}

/** An enabled or disabled action of a deployed object. */
interface ObjectAction {
  readonly objectId: string;
  readonly actionId: string;
  readonly name: string;
  readonly enabled: boolean;
}

/** One poll's tables, built as the original's update_from_datasource built them. */
class MuranoModel {
  readonly objects = new RowSet();
  readonly parentTypes = new RowSet();
  readonly properties = new RowSet();
  readonly relationships = new RowSet();
  readonly states = new RowSet();
  readonly actions = new Map<string, ObjectAction[]>();
  /** The first package declaring each class, and each package's type. */
  private readonly packageOfClass = new Map<string, string>();
  private readonly packageType = new Map<string, string>();
  private readonly objectOwners: [string, string][] = [];

  addObject(id: string, owner: string, type: string): void {
    this.objects.add(id, owner, type);
    this.objectOwners.push([id, owner]);
  }

  addPackage(pkg: Obj): void {
    const id = String(pkg.id);
    const type = pkg.type === 'Application' ? APPLICATION : String(pkg.type);
    this.addObject(id, String(pkg.owner_id), type);
    if (typeof pkg.type === 'string') this.packageType.set(id, pkg.type);
    if (Array.isArray(pkg.class_definitions)) for (const c of pkg.class_definitions) if (typeof c === 'string' && !this.packageOfClass.has(c)) this.packageOfClass.set(c, id);
    for (const [key, value] of Object.entries(pkg)) if (key !== 'id' && key !== 'owner_id' && key !== 'description') this.addProperties(id, key, value);
  }

  addEnvironment(env: Obj): void {
    const id = String(env.id);
    this.addObject(id, String(env.tenant_id), ENVIRONMENT);
    this.states.add(id, String(env.status));
    this.addParentTypes(id, ENVIRONMENT);
    for (const [key, value] of Object.entries(env)) if (key !== 'id' && key !== 'tenant_id') this.addProperties(id, key, value);
  }

  addServices(envId: string, services: readonly unknown[]): void {
    const envActions: ObjectAction[] = [];
    this.actions.set(envId, envActions);
    for (const s of services) {
      if (!isRecord(s) || !isRecord(s['?'])) continue;
      const id = String(s['?'].id);
      const type = String(s['?'].type);
      this.addObject(id, envId, type);
      for (const [key, value] of Object.entries(s)) {
        if (key === 'instance' || key === '?') continue;
        this.addProperties(id, key, value);
        this.addRelationship(id, key, value);
      }
      this.addParentTypes(id, type);
      this.addRelationship(envId, 'services', id);
      this.addActions(s['?'], envActions);
      const instance = s.instance;
      if (!isRecord(instance) || !isRecord(instance['?'])) continue;
      const instanceId = String(instance['?'].id);
      const instanceType = String(instance['?'].type);
      this.addObject(instanceId, id, instanceType);
      for (const [key, value] of Object.entries(instance)) {
        if (key === '?') continue;
        this.addProperties(instanceId, key, value);
        // No murano object stands for a Glance image: that id relates to nothing here.
        if (key !== 'image') this.addRelationship(instanceId, key, value);
      }
      this.addRelationship(id, 'instance', instanceId);
      this.addParentTypes(instanceId, instanceType);
      this.addActions(instance['?'], envActions);
    }
  }

  addDeployments(envId: string, deployments: readonly unknown[]): void {
    for (const d of deployments) {
      const networks = isRecord(d) && isRecord(d.description) ? d.description.defaultNetworks : undefined;
      if (!isRecord(networks)) continue;
      const environment = networks.environment;
      if (!isRecord(environment) || !isRecord(environment['?'])) continue;
      const netId = String(environment['?'].id);
      const netType = String(environment['?'].type);
      this.addObject(netId, envId, netType);
      this.addParentTypes(netId, netType);
      for (const [key, value] of Object.entries(environment)) if (key !== '?') this.addProperties(netId, key, value);
      this.addRelationship(envId, 'defaultNetworks', netId);
      for (const [key, value] of Object.entries(networks)) if (key !== 'environment') this.addProperties(netId, `defaultNetworks.${key}`, value);
    }
  }

  /** Pairs linked by a relationship or by ownership of a related object, closed transitively. */
  connected(): Scalar[][] {
    const edges = new Set<string>();
    const out = new Map<string, Set<string>>();
    const add = (a: string, b: string): void => {
      const key = JSON.stringify([a, b]);
      if (edges.has(key)) return;
      edges.add(key);
      let s = out.get(a);
      if (s === undefined) out.set(a, (s = new Set()));
      s.add(b);
    };
    for (const [source, target] of this.relationships.list() as string[][]) {
      for (const [object, owner] of this.objectOwners) {
        if (owner !== target) continue;
        add(target, object);
        add(source, object);
      }
      add(source, target);
    }
    // Reachability from every source over the pairs found.
    const rows: Scalar[][] = [];
    for (const start of out.keys()) {
      const seen = new Set<string>();
      const stack = [...(out.get(start) ?? [])];
      while (stack.length > 0) {
        const next = stack.pop()!;
        if (seen.has(next)) continue;
        seen.add(next);
        rows.push([start, next]);
        for (const n of out.get(next) ?? []) if (!seen.has(n)) stack.push(n);
      }
    }
    return rows;
  }

  private addActions(meta: Obj, into: ObjectAction[]): void {
    const actions = meta._actions;
    if (!isRecord(actions)) return;
    for (const [actionId, value] of Object.entries(actions)) {
      const a = isRecord(value) ? value : {};
      into.push({ objectId: String(meta.id), actionId, name: typeof a.name === 'string' ? a.name : '', enabled: a.enabled === true });
    }
  }

  /** Dotted keys for nested objects, one row per list item; None and '' are left out. */
  private addProperties(owner: string, key: string, value: unknown): void {
    if (value === null || value === undefined || value === '') return;
    if (isRecord(value)) {
      for (const [k, v] of Object.entries(value)) this.addProperties(owner, `${key}.${k}`, v);
    } else if (Array.isArray(value)) {
      // The original put a nested item into its row set as it was, which failed the whole poll
      // (a dict is unhashable); it is kept here as Python prints it.
      for (const item of value) this.properties.add(owner, key, scalar(item));
    } else {
      this.properties.add(owner, key, scalar(value));
    }
  }

  private addRelationship(source: string, name: string, target: unknown): void {
    if (isUuidLike(target)) this.relationships.add(source, target, name);
  }

  private addParentTypes(id: string, type: string): void {
    for (const t of this.typeChain(type)) this.parentTypes.add(id, t);
  }

  /** The type's ancestors and itself; an application class gets Object and Application above it. */
  private typeChain(type: string): readonly string[] {
    const known = CLASS_CHAINS.get(type);
    if (known !== undefined) return known;
    return this.isApplication(type) ? [OBJECT, APPLICATION, type] : [];
  }

  private isApplication(className: string): boolean {
    const pkg = this.packageOfClass.get(className);
    const type = pkg === undefined ? undefined : this.packageType.get(pkg);
    if (type !== undefined) return type === 'Application';
    return APP_TYPE_PREFIXES.some((p) => className.includes(p));
  }
}

function scalar(v: unknown): Scalar {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Float ? v : pythonStr(v);
}

/** The client murano actions run with: the catalog service and the last poll's actions. */
class MuranoClient extends ServiceClient {
  actions = new Map<string, ObjectAction[]>();
}

const RUN_OBJECT_ACTION = 'object_action';

/** The one action: run a deployed object's action by its name. */
export const MURANO_ACTIONS: readonly ActionSpec<MuranoClient>[] = [
  {
    name: RUN_OBJECT_ACTION,
    description: "Run an object's action in a murano environment (any action name runs this, as in the original).",
    args: [
      { name: 'environment_id', description: 'ID of the environment' },
      { name: 'object_id', description: 'ID of the object' },
      { name: 'action_name', description: 'name of the action, e.g. restartVM' },
    ],
    run: async (c, a: ActionArgs, s) => {
      const env = argString(a, 0, 'environment_id');
      const object = argString(a, 1, 'object_id');
      const name = argString(a, 2, 'action_name');
      const found = (c.actions.get(env) ?? []).filter((x) => x.objectId === object && x.name === name && x.enabled);
      if (found.length === 0) throw new UpstreamError('http', `no enabled action ${name} of object ${object} in environment ${env} (as of the last poll)`);
      const tasks: unknown[] = [];
      for (const x of found) tasks.push(await c.call('POST', `/v1/environments/${encodeURIComponent(env)}/actions/${encodeURIComponent(x.actionId)}`, {}, s));
      return tasks.length === 1 ? tasks[0] : tasks;
    },
  },
];

/** A murano datasource. */
class MuranoDriver extends OpenStackDriver<MuranoClient> {
  private readonly catalog: MuranoClient;

  constructor(context: DriverContext) {
    super(context, MURANO_TRANSLATORS, MURANO_ACTIONS);
    const c = (this.catalog = new MuranoClient(this.session, { types: ['application-catalog'], interfaces: ['public'] }, this.http.maxPages));
    this.registerModelFetchers(
      TABLES.map(([name]) => name),
      (signal) => this.fetchModel(c, signal),
    );
  }

  override execute(action: string, args: ActionArgs): Promise<unknown> {
    return super.execute(RUN_OBJECT_ACTION, args);
  }

  protected actionClient(): MuranoClient {
    return this.catalog;
  }

  private async fetchModel(c: MuranoClient, signal: AbortSignal): Promise<Map<string, Obj[]>> {
    const model = new MuranoModel();
    // Packages first: the services' parent types depend on which classes are applications.
    for (const pkg of await packages(c, signal)) if (isRecord(pkg)) model.addPackage(pkg);
    const environments = (await c.list('/v1/environments', 'environments', 'none', signal)).filter(isRecord);
    for (const env of environments) model.addEnvironment(env);
    for (const env of environments) model.addServices(String(env.id), await c.getArray(`/v1/environments/${encodeURIComponent(String(env.id))}/services`, signal));
    for (const env of environments) model.addDeployments(String(env.id), await c.list(`/v1/environments/${encodeURIComponent(String(env.id))}/deployments`, 'deployments', 'none', signal));
    c.actions = model.actions;
    const rows = (name: string, list: Scalar[][]): [string, Obj[]] => {
      const columns = TABLES.find(([t]) => t === name)![1];
      return [name, list.map((r) => Object.fromEntries(columns.map((col, i) => [col, r[i]])))];
    };
    return new Map([
      rows('objects', model.objects.list()),
      rows('parent_types', model.parentTypes.list()),
      rows('properties', model.properties.list()),
      rows('relationships', model.relationships.list()),
      rows('connected', model.connected()),
      rows('states', model.states.list()),
    ]);
  }
}

/** Every package, page by page (`next_marker`), as muranoclient's generator walked them. */
async function packages(c: ServiceClient, signal: AbortSignal): Promise<unknown[]> {
  const out: unknown[] = [];
  let marker: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const body: Obj = await c.getObject(marker === null ? '/v1/catalog/packages' : `/v1/catalog/packages?marker=${encodeURIComponent(marker)}`, signal);
    if (!Array.isArray(body.packages)) throw new UpstreamError('malformed', 'GET /v1/catalog/packages: expected a list under "packages"');
    out.push(...body.packages);
    marker = typeof body.next_marker === 'string' && body.next_marker !== '' && body.packages.length > 0 ? body.next_marker : null;
    if (marker === null) return out;
  }
  throw new UpstreamError('malformed', 'GET /v1/catalog/packages: more than 1000 pages; giving up');
}

/**
 * The `murano` driver definition: the OpenStack options without `lazy_tables`, and columns
 * declared by bare names (the API shows their description as "None"), as the original.
 */
export const muranoDriver: DriverDefinition = {
  id: 'murano',
  description: 'Datasource driver that interfaces with murano',
  options: openstackOptions().filter((o) => o.name !== 'lazy_tables'),
  schema: () => schemaOf(MURANO_TRANSLATORS).map((t) => ({ ...t, columns: t.columns.map((c) => ({ ...c, bare: true as const })) })),
  create: (context) => new MuranoDriver(context),
};

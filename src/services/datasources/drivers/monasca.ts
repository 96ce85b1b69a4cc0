/**
 * The `monasca` driver (spec §11): metrics with their dimensions, and the last day's average of
 * every metric name, from the catalog's `monitoring` service (Monasca API v2.0). Statistics are
 * asked for per metric name with the period set to `poll_time` (3600 seconds when unset), as the
 * original does; unlike the original, which kept only the last name's answer, every name's
 * statistics are kept. Each statistics row is `[timestamp, avg]`, shown as the original shows a
 * list (Python's `str()`).
 */
import { isRecord } from '../../../bus/json';
import type { ActionSpec } from '../framework/actions';
import type { DriverContext, DriverDefinition } from '../framework/driver';
import { OpenStackDriver, openstackOptions, ServiceClient } from '../openstack/openstack-driver';
import { schemaOf } from '../translation/schema';
import { VALUE, type TableTranslator } from '../translation/translator';

/** Monasca's root translators, in poll order. */
export const MONASCA_TRANSLATORS: readonly TableTranslator[] = [
  {
    'translation-type': 'HDICT',
    'table-name': 'metrics',
    'selector-type': 'DICT_SELECTOR',
    'field-translators': [
      { fieldname: 'id', translator: VALUE },
      { fieldname: 'name', translator: VALUE },
      {
        fieldname: 'dimensions',
        translator: { 'translation-type': 'VDICT', 'table-name': 'dimensions', 'id-col': 'id', 'key-col': 'key', 'val-col': 'value', translator: VALUE },
      },
    ],
  },
  {
    'translation-type': 'HDICT',
    'table-name': 'statistics',
    'selector-type': 'DICT_SELECTOR',
    'field-translators': [
      { fieldname: 'name', translator: VALUE },
      {
        fieldname: 'statistics',
        translator: { 'translation-type': 'LIST', 'table-name': 'statistics.data', 'id-col': 'name', 'val-col': 'value_col', translator: VALUE },
      },
    ],
  },
];

/** The original's statistics period when `poll_time` is not set (seconds). */
const DEFAULT_PERIOD = 3600;

/** The monasca driver offers no actions of its own (the original exposed monascaclient's). */
const MONASCA_ACTIONS: readonly ActionSpec<ServiceClient>[] = [];

function periodOf(raw: unknown): number {
  const n = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : DEFAULT_PERIOD;
}

/** A monasca datasource. */
class MonascaDriver extends OpenStackDriver<ServiceClient> {
  private readonly monitoring: ServiceClient;

  constructor(context: DriverContext) {
    super(context, MONASCA_TRANSLATORS, MONASCA_ACTIONS);
    const service = { types: ['monitoring'], interfaces: ['public'] };
    const c = (this.monitoring = new ServiceClient(this.session, service, this.http.maxPages));
    const period = periodOf(context.config.poll_time);
    // Monasca is registered in the catalog with its version (`http://host:8070/v2.0`), and
    // monascaclient appends only the resource; a catalog URL without it gets it added.
    const metrics = async (s?: AbortSignal): Promise<string> => (/\/v2\.0\/*$/.test(await this.session.endpoint(service, s)) ? '/metrics' : '/v2.0/metrics');
    this.registerFetcher('metrics', async (s) => c.list(await metrics(s), 'elements', 'none', s));
    this.registerFetcher('statistics', async (s) => {
      const since = new Date(this.now().getTime() - 24 * 3600_000).toISOString();
      const base = await metrics(s);
      const out: unknown[] = [];
      for (const metric of await c.list(`${base}/names`, 'elements', 'none', s)) {
        if (!isRecord(metric) || typeof metric.name !== 'string') continue;
        const query = new URLSearchParams({ start_time: since, name: metric.name, statistics: 'avg', period: String(period), merge_metrics: 'true' });
        out.push(...(await c.list(`${base}/statistics?${query.toString()}`, 'elements', 'none', s)));
      }
      return out;
    });
  }

  protected actionClient(): ServiceClient {
    return this.monitoring;
  }
}

/** The `monasca` driver definition. */
export const monascaDriver: DriverDefinition = {
  id: 'monasca',
  description: 'Datasource driver that interfaces with monasca.',
  options: openstackOptions(),
  schema: () => schemaOf(MONASCA_TRANSLATORS),
  create: (context) => new MonascaDriver(context),
};

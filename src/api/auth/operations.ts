/**
 * Names every API request after what it does, for authorisation (D15: every route is checked,
 * with meaningful names such as `get_policies` or `create_rules`) and for the route label of
 * metrics. Matching mirrors the route table: the whole path against each route's pattern.
 */
import type { Route } from '../routing';

/** The resource part of operation names, by route pattern. */
const RESOURCES: Readonly<Record<string, string>> = {
  '/v1/policies': 'policies',
  '/v1/policies/:policy': 'policies',
  '/v1/policies/:policy/status': 'policy_status',
  '/v1/policies/:policy/rules': 'rules',
  '/v1/policies/:policy/rules/:rule': 'rules',
  '/v1/policies/:policy/rules/:rule/status': 'rule_status',
  '/v1/policies/:policy/tables': 'policy_tables',
  '/v1/policies/:policy/tables/:table': 'policy_tables',
  '/v1/policies/:policy/tables/:table/rows': 'policy_rows',
  '/v1/data-sources': 'data-sources',
  '/v1/data-sources/:ds': 'data-sources',
  '/v1/data-sources/:ds/schema': 'data-source_schema',
  '/v1/data-sources/:ds/status': 'data-source_status',
  '/v1/data-sources/:ds/actions': 'data-source_actions',
  '/v1/data-sources/:ds/tables': 'data-source_tables',
  '/v1/data-sources/:ds/tables/:table': 'data-source_tables',
  '/v1/data-sources/:ds/tables/:table/spec': 'data-source_table_spec',
  '/v1/data-sources/:ds/tables/:table/rows': 'data-source_rows',
  '/v1/data-sources/:ds/webhook': 'data-source_webhook',
  '/v1/data-sources/:ds/tables/:table/webhook': 'data-source_webhook',
  '/v1/system/drivers': 'drivers',
  '/v1/system/drivers/:driver': 'drivers',
  '/v1/librarypolicies': 'librarypolicies',
  '/v1/librarypolicies/:id': 'librarypolicies',
};

/** A route found for a path. */
export interface MatchedRoute {
  /** The route's pattern, e.g. `/v1/policies/:policy/rules`: a bounded label. */
  readonly template: string;
  readonly kind: Route['kind'];
  /** The resource part of its operation names. */
  readonly resource: string;
}

/** A route the API serves that has no entry above: named after its last literal segment. */
function resourceOf(path: string): string {
  return RESOURCES[path] ?? path.split('/').filter((s) => s !== '' && !s.startsWith(':')).pop() ?? 'root';
}

/** Finds the route of a path, the same way the route table does. */
export class RouteIndex {
  private readonly compiled: ReadonlyArray<{ readonly regex: RegExp; readonly match: MatchedRoute }>;

  constructor(routes: readonly Route[]) {
    this.compiled = routes.map((r) => ({
      regex: new RegExp(
        '^' +
          r.path
            .split('/')
            .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
            .join('/') +
          '$',
      ),
      match: { template: r.path, kind: r.kind, resource: resourceOf(r.path) },
    }));
  }

  /** The route serving `path`, or null when the API answers 404. */
  match(path: string): MatchedRoute | null {
    return this.compiled.find((c) => c.regex.test(path))?.match ?? null;
  }
}

/**
 * The operation a request performs on a matched route: `get_`, `create_`, `update_` or
 * `delete_` plus the resource, or `<action>_<resource>` for `POST …?action=<action>`. Null for
 * requests no handler performs (OPTIONS, an action POST without exactly one action): those
 * fail on their own without touching data.
 */
export function operationName(route: MatchedRoute, method: string, query: URLSearchParams): string | null {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return `get_${route.resource}`;
    case 'PUT':
    case 'PATCH':
      return `update_${route.resource}`;
    case 'DELETE':
      return `delete_${route.resource}`;
    case 'POST': {
      if (route.kind === 'collection') return `create_${route.resource}`;
      const actions = query.getAll('action');
      return actions.length === 1 ? `${actions[0]}_${route.resource}` : null;
    }
    default:
      return null;
  }
}

/** Operation names of API requests (D15: every route authorised, meaningful names). */
import { operationName, RouteIndex } from '../../../src/api/auth';
import type { Route } from '../../../src/api/routing';

const routes: Route[] = [
  { kind: 'collection', path: '/v1/policies' },
  { kind: 'element', path: '/v1/policies/:policy' },
  { kind: 'collection', path: '/v1/policies/:policy/rules' },
  { kind: 'element', path: '/v1/policies/:policy/rules/:rule' },
  { kind: 'collection', path: '/v1/data-sources/:ds/tables/:table/rows' },
  { kind: 'element', path: '/v1/data-sources/:ds' },
  { kind: 'collection', path: '/v1/data-sources/:ds/tables/:table/webhook' },
  { kind: 'collection', path: '/v1/future/things' },
];
const index = new RouteIndex(routes);

function nameOf(method: string, url: string): string | null {
  const u = new URL(url, 'http://x');
  const route = index.match(u.pathname);
  if (route === null) throw new Error(`no route for ${url}`);
  return operationName(route, method, u.searchParams);
}

describe('operation names', () => {
  it.each([
    ['GET', '/v1/policies', 'get_policies'],
    ['POST', '/v1/policies', 'create_policies'],
    ['GET', '/v1/policies/alpha', 'get_policies'],
    ['HEAD', '/v1/policies/alpha', 'get_policies'],
    ['DELETE', '/v1/policies/alpha', 'delete_policies'],
    ['POST', '/v1/policies/alpha?action=simulate', 'simulate_policies'],
    ['POST', '/v1/policies/alpha/rules', 'create_rules'],
    ['DELETE', '/v1/policies/alpha/rules/r1', 'delete_rules'],
    ['PUT', '/v1/data-sources/ds/tables/t/rows', 'update_data-source_rows'],
    ['PATCH', '/v1/policies/alpha', 'update_policies'],
    ['POST', '/v1/data-sources/ds?action=request-refresh', 'request-refresh_data-sources'],
    ['POST', '/v1/data-sources/_compute/tables/alarms/webhook', 'create_data-source_webhook'],
    ['GET', '/v1/future/things', 'get_things'],
  ])('%s %s is %s', (method, url, expected) => {
    expect(nameOf(method, url)).toBe(expected);
  });

  it('names no operation for requests no handler performs', () => {
    expect(nameOf('POST', '/v1/policies/alpha')).toBeNull();
    expect(nameOf('POST', '/v1/policies/alpha?action=a&action=b')).toBeNull();
    expect(nameOf('OPTIONS', '/v1/policies')).toBeNull();
  });

  it('matches whole paths only, as the route table does', () => {
    expect(index.match('/v1/policies/')).toBeNull();
    expect(index.match('/v1/policies/a/b')).toBeNull();
    expect(index.match('/v1/policies/a')?.template).toBe('/v1/policies/:policy');
  });
});

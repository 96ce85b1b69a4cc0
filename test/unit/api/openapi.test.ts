/**
 * `/v1/openapi.json` describes exactly the routes the server serves.
 */
import { openApiDocument } from '../../../src/api/openapi';
import type { Route } from '../../../src/api/routing';

const ok = async (): Promise<{ status: number }> => ({ status: 200 });

describe('OpenAPI document', () => {
  it('lists every route with its methods, path parameters and actions', () => {
    const routes: Route[] = [
      { kind: 'collection', path: '/v1/policies', list: ok, create: ok },
      { kind: 'element', path: '/v1/policies/:policy', get: ok, remove: ok, actions: { simulate: ok, execute: ok } },
      { kind: 'element', path: '/v1/policies/:policy/rules/:rule', get: ok },
    ];
    const doc = openApiDocument(routes, '1.2.3') as { openapi: string; info: { version: string }; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.0.3');
    expect(doc.info.version).toBe('1.2.3');
    expect(Object.keys(doc.paths)).toEqual(['/v1/policies', '/v1/policies/{policy}', '/v1/policies/{policy}/rules/{rule}']);
    expect(Object.keys(doc.paths['/v1/policies']).sort()).toEqual(['get', 'parameters', 'post']);
    expect(Object.keys(doc.paths['/v1/policies/{policy}']).sort()).toEqual(['delete', 'get', 'parameters', 'post']);
    const post = doc.paths['/v1/policies/{policy}'].post as { parameters: { name: string; schema: { enum: string[] } }[] };
    expect(post.parameters[0].schema.enum).toEqual(['simulate', 'execute']);
    const params = doc.paths['/v1/policies/{policy}/rules/{rule}'].parameters as { name: string }[];
    expect(params.map((p) => p.name)).toEqual(['policy', 'rule']);
  });
});

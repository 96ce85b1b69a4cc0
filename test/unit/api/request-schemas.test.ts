/**
 * Request bodies are validated by zod schemas and the same schemas are published as the
 * `requestBody` of `/v1/openapi.json`: every route that reads a body carries one, and a sample
 * body is accepted or refused alike by the document and by the server.
 */
import request from 'supertest';
import { z } from 'zod';
import { apiRoutes } from '../../../src/api/app';
import { openApiDocument } from '../../../src/api/openapi';
import type { Handler } from '../../../src/api/routing';
import { ruleBody } from '../../../src/api/schemas/rules';
import { answers, validated } from '../../../src/api/schemas/validate';
import type { DatasourceApi } from '../../../src/api/datasource-api';
import type { LibraryApi, PolicyEngineApi } from '../../../src/services/engine/types';
import { conforms, type Schema } from '../../support/json-schema';
import { errorOf, startHarness, type ApiHarness } from './support/harness';

jest.setTimeout(30_000);

type Operation = { requestBody?: { required: boolean; content: { 'application/json': { schema: Schema } } } };
type Document = { paths: Record<string, Record<string, Operation>> };

// Building the route table only captures its dependencies; none is called here.
const routes = apiRoutes({ engine: {} as PolicyEngineApi, library: {} as LibraryApi, datasources: {} as DatasourceApi });
const doc = openApiDocument(routes, 'test') as unknown as Document;

const bodySchema = (method: string, path: string): Schema => {
  const body = doc.paths[path]?.[method]?.requestBody;
  if (body === undefined) throw new Error(`${method} ${path} has no requestBody`);
  return body.content['application/json'].schema;
};

describe('the OpenAPI document', () => {
  it('carries a requestBody schema for every operation that reads a body', () => {
    const readers: string[] = [];
    const withBody = (h: Handler | undefined): boolean => h?.requestBody !== undefined;
    for (const route of routes) {
      const path = route.path.replace(/:([A-Za-z_]+)/g, '{$1}');
      const ops =
        route.kind === 'collection'
          ? { post: withBody(route.create), put: withBody(route.replace) }
          : { put: withBody(route.replace), post: Object.values(route.actions ?? {}).some(withBody) };
      for (const [method, reads] of Object.entries(ops)) {
        if (!reads) continue;
        readers.push(`${method} ${path}`);
        expect(bodySchema(method, path)).toEqual(expect.any(Object));
      }
    }
    // Every creation, replacement and body-reading action of the API.
    expect(readers.sort()).toEqual([
      'post /v1/data-sources',
      'post /v1/data-sources/{ds}',
      'post /v1/data-sources/{ds}/webhook',
      'post /v1/librarypolicies',
      'post /v1/policies',
      'post /v1/policies/{policy}',
      'post /v1/policies/{policy}/rules',
      'put /v1/data-sources/{ds}/tables/{table}/rows',
      'put /v1/librarypolicies/{id}',
    ]);
  });

  it('publishes the schema the route validates with', () => {
    expect(bodySchema('post', '/v1/policies/{policy}/rules')).toEqual(z.toJSONSchema(ruleBody, { target: 'openapi-3.0', io: 'input' }));
    expect(bodySchema('post', '/v1/policies/{policy}/rules')).toMatchObject({ type: 'object', required: ['rule'], properties: { rule: { type: 'string' } } });
    const actions = bodySchema('post', '/v1/policies/{policy}').anyOf ?? [];
    expect(actions.map((s) => (s as { title?: string }).title)).toEqual(['simulate', 'execute']);
    expect(doc.paths['/v1/data-sources/{ds}'].post.requestBody?.required).toBe(false); // request-refresh reads none
  });

  it("publishes the query parameters simulate reads, from the schema it reads them with", () => {
    const params = (doc.paths['/v1/policies/{policy}'].post as { parameters: { name: string; required: boolean; schema: Schema }[] }).parameters;
    expect(params.map((p) => [p.name, p.required])).toEqual([['action', true], ['delta', false], ['trace', false]]);
    expect(params[1].schema).toEqual({ type: 'string' });
  });
});

describe('document and server agree on sample bodies', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startHarness();
    await request(h.app).post('/v1/policies').send({ name: 'samples' });
  });
  afterAll(() => h.close());

  // [method, document path, request path, body, status the server answers, error_code when refused]
  const cases: [string, string, string, unknown, number, number | null][] = [
    ['post', '/v1/policies/{policy}/rules', '/v1/policies/samples/rules', { rule: 'p(x) :- q(x)', name: 'r1' }, 201, null],
    ['post', '/v1/policies/{policy}/rules', '/v1/policies/samples/rules', { comment: 'no rule' }, 400, 1002],
    ['post', '/v1/policies/{policy}/rules', '/v1/policies/samples/rules', { rule: ['p(1)'] }, 400, 1002],
    ['post', '/v1/policies', '/v1/policies', { name: 'fresh', abbreviation: 'fr' }, 201, null],
    ['post', '/v1/policies', '/v1/policies', { name: 'withrules', rules: [{ rule: 'q(1)' }] }, 201, null],
    ['post', '/v1/policies', '/v1/policies', { description: 'no name' }, 400, 1010],
    ['post', '/v1/policies', '/v1/policies', { name: 'long', abbreviation: 'toolong' }, 400, 1022],
    ['post', '/v1/policies', '/v1/policies', { name: 'badrules', rules: [{ rule: 7 }] }, 400, 400],
    ['post', '/v1/librarypolicies', '/v1/librarypolicies', { name: 'lib', rules: [{ rule: 'q(1)' }] }, 201, null],
    ['post', '/v1/librarypolicies', '/v1/librarypolicies', { name: 'lib2' }, 400, 400],
    ['post', '/v1/policies/{policy}', '/v1/policies/samples?action=simulate', { query: 'p(x)', sequence: 'q+(1)', action_policy: 'action' }, 200, null],
    ['post', '/v1/policies/{policy}', '/v1/policies/samples?action=simulate', { query: 'p(x)', sequence: 'q(1)' }, 400, 1004],
    ['post', '/v1/policies/{policy}', '/v1/policies/samples?action=execute', { name: 'nope', args: {} }, 400, 1017],
    // The unknown service `a` is found before the arguments are read (1016, as the original).
    ['post', '/v1/policies/{policy}', '/v1/policies/samples?action=execute', { name: 'a:b', args: { positional: 'x' } }, 400, 1016],
    ['post', '/v1/policies/{policy}', '/v1/policies/samples?action=execute', { name: 'a:b', args: [1] }, 400, 1018],
  ];

  it.each(cases)('%s %s %j', async (method, docPath, path, body, status, code) => {
    const r = await (method === 'put' ? request(h.app).put(path) : request(h.app).post(path)).send(body as object);
    expect(r.status).toBe(status);
    if (code !== null) expect(errorOf(r.body).error_code).toBe(code);
    expect(conforms(bodySchema(method, docPath), body)).toBe(code === null);
  });
});

describe('validated', () => {
  it('answers with the error of the first failed check, in declaration order', () => {
    const schema = z.object({ a: z.string(answers('rule_syntax', (v) => `a is ${String(v)}`)), b: z.string(answers('policy_name_must_be_provided')) });
    expect(() => validated(schema, { a: 1 })).toThrow(expect.objectContaining({ key: 'rule_syntax', detail: 'a is 1' }));
    expect(() => validated(schema, { a: 'x' })).toThrow(expect.objectContaining({ key: 'policy_name_must_be_provided', detail: null }));
  });

  it('answers 400 with zod wording for a check declared without a registry error', () => {
    expect(() => validated(z.object({ a: z.string() }), {})).toThrow(expect.objectContaining({ key: 'bad_request' }));
  });
});

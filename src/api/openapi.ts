/**
 * The OpenAPI 3 description of the REST API, derived from the same route table that serves
 * requests, so it cannot drift from what the server answers. Served at `GET /v1/openapi.json`.
 */
import type { RequestHandler } from 'express';
import type { JsonValue } from '../datalog/json';
import type { Route } from './routing';

type Obj = { [key: string]: JsonValue };

/** What each path segment means, for parameter descriptions. */
const PARAMETERS: Record<string, string> = {
  policy: 'policy name or id',
  rule: 'rule id or name',
  table: 'table name (`service:table` reads another policy)',
  ds: 'datasource name or id',
  datasource: 'datasource name or id',
  driver: 'driver id',
  library: 'library policy id',
  id: 'object id',
};

const errorSchema: Obj = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['message', 'error_code'],
      properties: {
        message: { type: 'string' },
        error_code: { type: 'integer', description: 'Congress error code (e.g. 1002 rule syntax) or the HTTP status' },
        error_data: { description: 'details, or null' },
      },
    },
  },
};

function jsonBody(description: string): Obj {
  return { description, content: { 'application/json': { schema: { type: 'object' } } } };
}

const errors: Obj = {
  '400': { $ref: '#/components/responses/Error' },
  '404': { $ref: '#/components/responses/Error' },
  '409': { $ref: '#/components/responses/Error' },
  '413': { $ref: '#/components/responses/Error' },
  '501': { $ref: '#/components/responses/Error' },
};

/** `/v1/policies/:policy/rules` -> `/v1/policies/{policy}/rules` and its parameters. */
function openApiPath(path: string): { path: string; parameters: JsonValue[] } {
  const parameters: JsonValue[] = [];
  const p = path.replace(/:([A-Za-z_]+)/g, (_m, name: string) => {
    parameters.push({ name, in: 'path', required: true, description: PARAMETERS[name] ?? name, schema: { type: 'string' } });
    return `{${name}}`;
  });
  return { path: p, parameters };
}

/** Builds the document for a route table. */
export function openApiDocument(routes: readonly Route[], version: string): Obj {
  const paths: Obj = {};
  for (const route of routes) {
    const { path, parameters } = openApiPath(route.path);
    const ops: Obj = { parameters };
    const op = (summary: string, status: string, extra: Obj = {}): Obj => ({
      summary,
      responses: { [status]: jsonBody('success'), ...errors },
      ...extra,
    });
    if (route.kind === 'collection') {
      if (route.list !== undefined) ops.get = op(`List ${path}`, '200');
      if (route.create !== undefined) ops.post = op(`Create in ${path}`, '201', { requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } } });
      if (route.replace !== undefined) ops.put = op(`Replace ${path}`, '200');
    } else {
      if (route.get !== undefined) ops.get = op(`Show ${path}`, '200');
      if (route.replace !== undefined) ops.put = op(`Replace ${path}`, '200');
      if (route.remove !== undefined) ops.delete = op(`Delete ${path}`, '200');
      const actions = Object.keys(route.actions ?? {});
      if (actions.length > 0) {
        ops.post = op(`Actions on ${path}: ${actions.join(', ')}`, '200', {
          parameters: [{ name: 'action', in: 'query', required: true, schema: { type: 'string', enum: actions } }],
          requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
        });
      }
    }
    paths[path] = ops;
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Congress REST API v1 (Congress-TS)',
      version,
      description: 'Policy as a service. Errors have the body {"error": {"message", "error_code", "error_data"}}; see docs/api.md.',
    },
    paths,
    components: { responses: { Error: { description: 'Congress error', content: { 'application/json': { schema: errorSchema } } } } },
  };
}

/** Serves the document at `GET /v1/openapi.json`. */
export function openApiRoute(routes: readonly Route[], version: string): RequestHandler {
  const text = JSON.stringify(openApiDocument(routes, version));
  return (req, res, next) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && req.path === '/v1/openapi.json') {
      res.status(200).type('application/json').send(text);
      return;
    }
    next();
  };
}

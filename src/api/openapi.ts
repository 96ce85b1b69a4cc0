/**
 * The OpenAPI 3 description of the REST API, derived from the same route table that serves
 * requests, so it cannot drift from what the server answers. Request bodies are the JSON
 * Schemas of the zod schemas the handlers validate with (schemas/). Served at
 * `GET /v1/openapi.json`.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { JsonValue } from '../datalog/json';
import type { Handler, Route } from './routing';

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

/** The JSON Schema of what a client may send; transforms are the server's business. */
function jsonSchema(schema: z.ZodType): Obj {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input' }) as Obj;
}

/** The `requestBody` of a handler that reads one. */
function requestBody(handler: Handler): Obj {
  if (handler.requestBody === undefined) return {};
  return { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(handler.requestBody) } } } };
}

/** The optional query parameters a handler reads; a schema's description describes the parameter. */
function queryParameters(handler: Handler): Obj[] {
  const shape: Readonly<Record<string, z.ZodType>> = handler.query?.shape ?? {};
  return Object.entries(shape).map(([name, schema]) => {
    const { description, ...rest } = jsonSchema(schema);
    return { name, in: 'query', required: false, ...(description === undefined ? {} : { description }), schema: rest };
  });
}

/**
 * Action bodies differ per action: one alternative per action that reads a body, titled by it.
 * The body is required only when every action reads one (`request-refresh` reads none).
 */
function actionsBody(actions: Readonly<Record<string, Handler>>): Obj {
  const handlers = Object.entries(actions);
  const bodies = handlers.flatMap(([name, h]) => (h.requestBody === undefined ? [] : [{ title: name, ...jsonSchema(h.requestBody) }]));
  if (bodies.length === 0) return {};
  const schema = bodies.length === 1 ? bodies[0] : { anyOf: bodies };
  return { requestBody: { required: bodies.length === handlers.length, content: { 'application/json': { schema } } } };
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
      if (route.create !== undefined) ops.post = op(`Create in ${path}`, '201', requestBody(route.create));
      if (route.replace !== undefined) ops.put = op(`Replace ${path}`, '200', requestBody(route.replace));
    } else {
      if (route.get !== undefined) ops.get = op(`Show ${path}`, '200');
      if (route.replace !== undefined) ops.put = op(`Replace ${path}`, '200', requestBody(route.replace));
      if (route.remove !== undefined) ops.delete = op(`Delete ${path}`, '200');
      const actions = Object.keys(route.actions ?? {});
      if (actions.length > 0) {
        ops.post = op(`Actions on ${path}: ${actions.join(', ')}`, '200', {
          parameters: [
            { name: 'action', in: 'query', required: true, schema: { type: 'string', enum: actions } },
            ...Object.values(route.actions ?? {}).flatMap(queryParameters),
          ],
          ...actionsBody(route.actions ?? {}),
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

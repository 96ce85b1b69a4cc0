/** Request processing: versions, routing, methods, bodies, request ids, hidden internal errors. */
import request from 'supertest';
import { createApiApp } from '../../../src/api';
import type { PolicyEngineApi } from '../../../src/services/engine';
import { errorOf, startHarness, type ApiHarness } from './support/harness';

jest.setTimeout(30_000);

let h: ApiHarness;
beforeAll(async () => {
  h = await startHarness({ maxBodyBytes: 2048 });
});
afterAll(() => h.close());

describe('versions', () => {
  test('GET / lists v1 with a link on the requested host', async () => {
    const r = await request(h.app).get('/').set('Host', 'example.test:1789');
    expect(r.status).toBe(200);
    expect(r.body.versions[0]).toMatchObject({ id: 'v1', status: 'CURRENT', updated: '2013-08-12T17:42:13Z' });
    expect(r.body.versions[0].links).toEqual([{ rel: 'self', href: 'http://example.test:1789/v1/' }]);
  });

  test('other paths outside /v1 answer 300 choices, any method', async () => {
    const r = await request(h.app).delete('/foo/bar/').set('Host', 'h:1');
    expect(r.status).toBe(300);
    expect(r.body.choices[0].links[0].href).toBe('http://h:1/v1/foo/bar');
  });

  test('/v1 and /v1/ describe v1 whatever the method', async () => {
    for (const p of ['/v1', '/v1/']) {
      const r = await request(h.app).post(p);
      expect(r.status).toBe(200);
      expect(r.body.version.id).toBe('v1');
      expect(r.body.version.links[1]).toEqual({ rel: 'describedby', type: 'text/html', href: 'http://congress.readthedocs.org/' });
    }
  });
});

describe('routing', () => {
  test('unknown paths below /v1 and trailing slashes are the generic 404', async () => {
    for (const p of ['/v1/nosuch', '/v1/policies/', '/v1/policies/a/tables/t/webhook']) {
      const r = await request(h.app).get(p);
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ error: { message: 'The resource could not be found.', error_code: 404, error_data: null } });
    }
  });

  test('unsupported methods are 501 Method not supported with an Allow header', async () => {
    const cases: [string, string][] = [
      ['delete', '/v1/policies'],
      ['put', '/v1/policies/classification'],
      ['patch', '/v1/policies/classification'],
      ['patch', '/v1/policies/classification/rules/x'],
      ['put', '/v1/policies/classification/tables/t/rows'],
    ];
    for (const [m, p] of cases) {
      const r = await (request(h.app) as unknown as Record<string, (p: string) => request.Test>)[m](p);
      expect({ m, p, status: r.status }).toEqual({ m, p, status: 501 });
      expect(errorOf(r.body)).toEqual({ message: 'Method not supported', error_code: 501, error_data: null });
      expect(r.headers.allow).toBeDefined();
    }
  });

  test('element POST needs exactly one known action', async () => {
    let r = await request(h.app).post('/v1/policies/classification').send({});
    expect(errorOf(r.body)).toEqual({ message: 'Missing required action parameter.', error_code: 400, error_data: null });
    r = await request(h.app).post('/v1/policies/classification?action=simulate&action=execute').send({});
    expect(errorOf(r.body).message).toBe('Action parameter may not be provided multiple times.');
    r = await request(h.app).post('/v1/policies/classification?action=bogus').send({});
    expect(r.status).toBe(501);
  });

  test('HEAD is served as GET without a body; OPTIONS answers 200', async () => {
    const head = await request(h.app).head('/v1/policies');
    expect(head.status).toBe(200);
    expect(head.text ?? '').toBe('');
    const options = await request(h.app).options('/v1/policies');
    expect(options.status).toBe(200);
  });

  test('every response carries a request id', async () => {
    for (const p of ['/', '/v1/policies', '/v1/nosuch']) {
      const r = await request(h.app).get(p);
      expect(r.headers['x-openstack-request-id']).toMatch(/^req-[0-9a-f-]{36}$/);
    }
  });

  test('each request is logged with method, path, status and duration', async () => {
    await request(h.app).get('/v1/policies/nosuch');
    expect(h.logs.some((l) => /^GET \/v1\/policies\/nosuch 404 \d+(\.\d)?ms$/.test(l))).toBe(true);
  });
});

describe('bodies', () => {
  const post = (body: string, type?: string): request.Test => {
    const t = request(h.app).post('/v1/policies');
    if (type !== undefined) t.set('Content-Type', type);
    return t.send(body);
  };

  test('content types other than JSON are refused, whatever the case of JSON', async () => {
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
      const r = await post('{"name":"ct1"}', type);
      expect(r.status).toBe(400);
      expect(errorOf(r.body).message).toBe("Unsupported Content-Type; must be 'application/json'");
    }
    const ok = await post('{"name":"ctok"}', 'APPLICATION/JSON; charset=UTF-8');
    expect(ok.status).toBe(201);
  });

  test('charsets other than UTF-8 are refused', async () => {
    for (const cs of ['utf8', 'utf-8']) expect((await post(`{"name":"cs_${cs.replace('-', '_')}"}`, `application/json; charset=${cs}`)).status).toBe(201);
    const r = await post('{"name":"latin"}', 'application/json; charset=latin-1');
    expect(errorOf(r.body)).toEqual({ message: "Unsupported charset: must be 'UTF-8'", error_code: 400, error_data: null });
  });

  test('malformed and empty JSON are 400 with the parse error', async () => {
    const r = await post('{"name": "x",', 'application/json');
    expect(r.status).toBe(400);
    expect(errorOf(r.body).message).toMatch(/^Failed to parse body as application\/json: .+/);
    const empty = await post('', 'application/json');
    expect(errorOf(empty.body).message).toBe('Failed to parse body as application/json: Expecting value: line 1 column 1 (char 0)');
  });

  test('an oversized body is 413 with a Congress error body', async () => {
    const r = await post(JSON.stringify({ name: 'big', description: 'x'.repeat(4000) }), 'application/json');
    expect(r.status).toBe(413);
    expect(errorOf(r.body)).toEqual({ message: 'Request is too large.', error_code: 413, error_data: null });
  });

  test('action bodies are parsed without a content-type check, and a bad one is a 400 (D12)', async () => {
    const r = await request(h.app).post('/v1/policies/classification?action=simulate').set('Content-Type', 'text/plain').send('not json');
    expect(r.status).toBe(400);
    expect(errorOf(r.body).message).toMatch(/^Failed to parse body as application\/json: /);
  });
});

test('an unexpected error is a bare 500 without internals, and is logged with its stack', async () => {
  const boom = (): never => {
    throw new TypeError('secret internal detail');
  };
  const engine = new Proxy({}, { get: () => boom }) as unknown as PolicyEngineApi;
  const logs: string[] = [];
  const app = createApiApp({
    engine,
    library: h.engine.library,
    datasources: { listDatasources: boom } as never,
    logger: { info: () => undefined, error: (m: string) => logs.push(m) },
  });
  const r = await request(app).get('/v1/policies');
  expect(r.status).toBe(500);
  expect(r.body).toEqual({ error: { message: 'Internal server error', error_code: 500, error_data: null } });
  expect(r.text).not.toContain('secret');
  expect(logs.join('\n')).toContain('secret internal detail');
});

/** `[cors]` on the real API application, with oslo.middleware's rules. */
import request from 'supertest';
import { startHarness, type ApiHarness } from './support/harness';

const POLICY = {
  allowedOrigins: ['https://dashboard.example.com'],
  allowCredentials: true,
  exposeHeaders: ['X-OpenStack-Request-ID'],
  maxAge: 3600,
  allowMethods: ['GET', 'POST', 'DELETE'],
  allowHeaders: ['X-Auth-Token'],
};

describe('CORS', () => {
  let h: ApiHarness;
  afterEach(() => h.close());

  test('an allowed origin gets its CORS headers on answers, errors included', async () => {
    h = await startHarness({ cors: POLICY });
    const ok = await request(h.app).get('/v1/policies').set('Origin', 'https://dashboard.example.com');
    expect(ok.status).toBe(200);
    expect(ok.headers).toMatchObject({
      'access-control-allow-origin': 'https://dashboard.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'X-OpenStack-Request-ID',
      vary: 'Origin',
    });
    const missing = await request(h.app).get('/v1/policies/nope').set('Origin', 'https://dashboard.example.com');
    expect(missing.status).toBe(404);
    expect(missing.headers['access-control-allow-origin']).toBe('https://dashboard.example.com');
  });

  test('another origin, or no Origin header, gets none', async () => {
    h = await startHarness({ cors: POLICY });
    const other = await request(h.app).get('/v1/policies').set('Origin', 'https://evil.example.com');
    expect(other.status).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect((await request(h.app).get('/v1/policies')).headers['access-control-allow-origin']).toBeUndefined();
  });

  test('a preflight for an allowed method and headers is answered 200 with the preflight headers', async () => {
    h = await startHarness({ cors: POLICY });
    const pre = await request(h.app)
      .options('/v1/policies')
      .set('Origin', 'https://dashboard.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'x-auth-token, content-type');
    expect(pre.status).toBe(200);
    expect(pre.text).toBe('');
    expect(pre.headers).toMatchObject({
      'access-control-allow-origin': 'https://dashboard.example.com',
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'x-auth-token,content-type',
      'access-control-max-age': '3600',
    });
  });

  test('a preflight asking for a method or header not allowed gets no CORS headers', async () => {
    h = await startHarness({ cors: POLICY });
    const put = await request(h.app).options('/v1/policies').set('Origin', 'https://dashboard.example.com').set('Access-Control-Request-Method', 'PUT');
    expect(put.status).toBe(200);
    expect(put.headers['access-control-allow-origin']).toBeUndefined();
    const header = await request(h.app)
      .options('/v1/policies')
      .set('Origin', 'https://dashboard.example.com')
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'X-Secret');
    expect(header.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('* allows any origin; no allowed origin (the default) means no CORS at all', async () => {
    h = await startHarness({ cors: { ...POLICY, allowedOrigins: ['*'] } });
    expect((await request(h.app).get('/v1/policies').set('Origin', 'https://any.example.com')).headers['access-control-allow-origin']).toBe('*');
    await h.close();
    h = await startHarness({ cors: { ...POLICY, allowedOrigins: [] } });
    expect((await request(h.app).get('/v1/policies').set('Origin', 'https://dashboard.example.com')).headers['access-control-allow-origin']).toBeUndefined();
  });
});

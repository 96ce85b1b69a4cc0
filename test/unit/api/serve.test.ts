/**
 * An express application served without the per-request prototype swap (`expressServing`):
 * express's helpers, settings, `res.locals`, errors and unmatched paths behave as under
 * `app.handle`, and requests keep the prototype they were born with.
 */
import http from 'node:http';
import express, { type ErrorRequestHandler } from 'express';
import request from 'supertest';
import { expressServing } from '../../../src/api/serve';

function serve(app: express.Express): http.Server {
  const s = expressServing(app);
  return http.createServer(s.options, s.listener);
}

test("express's request and response helpers and the app's settings work", async () => {
  const app = express();
  app.set('trust proxy', true);
  app.get('/hello/:who', (req, res) => {
    res.status(201).set('X-Protocol', req.protocol).json({ who: req.params.who, host: req.get('host'), path: req.path, url: req.originalUrl });
  });
  const r = await request(serve(app)).get('/hello/ann?x=1').set('X-Forwarded-Proto', 'https');
  expect(r.status).toBe(201);
  expect(r.headers['x-protocol']).toBe('https');
  expect(r.body).toEqual({ who: 'ann', host: expect.stringMatching(/^127\.0\.0\.1:\d+$/) as unknown, path: '/hello/ann', url: '/hello/ann?x=1' });
});

test('each response gets its own res.locals, and requests are not re-parented', async () => {
  const app = express();
  const protos = new Set<unknown>();
  app.use((req, res) => {
    protos.add(Object.getPrototypeOf(req));
    const seen = (res.locals.count as number | undefined) ?? 0;
    res.locals.count = seen + 1;
    res.send(String(res.locals.count));
  });
  const server = serve(app);
  for (let i = 0; i < 3; i++) expect((await request(server).get('/')).text).toBe('1');
  expect(protos.size).toBe(1);
  // Born with a class prototype that sits in front of the app's request object.
  const [proto] = [...protos];
  expect(proto).not.toBe(app.request);
  expect(Object.getPrototypeOf(proto)).toBe(app.request);
});

test("what no layer answers is Congress's 404, an unhandled error Congress's 500", async () => {
  const app = express();
  app.get('/boom', () => {
    throw new Error('boom');
  });
  // An error handler that passes the error on leaves it to the server's last resort.
  app.use(((err: unknown, _req, _res, next) => next(err)) as ErrorRequestHandler);
  const server = serve(app);
  const missing = await request(server).get('/nowhere');
  expect(missing.status).toBe(404);
  expect(missing.body).toEqual({ error: { message: 'The resource could not be found.', error_code: 404, error_data: null } });
  const failed = await request(server).get('/boom');
  expect(failed.status).toBe(500);
  expect(failed.body).toEqual({ error: { message: 'Internal server error', error_code: 500, error_data: null } });
  expect(failed.text).not.toContain('boom');
});

/**
 * The API's cross-cutting handlers run as one express layer (`chain`): in order, each passing
 * on with `next`, and every way a handler can fail reaching the error handler after the chain.
 */
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import request from 'supertest';
import { chain } from '../../../src/api/middleware';

function appWith(handlers: RequestHandler[]): express.Express {
  const app = express();
  app.use(chain(handlers));
  app.use(((err: unknown, _req, res, _next) => void res.status(418).send(`caught: ${err instanceof Error ? err.message : String(err)}`)) as ErrorRequestHandler);
  return app;
}

const mark = (name: string): RequestHandler => (_req, res, next) => {
  res.append('X-Seen', name);
  next();
};

test('handlers run in order and the first that answers ends the chain', async () => {
  const answer: RequestHandler = (_req, res) => void res.status(200).send('done');
  const r = await request(appWith([mark('a'), mark('b'), answer, mark('never')])).get('/x');
  expect(r.status).toBe(200);
  expect(r.text).toBe('done');
  expect(r.headers['x-seen']).toBe('a, b');
});

test('passing the end of the chain goes on to the next layer', async () => {
  const app = appWith([mark('a')]);
  app.use((_req, res) => void res.status(204).end());
  expect((await request(app).get('/x')).status).toBe(204);
});

test.each([
  ['next(err)', ((_req, _res, next) => next(new Error('passed'))) as RequestHandler, 'passed'],
  ['a throw', (() => {
    throw new Error('thrown');
  }) as RequestHandler, 'thrown'],
  ['a rejected promise', (async () => {
    await Promise.resolve();
    throw new Error('rejected');
  }) as RequestHandler, 'rejected'],
  ['next(err) after a wait', ((_req, _res, next) => void setTimeout(() => next(new Error('later')), 5)) as RequestHandler, 'later'],
])('%s reaches the error handler and skips the rest', async (_what, failing, message) => {
  const r = await request(appWith([mark('a'), failing, mark('never')])).get('/x');
  expect(r.status).toBe(418);
  expect(r.text).toBe(`caught: ${message}`);
  expect(r.headers['x-seen']).toBe('a');
});

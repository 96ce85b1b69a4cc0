/**
 * The framework's floor for the API benchmark: an express application with nothing in it but
 * one handler answering a policy-sized JSON body. What the real server adds (request ids,
 * metrics, the request log, routing, the engine or the database) is measured against this.
 *
 * `node express-floor.js served` serves it as congress-server serves the API (`expressServing`,
 * no per-request prototype swap); without an argument it is express's own `app.listen`.
 */
import http from 'node:http';
import express from 'express';
import { expressServing } from '../src/api/serve';

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
const body = JSON.stringify({ id: '9647d43d-95f6-4956-b11c-78b122d85b11', name: 'bench', abbreviation: 'bench', description: '', owner_id: 'user', kind: 'nonrecursive' });
app.use((_req, res) => void res.type('application/json').send(body));
const serving = expressServing(app);
const server = process.argv[2] === 'served' ? http.createServer(serving.options, serving.listener) : http.createServer(app);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address !== null && typeof address === 'object') console.log(`listening on http://127.0.0.1:${address.port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

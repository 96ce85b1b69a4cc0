/**
 * The floor for the API benchmark's sequential rows: bare `node:http` answering every request
 * with the bytes of one file (the rows answer congress-server gave). Whatever the server does
 * above this (routing, request ids, the log, metrics) is the difference to this row; what is
 * left is the machine's cost of moving that many bytes over loopback to a Node.js client.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';

const body = readFileSync(process.argv[2]);
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address !== null && typeof address === 'object') console.log(`listening on http://127.0.0.1:${address.port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

/**
 * The versions application (api.md §3): `GET /` lists the versions, `/v1` and `/v1/` describe
 * v1 whatever the method, any other path outside `/v1` answers 300 Multiple Choices.
 */
import type { RequestHandler } from 'express';
import { sendReply } from './routing';

const V1 = { id: 'v1', status: 'CURRENT', updated: '2013-08-12T17:42:13Z' };

function origin(req: Parameters<RequestHandler>[0]): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/** Answers `/v1` and `/v1/` with the version document; passes everything else on. */
export const versionDocument: RequestHandler = (req, res, next) => {
  if (req.path !== '/v1' && req.path !== '/v1/') return next();
  sendReply(res, {
    status: 200,
    body: {
      version: {
        ...V1,
        links: [
          { rel: 'self', href: `${origin(req)}/v1/` },
          { rel: 'describedby', type: 'text/html', href: 'http://congress.readthedocs.org/' },
        ],
      },
    },
  });
};

/** Answers every path outside `/v1`: the version list at `GET /`, 300 choices elsewhere. */
export const versionChoices: RequestHandler = (req, res, next) => {
  if (req.path === '/v1' || req.path.startsWith('/v1/')) return next();
  if (req.path === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
    return sendReply(res, { status: 200, body: { versions: [{ ...V1, links: [{ rel: 'self', href: `${origin(req)}/v1/` }] }] } });
  }
  const rest = req.path.replace(/^\/+|\/+$/g, '');
  sendReply(res, { status: 300, body: { choices: [{ ...V1, links: [{ rel: 'self', href: `${origin(req)}/v1/${rest}` }] }] } });
};

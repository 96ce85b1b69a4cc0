/**
 * The official client (python-congressclient, `openstack congress ...`) works against
 * congress-server: the requests it sent in a recorded session (test/fixtures/congressclient) are
 * replayed against a fresh server and must get the same answers. Ids are generated, so recorded
 * ids are mapped to the new ones through the objects' names and rule texts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configDirectory, runServer, startServer, type ServerProcess } from '../../support/server';

jest.setTimeout(60_000);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body?: Json;
  readonly response?: Json;
}

const session = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'congressclient', 'session.json'), 'utf8')) as {
  exchanges: Exchange[];
};

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Pairs recorded and actual ids of objects that have the same name or rule text. */
function learnIds(recorded: Json | undefined, actual: Json | undefined, ids: Map<string, string>): void {
  if (Array.isArray(recorded) && Array.isArray(actual)) {
    for (const r of recorded) for (const a of actual) learnIds(r, a, ids);
    return;
  }
  if (recorded === null || actual === null || typeof recorded !== 'object' || typeof actual !== 'object' || Array.isArray(recorded) || Array.isArray(actual)) return;
  const key = (o: { [k: string]: Json }): string => JSON.stringify([o.name ?? null, o.rule ?? null]);
  if (typeof recorded.id === 'string' && typeof actual.id === 'string' && key(recorded) === key(actual)) ids.set(recorded.id, actual.id);
  for (const k of Object.keys(recorded)) learnIds(recorded[k], actual[k], ids);
}

/** JSON with recorded ids replaced by actual ones and `results` lists in a stable order. */
function normalise(v: Json | undefined, ids: Map<string, string>): Json | undefined {
  if (v === undefined || v === null) return v;
  if (typeof v === 'string') return v.replace(UUID, (id) => ids.get(id) ?? id);
  if (Array.isArray(v)) {
    return v.map((x) => normalise(x, ids) as Json).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  }
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalise(x, ids) as Json]));
  return v;
}

describe('python-congressclient session', () => {
  let server: ServerProcess | undefined;
  let cfg: Awaited<ReturnType<typeof configDirectory>>;

  beforeAll(async () => {
    cfg = await configDirectory();
    const upgrade = await runServer({ args: ['--config-file', cfg.configFile, '--db-upgrade'] });
    if (upgrade.code !== 0) throw new Error(`--db-upgrade failed: ${upgrade.stderr}`);
    server = await startServer({ args: ['--config-file', cfg.configFile] });
  });

  afterAll(async () => {
    await server?.stop('SIGTERM');
    await cfg.remove();
  });

  it('answers every recorded request as recorded', async () => {
    const base = (server as ServerProcess).url;
    expect(session.exchanges.length).toBeGreaterThan(20);
    const ids = new Map<string, string>();
    for (const ex of session.exchanges) {
      const url = base + ex.path.replace(UUID, (id) => ids.get(id) ?? id);
      const res = await fetch(url, {
        method: ex.method,
        headers: ex.body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: ex.body === undefined ? undefined : JSON.stringify(ex.body),
      });
      const text = await res.text();
      const actual = text === '' ? undefined : (JSON.parse(text) as Json);
      expect({ step: `${ex.method} ${ex.path}`, status: res.status }).toEqual({ step: `${ex.method} ${ex.path}`, status: ex.status });
      learnIds(ex.response, actual, ids);
      expect({ step: `${ex.method} ${ex.path}`, body: normalise(actual, new Map()) }).toEqual({ step: `${ex.method} ${ex.path}`, body: normalise(ex.response, ids) });
    }
  });
});

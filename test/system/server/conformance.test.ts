/**
 * The REST API conformance sample (shared/conformance/api) replayed by its own checker against
 * a real congress-server process on a fresh database, then a restart on the same database.
 *
 * Steps that pin an upstream defect fixed here must fail in the documented way; every other step,
 * the `doctor` datasource steps included, must pass.
 */
import path from 'node:path';
import { replayOnFreshServer, SHARED_DIR, type StepResult } from '../../support/api-checker';
import { startServer, type ServerProcess } from '../../support/server';

jest.setTimeout(120_000);

const CONFORMANCE = path.join(SHARED_DIR, 'conformance/api');

/** Steps that record an upstream defect which Congress-TS fixes, with what the fix answers. */
const FIXED_DEFECTS: Record<string, RegExp> = {
  'policies-12': /status 400, expected 500 .*Bad Request::Policy name bad name is not a valid tablename/,
};

let cfg: { configFile: string; remove(): Promise<void> };
let server: ServerProcess;
let results: Map<string, StepResult>;
let summary: string;

beforeAll(async () => {
  ({ cfg, server, results, summary } = await replayOnFreshServer(undefined, 100_000));
});

afterAll(async () => {
  if (server) await server.stop();
  await cfg?.remove();
});

const transcript = (): { steps: { id: string }[] } => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(CONFORMANCE, 'transcript.json')) as { steps: { id: string }[] };
};

test('the checker ran every step', () => {
  expect(summary).toMatch(/^api: \d+ passed, \d+ failed$/);
  expect([...results.keys()].sort()).toEqual(transcript().steps.map((s) => s.id).sort());
});

test('every step passes, except the fixed defects', () => {
  const unexpected = [...results].filter(([id, r]) => !r.ok && !(id in FIXED_DEFECTS));
  expect(unexpected).toEqual([]);
});

test('fixed defects fail the way the fix documents', () => {
  for (const [id, expected] of Object.entries(FIXED_DEFECTS)) {
    const r = results.get(id);
    expect({ id, ok: r?.ok }).toEqual({ id, ok: false });
    expect(r?.reason).toMatch(expected);
  }
});

test('after SIGTERM (exit 0) and a restart, the policies, rules and rows are still there', async () => {
  const before = await (await fetch(`${server.url}/v1/policies`)).json();
  const datasourcesBefore = (await (await fetch(`${server.url}/v1/data-sources`)).json()) as { results: { name: string }[] };
  expect(datasourcesBefore.results.map((d) => d.name)).toContain('doc');
  const pushedBefore = (await (await fetch(`${server.url}/v1/data-sources/doc/tables/events/rows`)).json()) as { results: unknown[] };
  expect(pushedBefore.results.length).toBeGreaterThan(0);
  const exit = await server.stop('SIGTERM');
  expect(exit).toEqual({ code: 0, signal: null });
  server = await startServer({ args: ['--config-file', cfg.configFile] });
  const after = await (await fetch(`${server.url}/v1/policies`)).json();
  expect(after).toEqual(before);
  // lib1 was instantiated from the library by the sample, with rules x(1) and y(a) :- x(a).
  const rules = (await (await fetch(`${server.url}/v1/policies/lib1/rules`)).json()) as { results: { rule: string }[] };
  expect(rules.results.map((r) => r.rule).sort()).toEqual(['x(1)', 'y(a) :- x(a)']);
  const rows = await (await fetch(`${server.url}/v1/policies/lib1/tables/y/rows`)).json();
  expect(rows).toEqual({ results: [{ data: [1] }] });
  const lib = (await (await fetch(`${server.url}/v1/librarypolicies`)).json()) as { results: { name: string }[] };
  expect(lib.results.map((p) => p.name)).toEqual(['lib1']);
  // The datasource and the rows pushed to it (persisted) are back.
  const datasourcesAfter = (await (await fetch(`${server.url}/v1/data-sources`)).json()) as { results: { name: string }[] };
  expect(datasourcesAfter.results.map((d) => d.name).sort()).toEqual(datasourcesBefore.results.map((d) => d.name).sort());
  let pushedAfter: { results: unknown[] } = { results: [] };
  for (let i = 0; i < 50; i++) {
    const r = await fetch(`${server.url}/v1/data-sources/doc/tables/events/rows`);
    if (r.status === 200) {
      pushedAfter = (await r.json()) as { results: unknown[] };
      if (pushedAfter.results.length > 0) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(pushedAfter).toEqual(pushedBefore);
});

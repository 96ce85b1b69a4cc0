/**
 * The API oracle's extended transcript (scripts/congress-api-oracle: 1,044 steps with the answers
 * the original Congress gave, recorded on a fresh original server) replayed by the conformance
 * checker against a real congress-server process on a fresh database. Every step must pass except
 * the triaged ones of expected-failures.json, and those must still fail: a step that starts
 * passing means the list and the README need updating, a new failure is a regression.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { replayOnFreshServer, type Replay } from '../../support/api-checker';

jest.setTimeout(180_000);

const ORACLE = path.resolve(__dirname, '../../../scripts/congress-api-oracle');
const TRANSCRIPT = path.join(ORACLE, 'transcript-extended.json');

let replay: Replay;
let failed: Set<string>;

beforeAll(async () => {
  replay = await replayOnFreshServer(TRANSCRIPT, 150_000);
  failed = new Set([...replay.results].filter(([, r]) => !r.ok).map(([id]) => id));
});

afterAll(async () => {
  await replay?.server.stop();
  await replay?.cfg.remove();
});

test('every recorded step ran', () => {
  const steps = (JSON.parse(readFileSync(TRANSCRIPT, 'utf8')) as { steps: { id: string }[] }).steps.map((s) => s.id);
  expect(steps.length).toBeGreaterThan(1000);
  expect([...replay.results.keys()].sort()).toEqual([...steps].sort());
});

test('exactly the triaged steps differ from the original', () => {
  const expected = new Set((JSON.parse(readFileSync(path.join(ORACLE, 'expected-failures.json'), 'utf8')) as { steps: string[] }).steps);
  expect({ newFailures: [...failed].filter((id) => !expected.has(id)) }).toEqual({ newFailures: [] });
  expect({ nowPassing: [...expected].filter((id) => !failed.has(id)) }).toEqual({ nowPassing: [] });
});

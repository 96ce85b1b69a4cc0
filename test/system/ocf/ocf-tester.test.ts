/**
 * resource-agents' `ocf-tester` against the agent with a real, migrated congress-server
 * configuration: meta-data, validate-all, probes with the binaries "missing", start, double
 * start, monitor, stop, double stop.
 */
import { AGENT, dsNodeFixture, ensureAgentTools, OCF, readPid, run, runAgent, tail, type DsNodeFixture } from '../../support/pacemaker';

jest.setTimeout(180_000);

let ds: DsNodeFixture;

beforeAll(async () => {
  await ensureAgentTools();
  ds = await dsNodeFixture();
}, 1_200_000);
afterAll(async () => {
  await runAgent('stop', ds.params);
  await ds.remove();
});

test('ocf-tester passes', async () => {
  const args = ['-n', 'ds-node'];
  for (const [k, v] of Object.entries(ds.params)) args.push('-o', `${k}=${v}`);
  const r = await run('/usr/sbin/ocf-tester', [...args, AGENT], { timeoutMs: 170_000, env: { ...process.env, HA_LOGFACILITY: 'none' } });
  const out = `${r.stdout}${r.stderr}`;
  if (r.code !== 0) throw new Error(`ocf-tester exited ${r.code ?? r.signal}:\n${out}\n--- server log ---\n${tail(ds.logFile)}`);
  expect(out).toContain('passed all tests');
  // ocf-tester ends with stop: nothing of ours is left running.
  expect(readPid(ds.pidFile)).toBeNull();
  expect((await runAgent('monitor', ds.params)).code).toBe(OCF.NOT_RUNNING);
});

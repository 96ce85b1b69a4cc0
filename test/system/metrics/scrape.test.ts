/** GET /metrics on a real congress-server (noauth): the counters move with traffic. */
import { configDirectory, runServer, startServer, type ServerProcess } from '../../support/server';

jest.setTimeout(60_000);

function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

async function scrape(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

describe('metrics of a running server', () => {
  let server: ServerProcess;
  let removeDir: () => Promise<void>;
  beforeAll(async () => {
    const dir = await configDirectory();
    removeDir = dir.remove;
    expect((await runServer({ args: ['--db-upgrade', '--config-file', dir.configFile] })).code).toBe(0);
    server = await startServer({ args: ['--config-file', dir.configFile] });
  });
  afterAll(async () => {
    await server?.stop();
    await removeDir?.();
  });

  it('counts requests by route template and status after traffic', async () => {
    const listed = 'congress_http_requests_total{method="GET",route="/v1/policies",status="200"}';
    const missing = 'congress_http_requests_total{method="GET",route="/v1/policies/:policy",status="404"}';
    const createdRule = 'congress_http_requests_total{method="POST",route="/v1/policies/:policy/rules",status="201"}';
    const before = await scrape(server.url);
    for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/v1/policies`)).status).toBe(200);
    for (const name of ['nosuch_a', 'nosuch_b']) expect((await fetch(`${server.url}/v1/policies/${name}`)).status).toBe(404);
    const rule = await fetch(`${server.url}/v1/policies/classification/rules`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ rule: 'metric_probe(x) :- metric_seen(x)' }),
    });
    expect(rule.status).toBe(201);
    const after = await scrape(server.url);
    expect(sample(after, listed) - sample(before, listed)).toBe(3);
    expect(sample(after, missing) - sample(before, missing)).toBe(2);
    expect(sample(after, createdRule) - sample(before, createdRule)).toBe(1);
    expect(after).not.toContain('nosuch_a');
    const engineList = 'congress_engine_operation_duration_seconds_count{operation="listPolicies",outcome="ok"}';
    expect(sample(after, engineList) - sample(before, engineList)).toBe(3);
    const engineInsert = 'congress_engine_operation_duration_seconds_count{operation="insertRule",outcome="ok"}';
    expect(sample(after, engineInsert) - sample(before, engineInsert)).toBe(1);
    const latencyCount = 'congress_http_request_duration_seconds_count{method="GET",route="/v1/policies",status="200"}';
    expect(sample(after, latencyCount)).toBeGreaterThanOrEqual(3);
  });

  it('reports rules and facts per policy, revisions and the bus link', async () => {
    const post = (rule: string): Promise<Response> =>
      fetch(`${server.url}/v1/policies/classification/rules`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ rule }) });
    const before = await scrape(server.url);
    expect((await post('gauge_probe(x) :- gauge_fact(x)')).status).toBe(201);
    expect((await post('gauge_fact(1)')).status).toBe(201);
    const after = await scrape(server.url);
    expect(sample(after, 'congress_policy_rules{policy="classification"}') - sample(before, 'congress_policy_rules{policy="classification"}')).toBe(1);
    expect(sample(after, 'congress_policy_facts{policy="classification"}') - sample(before, 'congress_policy_facts{policy="classification"}')).toBe(1);
    expect(sample(after, 'congress_engine_revision')).toBeGreaterThan(sample(before, 'congress_engine_revision'));
    expect(sample(after, 'congress_database_revision')).toBe(sample(after, 'congress_engine_revision'));
    expect(sample(after, 'congress_bus_connected')).toBe(1);
    expect(sample(after, 'congress_bus_deaf')).toBe(0);
    expect(after).toMatch(/^congress_bus_deltas_applied \d+$/m);
  });

  it('reports the build version and the process', async () => {
    const text = await scrape(server.url);
    expect(text).toMatch(/^congress_build_info\{version="\d+\.\d+\.\d+[^"]*",node_id="[^"]+"\} 1$/m);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});

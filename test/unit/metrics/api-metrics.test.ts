/** Request metrics by route template and status, build info, process metrics. */
import express from 'express';
import request from 'supertest';
import { ApiMetrics } from '../../../src/api/metrics';
import { requestEnvelope } from '../../../src/api/middleware';
import type { Route } from '../../../src/api/routing';
import { buildVersion } from '../../../src/server/metrics';

const routes: Route[] = [
  { kind: 'collection', path: '/v1/policies' },
  { kind: 'element', path: '/v1/policies/:policy' },
];

function sample(text: string, name: string, labels: Record<string, string>): number | null {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{')) continue;
    const inside = line.slice(name.length + 1, line.indexOf('}'));
    if (want.every((w) => inside.split(',').includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return null;
}

describe('ApiMetrics', () => {
  const metrics = new ApiMetrics({ version: '9.9.9', nodeId: 'pe-1' });
  const app = express();
  app.use(requestEnvelope([metrics.observer(routes)]));
  app.use(metrics.expose);
  app.use((req, res) => void res.status(req.path === '/v1/policies' ? 200 : 404).json({}));

  it('counts requests by method, route template and status, never by raw path', async () => {
    await request(app).get('/v1/policies');
    await request(app).get('/v1/policies');
    await request(app).get('/v1/policies/alpha');
    await request(app).get('/v1/policies/beta');
    await request(app).get('/v1/nosuch/x');
    const text = (await request(app).get('/metrics')).text;
    expect(sample(text, 'congress_http_requests_total', { method: 'GET', route: '/v1/policies', status: '200' })).toBe(2);
    expect(sample(text, 'congress_http_requests_total', { method: 'GET', route: '/v1/policies/:policy', status: '404' })).toBe(2);
    expect(sample(text, 'congress_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(text).not.toContain('alpha');
    expect(sample(text, 'congress_http_request_duration_seconds_count', { method: 'GET', route: '/v1/policies', status: '200' })).toBe(2);
  });

  it('serves the text format with build info and process metrics', async () => {
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(sample(res.text, 'congress_build_info', { version: '9.9.9', node_id: 'pe-1' })).toBe(1);
    expect(res.text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(res.text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('reads the version of the package', () => {
    expect(buildVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('engine timing', () => {
  it('times each engine call under its method name and outcome, passing results and errors through', async () => {
    const metrics = new ApiMetrics({ version: '1.0.0', nodeId: 'n' });
    class Engine {
      private readonly base = 40;
      async rows(): Promise<number> {
        return this.base + 2;
      }
      async simulate(): Promise<never> {
        throw new Error('bad sequence');
      }
      hasService(name: string): boolean {
        return name === 'nova';
      }
      generation(): number {
        return this.base;
      }
    }
    const engine = metrics.timeEngine(new Engine());
    expect(await engine.rows()).toBe(42);
    expect(await engine.rows()).toBe(42);
    await expect(engine.simulate()).rejects.toThrow('bad sequence');
    expect(engine.hasService('nova')).toBe(true);
    expect(engine.generation()).toBe(40);
    const text = await metrics.registry.metrics();
    // A counter read, not an operation: no series.
    expect(text).not.toContain('operation="generation"');
    expect(sample(text, 'congress_engine_operation_duration_seconds_count', { operation: 'rows', outcome: 'ok' })).toBe(2);
    expect(sample(text, 'congress_engine_operation_duration_seconds_count', { operation: 'simulate', outcome: 'error' })).toBe(1);
    expect(sample(text, 'congress_engine_operation_duration_seconds_count', { operation: 'hasService', outcome: 'ok' })).toBe(1);
  });
});

/**
 * The JSON ingester against a real PostgreSQL and a fake Nova behind a fake Keystone: polled
 * tables, deltas, webhook documents over the bus, and API calls proposed by `_exec_api` views.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DseNode, InProcessBroker, ServiceError } from '../../../src/bus';
import { parseJson } from '../../../src/datalog/json';
import { DatasourceClient, JsonIngesters, JSON_SERVICE_PREFIX } from '../../../src/services/datasources';
import { ginIndexName } from '../../../src/services/datasources/json-ingester/document-store';
import type { DatasourceLogger } from '../../../src/services/datasources';
import { FakeCloud } from '../../fixtures/openstack';
import { createPostgresDatabase, type PostgresDatabase } from '../../support/postgres';
import { waitFor } from '../../support/wait';

/** Waits until `check` holds. */
const until = (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<true> =>
  waitFor(what, timeoutMs, async () => ((await check()) ? true : undefined), 50);

jest.setTimeout(60_000);

const WEBHOOK = 'json_ingester_webhook_handler';

interface Logged {
  readonly level: string;
  readonly message: string;
}

function recordingLog(into: Logged[]): DatasourceLogger {
  const at = (level: string) => (message: string): void => void into.push({ level, message });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function computeConfig(extraTables = ''): string {
  return `name: _compute
poll_interval: 3600
allow_exec_api: true
authentication: !ref keystone_admin
api_endpoint: !ref nova_endpoint
api_default_headers:
  X-OpenStack-Nova-API-Version: "2.26"
tables:
  servers:
    poll:
      api_path: servers/detail?all_tenants=1
      api_method: get
      jsonpath: $.servers[:]
  alarms:
    gin_index: false
    webhook:
      record_jsonpath: $.payload
      id_jsonpath: $.id
${extraTables}`;
}

describe('JSON ingester', () => {
  let db: PostgresDatabase;
  let cloud: FakeCloud;
  let broker: InProcessBroker;
  let node: DseNode;
  let dir: string;
  let ingesters: JsonIngesters | null = null;
  const logged: Logged[] = [];

  async function start(configs: Record<string, string>, enableExecuteAction = true, connection?: string): Promise<JsonIngesters> {
    for (const [file, text] of Object.entries(configs)) {
      fs.mkdirSync(path.dirname(path.join(dir, 'ingesters', file)), { recursive: true });
      fs.writeFileSync(path.join(dir, 'ingesters', file), text);
    }
    ingesters = await JsonIngesters.start({
      node,
      connection: connection ?? db.url,
      startRetryMs: 200,
      configPath: path.join(dir, 'ingesters'),
      reusablesPath: path.join(dir, 'reusables.yaml'),
      enableExecuteAction,
      log: recordingLog(logged),
      execRetryDelayMs: () => 20,
    });
    return ingesters;
  }

  const serverIds = async (): Promise<string[]> =>
    (await db.query<{ id: string }>(`SELECT d->>'id' AS id FROM _compute.servers ORDER BY 1`)).map((r) => r.id);
  const novaRequests = (method: string, suffix: string): number =>
    cloud.requests.filter((r) => r.service === 'nova' && r.method === method && r.path.endsWith(suffix)).length;

  beforeEach(async () => {
    db = await createPostgresDatabase();
    cloud = await FakeCloud.start();
    broker = new InProcessBroker();
    node = new DseNode({ nodeId: 'ds', transport: broker.transport(), heartbeatIntervalMs: 50, discoveryMs: 10 });
    await node.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'json-ingester-'));
    fs.writeFileSync(
      path.join(dir, 'reusables.yaml'),
      `keystone_admin:\n  type: keystone\n  config:\n    username: admin\n    password: secret\n    project_name: admin\n    auth_url: ${cloud.authUrl}\nnova_endpoint: ${cloud.origin}/compute/v2.1/\n`,
    );
    logged.length = 0;
  });

  afterEach(async () => {
    await ingesters?.stop();
    ingesters = null;
    await node.stop();
    await cloud.close();
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('polls a table into PostgreSQL with a Keystone token and the default headers, then applies differences only', async () => {
    const started = await start({ 'nova.yaml': computeConfig() });
    expect(started.names()).toEqual(['_compute']);
    const expected = cloud.nova.servers.list().map((s) => String(s.id)).sort();
    expect(expected.length).toBeGreaterThan(1);
    await until('the first poll', async () => (await serverIds()).length === expected.length);
    expect(await serverIds()).toEqual(expected);
    const polled = cloud.requests.filter((r) => r.service === 'nova' && r.path.endsWith('/servers/detail'));
    expect(polled.length).toBe(1);
    expect(polled[0].headers['x-auth-token']).toEqual(expect.any(String));
    expect(polled[0].headers['x-openstack-nova-api-version']).toBe('2.26');
    // The documents are the API's objects, queryable as jsonb.
    const first = cloud.nova.servers.list()[0];
    const [row] = await db.query<{ name: string }>(`SELECT d->>'name' AS name FROM _compute.servers WHERE d->>'id' = $1`, [String(first.id)]);
    expect(row.name).toBe(first.name);

    const keysBefore = new Map((await db.query<{ id: string; key: string }>(`SELECT d->>'id' AS id, _key AS key FROM _compute.servers`)).map((r) => [r.id, r.key]));
    const [gone, kept] = cloud.nova.servers.list();
    cloud.nova.servers.remove(String(gone.id));
    cloud.nova.servers.upsert({ ...kept, id: 'new-server-1', name: 'new' });
    await started.ingesters[0].poll();
    const after = await db.query<{ id: string; key: string }>(`SELECT d->>'id' AS id, _key AS key FROM _compute.servers`);
    expect(after.map((r) => r.id).sort()).toEqual([...expected.filter((id) => id !== String(gone.id)), 'new-server-1'].sort());
    // Rows that did not change keep their key: the poll deleted and inserted only the difference.
    for (const r of after) if (r.id !== 'new-server-1') expect(r.key).toBe(keysBefore.get(r.id));
    // The deleted document's key is reused for the new one.
    expect(after.find((r) => r.id === 'new-server-1')?.key).toBe(keysBefore.get(String(gone.id)));
    expect(started.ingesters[0].lastError).toBeNull();
  });

  test('a poll asked for while one is in flight runs after it, once for all who asked meanwhile', async () => {
    // The first poll's request waits in the fake; the asks meanwhile must not reuse its answer.
    cloud.addFault({ service: 'nova', path: '/servers/detail', delayMs: 300, times: 1 });
    const started = await start({ 'nova.yaml': computeConfig() });
    await until('the first poll to be under way', () => novaRequests('GET', '/servers/detail') === 1);
    await Promise.all([started.ingesters[0].poll(), started.ingesters[0].poll()]);
    expect(novaRequests('GET', '/servers/detail')).toBe(2);
    expect(started.ingesters[0].updates).toBe(2);
  });

  test('a failed poll keeps the table as the last good poll left it and reports the failure', async () => {
    const started = await start({ 'nova.yaml': computeConfig() });
    await until('the first poll', async () => (await serverIds()).length > 0);
    const before = await serverIds();
    cloud.addFault({ service: 'nova', path: '/servers/detail', status: 500 });
    await started.ingesters[0].poll();
    expect(await serverIds()).toEqual(before);
    expect(started.ingesters[0].lastError).toMatch(/^servers: .*500/);
    expect(Object.keys(started.pollErrors())).toEqual(['_compute']);
    cloud.clearFaults();
    await started.ingesters[0].poll();
    expect(started.pollErrors()).toEqual({});
  });

  test('webhook documents are stored under their id, replaced by a later one, and refused clearly when they do not fit', async () => {
    await start({ 'nova.yaml': computeConfig() });
    const service = JSON_SERVICE_PREFIX + '_compute';
    await node.call(service, WEBHOOK, { table_name: 'alarms', body: { payload: { id: 'a1', state: 'alarm' } } });
    await node.call(service, WEBHOOK, { table_name: 'alarms', body: { payload: { id: 'a1', state: 'ok' } } });
    await node.call(service, WEBHOOK, { table_name: 'alarms', body: { payload: { id: 7, state: 'alarm' } } });
    const rows = await db.query<{ key: string; state: string }>(`SELECT _key AS key, d->>'state' AS state FROM _compute.alarms ORDER BY _key`);
    // Keys are the id's JSON text, as the original wrote them.
    expect(rows).toEqual([
      { key: '"a1"', state: 'ok' },
      { key: '7', state: 'alarm' },
    ]);

    const refusal = async (args: unknown): Promise<ServiceError> => {
      try {
        await node.call(service, WEBHOOK, args);
      } catch (err) {
        if (err instanceof ServiceError) return err;
        throw err;
      }
      throw new Error('accepted');
    };
    const noRecord = await refusal({ table_name: 'alarms', body: { other: 1 } });
    expect(noRecord.errorCode).toBe('bad_push');
    // The body as the original's str.format printed it: Python's repr of the decoded JSON.
    expect(noRecord.message).toBe('In identifying JSON record from webhook body, the configured jsonpath expression "$.payload" fails to obtain exactly one match on webhook body "{\'other\': 1}".');
    const noId = await refusal({ table_name: 'alarms', body: { payload: { state: 'x' } } });
    expect(noId.message).toContain('"$.id" fails to obtain exactly one match on JSON record');
    const polledTable = await refusal({ table_name: 'servers', body: { payload: { id: 1 } } });
    expect(polledTable.errorCode).toBe('table_not_found');
    expect(polledTable.message).toBe('In JSON Ingester: "_compute", the table "servers" either does not exist or is not configured for webhook.');
    const huge = await refusal({ table_name: 'alarms', body: { payload: { id: 'x'.repeat(3000) } } });
    expect(huge.message).toContain('exceeds the max indexable size (2712) in PostgreSQL');
    expect(await db.query(`SELECT 1 FROM _compute.alarms`)).toHaveLength(2);
  });

  test('rows new in an _exec_api view become API calls once each; a malformed view is skipped with a warning', async () => {
    await start({ 'nova.yaml': computeConfig() });
    const target = String(cloud.nova.servers.list()[0].id);
    await db.query(`CREATE SCHEMA policies`);
    await db.query(`CREATE VIEW policies._exec_api AS
      SELECT '_compute'::text AS endpoint, 'servers/' || (a.d->>'server') || '/action' AS path, 'post'::text AS method,
             '{"os-stop": null}'::jsonb AS body, NULL::jsonb AS parameters, NULL::jsonb AS headers
      FROM _compute.alarms a WHERE a.d->>'state' = 'alarm'`);
    await db.query(`CREATE SCHEMA broken`);
    await db.query(`CREATE VIEW broken._exec_api AS SELECT 1 AS nothing`);
    const service = JSON_SERVICE_PREFIX + '_compute';
    const alarm = (state: string): Promise<unknown> => node.call(service, WEBHOOK, { table_name: 'alarms', body: { payload: { id: 'a1', server: target, state } } });

    await alarm('alarm');
    await until('the stop request', () => novaRequests('POST', `/servers/${target}/action`) === 1);
    const sent = cloud.requests.find((r) => r.method === 'POST' && r.path.endsWith(`/servers/${target}/action`));
    expect(sent?.body).toEqual({ 'os-stop': null });
    expect(sent?.headers['x-auth-token']).toEqual(expect.any(String));
    expect(cloud.nova.servers.get(target)?.status).toBe('SHUTOFF');
    expect(logged.some((l) => l.level === 'warn' && l.message.includes('"broken" schema'))).toBe(true);

    // The same row again: not new, nothing sent.
    await alarm('alarm');
    // Gone and back: sent again.
    await alarm('ok');
    await alarm('alarm');
    await until('the second stop request', () => novaRequests('POST', `/servers/${target}/action`) === 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(novaRequests('POST', `/servers/${target}/action`)).toBe(2);
  });

  test('an API call answered 503 is retried; with enable_execute_action false it is only logged', async () => {
    const [host1, host2] = cloud.nova.services.list().filter((s) => s.binary === 'nova-compute').map((s) => String(s.host));
    expect(host2).toBeDefined();
    await start({ 'nova.yaml': computeConfig() }, false);
    await db.query(`CREATE VIEW _compute._exec_api AS
      SELECT '_compute'::text AS endpoint, 'os-services/disable'::text AS path, 'put'::text AS method,
             jsonb_build_object('host', a.d->>'host', 'binary', 'nova-compute') AS body, NULL::jsonb AS parameters, NULL::jsonb AS headers
      FROM _compute.alarms a`);
    await node.call(JSON_SERVICE_PREFIX + '_compute', WEBHOOK, { table_name: 'alarms', body: { payload: { id: 'h', host: host1 } } });
    expect(novaRequests('PUT', '/os-services/disable')).toBe(0);
    expect(logged.some((l) => l.message.startsWith('simulating API request') && l.message.includes('PUT os-services/disable'))).toBe(true);
    await ingesters?.stop();
    ingesters = null;
    fs.rmSync(path.join(dir, 'ingesters'), { recursive: true });

    // Executing, against an upstream that fails twice first.
    cloud.addFault({ service: 'nova', method: 'PUT', path: '/os-services/disable', status: 503, times: 2 });
    await start({ 'nova.yaml': computeConfig() }, true);
    await node.call(JSON_SERVICE_PREFIX + '_compute', WEBHOOK, { table_name: 'alarms', body: { payload: { id: 'h2', host: host2 } } });
    await until('both disables done', () => logged.filter((l) => l.message.startsWith('API request done: PUT os-services/disable')).length === 2);
    // The view holds both alarms: each a new row for this process, each sent until it succeeded.
    const bodies = cloud.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/os-services/disable')).map((r) => JSON.stringify(r.body));
    expect(bodies).toHaveLength(4);
    expect(new Set(bodies)).toEqual(new Set([host1, host2].map((host) => JSON.stringify({ host, binary: 'nova-compute' }))));
    expect(cloud.nova.services.list().filter((s) => s.status === 'disabled').map((s) => s.host).sort()).toEqual([host1, host2].sort());
    expect(logged.filter((l) => l.message.startsWith('API request done: PUT os-services/disable'))).toHaveLength(2);
  });

  test('one broken configuration does not stop the others, and a configuration without tables only names an endpoint', async () => {
    const started = await start({
      'a/nova.yaml': computeConfig(),
      'b/bad.yml': `name: badpath\napi_endpoint: ${cloud.origin}/compute/v2.1/\ntables:\n  t:\n    poll:\n      api_path: servers\n      jsonpath: "$.servers[:"\n`,
      'c/endpoint.yaml': `name: only_endpoint\napi_endpoint: ${cloud.origin}/compute/v2.1/\nallow_exec_api: true\n`,
    });
    expect(started.names()).toEqual(['_compute']);
    expect(Object.keys(started.failed)).toEqual(['badpath']);
    expect(started.failed.badpath).toContain('bad jsonpath');
    expect(started.failed.only_endpoint).toBeUndefined();
  });

  test("numbers keep Python's types from upstream to PostgreSQL and back out in API calls: 1.0, big integers", async () => {
    // An upstream answering raw JSON text, and recording the raw text of what is sent to it.
    const items = '{"items": [{"id": 1, "ratio": 1.0, "big": 123456789012345678901234567890, "name": "caf\u00e9"}, {"id": 2.50, "x": [1.0, 2]}]}';
    const received: { url: string; body: string }[] = [];
    const upstream = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        if (req.method === 'GET') {
          res.setHeader('Content-Type', 'application/json');
          res.end(items);
          return;
        }
        received.push({ url: req.url ?? '', body });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    try {
      const origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/`;
      const config = `name: _numbers\npoll_interval: 3600\nallow_exec_api: true\napi_endpoint: ${origin}\ntables:\n  items:\n    poll:\n      api_path: items\n      jsonpath: $.items[:]\n  events:\n    webhook:\n      record_jsonpath: $.payload\n      id_jsonpath: $.id\n`;
      await start({ 'numbers.yaml': config });
      await until('the first poll', async () => (await db.query(`SELECT 1 FROM _numbers.items`)).length === 2);
      const stored = await db.query<{ ratio: string; big: string; id: string; x: string; name: string }>(
        `SELECT d->>'ratio' AS ratio, d->>'big' AS big, d->>'id' AS id, d->>'x' AS x, d->>'name' AS name FROM _numbers.items ORDER BY d->>'id'`,
      );
      expect(stored).toEqual([
        { ratio: '1.0', big: '123456789012345678901234567890', id: '1', x: null, name: 'café' },
        { ratio: null, big: null, id: '2.5', x: '[1.0, 2]', name: null },
      ]);

      // A webhook document as a policy-engine node sends it (DatasourceClient), and its key.
      const client = new DatasourceClient(node, JSON_SERVICE_PREFIX + '_numbers', 5000);
      await client.jsonIngesterWebhook('events', parseJson('{"payload": {"id": 1.0, "n": 98765432109876543210}}'));
      expect(await db.query(`SELECT _key AS key, d->>'n' AS n FROM _numbers.events`)).toEqual([{ key: '1.0', n: '98765432109876543210' }]);
      await expect(client.jsonIngesterWebhook('events', parseJson('{"payload": {"id": 2, "n": 1e400}}'))).rejects.toThrow(
        'the JSON number Infinity is outside the range of a double-precision float and cannot be stored',
      );

      // An API call proposed from those rows carries the numbers as they were written.
      await db.query(`CREATE VIEW _numbers._exec_api AS
        SELECT '_numbers'::text AS endpoint, 'act'::text AS path, 'post'::text AS method,
               jsonb_build_object('ratio', d->'ratio', 'big', d->'big') AS body,
               jsonb_build_object('r', d->'ratio', 'flag', true) AS parameters, NULL::jsonb AS headers
        FROM _numbers.items WHERE d->>'id' = '1'`);
      expect(received).toEqual([]);
      await client.jsonIngesterWebhook('events', parseJson('{"payload": {"id": 3}}'));
      await until('the API call', () => received.length === 1);
      expect(received[0]).toEqual({ url: '/act?r=1.0&flag=True', body: '{"big": 123456789012345678901234567890, "ratio": 1.0}' });
    } finally {
      await new Promise((resolve) => upstream.close(resolve));
    }
  });

  test('tables whose names differ only past the 61st byte each get their own GIN index', async () => {
    // `__<name>_d_gin_idx` cut to 63 bytes keeps 61 bytes of the name: these two would share it.
    const long = (end: string): string => 'alarm_events_of_the_compute_cloud_kept_for_the_sql_policies_' + end;
    const tables = `  ${long('v1')}:\n    webhook:\n      record_jsonpath: $.payload\n      id_jsonpath: $.id\n  ${long('v2')}:\n    webhook:\n      record_jsonpath: $.payload\n      id_jsonpath: $.id\n`;
    // The first table as the original left it: its index under the name PostgreSQL cut.
    await db.query(`CREATE SCHEMA _compute`);
    await db.query(`CREATE TABLE _compute."${long('v1')}" (d jsonb, _key text, PRIMARY KEY (_key))`);
    await db.query(`CREATE INDEX "__${long('v1')}_d_gin_idx" ON _compute."${long('v1')}" USING GIN (d)`);
    const started = await start({ 'nova.yaml': computeConfig(tables) });
    expect(started.failed).toEqual({});
    const indexes = await db.query<{ tablename: string; indexname: string }>(
      `SELECT tablename, indexname FROM pg_indexes WHERE schemaname = '_compute' AND indexdef LIKE '%USING gin%' ORDER BY tablename`,
    );
    // One each, under the new name: the cut one of the original is gone, not kept as a second index.
    expect(indexes).toEqual([long('v1'), long('v2'), 'servers'].map((t) => ({ tablename: t, indexname: ginIndexName(t) })));
  });

  test('an ingester whose database is not there yet starts once it is', async () => {
    const late = `${db.name}_late`;
    try {
      const started = await start({ 'nova.yaml': computeConfig() }, true, `${db.url}_late`);
      expect(started.names()).toEqual([]);
      expect(started.pending()._compute).toContain(late);
      expect(logged.some((l) => l.level === 'warn' && l.message.startsWith("JSON ingester '_compute' could not start, trying again in 0.2 s"))).toBe(true);
      await db.query(`CREATE DATABASE ${late}`);
      await until('the ingester to start', () => started.names().length === 1);
      expect(started.pending()).toEqual({});
      await node.call(JSON_SERVICE_PREFIX + '_compute', WEBHOOK, { table_name: 'alarms', body: { payload: { id: 'late' } } });
      await ingesters?.stop();
      ingesters = null;
      const lateDb = new pg.Client({ connectionString: `${db.url}_late` });
      await lateDb.connect();
      try {
        expect((await lateDb.query(`SELECT _key FROM _compute.alarms`)).rows).toEqual([{ _key: '"late"' }]);
      } finally {
        await lateDb.end();
      }
    } finally {
      await db.query(`DROP DATABASE IF EXISTS ${late} WITH (FORCE)`);
    }
  });
});

/**
 * The JSON ingester in the HA topology: the webhook arrives at a policy-engine node, travels over
 * RabbitMQ to the ingester on the datasources node, which writes PostgreSQL. While no datasources
 * node is live (its failover) the webhook is answered 503, so the sender sends again; after the
 * node is back, documents are stored again and earlier ones are still there.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPostgresDatabase, type PostgresDatabase } from '../../support/postgres';
import type { ServerProcess } from '../../support/server';
import { waitFor } from '../../support/wait';
import { call, startCluster, type Cluster } from '../replication/cluster';

jest.setTimeout(180_000);

let cluster: Cluster | undefined;
let db: PostgresDatabase | undefined;
let dir: string | undefined;

afterAll(async () => {
  await cluster?.stop();
  await db?.drop();
  if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
});

test('webhooks reach the ingester across nodes and get 503 while the datasources node is down', async () => {
  db = await createPostgresDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingesters-'));
  fs.writeFileSync(path.join(dir, 'hooks.yaml'), 'name: hooks\ntables:\n  events:\n    webhook:\n      record_jsonpath: $.event\n      id_jsonpath: $.id\n');
  cluster = await startCluster('1', {}, { json_ingester: { enable: 'True', db_connection: db.url, config_path: dir, config_reusables_path: path.join(dir, 'none.yaml') } });
  const c = cluster;
  const post = (node: ServerProcess, id: string): ReturnType<typeof call> => call(node.url, 'POST', '/v1/data-sources/hooks/tables/events/webhook', { event: { id, kind: 'host-down' } });
  const stored = async (): Promise<string[]> => (await (db as PostgresDatabase).query<{ id: string }>(`SELECT d->>'id' AS id FROM hooks.events ORDER BY 1`)).map((r) => r.id);

  // The ingester joins the bus shortly after the datasources node starts listening.
  await waitFor('the ingester on the bus', 20_000, async () => ((await post(c.pe1, 'e1')).status === 200 ? true : undefined));
  expect((await post(c.pe2, 'e2')).status).toBe(200);
  expect(await stored()).toEqual(['e1', 'e2']);
  expect((await post(c.pe1, 'e1')).status).toBe(200); // the same id again replaces, not adds
  expect(await stored()).toEqual(['e1', 'e2']);
  const other = await call(c.pe1.url, 'POST', '/v1/data-sources/nope/tables/events/webhook', { event: { id: 1 } });
  expect(other.status).toBe(404);

  expect((await c.ds.stop('SIGKILL')).signal).toBe('SIGKILL');
  const down = await waitFor('pe1 to see no datasources node', 20_000, async () => {
    const r = await post(c.pe1, 'e3');
    return r.status === 503 ? r : undefined;
  });
  expect(down.body).toEqual({ error: expect.objectContaining({ error_code: 503, message: expect.stringContaining('no datasources node is live on the bus') }) });
  expect(await stored()).toEqual(['e1', 'e2']);

  await c.start('--datasources', '--node-id', 'ds');
  await waitFor('the ingester back on the bus', 30_000, async () => ((await post(c.pe1, 'e3')).status === 200 ? true : undefined));
  expect(await stored()).toEqual(['e1', 'e2', 'e3']);
});

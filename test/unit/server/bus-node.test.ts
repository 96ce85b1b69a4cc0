/** The start-up log names the bus the node really joined; the broker options become transport settings. */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backoffDelay, type BackoffPolicy } from '../../../src/bus';
import winston from 'winston';
import { busKind, consumerCancelDelayMs, createBusNode, reconnectBackoff } from '../../../src/server/bus-node';
import { loadConfig } from '../../../src/server/config';

async function configWith(text: string): Promise<ReturnType<typeof loadConfig>['config']> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-buskind-'));
  try {
    const conf = path.join(dir, 'congress.conf');
    await fs.writeFile(conf, text);
    return loadConfig({ files: [conf] }).config;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

describe('busKind', () => {
  it('is the in-process bus when transport_url is unset (the embedded default)', () => {
    expect(busKind(loadConfig({}).config)).toBe('in-process');
  });

  it('is the in-process bus for an explicit memory URL', async () => {
    expect(busKind(await configWith('[DEFAULT]\ntransport_url = memory://one\n'))).toBe('in-process');
  });

  it('names the broker endpoints without their credentials', async () => {
    const kind = busKind(await configWith('[DEFAULT]\ntransport_url = rabbit://guest:secret@127.0.0.1:5672,guest:secret@127.0.0.2:5673/\n'));
    expect(kind).toBe('message broker amqp://127.0.0.1:5672,127.0.0.2:5673/');
    expect(kind).not.toContain('secret');
  });
});

describe('createBusNode', () => {
  it('starts on the in-process bus without listening a heartbeat period for peers (a server is alone there)', async () => {
    // With a 60 s heartbeat, a discovery wait would outlast the test's 5 s limit.
    const node = createBusNode(await configWith('[DEFAULT]\ntransport_url = memory://alone\n[dse]\nheartbeat_interval = 60\n'), winston.createLogger({ silent: true }));
    try {
      await node.start();
      expect(node.status()).toMatchObject({ state: 'running', connected: true });
    } finally {
      await node.stop();
    }
  });
});

describe('consumerCancelDelayMs', () => {
  it('is kombu_reconnect_delay in milliseconds when set, else the back-off decides', async () => {
    expect(consumerCancelDelayMs(await configWith('[DEFAULT]\n'))).toBeUndefined();
    expect(consumerCancelDelayMs(await configWith('[oslo_messaging_rabbit]\nkombu_reconnect_delay = 2.5\n'))).toBe(2500);
    expect(consumerCancelDelayMs(await configWith('[oslo_messaging_rabbit]\nkombu_reconnect_delay = 0\n'))).toBe(0);
  });
});

describe('reconnectBackoff', () => {
  it("is the bus's own when none of the three options is set, the original's linear one otherwise", async () => {
    expect(reconnectBackoff(await configWith('[DEFAULT]\n'))).toBeUndefined();
    const one = reconnectBackoff(await configWith('[oslo_messaging_rabbit]\nrabbit_interval_max = 10\n'));
    expect(one).toEqual({ initialMs: 1000, stepMs: 2000, maxMs: 10_000 });
    expect([0, 1, 2, 3, 4, 5, 9].map((n) => backoffDelay(one as BackoffPolicy, n))).toEqual([1000, 3000, 5000, 7000, 9000, 10_000, 10_000]);
    expect(reconnectBackoff(await configWith('[oslo_messaging_rabbit]\nrabbit_retry_interval = 0\nrabbit_retry_backoff = 0\n'))).toEqual({ initialMs: 0, stepMs: 0, maxMs: 30_000 });
  });
});

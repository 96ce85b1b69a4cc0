// RabbitMQ for the integration tests: make sure the machine's broker runs (starting it the way
// the machine does when it does not), act on it the way an operator or a failure would
// (close connections, lose a binding), and run a private broker node for tests that restart it,
// so that restarting never disturbs anybody else using the machine's broker.
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync, chownSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as amqp from 'amqplib';

/** The machine's broker. */
export const RABBIT_HOST = '127.0.0.1';
export const RABBIT_PORT = 5672;
/** `transport_url` of the machine's broker. */
export const RABBIT_URL = `rabbit://guest:guest@${RABBIT_HOST}:${RABBIT_PORT}/`;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True when an AMQP connection to host:port succeeds (the port alone opens before the broker is ready). */
async function amqpAnswers(port: number, host = RABBIT_HOST): Promise<boolean> {
  const open = await new Promise<boolean>((resolve) => {
    const socket = new Socket();
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.connect(port, host);
  });
  if (!open) return false;
  try {
    const connection = await amqp.connect({ hostname: host, port, username: 'guest', password: 'guest' }, { timeout: 2000 });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

async function waitForBroker(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await amqpAnswers(port)) return true;
    await sleep(250);
  }
  return false;
}

/** Runs a command, resolving with its stdout; rejects with its stderr on failure. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/**
 * Makes sure the machine's RabbitMQ answers on 127.0.0.1:5672. If not, starts it as the machine
 * does (`rabbitmq-server -detached`) and waits, bounded; throws with the reason otherwise.
 */
export async function ensureRabbitMq(timeoutMs = 60_000): Promise<void> {
  if (await amqpAnswers(RABBIT_PORT)) return;
  try {
    await run('rabbitmq-server', ['-detached']);
  } catch (error) {
    throw new Error(`RabbitMQ is not running on ${RABBIT_HOST}:${RABBIT_PORT} and could not be started: ${String(error)}`);
  }
  if (!(await waitForBroker(RABBIT_PORT, timeoutMs))) {
    throw new Error(`RabbitMQ is not running on ${RABBIT_HOST}:${RABBIT_PORT} and did not come up within ${timeoutMs} ms of 'rabbitmq-server -detached'`);
  }
}

/** `rabbitmqctl` against the machine's broker, or against a private node. */
export function rabbitmqctl(args: string[], nodeName?: string): Promise<string> {
  return run('rabbitmqctl', nodeName ? ['-n', nodeName, ...args] : args);
}

/**
 * Closes, from the broker's side, every connection whose `connection_name` mentions `busId`
 * (the bus transport names its connections `congress <bus_id> <node_id>`). Returns how many.
 */
export async function closeConnectionsOf(busId: string, nodeName?: string): Promise<number> {
  const listing = await rabbitmqctl(['list_connections', '--no-table-headers', '--quiet', 'pid', 'client_properties'], nodeName);
  const pids = listing
    .split('\n')
    .filter((line) => line.includes(`"congress ${busId} `))
    .map((line) => line.split('\t')[0].trim())
    .filter((pid) => pid.startsWith('<'));
  await Promise.all(pids.map((pid) => rabbitmqctl(['close_connection', pid, 'closed by the bus tests'], nodeName)));
  return pids.length;
}

/** A binding from an exchange to a queue. */
export interface Binding {
  readonly exchange: string;
  readonly queue: string;
  readonly routingKey: string;
}

/**
 * Deletes bindings inside the broker, all in one step, while every connection stays open: the
 * "connected but deaf" condition (as after an exchange was deleted and re-created under a
 * running node).
 */
export async function removeBindings(bindings: readonly Binding[], nodeName?: string): Promise<void> {
  const bin = (text: string): string => `<<"${text.replace(/["\\]/g, '')}">>`;
  const removals = bindings.map(
    (b) =>
      `rabbit_binding:remove({binding, rabbit_misc:r(<<"/">>, exchange, ${bin(b.exchange)}), ${bin(b.routingKey)}, ` +
      `rabbit_misc:r(<<"/">>, queue, ${bin(b.queue)}), []}, fun(_, _) -> ok end, <<"bus-tests">>)`,
  );
  const out = await rabbitmqctl(['eval', `[${removals.join(', ')}].`], nodeName);
  const expected = `[${bindings.map(() => 'ok').join(',')}]`;
  if (out.replace(/\s/g, '') !== expected) throw new Error(`removing bindings failed: ${out}`);
}

/** Removes the exchanges a test bus left behind (they are transient but not auto-deleted). */
export async function deleteBusExchanges(busId: string, port = RABBIT_PORT): Promise<void> {
  let connection: amqp.ChannelModel | undefined;
  try {
    connection = await amqp.connect({ hostname: RABBIT_HOST, port, username: 'guest', password: 'guest' }, { timeout: 2000 });
    const channel = await connection.createChannel();
    for (const suffix of ['tables', 'rpc', 'heartbeat']) await channel.deleteExchange(`${busId}.${suffix}`);
  } catch {
    // Best effort: a broker that is down has no exchanges to leave behind.
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

/** Deletes a (non-exclusive) queue from the outside, as an operator might. */
export async function deleteQueue(queue: string, port = RABBIT_PORT): Promise<void> {
  const connection = await amqp.connect({ hostname: RABBIT_HOST, port, username: 'guest', password: 'guest' }, { timeout: 2000 });
  try {
    const channel = await connection.createChannel();
    await channel.deleteQueue(queue);
  } finally {
    await connection.close().catch(() => undefined);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, RABBIT_HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A RabbitMQ node of the tests' own (own name, ports, data directory), for tests that stop and
 * restart the broker. Stopped by its PID.
 */
export class PrivateBroker {
  private constructor(
    readonly nodeName: string,
    readonly port: number,
    private readonly dir: string,
    private readonly pid: number,
    /** The AMQPS port when started with TLS files, else 0. */
    readonly tlsPort: number,
  ) {}

  /** `transport_url` of this broker. */
  get url(): string {
    return `rabbit://guest:guest@${RABBIT_HOST}:${this.port}/`;
  }

  /**
   * Starts a private broker node and waits (bounded) until it accepts AMQP connections. With
   * `tls` (PEM files the rabbitmq user can read) it also listens for AMQPS on `tlsPort`.
   */
  static async start(timeoutMs = 60_000, tls?: { ca: string; cert: string; key: string }): Promise<PrivateBroker> {
    const id = randomUUID().slice(0, 8);
    const nodeName = `congress-bus-test-${id}@localhost`;
    const port = await freePort();
    const distPort = await freePort();
    const dir = join(tmpdir(), `congress-bus-rabbit-${id}`);
    mkdirSync(join(dir, 'mnesia'), { recursive: true });
    mkdirSync(join(dir, 'log'), { recursive: true });
    writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
    const tlsPort = tls === undefined ? 0 : await freePort();
    const tlsConf =
      tls === undefined
        ? ''
        : `listeners.ssl.local = ${RABBIT_HOST}:${tlsPort}\nssl_options.cacertfile = ${tls.ca}\nssl_options.certfile = ${tls.cert}\n` +
          `ssl_options.keyfile = ${tls.key}\nssl_options.verify = verify_none\nssl_options.fail_if_no_peer_cert = false\n`;
    writeFileSync(join(dir, 'rabbitmq.conf'), `listeners.tcp.local = ${RABBIT_HOST}:${port}\nloopback_users = none\n${tlsConf}`);
    // Started as root, rabbitmq-server drops to the rabbitmq user, which must own the directory.
    if (process.getuid?.() === 0) {
      const uid = Number((await run('id', ['-u', 'rabbitmq'])).trim());
      const gid = Number((await run('id', ['-g', 'rabbitmq'])).trim());
      for (const path of [dir, join(dir, 'mnesia'), join(dir, 'log'), join(dir, 'enabled_plugins'), join(dir, 'rabbitmq.conf')]) chownSync(path, uid, gid);
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      RABBITMQ_NODENAME: nodeName,
      RABBITMQ_NODE_PORT: String(port),
      RABBITMQ_DIST_PORT: String(distPort),
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
      RABBITMQ_PID_FILE: join(dir, 'rabbit.pid'),
    };
    const launcher = spawn('rabbitmq-server', ['-detached'], { env, stdio: 'ignore' });
    await new Promise<void>((resolve) => launcher.once('exit', () => resolve()));
    const up = await waitForBroker(port, timeoutMs);
    let pid = 0;
    try {
      pid = Number(readFileSync(join(dir, 'rabbit.pid'), 'utf8').trim());
    } catch {
      // No PID file: the node never got far enough to write it.
    }
    const broker = new PrivateBroker(nodeName, port, dir, pid, tlsPort);
    if (!up || !pid) {
      await broker.stop();
      throw new Error(`private RabbitMQ node ${nodeName} did not start within ${timeoutMs} ms (logs in ${dir}/log)`);
    }
    return broker;
  }

  /** `rabbitmqctl stop_app` then `start_app`: every connection drops, transient objects vanish. */
  async restartApp(downMs = 0): Promise<void> {
    await rabbitmqctl(['stop_app'], this.nodeName);
    if (downMs > 0) await sleep(downMs);
    await rabbitmqctl(['start_app'], this.nodeName);
  }

  /** Stops the node by its PID (SIGTERM, then SIGKILL after 30 s) and removes its files. */
  async stop(): Promise<void> {
    if (this.pid && alive(this.pid)) {
      process.kill(this.pid, 'SIGTERM');
      const deadline = Date.now() + 30_000;
      while (alive(this.pid) && Date.now() < deadline) await sleep(100);
      if (alive(this.pid)) process.kill(this.pid, 'SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A MariaDB server of a test's own (own data directory and port on loopback), for tests that
 * stop and restart the database server without disturbing the machine's shared one. Started
 * from Debian's mariadbd, stopped by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { portOpen } from './port';

const run = promisify(execFile);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export class PrivateMariaDb {
  private child: ChildProcess | null = null;

  private constructor(
    private readonly dir: string,
    readonly port: number,
    private readonly serverArgs: readonly string[],
  ) {}

  /** A connection URL (the original's form) for a database on this server. */
  url(database: string): string {
    return `mysql+pymysql://root@127.0.0.1:${this.port}/${database}?charset=utf8`;
  }

  /**
   * Initialises a data directory and starts the server; waits (bounded) until it accepts
   * connections. `serverArgs` go to mariadbd as they are (TLS options, say).
   */
  static async start(serverArgs: readonly string[] = []): Promise<PrivateMariaDb> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'congress-mariadb-'));
    const uid = Number((await run('id', ['-u', 'mysql'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'mysql'])).stdout.trim());
    chownSync(dir, uid, gid);
    await run('mariadb-install-db', [`--datadir=${path.join(dir, 'data')}`, '--user=mysql', '--auth-root-authentication-method=normal', '--skip-test-db'], { timeout: 60_000 });
    const db = new PrivateMariaDb(dir, await freePort(), serverArgs);
    await db.launch();
    return db;
  }

  /** Creates a database. */
  async createDatabase(name: string): Promise<void> {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: this.port, user: 'root', password: '' });
    await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
    await c.end();
  }

  private async launch(): Promise<void> {
    const child = spawn(
      '/usr/sbin/mariadbd',
      [
        '--no-defaults',
        `--datadir=${path.join(this.dir, 'data')}`,
        '--user=mysql',
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${path.join(this.dir, 'sock')}`,
        `--pid-file=${path.join(this.dir, 'pid')}`,
        ...this.serverArgs,
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    const deadline = Date.now() + 30_000;
    while (!(await portOpen(this.port, undefined, 500))) {
      if (child.exitCode !== null) throw new Error(`private mariadbd exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error('private mariadbd did not accept connections within 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Stops the server (SIGTERM, clean shutdown) and waits for it to exit. */
  async halt(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child === null || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  /** Stops the server, waits `downMs`, starts it again on the same data and port. */
  async restart(downMs = 0): Promise<void> {
    await this.halt();
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    await this.launch();
  }

  /** Stops the server and removes its files. */
  async stop(): Promise<void> {
    await this.halt();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The client's ceiling for the API benchmark's rows with 32 clients: nginx, written in C, sending
 * the same bytes from the page cache with sendfile (no copy through user memory on the server),
 * loaded by the same wrk. Whatever nginx does not reach here, no server reaches on this machine:
 * at 268,904 bytes per answer, wrk's one thread spends most of a core taking the bytes in, on the
 * same two vCPUs as the server.
 *
 * Debian packages nginx (`apt-get install -y nginx-light`); `startNginx` installs it when the
 * benchmark runs as root on a machine without it, and otherwise says what to do. It runs in the
 * foreground without a master process, so the process started here is the one that serves and is
 * stopped by its PID.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

function onPath(): boolean {
  return spawnSync('nginx', ['-v'], { stdio: 'ignore' }).error === undefined;
}

function ensureNginx(): void {
  if (onPath()) return;
  if (process.getuid?.() === 0) {
    for (const refresh of [false, true]) {
      if (refresh) spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
      // The package's own start-up (a server on port 80) is kept from running.
      spawnSync('apt-get', ['install', '-y', '-qq', 'nginx-light'], { stdio: 'ignore', env: { ...process.env, RUNLEVEL: '1' } });
      if (onPath()) return;
    }
  }
  throw new Error('the API benchmark\'s client ceiling needs nginx: install it with `apt-get install -y nginx-light` (Debian/Ubuntu)');
}

/** A loopback port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address !== 'object') throw new Error('no loopback port');
  return address.port;
}

async function accepting(port: number, deadline: number): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nginx did not listen on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Nginx {
  readonly url: string;
  stop(): Promise<void>;
}

/** nginx serving `file` (in `dir`) at the returned URL, with sendfile. */
export async function startNginx(dir: string, file: string): Promise<Nginx> {
  ensureNginx();
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    [
      'daemon off;',
      'master_process off;',
      'worker_processes 1;',
      `pid ${path.join(dir, 'nginx.pid')};`,
      `error_log ${path.join(dir, 'nginx-error.log')};`,
      'events { worker_connections 1024; }',
      'http {',
      '  access_log off;',
      '  sendfile on;',
      '  tcp_nopush on;',
      '  keepalive_requests 1000000;',
      '  default_type application/json;',
      `  client_body_temp_path ${dir};`,
      `  proxy_temp_path ${dir};`,
      `  fastcgi_temp_path ${dir};`,
      `  uwsgi_temp_path ${dir};`,
      `  scgi_temp_path ${dir};`,
      `  server { listen 127.0.0.1:${port}; root ${path.dirname(file)}; }`,
      '}',
    ].join('\n') + '\n',
  );
  const child: ChildProcess = spawn('nginx', ['-c', conf, '-p', dir], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    await accepting(port, Date.now() + 10_000);
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}/${path.basename(file)}`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

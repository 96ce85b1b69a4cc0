/**
 * A private rsyslogd for tests: listens on its own socket in a temporary directory (not
 * /dev/log) and writes every message as `<facility>.<severity> <tag><message>` to a file.
 * Installs rsyslog when it is missing; stopped by its PID.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensurePackages } from './pacemaker';
import { GiveUp, waitFor } from './wait';

const RSYSLOGD = '/usr/sbin/rsyslogd';

export class PrivateSyslog {
  private constructor(
    readonly dir: string,
    /** The daemon's socket: `syslog_address` of the server under test. */
    readonly socket: string,
    private readonly messagesFile: string,
    private child: ChildProcess | null,
  ) {}

  static async start(): Promise<PrivateSyslog> {
    await ensurePackages([{ file: RSYSLOGD, pkg: 'rsyslog' }]);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-syslog-'));
    const syslog = new PrivateSyslog(dir, path.join(dir, 'log'), path.join(dir, 'messages'), null);
    await fs.writeFile(
      path.join(dir, 'rsyslog.conf'),
      [
        `global(workDirectory="${dir}")`,
        'module(load="imuxsock" SysSock.Use="off")',
        `input(type="imuxsock" Socket="${syslog.socket}")`,
        'template(name="line" type="string" string="%syslogfacility-text%.%syslogseverity-text% %syslogtag%%msg%\\n")',
        `*.* action(type="omfile" file="${syslog.messagesFile}" template="line")`,
        '',
      ].join('\n'),
    );
    await syslog.resume();
    return syslog;
  }

  /** Starts the daemon (again) and waits for its socket. */
  async resume(): Promise<void> {
    const child = spawn(RSYSLOGD, ['-n', '-f', path.join(this.dir, 'rsyslog.conf'), '-i', path.join(this.dir, 'rsyslogd.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    this.child = child;
    await waitFor(`rsyslogd's socket ${this.socket}`, 10_000, () => {
      if (child.exitCode !== null) throw new GiveUp(`rsyslogd exited (${child.exitCode}): ${stderr}`);
      return existsSync(this.socket) ? true : undefined;
    });
  }

  /** Stops the daemon by its PID (it removes its socket). */
  async pause(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child === null || child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(child.pid, 'SIGTERM');
    await exited;
  }

  /** The lines written so far. */
  async lines(): Promise<string[]> {
    const text = await fs.readFile(this.messagesFile, 'utf8').catch(() => '');
    return text.split('\n').filter((l) => l !== '');
  }

  async stop(): Promise<void> {
    await this.pause();
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

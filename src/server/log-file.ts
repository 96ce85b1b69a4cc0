/**
 * The log file of `[DEFAULT] log_file`, written synchronously a turn's lines at a time (see
 * log-batch.ts). With `watch_log_file` it behaves like Python's WatchedFileHandler, which the
 * original used for that option: before writing, it checks whether the file at the path is
 * still the one it has open, and opens the path again when logrotate (or anyone) moved or
 * removed it, so rotation needs no signal and no copytruncate.
 */
import fs from 'node:fs';
import type { LineSink } from './log-batch';

export class LogFile implements LineSink {
  private fd: number;
  private identity: { dev: number; ino: number };

  /** Opens (creating if needed) `file` for appending; throws with the path named when it cannot. */
  constructor(
    readonly file: string,
    private readonly watch: boolean,
  ) {
    this.fd = LogFile.open(file);
    this.identity = fs.fstatSync(this.fd);
  }

  private static open(file: string): number {
    try {
      return fs.openSync(file, 'a', 0o640);
    } catch (err) {
      throw new Error(`cannot open log file ${file}: ${(err as Error).message}`);
    }
  }

  write(text: string): void {
    if (this.watch) this.reopenIfMoved();
    fs.writeSync(this.fd, text);
  }

  private reopenIfMoved(): void {
    let now: fs.Stats | null;
    try {
      now = fs.statSync(this.file);
    } catch {
      now = null;
    }
    if (now !== null && now.dev === this.identity.dev && now.ino === this.identity.ino) return;
    try {
      const fd = LogFile.open(this.file);
      fs.closeSync(this.fd);
      this.fd = fd;
      this.identity = fs.fstatSync(fd);
    } catch {
      // The directory went away too: keep writing to the file we have rather than lose lines.
    }
  }
}

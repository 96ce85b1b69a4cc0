/**
 * Log lines gathered and written once per turn of the event loop.
 *
 * Node writes stderr synchronously when it is a pipe or a file (Linux), so a line per request
 * was a `write` system call per request on the request path: under 32 concurrent clients about
 * 5-8% of the server's CPU (docs/benchmarks.md). The lines of one turn now leave in one write, in
 * the order they were logged. A turn is short (the lines are out before the next timers and
 * I/O are handled), and the process's exit writes what is still held, so an orderly stop, a
 * failed start or an uncaught error loses nothing; only a SIGKILL can drop one turn's lines.
 */
import { Writable } from 'node:stream';

/** Where the gathered lines go: `process.stderr` in the server. */
export interface LineSink {
  write(text: string): unknown;
}

export class BatchedLines extends Writable {
  private held: string[] = [];
  private scheduled = false;
  private readonly flushOnExit = (): void => this.flush();

  constructor(
    private readonly sink: LineSink,
    /** Registers the exit hook; a test passes its own process-like emitter. */
    private readonly exitEvents: Pick<NodeJS.Process, 'on' | 'off'> = process,
  ) {
    super({ decodeStrings: false });
    this.exitEvents.on('exit', this.flushOnExit);
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.held.push(typeof chunk === 'string' ? chunk : String(chunk));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    done();
  }

  /** Writes every held line now, as one write. */
  flush(): void {
    this.scheduled = false;
    if (this.held.length === 0) return;
    const text = this.held.length === 1 ? this.held[0] : this.held.join('');
    this.held = [];
    this.sink.write(text);
  }

  override _final(done: (error?: Error | null) => void): void {
    this.flush();
    this.exitEvents.off('exit', this.flushOnExit);
    done();
  }
}

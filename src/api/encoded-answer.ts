/**
 * A serialised answer kept between requests (rows of a table, read far more often than they
 * change), with its gzip form. Large JSON answers shrink about tenfold, which matters more than
 * the server's time: a monitoring client polling a 10,000-row table through a proxy moves
 * 270 KB per poll without it. The official client (python-requests) sends
 * `Accept-Encoding: gzip, deflate`, so it gets the small form without asking.
 */
import { gzip } from 'node:zlib';

/** Below this size compression saves too little to be worth a client's inflate. */
export const MIN_GZIP_BYTES = 8 * 1024;

/**
 * Level 1: the answers are repetitive JSON, where the fastest level already gets most of the
 * gain (a 270 KB rows answer: about 1 ms of compression on a worker thread).
 */
const GZIP_LEVEL = 1;

export class EncodedAnswer {
  private gz: Buffer | undefined;
  private started = false;

  constructor(readonly bytes: Buffer) {}

  /** Whether a gzip form is offered at all, so the answer varies with `Accept-Encoding`. */
  get compressible(): boolean {
    return this.bytes.length >= MIN_GZIP_BYTES;
  }

  /**
   * The gzip form when it is ready. The first call starts compressing on zlib's worker thread
   * and returns undefined, so no request waits for it: the ones in between get the plain bytes.
   * A failed compression is not retried (the plain bytes stay correct).
   */
  gzipped(): Buffer | undefined {
    if (this.gz === undefined && !this.started && this.compressible) {
      this.started = true;
      gzip(this.bytes, { level: GZIP_LEVEL }, (err, out) => {
        if (err === null) this.gz = out;
      });
    }
    return this.gz;
  }
}

// Calls this node has sent and not yet had answered. Besides the timeout, a pending call fails
// early when its answer can no longer come: the node(s) that could answer left the bus, or this
// node's own link (and with it the reply queue) was lost.
import { RpcTimeout, type BusError } from './errors';
import type { ReplyMessage } from './protocol';
import { fromWireError } from './wire-errors';

/** What a pending call is waiting on. */
export interface PendingTarget {
  readonly service: string;
  readonly method: string;
  /** The node the call was addressed to, or undefined when any host of the service may answer. */
  readonly node: string | undefined;
}

interface Pending extends PendingTarget {
  resolve(value: unknown): void;
  reject(error: BusError): void;
  timer: NodeJS.Timeout;
}

/** The table of calls awaiting a reply, keyed by call id. */
export class PendingCalls {
  private readonly calls = new Map<string, Pending>();

  /** Registers a call; the promise settles with the reply, a timeout, or an early failure. */
  expect(id: string, target: PendingTarget, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.calls.delete(id);
        reject(new RpcTimeout(target.service, target.method, timeoutMs));
      }, timeoutMs);
      this.calls.set(id, { ...target, resolve, reject, timer });
    });
  }

  /** Settles a call with its reply; unknown ids (late replies) are ignored. */
  settle(id: string, outcome: { ok: true; result: unknown } | { ok: false; error: BusError }): void {
    const call = this.calls.get(id);
    if (!call) return;
    this.calls.delete(id);
    clearTimeout(call.timer);
    if (outcome.ok) call.resolve(outcome.result);
    else call.reject(outcome.error);
  }

  /** Settles a call with a reply from the bus, rebuilding a remote error for its service and method. */
  settleReply(reply: ReplyMessage): void {
    const call = this.calls.get(reply.id);
    if (!call) return;
    if (reply.ok) this.settle(reply.id, { ok: true, result: reply.result });
    else {
      const wire = reply.error ?? { name: 'Error', message: 'unknown remote error' };
      this.settle(reply.id, { ok: false, error: fromWireError(wire, call.service, call.method) });
    }
  }

  /** Fails every pending call matching `where` with the error `make` builds for it. */
  failWhere(where: (target: PendingTarget) => boolean, make: (target: PendingTarget) => BusError): void {
    for (const [id, call] of [...this.calls]) {
      if (where(call)) this.settle(id, { ok: false, error: make(call) });
    }
  }

  /** Number of calls awaiting a reply. */
  get size(): number {
    return this.calls.size;
  }
}

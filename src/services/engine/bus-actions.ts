/**
 * Action requests from this engine to datasource services wherever they run (ha.md §5.2): sent
 * as `request_execute`, not awaited; the datasource executes only its leader engine's requests.
 * With `[dse] execute_action_retry` a request that finds no datasource node, or no answer, is
 * sent again until it is delivered or the retry time is up: a datasource node that Pacemaker is
 * restarting then misses no action, at the price of an action that may run twice.
 */
import { backoffDelay, type BackoffPolicy, type DseNode, RpcTimeout, ServiceError, ServiceUnavailable } from '../../bus';
import { actionArgsFields } from '../common/action-args';
import { DS_SERVICE_METHODS } from './datasource-rpc';
import { type EngineLogger, silentLogger } from './logger';
import type { ActionSink, ExecuteSpec } from './types';

/**
 * What became of one action request: run by the datasource, ignored (not the leader), failed at
 * the service (only known when retrying, where the datasource answers after running it), or
 * not delivered.
 */
export interface ActionOutcome {
  readonly service: string;
  readonly action: string;
  readonly positional: readonly unknown[];
  readonly outcome: 'accepted' | 'ignored' | 'failed' | 'not-delivered';
  readonly detail?: string;
  /** Sends it took, when more than one. */
  readonly attempts?: number;
}

/** `[dse] execute_action_retry`: how long to keep sending one request, and the pause between sends. */
export interface ActionRetry {
  /** Milliseconds from the first send; 0 or less: until delivered or the sink is closed. */
  readonly forMs: number;
  /** Wait for one answer; the datasource answers after running the action. */
  readonly attemptTimeoutMs: number;
  readonly pause: BackoffPolicy;
}

export interface BusActionSinkOptions {
  readonly log?: EngineLogger;
  /** Wait for the datasource's acceptance of a request sent once. */
  readonly timeoutMs?: number;
  /** Told the outcome of every request (the audit trail). */
  readonly onOutcome?: (o: ActionOutcome) => void;
  /** Absent: each request is sent once, as the original's default. */
  readonly retry?: ActionRetry;
}

/** Failures a later send can cure: nobody hosts the service yet, or nobody answered in time. */
function deliveryFailure(err: unknown): boolean {
  return err instanceof ServiceUnavailable || err instanceof RpcTimeout;
}

/** `ActionSink` over the bus. */
export class BusActionSink implements ActionSink {
  private readonly log: EngineLogger;
  private readonly timeoutMs: number;
  private readonly onOutcome: (o: ActionOutcome) => void;
  private readonly retry: ActionRetry | undefined;
  /** Requests waiting for their next send, by timer; settled as not delivered on close. */
  private readonly waiting = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  constructor(
    private readonly bus: Pick<DseNode, 'serviceHosts' | 'call'>,
    options: BusActionSinkOptions = {},
  ) {
    this.log = options.log ?? silentLogger;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.onOutcome = options.onOutcome ?? (() => undefined);
    this.retry = options.retry;
  }

  get waitsForServices(): boolean {
    return this.retry !== undefined;
  }

  hasService(service: string): boolean {
    return (this.bus.serviceHosts()[service] ?? []).length > 0;
  }

  request(spec: ExecuteSpec): void {
    const retry = this.retry;
    const args = {
      action: spec.action,
      explicit: spec.explicit === true,
      // A retried request waits for the action itself, as the original's: a datasource node that
      // dies while running it is then retried too.
      wait: retry !== undefined,
      ...actionArgsFields(spec.positional, spec.named),
    };
    const name = `${spec.service}:${spec.action}`;
    const base = { service: spec.service, action: spec.action, positional: args.action_args.positional };
    const firstSent = Date.now();
    const report = (o: Pick<ActionOutcome, 'outcome' | 'detail'>, attempts: number): void =>
      this.onOutcome({ ...base, ...o, ...(attempts > 1 ? { attempts } : {}) });

    const send = (attempt: number): void => {
      this.bus.call(spec.service, DS_SERVICE_METHODS.requestExecute, args, { timeoutMs: retry?.attemptTimeoutMs ?? this.timeoutMs }).then(
        (answer: unknown) => {
          const a = (typeof answer === 'object' && answer !== null ? answer : {}) as { accepted?: unknown; reason?: unknown };
          if (a.accepted === false) report({ outcome: 'ignored', detail: String(a.reason ?? '') }, attempt);
          else report({ outcome: 'accepted' }, attempt);
        },
        (err: unknown) => {
          const message = (err as Error).message;
          if (retry && deliveryFailure(err) && !this.closed && (retry.forMs <= 0 || Date.now() - firstSent < retry.forMs)) {
            this.log.warn(`action ${name} not delivered (attempt ${attempt}): ${message}; retrying`);
            const timer = setTimeout(() => {
              this.waiting.delete(timer);
              send(attempt + 1);
            }, backoffDelay(retry.pause, attempt - 1));
            this.waiting.set(timer, () => report({ outcome: 'not-delivered', detail: 'the server stopped before the action was delivered' }, attempt));
            return;
          }
          if (retry && err instanceof ServiceError) {
            this.log.warn(`action ${name} failed: ${message}`);
            report({ outcome: 'failed', detail: message }, attempt);
            return;
          }
          this.log.warn(`action ${name} not delivered${attempt > 1 ? ` after ${attempt} attempts` : ''}: ${message}`);
          report({ outcome: 'not-delivered', detail: message }, attempt);
        },
      );
    };
    send(1);
  }

  /** Stops retrying; requests still waiting for a send are reported as not delivered. */
  close(): void {
    this.closed = true;
    for (const [timer, abandon] of this.waiting) {
      clearTimeout(timer);
      abandon();
    }
    this.waiting.clear();
  }
}

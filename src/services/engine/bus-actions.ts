/**
 * Action requests from this engine to datasource services wherever they run (ha.md §5.2): sent
 * as `request_execute`, not awaited; the datasource executes only its leader engine's requests.
 */
import type { DseNode } from '../../bus';
import { Float } from '../../datalog/value';
import { DS_SERVICE_METHODS } from './datasource-rpc';
import { type EngineLogger, silentLogger } from './logger';
import type { ActionSink, ExecuteSpec } from './types';

/** An engine value as JSON: floats and big integers as numbers. */
function jsonArg(v: unknown): unknown {
  if (v instanceof Float) return v.v;
  if (typeof v === 'bigint') return Number(v);
  return v;
}

/** What became of one action request: run by the datasource, ignored (not the leader), or not delivered. */
export interface ActionOutcome {
  readonly service: string;
  readonly action: string;
  readonly positional: readonly unknown[];
  readonly outcome: 'accepted' | 'ignored' | 'not-delivered';
  readonly detail?: string;
}

/** `ActionSink` over the bus. */
export class BusActionSink implements ActionSink {
  constructor(
    private readonly bus: Pick<DseNode, 'serviceHosts' | 'call'>,
    private readonly log: EngineLogger = silentLogger,
    private readonly timeoutMs = 60_000,
    /** Told the outcome of every request (the audit trail). */
    private readonly onOutcome: (o: ActionOutcome) => void = () => undefined,
  ) {}

  hasService(service: string): boolean {
    return (this.bus.serviceHosts()[service] ?? []).length > 0;
  }

  request(spec: ExecuteSpec): void {
    const args = {
      action: spec.action,
      explicit: spec.explicit === true,
      action_args: { positional: spec.positional.map(jsonArg), named: Object.fromEntries(Object.entries(spec.named).map(([k, v]) => [k, jsonArg(v)])) },
    };
    const base = { service: spec.service, action: spec.action, positional: args.action_args.positional };
    this.bus.call(spec.service, DS_SERVICE_METHODS.requestExecute, args, { timeoutMs: this.timeoutMs }).then(
      (answer: unknown) => {
        const a = (typeof answer === 'object' && answer !== null ? answer : {}) as { accepted?: unknown; reason?: unknown };
        if (a.accepted === false) this.onOutcome({ ...base, outcome: 'ignored', detail: String(a.reason ?? '') });
        else this.onOutcome({ ...base, outcome: 'accepted' });
      },
      (err: unknown) => {
        this.log.warn(`action ${spec.service}:${spec.action} not delivered: ${(err as Error).message}`);
        this.onOutcome({ ...base, outcome: 'not-delivered', detail: (err as Error).message });
      },
    );
  }
}

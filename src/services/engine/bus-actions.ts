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

/** `ActionSink` over the bus. */
export class BusActionSink implements ActionSink {
  constructor(
    private readonly bus: Pick<DseNode, 'serviceHosts' | 'call'>,
    private readonly log: EngineLogger = silentLogger,
    private readonly timeoutMs = 60_000,
  ) {}

  hasService(service: string): boolean {
    return (this.bus.serviceHosts()[service] ?? []).length > 0;
  }

  request(spec: ExecuteSpec): void {
    const args = {
      action: spec.action,
      action_args: { positional: spec.positional.map(jsonArg), named: Object.fromEntries(Object.entries(spec.named).map(([k, v]) => [k, jsonArg(v)])) },
    };
    this.bus.call(spec.service, DS_SERVICE_METHODS.requestExecute, args, { timeoutMs: this.timeoutMs }).catch((err: unknown) => {
      this.log.warn(`action ${spec.service}:${spec.action} not delivered: ${(err as Error).message}`);
    });
  }
}

// Errors crossing the bus. A caller must be able to map a remote failure exactly as a local one,
// so the bus's own errors are rebuilt as the same class and any other error keeps its name,
// message, `code` and `data` inside a ServiceError.
import { MethodNotFound, RpcTimeout, ServiceError, ServiceUnavailable, type BusError, type UnavailableReason } from './errors';
import { isRecord, wireCopy } from './json';
import type { WireError } from './protocol';

/** Turns anything a service method threw into its wire form. */
export function toWireError(error: unknown): WireError {
  if (error instanceof ServiceUnavailable) {
    return { name: error.name, message: error.message, fields: { service: error.service, reason: error.reason } };
  }
  if (error instanceof MethodNotFound) {
    return { name: error.name, message: error.message, fields: { service: error.service, method: error.method } };
  }
  if (error instanceof RpcTimeout) {
    return { name: error.name, message: error.message, fields: { service: error.service, method: error.method, timeoutMs: error.timeoutMs } };
  }
  if (error instanceof ServiceError) {
    return { name: error.errorName, message: error.message, code: error.errorCode, data: wireCopy(error.errorData) };
  }
  if (error instanceof Error) {
    const extra = error as Error & { code?: unknown; data?: unknown };
    const code = typeof extra.code === 'string' || typeof extra.code === 'number' ? extra.code : undefined;
    return { name: error.name, message: error.message, code, data: wireCopy(extra.data) };
  }
  return { name: 'Error', message: String(error) };
}

/** Rebuilds the error a service method raised, as seen by the caller of `service.method`. */
export function fromWireError(wire: WireError, service: string, method: string): BusError {
  const fields = isRecord(wire.fields) ? wire.fields : {};
  const text = (key: string, fallback: string): string => (typeof fields[key] === 'string' ? (fields[key] as string) : fallback);
  switch (wire.name) {
    case 'ServiceUnavailable':
      return new ServiceUnavailable(text('service', service), text('reason', 'no-host') as UnavailableReason);
    case 'MethodNotFound':
      return new MethodNotFound(text('service', service), text('method', method));
    case 'RpcTimeout':
      return new RpcTimeout(text('service', service), text('method', method), typeof fields.timeoutMs === 'number' ? fields.timeoutMs : 0);
    default:
      return new ServiceError(service, method, wire.name, wire.message, wire.code, wire.data);
  }
}

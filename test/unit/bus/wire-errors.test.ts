// Errors crossing the bus come back as the same classes, or as ServiceError keeping their facts.
import { MethodNotFound, RpcTimeout, ServiceError, ServiceUnavailable } from '../../../src/bus';
import { fromWireError, toWireError } from '../../../src/bus/wire-errors';

function roundTrip(error: unknown): unknown {
  return fromWireError(JSON.parse(JSON.stringify(toWireError(error))) as ReturnType<typeof toWireError>, 'svc', 'm');
}

describe('errors on the wire', () => {
  test("the bus's own errors keep their class and fields", () => {
    expect(roundTrip(new ServiceUnavailable('nova', 'host-lost'))).toEqual(new ServiceUnavailable('nova', 'host-lost'));
    expect(roundTrip(new MethodNotFound('nova', 'frob'))).toMatchObject({ service: 'nova', method: 'frob', code: 'method_not_found' });
    expect(roundTrip(new RpcTimeout('nova', 'get', 250))).toMatchObject({ timeoutMs: 250 });
    expect(roundTrip(new RpcTimeout('nova', 'get', 250))).toBeInstanceOf(RpcTimeout);
  });

  test('any other error becomes a ServiceError with its name, message, code and data', () => {
    const error = Object.assign(new TypeError('bad rule'), { code: 'rule_syntax', data: { line: 3 } });
    expect(roundTrip(error)).toEqual(new ServiceError('svc', 'm', 'TypeError', 'bad rule', 'rule_syntax', { line: 3 }));
    expect(roundTrip('a string thrown')).toMatchObject({ errorName: 'Error', message: 'a string thrown' });
  });
});

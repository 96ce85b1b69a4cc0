// transport_url parsing: the oslo.messaging forms, defaults, and no password in any message.
import { BusError, createTransport, describeEndpoints, InProcessTransport, parseTransportUrl } from '../../../src/bus';
import { tableKey } from '../../../src/bus/amqp/topology';

describe('transport_url', () => {
  test('a single RabbitMQ host with credentials and the default virtual host', () => {
    expect(parseTransportUrl('rabbit://user:s3cret@mq.example:5673/')).toEqual({
      kind: 'amqp',
      endpoints: [{ hostname: 'mq.example', port: 5673, username: 'user', password: 's3cret', vhost: '/' }],
      query: {},
    });
  });

  test('several hosts, comma-separated as in the original, share the virtual host', () => {
    const parsed = parseTransportUrl('rabbit://u:p@h1:5672,v:q@h2/congress?heartbeat=7');
    expect(parsed).toEqual({
      kind: 'amqp',
      endpoints: [
        { hostname: 'h1', port: 5672, username: 'u', password: 'p', vhost: 'congress' },
        { hostname: 'h2', port: 5672, username: 'v', password: 'q', vhost: 'congress' },
      ],
      query: { heartbeat: '7' },
    });
    if (parsed.kind === 'amqp') expect(describeEndpoints(parsed.endpoints)).toBe('amqp://h1:5672,h2:5672/congress');
  });

  test('percent-encoded credentials and vhost, IPv6 brackets, guest defaults', () => {
    const parsed = parseTransportUrl('amqp://a%40b:p%2Fw%3A@[::1]:5680/%2Fprod');
    expect(parsed).toMatchObject({ endpoints: [{ hostname: '::1', port: 5680, username: 'a@b', password: 'p/w:', vhost: '/prod' }] });
    expect(parseTransportUrl('rabbit://localhost')).toMatchObject({ endpoints: [{ username: 'guest', password: 'guest', port: 5672, vhost: '/' }] });
  });

  test('no URL or memory:// selects the in-process transport', () => {
    expect(parseTransportUrl(undefined)).toEqual({ kind: 'memory', name: '' });
    expect(parseTransportUrl('memory://cluster-a/')).toEqual({ kind: 'memory', name: 'cluster-a' });
    expect(createTransport('memory://x')).toBeInstanceOf(InProcessTransport);
  });

  test('bad URLs are refused without echoing the password', () => {
    for (const url of ['kafka://u:topsecret@h/', 'rabbit://u:topsecret@h:99999/', 'rabbit://u:topsecret@::1/', 'nonsense']) {
      const error = (() => {
        try {
          parseTransportUrl(url);
          return undefined;
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(BusError);
      expect((error as Error).message).not.toContain('topsecret');
    }
  });

  test('table routing keys escape dots and wildcards so different tables never share a key', () => {
    expect(tableKey('nova', 'servers')).toBe('nova.servers');
    expect(tableKey('a.b', 'c')).not.toBe(tableKey('a', 'b.c'));
    expect(tableKey('neutron', 'ports.fixed_ips')).toBe('neutron.ports%2Efixed_ips');
    expect(tableKey('x*', '#')).toBe('x%2A.%23');
  });
});

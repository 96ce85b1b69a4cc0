// Membership bookkeeping: joins, service changes, restarts, goodbyes and expiry.
import { PeerTable } from '../../../src/bus/peer-table';
import type { HeartbeatMessage } from '../../../src/bus/protocol';

function beat(node: string, instance: string, services: string[] = []): HeartbeatMessage {
  return { t: 'heartbeat', node, instance, services, subscriptions: {}, tables: {} };
}

describe('peer table', () => {
  test('a first heartbeat joins, a change of services updates, the same beat again changes nothing', () => {
    const table = new PeerTable('self', 3000);
    expect(table.observe(beat('b', 'i1', ['nova']), 0).map((e) => e.type)).toEqual(['joined']);
    expect(table.observe(beat('b', 'i1', ['nova']), 1000)).toEqual([]);
    expect(table.observe(beat('b', 'i1', ['nova', 'neutron']), 2000).map((e) => e.type)).toEqual(['updated']);
    expect(table.hostsOf('neutron')).toEqual(['b']);
    expect(table.get('b')).toMatchObject({ joinedAt: 0, lastSeenAt: 2000 });
  });

  test('own heartbeats never enter the table', () => {
    const table = new PeerTable('self', 3000);
    expect(table.observe(beat('self', 'i0'), 0)).toEqual([]);
    expect(table.list()).toEqual([]);
  });

  test('a new instance under the same id counts as leave + join', () => {
    const table = new PeerTable('self', 3000);
    table.observe(beat('b', 'old'), 0);
    const events = table.observe(beat('b', 'new'), 10);
    expect(events.map((e) => (e.type === 'left' ? `left:${e.reason}:${e.peer.instance}` : `${e.type}:${e.peer.instance}`))).toEqual(['left:restarted:old', 'joined:new']);
  });

  test('peers expire only after the timeout; a goodbye from an older instance is ignored', () => {
    const table = new PeerTable('self', 3000);
    table.observe(beat('b', 'i1'), 0);
    table.observe(beat('c', 'i1'), 2500);
    expect(table.expire(3000)).toEqual([]);
    expect(table.expire(3001).map((e) => e.peer.nodeId)).toEqual(['b']);
    expect(table.forget('c', 'other-instance')).toEqual([]);
    expect(table.forget('c', 'i1').map((e) => e.type === 'left' && e.reason)).toEqual(['goodbye']);
    expect(table.list()).toEqual([]);
  });
});

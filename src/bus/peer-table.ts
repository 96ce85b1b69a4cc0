// Membership as this node sees it: who else is on the bus, what they host and publish, and when
// they were last heard. Unlike the original, peers expire, and a new incarnation under the same id
// counts as a departure followed by an arrival.
import type { HeartbeatMessage, SubscriptionReport, TableMarks } from './protocol';

/** What this node knows about another live node. */
export interface PeerInfo {
  readonly nodeId: string;
  /** Random id of the peer's process incarnation; a new one means the peer restarted. */
  readonly instance: string;
  readonly services: readonly string[];
  readonly subscriptions: SubscriptionReport;
  readonly tables: TableMarks;
  /** Local clock (ms) when the peer was first seen in this incarnation. */
  readonly joinedAt: number;
  /** Local clock (ms) of the last heartbeat received from the peer. */
  readonly lastSeenAt: number;
}

/** Why a peer left the table. */
export type LeaveReason = 'expired' | 'goodbye' | 'restarted';

/** A membership change. */
export type PeerEvent =
  | { readonly type: 'joined'; readonly peer: PeerInfo }
  | { readonly type: 'left'; readonly peer: PeerInfo; readonly reason: LeaveReason }
  | { readonly type: 'updated'; readonly peer: PeerInfo; readonly previous: PeerInfo };

/** The live peers of one node, keyed by node id; the node's own heartbeats never enter it. */
export class PeerTable {
  private readonly peers = new Map<string, PeerInfo>();

  constructor(
    private readonly selfId: string,
    private readonly timeoutMs: number,
  ) {}

  /** Records a heartbeat; returns the membership changes it implies. */
  observe(heartbeat: HeartbeatMessage, now: number): PeerEvent[] {
    if (heartbeat.node === this.selfId) return [];
    const events: PeerEvent[] = [];
    const known = this.peers.get(heartbeat.node);
    if (known && known.instance !== heartbeat.instance) {
      this.peers.delete(known.nodeId);
      events.push({ type: 'left', peer: known, reason: 'restarted' });
    }
    const previous = this.peers.get(heartbeat.node);
    const peer: PeerInfo = {
      nodeId: heartbeat.node,
      instance: heartbeat.instance,
      services: [...heartbeat.services],
      subscriptions: heartbeat.subscriptions,
      tables: heartbeat.tables,
      joinedAt: previous?.joinedAt ?? now,
      lastSeenAt: now,
    };
    this.peers.set(peer.nodeId, peer);
    if (!previous) events.push({ type: 'joined', peer });
    else if (!sameMembers(previous.services, peer.services)) events.push({ type: 'updated', peer, previous });
    return events;
  }

  /** Drops a peer that said goodbye (only the incarnation that said it). */
  forget(nodeId: string, instance: string): PeerEvent[] {
    const peer = this.peers.get(nodeId);
    if (!peer || peer.instance !== instance) return [];
    this.peers.delete(nodeId);
    return [{ type: 'left', peer, reason: 'goodbye' }];
  }

  /** Drops peers not heard from for longer than the timeout. */
  expire(now: number): PeerEvent[] {
    const events: PeerEvent[] = [];
    for (const peer of [...this.peers.values()]) {
      if (now - peer.lastSeenAt > this.timeoutMs) {
        this.peers.delete(peer.nodeId);
        events.push({ type: 'left', peer, reason: 'expired' });
      }
    }
    return events;
  }

  /** The live peers, ordered by node id. */
  list(): PeerInfo[] {
    return [...this.peers.values()].sort((a, b) => a.nodeId.localeCompare(b.nodeId));
  }

  /** One peer by node id. */
  get(nodeId: string): PeerInfo | undefined {
    return this.peers.get(nodeId);
  }

  /** Ids of the live peers hosting a service. */
  hostsOf(serviceId: string): string[] {
    return this.list()
      .filter((peer) => peer.services.includes(serviceId))
      .map((peer) => peer.nodeId);
  }
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((x) => set.has(x));
}

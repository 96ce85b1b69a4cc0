// A Transport decorator that loses, duplicates or refuses messages on command, so that the shared
// suite can stage the same failures on the in-process and the AMQP transport.
import type { Inbox, LinkEvent, Transport, TransportIdentity } from '../../../../src/bus/transport';

/** Wraps a real transport and misbehaves on purpose. */
export class FaultyTransport implements Transport {
  /** The next this-many table publications are dropped (they look sent to the publisher). */
  dropTablePublications = 0;
  /** The next this-many table publications are sent twice. */
  duplicateTablePublications = 0;
  /** While true nothing received reaches the node; `reset` cures it, as a real reconnect would. */
  deaf = false;
  /** How many times the node reset the link. */
  resets = 0;

  constructor(private readonly inner: Transport) {}

  get description(): string {
    return `faulty ${this.inner.description}`;
  }

  get isUp(): boolean {
    return this.inner.isUp;
  }

  open(identity: TransportIdentity, inbox: Inbox): Promise<void> {
    return this.inner.open(identity, {
      control: (message) => {
        if (!this.deaf) inbox.control(message);
      },
      table: async (message) => {
        if (!this.deaf) await inbox.table(message);
      },
      direct: async (message) => {
        if (!this.deaf) await inbox.direct(message);
      },
    });
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  reset(reason: string): void {
    this.resets += 1;
    this.deaf = false;
    this.inner.reset(reason);
  }

  onLink(listener: (event: LinkEvent) => void): () => void {
    return this.inner.onLink(listener);
  }

  broadcast(message: object): Promise<void> {
    return this.inner.broadcast(message);
  }

  sendToService(serviceId: string, message: object, ttlMs?: number): Promise<void> {
    return this.inner.sendToService(serviceId, message, ttlMs);
  }

  sendToNode(nodeId: string, message: object, ttlMs?: number): Promise<void> {
    return this.inner.sendToNode(nodeId, message, ttlMs);
  }

  async publishTable(publisher: string, table: string, message: object): Promise<void> {
    if (this.dropTablePublications > 0) {
      this.dropTablePublications -= 1;
      return;
    }
    const first = this.inner.publishTable(publisher, table, message);
    if (this.duplicateTablePublications > 0) {
      this.duplicateTablePublications -= 1;
      await first;
      return this.inner.publishTable(publisher, table, message);
    }
    return first;
  }

  hostService(serviceId: string): Promise<void> {
    return this.inner.hostService(serviceId);
  }

  unhostService(serviceId: string): Promise<void> {
    return this.inner.unhostService(serviceId);
  }

  listenTable(publisher: string, table: string): Promise<void> {
    return this.inner.listenTable(publisher, table);
  }

  unlistenTable(publisher: string, table: string): Promise<void> {
    return this.inner.unlistenTable(publisher, table);
  }
}

// Publisher and subscriber state machines driven directly, without a transport: deltas, snapshots,
// and a property test that random loss, duplication and publisher restarts always converge.
import fc from 'fast-check';
import { ServiceUnavailable, TableReplica, type Row } from '../../../src/bus';
import type { TableMessage } from '../../../src/bus/protocol';
import { TablePublisher } from '../../../src/bus/table-publisher';
import { TableSubscription, type SubscriptionDeps } from '../../../src/bus/table-subscription';
import { silentLogger } from '../../../src/bus/logger';
import { eventually } from './support/eventually';

/** A subscription fed by hand from `source()`, the publisher currently answering snapshots. */
function harness(source: () => TablePublisher | undefined, overrides: Partial<SubscriptionDeps> = {}) {
  const replica = new TableReplica();
  let snapshotRequests = 0;
  const sub = new TableSubscription('nova', 'servers', 'engine', {
    fetchSnapshot: async () => {
      snapshotRequests += 1;
      await Promise.resolve();
      const publisher = source();
      if (!publisher) throw new ServiceUnavailable('nova', 'no-host');
      return publisher.snapshot('servers');
    },
    isPublisherMissing: (error) => error instanceof ServiceUnavailable,
    reassertRoute: () => undefined,
    deliver: async (update) => {
      await Promise.resolve();
      replica.apply(update);
    },
    retry: { initialMs: 1, maxMs: 5 },
    lagGraceMs: 0,
    log: silentLogger,
    ...overrides,
  });
  return { sub, replica, snapshots: () => snapshotRequests };
}

async function settled(sub: TableSubscription): Promise<void> {
  await eventually(() => expect(sub.state()).toMatchObject({ synced: true, resyncing: false, pending: 0 }), 2000, 2);
}

describe('table publisher', () => {
  test('a replacement becomes a delta against the last contents; no change uses no number', () => {
    const p = new TablePublisher('nova');
    expect(p.replace('servers', [['a'], ['b']])).toMatchObject({ seq: 1, add: [['a'], ['b']], del: [] });
    expect(p.replace('servers', [['b'], ['a']])).toBeUndefined();
    expect(p.replace('servers', [['b'], ['c']])).toMatchObject({ seq: 2, add: [['c']], del: [['a']], epoch: p.epoch });
    expect(p.snapshot('servers')).toEqual({ epoch: p.epoch, seq: 2, rows: [['b'], ['c']] });
    expect(p.marks()).toEqual({ servers: [p.epoch, 2] });
  });

  test('a delta publishes only its effect', () => {
    const p = new TablePublisher('nova');
    p.replace('t', [['a']]);
    expect(p.change('t', { add: [['a'], ['b']], del: [['zz']] })).toMatchObject({ seq: 2, add: [['b']], del: [] });
    expect(p.change('t', { add: [], del: [['zz']] })).toBeUndefined();
  });

  test('an unknown table snapshots as empty at 0; each incarnation has its own epoch', () => {
    const p = new TablePublisher('nova');
    expect(p.snapshot('lazy')).toEqual({ epoch: p.epoch, seq: 0, rows: [] });
    expect(new TablePublisher('nova').epoch).not.toBe(p.epoch);
  });
});

describe('table subscription', () => {
  test('publications that arrive while the snapshot is fetched are applied after it, in order', async () => {
    const p = new TablePublisher('nova');
    p.replace('servers', [['a']]);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { sub, replica } = harness(() => p, {
      fetchSnapshot: async () => {
        const snap = p.snapshot('servers');
        await gate;
        return snap;
      },
    });
    sub.start();
    const later = [p.replace('servers', [['a'], ['b']]), p.replace('servers', [['b']])] as TableMessage[];
    for (const m of later) await sub.receive(m);
    expect(sub.state()).toMatchObject({ synced: false, pending: 2 });
    release();
    await settled(sub);
    expect(replica.rows()).toEqual([['b']]);
    expect(sub.state()).toMatchObject({ seq: 3, snapshotsApplied: 1, deltasApplied: 2 });
  });

  test('a publication from beyond the publisher’s real numbers causes a bounded number of resyncs, not a loop', async () => {
    const p = new TablePublisher('nova');
    p.replace('servers', [['a']]);
    const { sub, snapshots } = harness(() => p);
    sub.start();
    await settled(sub);
    await sub.receive({ t: 'table', publisher: 'nova', table: 'servers', epoch: p.epoch, seq: 9, add: [['x']], del: [] });
    await settled(sub);
    const count = snapshots();
    expect(count).toBeLessThanOrEqual(3);
    const next = p.replace('servers', [['b']]) as TableMessage;
    await sub.receive(next);
    await settled(sub);
    expect(snapshots()).toBe(count);
    expect(sub.state()).toMatchObject({ seq: 2, deltasApplied: 1 });
  });

  test('waiting for an absent publisher: fetched at once when it appears', async () => {
    const current: { publisher?: TablePublisher } = {};
    const { sub, replica } = harness(() => current.publisher, { retry: { initialMs: 60_000, maxMs: 60_000 } });
    sub.start();
    await eventually(() => expect(sub.state().waitingForPublisher).toBe(true));
    current.publisher = new TablePublisher('nova');
    current.publisher.replace('servers', [['late']]);
    sub.publisherAppeared();
    await settled(sub);
    expect(replica.rows()).toEqual([['late']]);
    sub.close();
  });

  test('property: any mix of lost and duplicated publications and publisher restarts converges after one heartbeat', async () => {
    const op = fc.record({
      rows: fc.uniqueArray(fc.integer({ min: 0, max: 12 }), { maxLength: 8 }),
      fate: fc.constantFrom('deliver', 'deliver', 'deliver', 'lose', 'duplicate'),
      restart: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        let p = new TablePublisher('nova');
        const { sub, replica } = harness(() => p);
        sub.start();
        for (const { rows, fate, restart } of ops) {
          if (restart) p = new TablePublisher('nova');
          const message = p.replace('servers', rows.map((n): Row => [n]));
          if (!message || fate === 'lose') continue;
          await sub.receive(message);
          if (fate === 'duplicate') await sub.receive(message);
        }
        // One heartbeat's worth of marks, seen twice a grace period apart.
        const [epoch, seq] = p.marks().servers ?? [p.epoch, 0];
        await settled(sub);
        sub.observeMark(epoch, seq, 0);
        sub.observeMark(epoch, seq, 1);
        await settled(sub);
        expect(replica.rows()).toEqual(sortRows(p.snapshot('servers').rows));
        sub.close();
      }),
      { numRuns: 150 },
    );
  });
});

function sortRows(rows: Row[]): Row[] {
  return [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

/**
 * Delta propagation benchmark: one publisher node (the datasource node's role) and two
 * subscriber nodes (two policy engines) on RabbitMQ. Deltas are published at a fixed rate for a
 * bounded time; each carries its send time, and both subscribers record the latency at which it
 * was applied. Also the highest rate at which both subscribers keep up. Prints a Markdown table.
 *
 * Options (environment): BENCH_BUS_URL=rabbit://guest:guest@127.0.0.1:5672/  BENCH_DELTA_SECONDS=3
 */
import { randomUUID } from 'node:crypto';
import { createTransport, DseNode } from '../src/bus';

const url = process.env.BENCH_BUS_URL ?? 'rabbit://guest:guest@127.0.0.1:5672/';
const seconds = Number(process.env.BENCH_DELTA_SECONDS ?? 3);

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface RateResult {
  rate: number;
  sent: number;
  received: number;
  p50: number;
  p99: number;
}

async function main(): Promise<void> {
  const busId = `bench-deltas-${randomUUID().slice(0, 8)}`;
  const node = (nodeId: string): DseNode => new DseNode({ nodeId, busId, transport: createTransport(url), discoveryMs: 200 });
  const ds = node('ds');
  const service = await ds.register({ id: 'mon' });
  const pes = [node('pe1'), node('pe2')];
  await ds.start();
  for (const pe of pes) await pe.start();
  const latencies: number[][] = [[], []];
  let counts = [0, 0];
  const subs = await Promise.all(
    pes.map((pe, k) =>
      pe.subscribe({
        subscriber: 'engine',
        publisher: 'mon',
        table: 'events',
        onUpdate: (u) => {
          if (u.kind !== 'delta') return;
          const now = performance.timeOrigin + performance.now();
          for (const row of u.add) {
            latencies[k].push(now - Number(row[1]));
            counts[k]++;
          }
        },
      }),
    ),
  );
  for (const s of subs) await s.synced(30_000);

  let seq = 0;
  const run = async (rate: number): Promise<RateResult> => {
    latencies[0] = [];
    latencies[1] = [];
    counts = [0, 0];
    const interval = 1000 / rate;
    const start = performance.now();
    let sent = 0;
    while (performance.now() - start < seconds * 1000) {
      const due = Math.floor((performance.now() - start) / interval) + 1;
      while (sent < due) {
        seq++;
        void service.publishDelta('events', { add: [[seq, performance.timeOrigin + performance.now()]], del: seq > 1000 ? [[seq - 1000]] : [] });
        sent++;
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    const waitUntil = performance.now() + 5000;
    while ((counts[0] < sent || counts[1] < sent) && performance.now() < waitUntil) await new Promise((r) => setTimeout(r, 5));
    const all = [...latencies[0], ...latencies[1]].sort((a, b) => a - b);
    return { rate, sent, received: Math.min(counts[0], counts[1]), p50: percentile(all, 50), p99: percentile(all, 99) };
  };

  console.log(`# Delta propagation, 1 publisher -> 2 subscribers over RabbitMQ (${new Date().toISOString()}, ${seconds} s per rate)\n`);
  console.log('| deltas/s offered | sent | applied by both | latency p50 ms | latency p99 ms |');
  console.log('| --- | --- | --- | --- | --- |');
  let sustained = 0;
  for (const rate of [100, 1000, 2000, 4000, 8000]) {
    const r = await run(rate);
    console.log(`| ${r.rate} | ${r.sent} | ${r.received} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`);
    if (r.received === r.sent && r.p99 < 1000) sustained = rate;
    else break;
  }
  console.log(`\nHighest offered rate applied in full by both subscribers with p99 under 1 s: ${sustained} deltas/s`);
  for (const s of subs) await s.unsubscribe();
  for (const pe of pes) await pe.stop();
  await ds.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

/**
 * Bus benchmark: RPC latency and throughput, delta propagation and snapshot resync, over the
 * in-process transport and over RabbitMQ (BENCH_BUS_URL, default the local broker). Prints a
 * Markdown table. Run after building: `node dist/bench/bus.js`.
 *
 * Options (environment): BENCH_BUS_URL=rabbit://guest:guest@127.0.0.1:5672/  BENCH_BUS_CALLS=2000
 * BENCH_BUS_DELTAS=2000  BENCH_BUS_ROWS=50000
 */
import { randomUUID } from 'node:crypto';
import { createTransport, DseNode, InProcessBroker, TableReplica, type Row, type Transport } from '../src/bus';

const calls = Number(process.env.BENCH_BUS_CALLS ?? 2000);
const deltas = Number(process.env.BENCH_BUS_DELTAS ?? 2000);
const snapshotRows = Number(process.env.BENCH_BUS_ROWS ?? 50_000);
const amqpUrl = process.env.BENCH_BUS_URL ?? 'rabbit://guest:guest@127.0.0.1:5672/';

interface Result {
  transport: string;
  measure: string;
  value: string;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('benchmark step timed out');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

async function bench(name: string, makeTransport: () => Transport): Promise<Result[]> {
  const busId = `bench-${randomUUID().slice(0, 8)}`;
  const node = (nodeId: string): DseNode => new DseNode({ nodeId, busId, transport: makeTransport(), discoveryMs: 200 });
  const server = node('server');
  const ds = await server.register({ id: 'echo', methods: { echo: (args) => args } });
  const client = node('client');
  await server.start();
  await client.start();
  const results: Result[] = [];
  const row = (measure: string, value: string): void => void results.push({ transport: name, measure, value });

  const latencies: number[] = [];
  for (let i = 0; i < calls; i += 1) {
    const start = process.hrtime.bigint();
    await client.call('echo', 'echo', { i });
    latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  latencies.sort((a, b) => a - b);
  row('call latency p50 / p99 (ms)', `${percentile(latencies, 50).toFixed(3)} / ${percentile(latencies, 99).toFixed(3)}`);

  let started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < calls) {
        next += 1;
        await client.call('echo', 'echo', { next });
      }
    }),
  );
  row('calls/s, 64 in flight', String(Math.round(calls / ((Date.now() - started) / 1000))));

  const replica = new TableReplica();
  const sub = await client.subscribe({ subscriber: 'bench', publisher: 'echo', table: 't', onUpdate: (u) => replica.apply(u) });
  await sub.synced();
  started = Date.now();
  for (let i = 1; i <= deltas; i += 1) void ds.publishDelta('t', { add: [[i, `row-${i}`]], del: i > 100 ? [[i - 100, `row-${i - 100}`]] : [] });
  await until(() => replica.seq === deltas, 60_000);
  row('deltas applied/s (1 row each)', String(Math.round(deltas / ((Date.now() - started) / 1000))));

  const big: Row[] = Array.from({ length: snapshotRows }, (_, i) => [`vm-${i}`, i, { zone: i % 7, tags: ['a', 'b'] }]);
  await ds.publish('big', big);
  const bigReplica = new TableReplica();
  started = Date.now();
  const bigSub = await client.subscribe({ subscriber: 'bench', publisher: 'echo', table: 'big', onUpdate: (u) => bigReplica.apply(u) });
  await bigSub.synced(60_000);
  row(`snapshot of ${snapshotRows} rows (ms)`, String(Date.now() - started));

  await client.stop();
  await server.stop();
  return results;
}

async function main(): Promise<void> {
  const broker = new InProcessBroker();
  const results = [...(await bench('in-process', () => broker.transport()))];
  try {
    results.push(...(await bench('amqp', () => createTransport(amqpUrl, { openTimeoutMs: 5000 }))));
  } catch (error) {
    console.error(`AMQP part skipped: ${String(error)}`);
  }
  console.log('| transport | measure | value |\n| --- | --- | --- |');
  for (const r of results) console.log(`| ${r.transport} | ${r.measure} | ${r.value} |`);
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

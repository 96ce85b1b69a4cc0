/**
 * `npm run bench`: the engine benchmark. Generates the shared performance cases
 * (shared/bench/engine-cases.mjs), runs each file through `congress eval --timing` in its own
 * process (so peak RSS is per case), checks the answers against the original's checksums and
 * prints a Markdown table. Then measures single-fact updates with derived tables kept current.
 *
 * Options (environment): BENCH_SIZES=1000,5000,20000  BENCH_UPDATE_N=100000  BENCH_UPDATES=2000
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isJsonObject, parseJson, type JsonValue } from '../src/datalog/json';
import { Float } from '../src/datalog/value';

const ms = (v: JsonValue | undefined): number => (v instanceof Float ? v.v : Number(v));
import { measureUpdates } from './updates';

const root = path.resolve(__dirname, '..', '..');
const shared = process.env.CONGRESS_SHARED_DIR ?? path.resolve(root, '..', 'shared');
const sizes = (process.env.BENCH_SIZES ?? '1000,5000,20000').split(',').map(Number);

/** Reference checksums: "case|query" -> [count, sha16]. */
function referenceChecksums(): Map<string, [number, string]> {
  const md = readFileSync(path.join(shared, 'bench', 'engine-reference.md'), 'utf8');
  const out = new Map<string, [number, string]>();
  for (const line of md.split('\n')) {
    const m = /^\| (perf-[\w-]+) \| (?:`([^`]+)`|rows `([^`]+)`) \| (\d+) \| ([0-9a-f]{16}) \|$/.exec(line);
    if (m !== null) out.set(`${m[1]}|${m[2] ?? 'rows:' + m[3]}`, [Number(m[4]), m[5]]);
  }
  return out;
}

function checksum(items: string[]): string {
  return createHash('sha256').update([...items].sort().join('\n'), 'utf8').digest('hex').slice(0, 16);
}

interface Row {
  name: string;
  loadMs: number;
  totalMs: number;
  queries: string[];
  rssMb: number;
  checks: string;
}

function runSize(n: number, ref: Map<string, [number, string]>): Row[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'congress-bench-'));
  try {
    execFileSync(process.execPath, [path.join(shared, 'bench', 'engine-cases.mjs'), String(n), '--out', dir]);
    const casesFile = path.join(dir, `cases-${n}.json`);
    const cases = parseJson(readFileSync(casesFile, 'utf8'));
    const rows: Row[] = [];
    for (const c of Array.isArray(cases) ? cases : []) {
      if (!isJsonObject(c)) continue;
      const one = path.join(dir, `${String(c.name)}.json`);
      writeFileSync(one, JSON.stringify([c]));
      // The young generation size of bin/congress (see there).
      const child = spawnSync(
        process.execPath,
        ['--max-old-space-size=16000', '--max-semi-space-size=1', '-e', `
          const { evalCommand } = require(${JSON.stringify(path.join(root, 'dist', 'src', 'cli', 'eval.js'))});
          const out = evalCommand({ file: ${JSON.stringify(one)}, timing: true });
          process.stdout.write(out);
          process.stderr.write(JSON.stringify({ rss: process.resourceUsage().maxRSS }));
        `],
        { maxBuffer: 1 << 30, encoding: 'utf8' },
      );
      if (child.status !== 0) throw new Error(`case ${String(c.name)} failed: ${child.stderr}`);
      const result = (parseJson(child.stdout) as JsonValue[])[0] as { [k: string]: JsonValue };
      const rss = (JSON.parse(child.stderr) as { rss: number }).rss / 1024;
      const timing = result.timing as { [k: string]: JsonValue };
      const qms = timing.queries_ms as { [k: string]: JsonValue };
      const queries: string[] = [];
      let ok = 0;
      let bad = 0;
      const results = result.results as { [k: string]: JsonValue };
      for (const [q, answers] of Object.entries(results)) {
        const list = Array.isArray(answers) ? answers.map(String) : [];
        queries.push(`\`${q}\`: ${ms(qms[q]).toFixed(1)} (${list.length})`);
        const r = ref.get(`${String(c.name)}|${q}`);
        if (r !== undefined) {
          if (r[0] === list.length && r[1] === checksum(list)) ok++;
          else bad++;
        }
      }
      const rowsRes = (result.rows ?? {}) as { [k: string]: JsonValue };
      for (const [t, data] of Object.entries(rowsRes)) {
        const list = Array.isArray(data) ? data.map((r) => JSON.stringify(r)) : [];
        queries.push(`rows ${t}: ${ms(qms['rows:' + t]).toFixed(1)} (${list.length})`);
        const r = ref.get(`${String(c.name)}|rows:${t}`);
        if (r !== undefined) {
          if (r[0] === list.length && r[1] === checksum(list)) ok++;
          else bad++;
        }
      }
      rows.push({
        name: String(c.name),
        loadMs: ms(timing.load_ms),
        totalMs: ms(timing.total_ms),
        queries,
        rssMb: rss,
        checks: bad === 0 ? `${ok}/${ok} match` : `${bad} MISMATCH`,
      });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const ref = referenceChecksums();
  console.log(`# Engine benchmark (${new Date().toISOString()}, node ${process.version})\n`);
  console.log('| case | load ms | queries: ms (answers) | total ms | peak RSS MB | answers vs original |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const n of sizes) {
    for (const r of runSize(n, ref)) {
      console.log(`| ${r.name} | ${r.loadMs.toFixed(1)} | ${r.queries.join('<br>')} | ${r.totalMs.toFixed(1)} | ${r.rssMb.toFixed(0)} | ${r.checks} |`);
    }
  }
  const updN = Number(process.env.BENCH_UPDATE_N ?? 100000);
  const count = Number(process.env.BENCH_UPDATES ?? 2000);
  const u = measureUpdates(updN, count);
  console.log(`\n## Single-fact updates at N=${updN} (perf-join rules, res/sink/hop2 materialized)\n`);
  console.log(`- load + materialize: ${u.loadMs.toFixed(0)} ms`);
  console.log(`- insert one edge: mean ${u.insertMeanUs.toFixed(1)} µs, p99 ${u.insertP99Us.toFixed(1)} µs`);
  console.log(`- delete one edge: mean ${u.deleteMeanUs.toFixed(1)} µs, p99 ${u.deleteP99Us.toFixed(1)} µs`);
  console.log(`- derived tables checked against a full recomputation: ${u.consistent ? 'identical' : 'DIFFERENT'}`);
}

main();

/**
 * Differential check against the original engine: runs cases on our engine and on the original
 * (scripts/congress-oracle/run_case.py, or a file of its saved answers), compares them by the
 * conformance README's rules and prints each divergence.
 *
 *   node dist/scripts/oracle-compare.js CASES.json [--original ORIG.json] [--out REPORT.json]
 *
 * Without --original the Python oracle is run (CONGRESS_ORACLE_PYTHON, default
 * /work/oracle-venv/bin/python). The exit code is 0 even when cases diverge: divergences are
 * findings to classify, not failures of this script.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compareResult, resultsByName, tagsOf } from '../src/cli/conformance';
import { readCases } from '../src/cli/eval';
import { runCase } from '../src/datalog/cases';
import { isJsonObject, parseJson, prettyJson, stringifyJson, type JsonValue } from '../src/datalog/json';

type Obj = { [key: string]: JsonValue };

/** Cases run by the oracle in one Python process; a chunk is bounded by ORACLE_TIMEOUT_MS. */
const ORACLE_TIMEOUT_MS = 300_000;

interface Args {
  cases: string;
  original?: string;
  out?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { cases: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--original') args.original = argv[++i];
    else if (a === '--out') args.out = argv[++i];
    else args.cases = a;
  }
  if (args.cases === '') throw new Error('usage: oracle-compare CASES.json [--original ORIG.json] [--out REPORT.json]');
  return args;
}

function runOracle(casesFile: string): JsonValue {
  const python = process.env.CONGRESS_ORACLE_PYTHON ?? '/work/oracle-venv/bin/python';
  const script = path.resolve(__dirname, '..', '..', 'scripts', 'congress-oracle', 'run_case.py');
  const r = spawnSync(python, [script, casesFile], { encoding: 'utf8', timeout: ORACLE_TIMEOUT_MS, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`oracle failed (${String(r.status)}): ${r.stderr.slice(-2000)}`);
  return parseJson(r.stdout);
}

/** Whether the original answered some part of this case with a Python exception (no reference answer). */
function originalCrashed(o: Obj): boolean {
  if (typeof o.crash === 'string') return true;
  const text = stringifyJson(o);
  return text.includes('"internal":');
}

/** Diagnostic lists that the README does not score; differences there are reported as info. */
function infoDiffs(o: Obj, a: Obj): string[] {
  const out: string[] = [];
  const shape = (v: JsonValue | undefined, keys: string[]): string =>
    stringifyJson(
      (Array.isArray(v) ? v : [])
        .map((x) => (isJsonObject(x) ? keys.map((k) => String(x[k] ?? '')).join('|') : ''))
        .sort(),
    );
  const lists: [string, string[]][] = [
    ['fact_errors', ['policy', 'message']],
    ['delete_errors', ['index', 'message']],
    ['policy_errors', ['policy']],
    ['datasource_errors', ['datasource']],
    ['datasource_update_errors', ['datasource']],
  ];
  for (const [k, keys] of lists) {
    const eo = shape(o[k], keys);
    const ea = shape(a[k], keys);
    if (eo !== ea) out.push(`${k}: original ${eo} ours ${ea}`);
  }
  return out;
}

/**
 * The README forgives the order of variables in `(vars {...})`: Python prints a set in hash
 * order, which changes from run to run. With ORACLE_EXACT_MESSAGES=1 (for an original run with
 * PYTHONHASHSEED=0, whose order ours reproduces) messages are compared as they are.
 */
function normalizeMessage(m: string): string {
  if (process.env.ORACLE_EXACT_MESSAGES === '1') return m;
  // Several head-safety errors of one rule come in set order too: they are sorted among themselves.
  const parts = m.split(';');
  const isHeadVar = (p: string): boolean => /^Variable \S+ found in head but not in body/.test(p);
  const headVars = parts.filter(isHeadVar).sort();
  return parts
    .map((p) => (isHeadVar(p) ? (headVars.shift() ?? p) : p))
    .join(';').replace(/\{('[^']*'(?:, '[^']*')*)\}/g, (_all, inner: string) => `{${inner.split(', ').sort().join(', ')}}`);
}

function messageDiffs(o: Obj, a: Obj): string[] {
  const out: string[] = [];
  const ours = new Map<string, string>();
  for (const x of Array.isArray(a.rule_errors) ? a.rule_errors : []) if (isJsonObject(x)) ours.set(String(x.index), String(x.message));
  for (const x of Array.isArray(o.rule_errors) ? o.rule_errors : []) {
    if (!isJsonObject(x)) continue;
    const mine = ours.get(String(x.index));
    if (mine !== undefined && normalizeMessage(mine) !== normalizeMessage(String(x.message))) out.push(`rule ${String(x.index)}: original ${JSON.stringify(x.message)} ours ${JSON.stringify(mine)}`);
  }
  return out;
}

/**
 * Simulate invents a fresh UUID for each unbound variable of an effect; the original's are random
 * (uuid4) and ours are counters, so both are replaced by one placeholder before comparing.
 */
function normalizeUuids(v: JsonValue): JsonValue {
  if (typeof v === 'string') {
    return v.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|sim-[0-9a-f]{8}-0000-4000-8000-000000000000/g, '<uuid>');
  }
  if (Array.isArray(v)) return v.map(normalizeUuids);
  if (isJsonObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalizeUuids(x)]));
  return v;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const cases = readCases(args.cases);
  const origList = args.original !== undefined ? parseJson(readFileSync(args.original, 'utf8')) : runOracle(args.cases);
  const orig = resultsByName(origList);
  const perTag = new Map<string, { cases: number; diverged: number }>();
  const report: Obj[] = [];
  let diverged = 0;
  let oracleGaps = 0;
  let same = 0;
  let total = 0;
  for (const c of cases) {
    const name = String(c.name);
    const o = orig.get(name);
    if (o === undefined) continue;
    const tags = tagsOf(c);
    let ours: Obj;
    try {
      ours = runCase(c);
    } catch (err) {
      ours = { name, crash: (err as Error).stack ?? String(err) };
    }
    const cmp = compareResult(normalizeUuids(o) as Obj, normalizeUuids(ours) as Obj, tags);
    same += cmp.messagesSame;
    total += cmp.messagesTotal;
    const crashed = originalCrashed(o);
    const mismatches = typeof ours.crash === 'string' ? [`ours crashed: ${String(ours.crash)}`, ...cmp.mismatches] : cmp.mismatches;
    const messages = messageDiffs(o, ours);
    const info = infoDiffs(o, ours);
    for (const t of tags.length > 0 ? tags : ['(none)']) {
      const s = perTag.get(t) ?? { cases: 0, diverged: 0 };
      s.cases++;
      if (mismatches.length > 0) s.diverged++;
      perTag.set(t, s);
    }
    if (mismatches.length > 0) {
      if (crashed) oracleGaps++;
      else diverged++;
    }
    if (mismatches.length > 0 || messages.length > 0 || info.length > 0) {
      report.push({ name, tags, originalCrashed: crashed, mismatches, messages, info, case: c, original: o, ours });
      const label = mismatches.length > 0 ? (crashed ? 'ORACLE-GAP' : 'DIVERGES') : 'messages/info';
      console.log(`${label} ${name}`);
      for (const m of [...mismatches, ...messages.map((x) => `message ${x}`), ...info.map((x) => `info ${x}`)]) console.log(`    ${m}`);
    }
  }
  console.log('per tag (cases / diverging):');
  for (const [t, s] of [...perTag.entries()].sort()) console.log(`  ${t}: ${s.cases} / ${s.diverged}`);
  console.log(`error messages identical ${same}/${total}`);
  console.log(`oracle-compare: ${orig.size} cases, ${diverged} diverging, ${oracleGaps} where the original crashed`);
  if (args.out !== undefined) writeFileSync(args.out, prettyJson(report) + '\n');
}

main();

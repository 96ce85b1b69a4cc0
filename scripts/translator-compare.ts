/**
 * Differential check of the datasource translators against the original's
 * (scripts/congress-translator-oracle): runs each generated case through our translator engine
 * and compares schema and rows with the original's saved answers.
 *
 *   node dist/scripts/translator-compare.js CASES.json ORIGINAL.json [--verbose]
 *
 * Prints one line per diverging case and a summary line; exits 0 either way (divergences are
 * findings to classify, not failures of this script).
 */
import { readFileSync } from 'node:fs';
import { parseDataJson } from '../src/datalog/json';
import { Float, formatFloat } from '../src/datalog/value';
import { translatorFromJson } from '../src/services/datasources/translation/from-json';
import { schemaOf } from '../src/services/datasources/translation/schema';
import { RootTranslator } from '../src/services/datasources/translation/translate';
import { validateTranslators } from '../src/services/datasources/translation/validate';
import type { NativeValue } from '../src/services/datasources/translation/values';

export interface Case {
  readonly name: string;
  readonly translator: unknown;
  readonly objects: unknown;
}

export interface Answer {
  readonly name: string;
  readonly schema?: Record<string, string[]>;
  readonly schema_error?: string;
  readonly rows?: unknown[];
  readonly error?: string;
}

/** A value typed as the oracle types Python values (JSON numbers alone lose int versus float). */
function typed(v: NativeValue): unknown {
  if (v === null) return null;
  if (typeof v === 'boolean') return { b: v };
  if (v instanceof Float) return { f: formatFloat(v.v) };
  if (typeof v === 'number') return Number.isInteger(v) ? { i: String(v) } : { f: formatFloat(v) };
  return { s: v };
}

/** JSON with sorted keys, as Python's `json.dumps(..., sort_keys=True)` orders them. */
function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

function ours(c: Case): Answer {
  let root;
  try {
    root = translatorFromJson(c.translator);
    validateTranslators([root]);
  } catch (err) {
    return { name: c.name, schema_error: (err as Error).message };
  }
  const schema: Record<string, string[]> = {};
  for (const t of schemaOf([root])) schema[t.name] = t.columns.map((col) => col.name);
  try {
    const { tables } = new RootTranslator(root).convert(c.objects, 'strict');
    const rows = new Set<string>();
    for (const [table, list] of tables) for (const row of list) rows.add(sortedJson([table, row.map(typed)]));
    return { name: c.name, schema, rows: [...rows].sort().map((r) => JSON.parse(r) as unknown) };
  } catch (err) {
    return { name: c.name, schema, error: (err as Error).message };
  }
}

/** How our answer to a case differs from the original's (nothing when they agree). */
export function compareCase(c: Case, o: Answer): { problems: string[]; bothRefused: boolean } {
  const a = ours(c);
  const problems: string[] = [];
  let bothRefused = false;
  if ((o.schema_error === undefined) !== (a.schema_error === undefined)) problems.push(`translator: original ${o.schema_error ?? 'accepts'}, ours ${a.schema_error ?? 'accepts'}`);
  else if (o.schema !== undefined && sortedJson(o.schema) !== sortedJson(a.schema)) problems.push(`schema: original ${sortedJson(o.schema)}, ours ${sortedJson(a.schema)}`);
  if (o.schema_error === undefined && a.schema_error === undefined) {
    if ((o.error === undefined) !== (a.error === undefined)) problems.push(`convert: original ${o.error ?? 'ok'}, ours ${a.error ?? 'ok'}`);
    else if (o.error !== undefined) bothRefused = true;
    else {
      const oRows = new Set((o.rows ?? []).map(sortedJson));
      const aRows = new Set((a.rows ?? []).map(sortedJson));
      const missing = [...oRows].filter((r) => !aRows.has(r));
      const extra = [...aRows].filter((r) => !oRows.has(r));
      if (missing.length > 0 || extra.length > 0) problems.push(`rows: missing ${missing.slice(0, 3).join(' ')} extra ${extra.slice(0, 3).join(' ')}`);
    }
  }
  return { problems, bothRefused };
}

/** Cases as drivers read upstream answers: `1.0` in a case stays a float. */
export function readCases(text: string): Case[] {
  return parseDataJson(text) as unknown as Case[];
}

function main(): void {
  const [casesFile, originalFile] = process.argv.slice(2);
  const verbose = process.argv.includes('--verbose');
  const cases = readCases(readFileSync(casesFile, 'utf8'));
  const original = new Map((JSON.parse(readFileSync(originalFile, 'utf8')) as Answer[]).map((a) => [a.name, a]));
  let diverging = 0;
  let errorsBoth = 0;
  for (const c of cases) {
    const o = original.get(c.name);
    if (o === undefined) continue;
    const { problems, bothRefused } = compareCase(c, o);
    if (bothRefused) errorsBoth++;
    if (problems.length > 0) {
      diverging++;
      console.log(`DIVERGE ${c.name}: ${problems.join('; ')}`);
      if (verbose) console.log(`  translator ${JSON.stringify(c.translator)}\n  objects ${JSON.stringify(c.objects).slice(0, 600)}`);
    }
  }
  console.log(`translator-compare: ${cases.length} cases, ${diverging} diverging, ${errorsBoth} where both refused the objects`);
}

if (require.main === module) main();

/**
 * Differential check of the OpenStack datasource drivers against the original's: starts the fake
 * cloud of the tests (test/fixtures/openstack) on loopback, polls it once with each of our
 * drivers and once with the original's (scripts/congress-driver-oracle/orig_driver.py, run with
 * the original's client libraries), and compares every table.
 *
 *   node dist/scripts/driver-compare.js [DRIVER ...]
 *   node dist/scripts/driver-compare.js --record test/fixtures/oracle/drivers.json [DRIVER ...]
 *
 * Needs the API oracle's environment (scripts/congress-api-oracle/setup.sh). Prints the
 * differing rows per table and one summary line per driver; exits 0 either way (differences are
 * findings to classify).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Row } from '../src/bus/json';
import { parseJson, stringifyJson } from '../src/datalog/json';
import { rowJson } from '../src/services/common/number-cell';
import { BUILTIN_DRIVERS } from '../src/services/datasources';
import { FakeCloud } from '../test/fixtures/openstack';
import { startPolled, tablesOf } from '../test/unit/datasources/support';

/** Our driver id → the original's module and class. */
export const ORIGINAL: Readonly<Record<string, readonly [string, string]>> = {
  nova: ['nova_driver', 'NovaDriver'],
  neutronv2: ['neutronv2_driver', 'NeutronV2Driver'],
  neutronv2_qos: ['neutronv2_qos_driver', 'NeutronV2QosDriver'],
  keystonev3: ['keystonev3_driver', 'KeystoneV3Driver'],
  cinder: ['cinder_driver', 'CinderDriver'],
  glancev2: ['glancev2_driver', 'GlanceV2Driver'],
  heat: ['heatv1_driver', 'HeatV1Driver'],
  ironic: ['ironic_driver', 'IronicDriver'],
  swift: ['swift_driver', 'SwiftDriver'],
  aodh: ['aodh_driver', 'AodhDriver'],
  monasca: ['monasca_driver', 'MonascaDriver'],
  mistral: ['mistral_driver', 'MistralDriver'],
  murano: ['murano_driver', 'MuranoDriver'],
  tacker: ['tacker_driver', 'TackerDriver'],
};

const PYTHON = process.env.CONGRESS_ORACLE_PYTHON ?? '/work/oracle-venv-api/bin/python';
const ORIG_SCRIPT = path.resolve(__dirname, '..', '..', 'scripts', 'congress-driver-oracle', 'orig_driver.py');

/** A row in one canonical JSON spelling, whichever side printed it; `1.0` stays apart from `1`. */
const canonical = (row: string): string => stringifyJson(parseJson(row));

/** One table's rows that only one side has. */
export interface TableDiff {
  readonly table: string;
  readonly originalRows: number;
  readonly ourRows: number;
  readonly onlyOriginal: string[];
  readonly onlyOurs: string[];
}

/** Our driver's tables after one poll of the cloud, and its last error. */
export async function ourTables(cloud: FakeCloud, id: string): Promise<{ tables: Record<string, Row[]>; lastError: string }> {
  const def = BUILTIN_DRIVERS.find((d) => d.id === id);
  if (def === undefined) throw new Error(`${id}: no such driver here`);
  const { driver } = await startPolled(def, cloud.config({ poll_time: 0 }));
  const tables = tablesOf(driver);
  const lastError = driver.status([]).last_error;
  await driver.stop();
  return { tables, lastError };
}

/** The tables whose rows differ; `original` holds the original's rows as the JSON text Python wrote. */
export function diffTables(original: Record<string, string[]>, ours: Record<string, Row[]>): TableDiff[] {
  const out: TableDiff[] = [];
  for (const table of [...new Set([...Object.keys(original), ...Object.keys(ours)])].sort()) {
    const o = new Set((original[table] ?? []).map(canonical));
    const a = new Set((ours[table] ?? []).map((r) => stringifyJson(rowJson(r))));
    const onlyOriginal = [...o].filter((r) => !a.has(r));
    const onlyOurs = [...a].filter((r) => !o.has(r));
    if (onlyOriginal.length > 0 || onlyOurs.length > 0) out.push({ table, originalRows: o.size, ourRows: a.size, onlyOriginal, onlyOurs });
  }
  return out;
}

/** The original driver's tables after one poll of the cloud, as its rows' JSON text. */
function originalTables(cloud: FakeCloud, id: string): Promise<Record<string, string[]>> {
  const [module, cls] = ORIGINAL[id];
  // Asynchronously: the fake cloud answers the original's requests from this process.
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [ORIG_SCRIPT, module, cls, id, cloud.authUrl], { encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      if (err === null) resolve(JSON.parse(stdout) as Record<string, string[]>);
      else reject(new Error(`${id}: the original driver failed against the fake cloud: ${stderr.trim().split('\n').pop() ?? ''}`));
    });
  });
}

/** The origin of the fake cloud's URLs, which some rows hold (heat's links); it changes with the port. */
export const CLOUD_ORIGIN = '{{CLOUD}}';

export function cloudOrigin(cloud: FakeCloud): string {
  return new URL(cloud.authUrl).origin;
}

async function compare(cloud: FakeCloud, id: string): Promise<string> {
  if (ORIGINAL[id] === undefined) return `${id}: no such driver here`;
  const { tables: ours, lastError } = await ourTables(cloud, id);
  let original: Record<string, string[]>;
  try {
    original = await originalTables(cloud, id);
  } catch (err) {
    return (err as Error).message;
  }
  const diffs = diffTables(original, ours);
  for (const d of diffs) {
    console.log(`  ${id}.${d.table}: original ${d.originalRows} rows, ours ${d.ourRows}`);
    for (const r of d.onlyOriginal.slice(0, 3)) console.log(`    - original only ${r.slice(0, 300)}`);
    for (const r of d.onlyOurs.slice(0, 3)) console.log(`    + ours only     ${r.slice(0, 300)}`);
  }
  return `${id}: ${new Set([...Object.keys(original), ...Object.keys(ours)]).size} tables, ${diffs.length} differing (our last_error ${lastError})`;
}

/** Writes the original drivers' tables (those that run here) for test/unit/datasources/driver-oracle.test.ts. */
async function record(file: string, ids: readonly string[]): Promise<void> {
  const tables: Record<string, Record<string, string[]>> = {};
  for (const id of ids) {
    const cloud = await FakeCloud.start(0);
    try {
      const original = await originalTables(cloud, id);
      const origin = cloudOrigin(cloud);
      tables[id] = Object.fromEntries(Object.entries(original).map(([t, rows]) => [t, rows.map((r) => r.split(origin).join(CLOUD_ORIGIN))]));
    } catch (err) {
      console.log((err as Error).message);
    } finally {
      await cloud.close();
    }
  }
  const description =
    "The original Congress drivers' tables (commit 85243abf, run by scripts/congress-driver-oracle/orig_driver.py with Debian's client libraries) " +
    `after one poll of the fake cloud of test/fixtures/openstack, recorded ${new Date().toISOString().slice(0, 10)} by scripts/driver-compare.ts --record. ` +
    'Rows are the JSON text Python wrote; the fake cloud\'s origin is {{CLOUD}}.';
  writeFileSync(file, JSON.stringify({ description, tables }, null, 1) + '\n');
  console.log(`recorded ${Object.keys(tables).length} drivers to ${file}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--record');
  const file = at >= 0 ? args[at + 1] : undefined;
  const wanted = args.filter((a, i) => a !== '--record' && (at < 0 || i !== at + 1));
  const ids = wanted.length > 0 ? wanted : Object.keys(ORIGINAL);
  if (file !== undefined) return record(file, ids);
  const cloud = await FakeCloud.start(0);
  try {
    for (const id of ids) console.log(await compare(cloud, id));
  } finally {
    await cloud.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}

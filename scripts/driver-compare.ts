/**
 * Differential check of the OpenStack datasource drivers against the original's: starts the fake
 * cloud of the tests (test/fixtures/openstack) on loopback, polls it once with each of our
 * drivers and once with the original's (scripts/congress-driver-oracle/orig_driver.py, run with
 * the original's client libraries), and compares every table.
 *
 *   node dist/scripts/driver-compare.js [DRIVER ...]
 *
 * Needs the API oracle's environment (scripts/congress-api-oracle/setup.sh). Prints the
 * differing rows per table and one summary line per driver; exits 0 either way (differences are
 * findings to classify).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { parseJson, stringifyJson } from '../src/datalog/json';
import { rowJson } from '../src/services/common/number-cell';
import { BUILTIN_DRIVERS } from '../src/services/datasources';
import { FakeCloud } from '../test/fixtures/openstack';
import { startPolled, tablesOf } from '../test/unit/datasources/support';

/** Our driver id → the original's module and class. */
const ORIGINAL: Readonly<Record<string, readonly [string, string]>> = {
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

async function compare(cloud: FakeCloud, id: string): Promise<string> {
  const def = BUILTIN_DRIVERS.find((d) => d.id === id);
  if (def === undefined) return `${id}: no such driver here`;
  const { driver } = await startPolled(def, cloud.config({ poll_time: 0 }));
  const ours = tablesOf(driver);
  const lastError = driver.status([]).last_error;
  await driver.stop();
  const [module, cls] = ORIGINAL[id];
  // Asynchronously: the fake cloud answers the original's requests from this process.
  const run = await new Promise<{ ok: boolean; stdout: string; stderr: string }>((resolve) => {
    execFile(PYTHON, [ORIG_SCRIPT, module, cls, id, cloud.authUrl], { encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 26 }, (err, stdout, stderr) =>
      resolve({ ok: err === null, stdout, stderr }),
    );
  });
  if (!run.ok) return `${id}: the original driver failed against the fake cloud: ${run.stderr.trim().split('\n').pop() ?? ''}`;
  const original = JSON.parse(run.stdout) as Record<string, string[]>;
  let differing = 0;
  const tables = new Set([...Object.keys(original), ...Object.keys(ours)]);
  for (const table of [...tables].sort()) {
    const o = new Set((original[table] ?? []).map(canonical));
    const a = new Set((ours[table] ?? []).map((r) => stringifyJson(rowJson(r))));
    const onlyOriginal = [...o].filter((r) => !a.has(r));
    const onlyOurs = [...a].filter((r) => !o.has(r));
    if (onlyOriginal.length === 0 && onlyOurs.length === 0) continue;
    differing++;
    console.log(`  ${id}.${table}: original ${o.size} rows, ours ${a.size}`);
    for (const r of onlyOriginal.slice(0, 3)) console.log(`    - original only ${r.slice(0, 300)}`);
    for (const r of onlyOurs.slice(0, 3)) console.log(`    + ours only     ${r.slice(0, 300)}`);
  }
  return `${id}: ${tables.size} tables, ${differing} differing (our last_error ${lastError})`;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const ids = wanted.length > 0 ? wanted : Object.keys(ORIGINAL);
  const cloud = await FakeCloud.start(0);
  try {
    for (const id of ids) console.log(await compare(cloud, id));
  } finally {
    await cloud.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

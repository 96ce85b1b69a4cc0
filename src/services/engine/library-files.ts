/**
 * Seeding the library from `policy_library_path` at start: every `*.yaml` / `*.yml` file,
 * each YAML document one library policy, loaded only while the library table is empty (as the
 * original does, so that deletions by operators are not undone by a restart).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { PolicyError } from '../../datalog/errors';
import type { EngineLogger } from './logger';
import { parsePolicyWithRules } from './library-schema';
import type { LibraryApi, LibraryPolicySpec } from './types';

/** One policy read from a file, or why a document was skipped. */
export type LibraryDocument = { file: string; spec: LibraryPolicySpec } | { file: string; error: string };

/** Reads every library document under `dir` (sorted by file name); a missing directory is empty. */
export async function readLibraryDirectory(dir: string): Promise<LibraryDocument[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: LibraryDocument[] = [];
  for (const name of names.filter((n) => /\.ya?ml$/i.test(n)).sort()) {
    const file = path.join(dir, name);
    let docs: unknown[];
    try {
      docs = yaml.loadAll(await fs.readFile(file, 'utf8'));
    } catch (err) {
      out.push({ file, error: `not valid YAML: ${(err as Error).message}` });
      continue;
    }
    for (const doc of docs) {
      if (doc === null || doc === undefined) continue;
      const parsed = parsePolicyWithRules(doc);
      out.push(parsed.ok ? { file, spec: parsed.spec } : { file, error: parsed.error });
    }
  }
  return out;
}

/** What seeding did. */
export interface SeedReport {
  readonly loaded: number;
  readonly skipped: number;
}

/**
 * Loads the directory into an empty library. A policy that another node created at the same
 * time (duplicate name) is skipped quietly; a malformed one is logged and skipped.
 */
export async function seedLibrary(library: LibraryApi, dir: string, log: EngineLogger): Promise<SeedReport> {
  if ((await library.listLibraryPolicies()).length > 0) return { loaded: 0, skipped: 0 };
  let loaded = 0;
  let skipped = 0;
  for (const doc of await readLibraryDirectory(dir)) {
    if ('error' in doc) {
      log.warn(`library policy in ${doc.file} skipped: ${doc.error}`);
      skipped++;
      continue;
    }
    try {
      await library.createLibraryPolicy(doc.spec);
      loaded++;
    } catch (err) {
      skipped++;
      if (!(err instanceof PolicyError && err.code === 'policy_exists')) {
        log.warn(`library policy ${doc.spec.name} from ${doc.file} skipped: ${(err as Error).message}`);
      }
    }
  }
  if (loaded > 0) log.info(`loaded ${loaded} library policies from ${dir}`);
  return { loaded, skipped };
}

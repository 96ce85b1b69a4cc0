/** `congress policy library ...`: the policy library (policies kept for reuse, not evaluated). */
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { ClientFailure, seg, type CongressClient, type Json } from '../client/rest-client';
import type { Output } from '../client/output';
import { arg, asObject, flag, listOf, resultsOf, type Args, type CommandSpec } from './command';

/** The library policy named (or with the id) `nameOrId`. */
async function find(c: CongressClient, nameOrId: string, includeRules: boolean): Promise<{ [key: string]: Json }> {
  const byName = resultsOf(await c.get('/v1/librarypolicies', { name: nameOrId, include_rules: includeRules }), 'library policy list');
  if (byName.length > 0) return byName[0];
  return asObject(await c.get(`/v1/librarypolicies/${seg(nameOrId)}`, { include_rules: includeRules }), 'library policy');
}

/** A library policy shown with its rules as text lines. */
function shown(p: { [key: string]: Json }): Output {
  const fields = { ...p };
  if (Array.isArray(fields.rules)) fields.rules = fields.rules.map((r) => String(asObject(r, 'rule').rule)).join('\n');
  return { kind: 'show', fields, json: p };
}

function readPolicyFile(file: string): Json {
  try {
    const docs = yaml.loadAll(readFileSync(file, 'utf8'));
    if (docs.length !== 1) throw new Error(docs.length === 0 ? 'No policy found in file.' : 'More than one policy found in file. None imported.');
    return docs[0] as Json;
  } catch (err) {
    throw new ClientFailure(`cannot read library policy file ${file}: ${(err as Error).message}`);
  }
}

const includeRules = { 'include-rules': { type: 'boolean', describe: 'include the rules' } } as const;
const showRules = { 'include-rules': { type: 'boolean', describe: 'include the rules (--no-include-rules leaves them out)', default: true } } as const;

/** Every `congress policy library` subcommand. */
export const libraryCommands: readonly CommandSpec[] = [
  {
    words: ['policy', 'library', 'list'],
    positionals: [],
    describe: 'list library policies',
    options: { name: { type: 'string', describe: 'only the library policy of this name' }, ...includeRules },
    run: async (c, a: Args) => {
      const withRules = flag(a, 'include-rules');
      const name = typeof a.name === 'string' ? a.name : undefined;
      const items = resultsOf(await c.get('/v1/librarypolicies', { name, include_rules: withRules }), 'library policy list');
      const rows = items.map((p) => (Array.isArray(p.rules) ? { ...p, rules: p.rules.map((r) => String(asObject(r, 'rule').rule)).join('\n') } : p));
      return listOf(rows, withRules ? ['id', 'name', 'kind', 'description', 'rules'] : ['id', 'name', 'kind', 'description']);
    },
  },
  {
    words: ['policy', 'library', 'show'],
    positionals: ['policy'],
    describe: 'show a library policy (name or id)',
    options: showRules,
    run: async (c, a) => shown(await find(c, arg(a, 'policy'), flag(a, 'include-rules'))),
  },
  {
    words: ['policy', 'library', 'create'],
    positionals: ['file'],
    describe: 'add a policy to the library from a YAML or JSON file',
    run: async (c, a) => shown(asObject(await c.post('/v1/librarypolicies', readPolicyFile(arg(a, 'file'))), 'library policy')),
  },
  {
    words: ['policy', 'library', 'delete'],
    positionals: ['policy'],
    describe: 'delete a library policy (name or id)',
    run: async (c, a) => {
      const p = await find(c, arg(a, 'policy'), false);
      await c.delete(`/v1/librarypolicies/${seg(String(p.id))}`);
      return { kind: 'none' };
    },
  },
];

/**
 * `congress policy ...`: policies, their rules, tables, rows and simulate, with the columns and
 * printouts of python-congressclient's `openstack congress policy ...`.
 */
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { ClientFailure, seg, type CongressClient, type Json } from '../client/rest-client';
import type { Output } from '../client/output';
import { arg, asObject, flag, idFromName, listOf, opt, resultsOf, type Args, type CommandSpec } from './command';

/** Kinds a policy can be created with (the python client's choices, minus z3). */
const KINDS = ['nonrecursive', 'database', 'action', 'materialized'];

const policyPath = (a: Args): string => `/v1/policies/${seg(arg(a, 'policy'))}`;

/** The rule's id when `idOrName` is the name of exactly one rule, else `idOrName` itself if it is an id. */
async function ruleId(client: CongressClient, a: Args): Promise<string> {
  const rules = resultsOf(await client.get(`${policyPath(a)}/rules`), 'rule list');
  return idFromName(arg(a, 'rule'), rules);
}

/** The python client's rule listing: `// ID:`, `// Name:`, the comment, the rule, a blank line. */
export function ruleListing(rules: readonly { [key: string]: Json }[]): string {
  return rules
    .map((r) => {
      const lines = [`// ID: ${String(r.id)}`, `// Name: ${r.name === null || r.name === undefined ? 'None' : String(r.name)}`];
      if (typeof r.comment === 'string' && r.comment !== '' && r.comment !== 'None') lines.push(`// ${r.comment}`);
      lines.push(String(r.rule), '');
      return lines.join('\n') + '\n';
    })
    .join('');
}

/** Reads a policy file (YAML or JSON, one document) as the body of a policy creation. */
function policyFile(file: string): Json {
  let docs: unknown[];
  try {
    docs = yaml.loadAll(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ClientFailure(`cannot read policy file ${file}: ${(err as Error).message}`);
  }
  if (docs.length === 0) throw new ClientFailure('No policy found in file.');
  if (docs.length > 1) throw new ClientFailure('More than one policy found in file. None imported.');
  return docs[0] as Json;
}

/** A created policy with rules, its rules shown as text lines (as create-from-file shows them). */
function withRuleText(made: Json): Output {
  const fields = { ...asObject(made, 'policy') };
  if (Array.isArray(fields.rules)) fields.rules = fields.rules.map((r) => String(asObject(r, 'rule').rule)).join('\n');
  return { kind: 'show', fields, json: made };
}

/** Every `congress policy` subcommand except the library ones. */
export const policyCommands: readonly CommandSpec[] = [
  {
    words: ['policy', 'list'],
    positionals: [],
    describe: 'list policies',
    run: async (c) => listOf(resultsOf(await c.get('/v1/policies'), 'policy list'), ['id', 'name', 'owner_id', 'kind', 'description']),
  },
  {
    words: ['policy', 'create'],
    positionals: ['policy'],
    describe: 'create an empty policy',
    options: {
      description: { type: 'string', describe: 'policy description' },
      abbreviation: { type: 'string', describe: 'abbreviation used in traces (at most 5 characters)' },
      kind: { type: 'string', describe: 'kind of policy', choices: KINDS },
    },
    run: async (c, a) => {
      const body = { name: arg(a, 'policy'), description: opt(a, 'description') ?? null, abbreviation: opt(a, 'abbreviation') ?? null, kind: opt(a, 'kind') ?? null };
      return { kind: 'show', fields: asObject(await c.post('/v1/policies', body), 'policy') };
    },
  },
  {
    words: ['policy', 'create-from-file'],
    positionals: ['file'],
    describe: 'create a policy with its rules from a YAML or JSON file',
    run: async (c, a) => withRuleText(await c.post('/v1/policies', policyFile(arg(a, 'file')))),
  },
  {
    words: ['policy', 'delete'],
    positionals: ['policy'],
    describe: 'delete a policy (name or id)',
    run: async (c, a) => {
      await c.delete(policyPath(a));
      return { kind: 'none' };
    },
  },
  {
    words: ['policy', 'show'],
    positionals: ['policy'],
    describe: 'show a policy (name or id)',
    run: async (c, a) => ({ kind: 'show', fields: asObject(await c.get(policyPath(a)), 'policy') }),
  },
  {
    words: ['policy', 'rule', 'create'],
    positionals: ['policy', 'rule'],
    describe: 'add a rule to a policy',
    options: {
      name: { type: 'string', describe: 'name of the rule' },
      comment: { type: 'string', describe: 'comment about the rule' },
    },
    run: async (c, a) => {
      const body: { [key: string]: Json } = { rule: arg(a, 'rule') };
      const name = opt(a, 'name');
      const comment = opt(a, 'comment');
      if (name !== undefined && name !== '') body.name = name;
      if (comment !== undefined && comment !== '') body.comment = comment;
      return { kind: 'show', fields: asObject(await c.post(`${policyPath(a)}/rules`, body), 'rule') };
    },
  },
  {
    words: ['policy', 'rule', 'list'],
    positionals: ['policy'],
    describe: 'list the rules of a policy',
    run: async (c, a) => {
      const body = await c.get(`${policyPath(a)}/rules`);
      return { kind: 'text', text: ruleListing(resultsOf(body, 'rule list')), json: resultsOf(body, 'rule list') };
    },
  },
  {
    words: ['policy', 'rule', 'show'],
    positionals: ['policy', 'rule'],
    describe: 'show a rule (id or name)',
    run: async (c, a) => ({ kind: 'show', fields: asObject(await c.get(`${policyPath(a)}/rules/${seg(await ruleId(c, a))}`), 'rule') }),
  },
  {
    words: ['policy', 'rule', 'delete'],
    positionals: ['policy', 'rule'],
    describe: 'delete a rule (id or name)',
    run: async (c, a) => {
      await c.delete(`${policyPath(a)}/rules/${seg(await ruleId(c, a))}`);
      return { kind: 'none' };
    },
  },
  {
    words: ['policy', 'row', 'list'],
    positionals: ['policy', 'table'],
    describe: 'list the rows of a policy table',
    options: { trace: { type: 'boolean', describe: 'show how the rows were derived' } },
    run: async (c, a) => {
      const trace = flag(a, 'trace');
      const body = await c.get(`${policyPath(a)}/tables/${seg(arg(a, 'table'))}/rows`, trace ? { trace: true } : undefined);
      const rows = resultsOf(body, 'row list').map((r) => (Array.isArray(r.data) ? r.data : []));
      const columns = rows.length === 0 ? [] : rows[0].map((_, i) => `Col${i}`);
      const traceText = asObject(body, 'row list').trace;
      return {
        kind: 'list',
        columns,
        rows,
        preface: typeof traceText === 'string' ? traceText + '\n' : undefined,
        json: trace ? body : undefined,
      };
    },
  },
  {
    words: ['policy', 'table', 'list'],
    positionals: ['policy'],
    describe: 'list the tables of a policy',
    run: async (c, a) => listOf(resultsOf(await c.get(`${policyPath(a)}/tables`), 'table list'), ['id']),
  },
  {
    words: ['policy', 'table', 'show'],
    positionals: ['policy', 'table'],
    describe: 'show a policy table',
    run: async (c, a) => ({ kind: 'show', fields: asObject(await c.get(`${policyPath(a)}/tables/${seg(arg(a, 'table'))}`), 'table') }),
  },
  {
    words: ['policy', 'simulate'],
    positionals: ['policy', 'query', 'sequence', 'action_policy'],
    describe: 'evaluate a query after a sequence of updates and actions, without changing anything',
    options: {
      delta: { type: 'boolean', describe: 'show only what the sequence changes in the query' },
      trace: { type: 'boolean', describe: 'include a trace of the computation' },
    },
    run: async (c, a) => {
      const body = { query: arg(a, 'query'), sequence: arg(a, 'sequence'), action_policy: arg(a, 'action_policy') };
      const answer = asObject(await c.post(policyPath(a), body, { action: 'simulate', trace: flag(a, 'trace'), delta: flag(a, 'delta') }), 'simulate');
      const result = Array.isArray(answer.result) ? answer.result : [];
      const lines = result.map((r) => String(r));
      if (typeof answer.trace === 'string') lines.push(answer.trace);
      return { kind: 'text', text: lines.map((l) => l + '\n').join(''), json: answer };
    },
  },
];

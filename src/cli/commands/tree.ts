/**
 * Turns the declared client subcommands into a yargs command tree (`policy` → `rule` →
 * `create`), and runs the chosen one: connect, call, render, and map failures to the exit codes
 * scripts rely on (0 ok, 1 API error, 3 cannot connect; usage errors, 2, are yargs' own).
 */
import fs from 'node:fs';
import type { Argv } from 'yargs';
import { render, type Format } from '../client/output';
import { ApiCallError, ClientFailure, CongressClient, ConnectionFailure } from '../client/rest-client';
import type { Args, CommandSpec } from './command';

/** Where output goes and where defaults come from; the real process unless a test says otherwise. */
export interface CliContext {
  readonly env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Records the exit code of the command that ran. */
  exit(code: number): void;
}

/** Exit codes of client commands. */
export const EXIT = { ok: 0, apiError: 1, usage: 2, connection: 3 } as const;

/** The default server when neither `--os-url` nor `CONGRESS_URL` says otherwise. */
export const DEFAULT_URL = 'http://127.0.0.1:1789';

/** Output format from `--json` or `-f/--format`. */
export function formatOf(args: Args): Format {
  return args.json === true || args.format === 'json' ? 'json' : 'table';
}

/** Runs one command and reports through the context; never throws. */
export async function runCommand(spec: CommandSpec, args: Args, ctx: CliContext): Promise<void> {
  const url = typeof args['os-url'] === 'string' && args['os-url'] !== '' ? args['os-url'] : ctx.env.CONGRESS_URL || DEFAULT_URL;
  const token = typeof args['os-token'] === 'string' ? args['os-token'] : ctx.env.OS_TOKEN;
  const timeout = typeof args.timeout === 'number' && args.timeout > 0 ? args.timeout : 60;
  const cacert = typeof args['os-cacert'] === 'string' && args['os-cacert'] !== '' ? args['os-cacert'] : ctx.env.OS_CACERT;
  let caBundle: Buffer | undefined;
  if (cacert !== undefined && cacert !== '') {
    try {
      caBundle = fs.readFileSync(cacert);
    } catch (err) {
      ctx.stderr(`congress: cannot read the CA bundle ${cacert}: ${(err as Error).message}\n`);
      return ctx.exit(EXIT.usage);
    }
  }
  const client = new CongressClient({ url, token, timeoutMs: timeout * 1000, caBundle, insecure: args.insecure === true });
  try {
    ctx.stdout(render(await spec.run(client, args), formatOf(args)));
    ctx.exit(EXIT.ok);
  } catch (err) {
    if (err instanceof ApiCallError) {
      ctx.stderr(err.describe() + '\n');
      ctx.exit(EXIT.apiError);
    } else if (err instanceof ConnectionFailure) {
      ctx.stderr(`congress: ${err.message}\n`);
      ctx.exit(EXIT.connection);
    } else if (err instanceof ClientFailure) {
      ctx.stderr(`${err.message}\n`);
      ctx.exit(EXIT.apiError);
    } else {
      ctx.stderr(`congress: ${err instanceof Error ? err.message : String(err)}\n`);
      ctx.exit(EXIT.apiError);
    }
  }
}

interface Node {
  readonly children: Map<string, Node>;
  spec?: CommandSpec;
}

function trie(specs: readonly CommandSpec[]): Node {
  const root: Node = { children: new Map() };
  for (const s of specs) {
    let n = root;
    for (const w of s.words) {
      let child = n.children.get(w);
      if (child === undefined) {
        child = { children: new Map() };
        n.children.set(w, child);
      }
      n = child;
    }
    n.spec = s;
  }
  return root;
}

/** What a group word (`policy`, `rule`, ...) is for, in `--help`. */
const GROUPS: Record<string, string> = {
  policy: 'policies, their rules, tables and rows; simulate',
  rule: 'rules of a policy',
  row: 'rows of a table',
  table: 'tables',
  library: 'the policy library',
  datasource: 'datasources, their tables, rows and status',
  status: 'status of a datasource',
  schema: 'schemas',
  actions: 'actions of a datasource',
  driver: 'datasource drivers',
};

function leaf(y: Argv, word: string, spec: CommandSpec, ctx: CliContext): void {
  const usage = [word, ...spec.positionals.map((p) => `<${p}>`)].join(' ');
  y.command(
    usage,
    spec.describe,
    (b) => {
      for (const p of spec.positionals) b.positional(p, { type: 'string', demandOption: true });
      for (const [name, o] of Object.entries(spec.options ?? {})) b.option(name, { type: o.type, describe: o.describe, choices: o.choices, default: o.default });
      return b;
    },
    (a) => runCommand(spec, a, ctx),
  );
}

function group(y: Argv, word: string, node: Node, ctx: CliContext, path: string): void {
  y.command(
    `${word} <command>`,
    GROUPS[word] ?? word,
    (b) => {
      addNodes(b, node, ctx, `${path} ${word}`);
      return b.demandCommand(1, `name a ${path} ${word} command`);
    },
    () => undefined,
  );
}

function addNodes(y: Argv, node: Node, ctx: CliContext, path: string): void {
  for (const [word, child] of node.children) {
    if (child.children.size > 0) {
      // `policy create` and `policy rule ...` both hang off `policy`; a word is never both a leaf and a group.
      group(y, word, child, ctx, path);
    } else if (child.spec !== undefined) leaf(y, word, child.spec, ctx);
  }
}

/** Registers every subcommand and the connection and output options on a yargs parser. */
export function addClientCommands(y: Argv, specs: readonly CommandSpec[], ctx: CliContext): Argv {
  addNodes(y, trie(specs), ctx, 'congress');
  return y
    .option('os-url', { type: 'string', describe: `Congress API URL (env CONGRESS_URL, default ${DEFAULT_URL})` })
    .option('os-token', { type: 'string', describe: 'token sent as X-Auth-Token (env OS_TOKEN)' })
    .option('json', { type: 'boolean', describe: 'print JSON instead of tables' })
    .option('format', { alias: 'f', type: 'string', choices: ['table', 'json'], describe: 'output format' })
    .option('timeout', { type: 'number', describe: 'seconds to wait for each answer (default 60)' })
    .option('os-cacert', { type: 'string', describe: 'PEM file of the CAs that sign an https server certificate (env OS_CACERT)' })
    .option('insecure', { type: 'boolean', describe: 'do not verify an https server certificate' })
    .group(['os-url', 'os-token', 'os-cacert', 'insecure', 'json', 'format', 'timeout'], 'Client options:');
}

/**
 * The shape of one client subcommand (`congress policy rule create ...`): its words, its
 * arguments and what it does against the API. The command tree is built from these records, so
 * a command is declared once and parsing, help and tests all read the same declaration.
 */
import { isJsonObject, stringifyJson } from '../../datalog/json';
import { ClientFailure, type CongressClient, type Json } from '../client/rest-client';
import type { Output } from '../client/output';

/** An option of a subcommand (a subset of yargs' option settings). */
export interface OptionSpec {
  /** A string option given several times is a list. */
  readonly type: 'string' | 'boolean';
  readonly describe: string;
  readonly default?: string | boolean;
  readonly choices?: readonly string[];
}

/** Parsed arguments as the command sees them. */
export type Args = { readonly [key: string]: unknown };

/** One subcommand. */
export interface CommandSpec {
  /** Words after `congress`, e.g. `['policy', 'rule', 'create']`. */
  readonly words: readonly string[];
  /** Positional arguments in order; a trailing `?` makes one optional. */
  readonly positionals: readonly string[];
  readonly describe: string;
  readonly options?: { readonly [name: string]: OptionSpec };
  run(client: CongressClient, args: Args): Promise<Output>;
}

/** A required string argument (positionals are parsed as strings, never numbers). */
export function arg(args: Args, name: string): string {
  const v = args[name];
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new ClientFailure(`missing argument ${name}`);
}

/** An optional string option. */
export function opt(args: Args, name: string): string | undefined {
  const v = args[name];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/** A boolean flag. */
export function flag(args: Args, name: string): boolean {
  return args[name] === true;
}

/** A JSON object, or a failure naming what was expected. */
export function asObject(v: Json, what: string): { [key: string]: Json } {
  if (!isJsonObject(v)) throw new ClientFailure(`unexpected answer for ${what}: ${stringifyJson(v)}`);
  return v;
}

/** The `results` list of a collection answer, each an object. */
export function resultsOf(v: Json, what: string): { [key: string]: Json }[] {
  const list = asObject(v, what).results;
  if (!Array.isArray(list)) throw new ClientFailure(`unexpected answer for ${what}: no results list`);
  return list.map((x) => asObject(x, what));
}

/** Picks columns of objects for a table, empty where a field is absent (cliff's get_dict_properties). */
export function columnsOf(items: readonly { [key: string]: Json }[], columns: readonly string[]): Json[][] {
  return items.map((o) => columns.map((c) => (c in o ? o[c] : '')));
}

/** A list output of objects under the given columns. */
export function listOf(items: readonly { [key: string]: Json }[], columns: readonly string[]): Output {
  return { kind: 'list', columns, rows: columnsOf(items, columns) };
}

/**
 * The id of the item whose id or name is `nameOrId` (python-congressclient's
 * get_resource_id_from_name): a unique name wins, an id match next.
 */
export function idFromName(nameOrId: string, items: readonly { [key: string]: Json }[]): string {
  const byName = items.filter((i) => i.name === nameOrId);
  if (byName.length === 1) return String(byName[0].id);
  if (items.some((i) => i.id === nameOrId)) return nameOrId;
  if (byName.length > 1) throw new ClientFailure(`Multiple resources have this name ${nameOrId}. Please specify id.`);
  throw new ClientFailure(`Resource ${nameOrId} not found`);
}

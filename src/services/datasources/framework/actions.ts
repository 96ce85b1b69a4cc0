/**
 * Actions a driver can execute (spec §4): an explicit catalogue per driver (name → arguments,
 * description, and the upstream call), the calling convention `{positional, named}`, and a short
 * history of outcomes, which the original only logged.
 */
import { isRecord } from '../../../bus/json';
import { parseDataJson, requestJson } from '../../../datalog/json';
import { DatasourceError } from '../errors';

/** Arguments of an action call, as policies and the API send them. */
export interface ActionArgs {
  readonly positional: readonly unknown[];
  readonly named: Readonly<Record<string, unknown>>;
}

/** One argument of an action, for the listing. */
export interface ActionArgSpec {
  readonly name: string;
  readonly description: string;
}

/** An action the driver can run; `run` gets the driver's upstream client. */
export interface ActionSpec<C> {
  /** Dotted or bare name as in the original (`servers.pause`, `update_resource_attrs`). */
  readonly name: string;
  readonly description: string;
  readonly args: readonly ActionArgSpec[];
  run(client: C, args: ActionArgs, signal: AbortSignal): Promise<unknown>;
}

/** An action as `GET .../actions` lists it; args carry `description` and, for old clients, `desc`. */
export interface ActionDescription {
  readonly name: string;
  readonly args: { readonly name: string; readonly description: string; readonly desc: string }[];
  readonly description: string;
}

/** The outcome of one execution. */
export interface ActionOutcome {
  /** ISO-8601 UTC. */
  readonly time: string;
  readonly action: string;
  readonly args: ActionArgs;
  readonly ok: boolean;
  /** The upstream error message when it failed. */
  readonly error: string | null;
}

/** Reads `{positional?, named?}`; anything else is a 400. */
export function parseActionArgs(raw: unknown): ActionArgs {
  if (raw === undefined || raw === null) return { positional: [], named: {} };
  if (!isRecord(raw)) throw new DatasourceError('action_failed', 'action args must be an object');
  const positional = raw.positional ?? [];
  const named = raw.named ?? {};
  if (!Array.isArray(positional)) throw new DatasourceError('action_failed', 'action args.positional must be a list');
  if (!isRecord(named)) throw new DatasourceError('action_failed', 'action args.named must be an object');
  return { positional, named };
}

/**
 * A policy-derived value as the upstream field's JSON type: policies can only pass strings, so
 * `"True"`/`"False"`/`"None"` stand for booleans and null (spec §4.2 recommendation).
 */
export function coerceValue(value: unknown): unknown {
  if (value === 'True' || value === 'true') return true;
  if (value === 'False' || value === 'false') return false;
  if (value === 'None') return null;
  return value;
}

/** The argument at position `index`, else the one named `name`; undefined when absent. */
export function argValue(args: ActionArgs, index: number, name: string): unknown {
  return args.positional[index] ?? args.named[name];
}

/**
 * A JSON object argument: an object, or the JSON text of one, as a policy can only pass strings.
 * Refused before anything is sent, naming `what`, where the service would answer a bare 400.
 */
export function jsonObjectArg(value: unknown, what: string): Record<string, unknown> {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = parseDataJson(value);
    } catch {
      throw new DatasourceError('action_failed', `${what} must be a JSON object, got: ${value.slice(0, 200)}`);
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new DatasourceError('action_failed', `${what} must be a JSON object, got: ${requestJson(parsed).slice(0, 200)}`);
  }
  return parsed as Record<string, unknown>;
}

/** The positional argument at `index` as a string, or a 400 naming the argument. */
export function argString(args: ActionArgs, index: number, name: string): string {
  const v = argValue(args, index, name);
  if (v === undefined || v === null) throw new DatasourceError('action_failed', `missing argument ${name}`);
  return String(v);
}

/** Describes a catalogue for the listing, sorted by name. */
export function describeActions(specs: readonly ActionSpec<unknown>[]): ActionDescription[] {
  return [...specs]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((s) => ({ name: s.name, description: s.description, args: s.args.map((a) => ({ name: a.name, description: a.description, desc: a.description })) }));
}

/** The most recent outcomes, newest last. */
export class ActionHistory {
  private readonly items: ActionOutcome[] = [];

  constructor(private readonly capacity = 50) {}

  /** Adds an outcome, dropping the oldest beyond capacity. */
  add(outcome: ActionOutcome): void {
    this.items.push(outcome);
    if (this.items.length > this.capacity) this.items.shift();
  }

  /** A copy of the outcomes. */
  list(): ActionOutcome[] {
    return [...this.items];
  }
}

/**
 * Action arguments on their way to a datasource service (`request_execute`). The bus carries plain
 * JSON, which would send the FLOAT `2.0` upstream as `2` and round an integer beyond 2^53, where
 * the original's clients send `2.0` and every digit. So the arguments also travel as JSON text,
 * which the datasource reads back with their Python types (`parseDataJson`); the plain form stays
 * for a datasource node that predates the text.
 */
import { plainJson, stringifyJson, type JsonValue, type PlainJson } from '../../datalog/json';

export interface ActionArgsFields {
  readonly action_args: { readonly positional: PlainJson[]; readonly named: { [key: string]: PlainJson } };
  readonly action_args_json: string;
}

/** The request fields for the given arguments (engine values or parsed JSON). */
export function actionArgsFields(positional: readonly unknown[], named: Readonly<Record<string, unknown>>): ActionArgsFields {
  const args = { positional: positional as JsonValue[], named: named as { [key: string]: JsonValue } };
  const plain = { positional: args.positional.map(plainJson), named: Object.fromEntries(Object.entries(args.named).map(([k, v]) => [k, plainJson(v)])) };
  return { action_args: plain, action_args_json: stringifyJson(args) };
}

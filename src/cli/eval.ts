/**
 * `congress eval CASES.json`: runs conformance-format cases offline on fresh engines and prints
 * the results in the same format, optionally with timings measured inside the process.
 */
import { readFileSync } from 'node:fs';
import { runCase } from '../datalog/cases';
import { PolicyError } from '../datalog/errors';
import { isJsonObject, parseJson, stringifyJson, type JsonValue } from '../datalog/json';

export interface EvalArgs {
  readonly file: string;
  readonly timing?: boolean;
  readonly allowRecursion?: boolean;
}

/** Reads cases from a file (or `-` for standard input). Throws with a readable message on bad input. */
export function readCases(file: string): { [key: string]: JsonValue }[] {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file === '-' ? 'standard input' : file}: ${(err as Error).message}`);
  }
  let data: JsonValue;
  try {
    data = parseJson(text);
  } catch (err) {
    throw new Error(`${file}: ${err instanceof PolicyError ? err.message : String(err)}`);
  }
  const cases = Array.isArray(data) ? data : [data];
  return cases.map((c, i) => {
    if (!isJsonObject(c)) throw new Error(`${file}: case ${i} is not an object`);
    return c;
  });
}

export function evalCommand(args: EvalArgs): string {
  const cases = readCases(args.file);
  const clock = args.timing === true ? (): number => performance.now() : undefined;
  const results = cases.map((c) => runCase(c, { clock, allowRecursion: args.allowRecursion }));
  return stringifyJson(results) + '\n';
}

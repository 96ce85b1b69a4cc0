/** Policy files of `congress test`: `NAME.policy` / `NAME.dl`, rules of policy NAME, an optional kind line. */
import type { Statement } from '../../datalog/ast';
import { PolicyError } from '../../datalog/errors';
import { isValidPolicyName, parse } from '../../datalog/parse';
import { isPolicyKind, type PolicyKind } from '../../datalog/runtime/policy';
import { MalformedFile } from './malformed-file';

/** One policy file. */
export interface PolicyFile {
  readonly file: string;
  readonly name: string;
  readonly kind: PolicyKind;
  readonly rules: readonly Statement[];
}

/** The kind named on the first line (`// kind: action` or `# kind: action`), default nonrecursive. */
export function kindLine(source: string): PolicyKind | string {
  const first = source.split('\n', 1)[0];
  const m = /^\s*(?:\/\/|#)\s*kind\s*:\s*(\S+)\s*$/.exec(first);
  return m === null ? 'nonrecursive' : m[1].toLowerCase();
}

/** One policy file's rules; throws with the file name on a bad name, kind or syntax. */
export function policyFileOf(file: string, name: string, source: string): PolicyFile {
  if (!isValidPolicyName(name)) throw new MalformedFile(`${file}: ${JSON.stringify(name)} is not a valid policy name`);
  const kind = kindLine(source);
  if (!isPolicyKind(kind) || kind === 'datasource') throw new MalformedFile(`${file}: unknown policy kind ${JSON.stringify(kind)} (nonrecursive, action, database, materialized)`);
  try {
    // The lexer wants a comment to end with a newline.
    return { file, name, kind, rules: parse(source.endsWith('\n') ? source : source + '\n') };
  } catch (err) {
    if (err instanceof PolicyError) throw new MalformedFile(`${file}: ${err.message}`);
    throw err;
  }
}

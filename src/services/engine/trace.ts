/**
 * The text of `?trace=true` answers. The original prints its top-down evaluator's call/exit
 * steps; the engine here evaluates bottom-up, so the trace names the query, each answer and
 * the result instead. Only the presence of a string is part of the API contract.
 */

/** A trace for one query in a policy, in the original's `<abbr>: <event>` line shape. */
export function traceText(abbreviation: string, query: string, answers: readonly string[]): string {
  const prefix = abbreviation.padEnd(5, ' ') + ' : ';
  const lines = [prefix + 'Call: ' + query];
  for (const a of answers) lines.push(prefix + 'Exit: ' + a);
  if (answers.length === 0) lines.push(prefix + 'Fail: ' + query);
  lines.push(prefix + 'Found answer [' + answers.join(', ') + ']');
  return lines.join('\n') + '\n';
}

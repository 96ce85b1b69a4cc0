/**
 * The `congress` command line: offline policy tools now, REST client subcommands later.
 */
import yargs from 'yargs';
import { evalCommand } from './eval';

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let code = 0;
  const parser = yargs([...argv])
    .scriptName('congress')
    .strict()
    .command(
      'eval <file>',
      'run conformance-format cases offline and print the results as JSON',
      (y) =>
        y
          .positional('file', { type: 'string', demandOption: true, describe: 'cases JSON file, or - for standard input' })
          .option('timing', { type: 'boolean', default: false, describe: 'add per-case timings (ms)' })
          .option('allow-recursion', { type: 'boolean', default: false, describe: 'allow recursive rules (stratified negation)' }),
      (a) => {
        process.stdout.write(evalCommand({ file: a.file === '' ? '-' : a.file, timing: a.timing, allowRecursion: a['allow-recursion'] }));
      },
    )
    .demandCommand(1, 'name a command')
    .fail((msg, err) => {
      process.stderr.write(`congress: ${err?.message ?? msg}\n`);
      code = 2;
    })
    .help();
  try {
    await parser.parseAsync();
  } catch (err) {
    process.stderr.write(`congress: ${(err as Error).message}\n`);
    return 1;
  }
  return code;
}

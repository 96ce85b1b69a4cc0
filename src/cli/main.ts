/**
 * The `congress` command line: the REST client subcommands (`congress policy list`, ... in the
 * style of `openstack congress ...`), and the offline tools `eval` and `test`.
 */
import yargs from 'yargs';
import { datasourceCommands } from './commands/datasource';
import { libraryCommands } from './commands/library';
import { policyCommands } from './commands/policy';
import { addClientCommands, EXIT, type CliContext } from './commands/tree';
import { evalCommand } from './eval';
import { testCommand, TestUsageError } from './policy-test/test-command';

/** Bad arguments, or a failure of an offline command (`eval`), reported with exit code 2. */
class UsageError extends Error {}

/** Every client subcommand. */
export const CLIENT_COMMANDS = [...policyCommands, ...libraryCommands, ...datasourceCommands];

/** Where output goes; the real process by default (tests pass their own). */
export interface CliIo {
  readonly env?: NodeJS.ProcessEnv;
  stdout?(text: string): void;
  stderr?(text: string): void;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: readonly string[], io: CliIo = {}): Promise<number> {
  let code = 0;
  const ctx: CliContext = {
    env: io.env ?? process.env,
    stdout: io.stdout ?? ((t) => void process.stdout.write(t)),
    stderr: io.stderr ?? ((t) => void process.stderr.write(t)),
    exit: (c) => (code = c),
  };
  const parser = yargs([...argv])
    .scriptName('congress')
    .strict()
    .parserConfiguration({ 'parse-numbers': false, 'parse-positional-numbers': false })
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
    .command(
      'test <dir>',
      'run the policy tests of a directory offline (policy files and *_test.json / *.test.yaml)',
      (y) =>
        y
          .positional('dir', { type: 'string', demandOption: true, describe: 'directory with *.policy files and test files' })
          .option('run', { type: 'string', describe: 'only tests whose "FILE: NAME" matches this regular expression' })
          .option('timing', { type: 'boolean', default: false, describe: 'print the time each test took' }),
      (a) => {
        try {
          const report = testCommand({ dir: a.dir, run: a.run, timing: a.timing });
          ctx.stdout(report.text);
          ctx.exit(report.code);
        } catch (err) {
          if (err instanceof TestUsageError) throw new UsageError(err.message);
          throw err;
        }
      },
    );
  addClientCommands(parser, CLIENT_COMMANDS, ctx)
    .demandCommand(1, 'name a command')
    .fail((msg, err) => {
      // Thrown, not just recorded: yargs would otherwise go on to run the handler.
      throw new UsageError(err?.message ?? msg);
    })
    .help()
    .exitProcess(false)
    .wrap(Math.min(120, process.stdout.columns ?? 100));
  try {
    await parser.parseAsync();
  } catch (err) {
    if (err instanceof UsageError) {
      ctx.stderr(`congress: ${err.message}\n(congress --help lists the commands)\n`);
      return EXIT.usage;
    }
    ctx.stderr(`congress: ${(err as Error).message}\n`);
    return 1;
  }
  return code;
}

/** Runs the real `bin/congress` in a child process, as an operator's shell would. */
import { execFile } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** What one run printed and how it exited (null: killed, e.g. by the 30 s bound). */
export interface CliRun {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** Runs `congress ARGS` with `env` over the test's environment (no inherited OS_TOKEN). */
export function congress(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'bin', 'congress'), ...args], { cwd: ROOT, env: { ...process.env, OS_TOKEN: '', ...env }, timeout: 30_000 }, (error, out, err) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, out, err });
    });
  });
}

/**
 * The REST API conformance checker (shared/conformance/api/check.mjs) run against a real
 * congress-server process on a fresh database: what the conformance and API oracle tests share.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { configDirectory, runServer, startServer, type ServerProcess } from './server';

export const SHARED_DIR = process.env.CONGRESS_SHARED_DIR ?? path.resolve(__dirname, '../../../shared');
export const CHECKER = path.join(SHARED_DIR, 'conformance/api/check.mjs');

export interface StepResult {
  readonly ok: boolean;
  readonly reason: string;
}

export interface Replay {
  readonly cfg: Awaited<ReturnType<typeof configDirectory>>;
  /** The server the steps ran against, still running. */
  readonly server: ServerProcess;
  /** Every step the checker reported, by id. */
  readonly results: Map<string, StepResult>;
  /** The checker's summary line (`api: N passed, M failed`), or its whole output if it has none. */
  readonly summary: string;
}

/** Starts a fresh server (SQLite, noauth, empty library) and replays a transcript (the checker's default when omitted). */
export async function replayOnFreshServer(transcript: string | undefined, timeoutMs: number): Promise<Replay> {
  if (!existsSync(CHECKER)) throw new Error(`conformance checker not found at ${CHECKER} (set CONGRESS_SHARED_DIR to the shared/ directory)`);
  const cfg = await configDirectory();
  const upgrade = await runServer({ args: ['--db-upgrade', '--config-file', cfg.configFile] });
  if (upgrade.code !== 0) throw new Error(`--db-upgrade failed: ${upgrade.stderr}`);
  const server = await startServer({ args: ['--config-file', cfg.configFile] });
  const args = [CHECKER, server.url, ...(transcript === undefined ? [] : [transcript]), '--verbose'];
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(process.execPath, args, { timeout: timeoutMs, maxBuffer: 1 << 26 }));
  } catch (err) {
    // The checker exits 1 when any step failed; its output is still the report.
    stdout = (err as { stdout?: string }).stdout ?? '';
  }
  const results = new Map<string, StepResult>();
  for (const line of stdout.split('\n')) {
    const ok = /^ok {3}(\S+) /.exec(line);
    if (ok) results.set(ok[1], { ok: true, reason: '' });
    const fail = /^FAIL (\S+) \S+ \S+: (.*)$/.exec(line);
    if (fail) results.set(fail[1], { ok: false, reason: fail[2] });
  }
  const summary = stdout.split('\n').find((l) => l.startsWith('api: ')) ?? stdout;
  return { cfg, server, results, summary };
}

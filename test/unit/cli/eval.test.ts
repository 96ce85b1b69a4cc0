/**
 * `congress eval`: reads conformance-format cases and prints results in the same format; bad
 * input gives a message and a non-zero exit, never a stack trace.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { evalCommand } from '../../../src/cli/eval';
import { parseJson } from '../../../src/datalog/json';

const bin = path.resolve(__dirname, '..', '..', '..', 'bin', 'congress');
const dir = mkdtempSync(path.join(tmpdir(), 'congress-eval-'));

function write(name: string, text: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}

describe('congress eval', () => {
  const cases = write(
    'cases.json',
    JSON.stringify([
      { name: 'one', rules: ['p(x) :- q(x)', 'bad(x) :- '], facts: { q: [[1], [2.5]] }, queries: ['p(x)'], rows: ['p'] },
      { name: 'two', queries: ['nosuch:q(x)'] },
    ]),
  );

  it('prints one result per case with answers, rows and errors', () => {
    const out = parseJson(evalCommand({ file: cases })) as { [k: string]: unknown }[];
    expect(out.map((r) => r.name)).toEqual(['one', 'two']);
    expect(out[0].results).toEqual({ 'p(x)': ['p(1)', 'p(2.5)'] });
    expect((out[0].rule_errors as { index: number; code: string }[]).map((e) => [e.index, e.code])).toEqual([[1, 'rule_syntax']]);
    expect(out[1].results).toEqual({ 'nosuch:q(x)': [] });
  });

  it('keeps floats as floats in its JSON output', () => {
    expect(evalCommand({ file: cases })).toContain('[2.5]');
    const f = write('float.json', '[{"name": "f", "facts": {"q": [[1.0]]}, "rows": ["q"]}]');
    expect(evalCommand({ file: f })).toContain('"q": [[1.0]]');
  });

  it('adds timings with --timing', () => {
    const out = parseJson(evalCommand({ file: cases, timing: true })) as { [k: string]: unknown }[];
    expect(Object.keys(out[0].timing as object).sort()).toEqual(['load_ms', 'queries_ms', 'total_ms']);
  });

  it('exits non-zero with a message on unreadable or malformed input', () => {
    const missing = spawnSync(process.execPath, [bin, 'eval', path.join(dir, 'nope.json')], { encoding: 'utf8' });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/cannot read/);
    const bad = spawnSync(process.execPath, [bin, 'eval', '-'], { input: '[{"name": ', encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/Malformed JSON/);
    expect(bad.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('reads cases from standard input with -', () => {
    const r = spawnSync(process.execPath, [bin, 'eval', '-'], { input: '[{"name": "s", "facts": {"q": [[3]]}, "queries": ["q(x)"]}]', encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('"q(x)": ["q(3)"]');
  });

  it('refuses a million facts with one bad row as a whole, and loads the same million without it', () => {
    const rows: number[][] = Array.from({ length: 1_000_000 }, (_, i) => [i, i + 1]);
    const probe = { rules: ['p(x) :- q(x, y)'], queries: ['p(999999)', 'q(0, y)'] };
    const file = write('million.json', JSON.stringify([
      { name: 'bad', facts: { q: [...rows, [1, 2, 3]] }, ...probe },
      { name: 'good', facts: { q: rows }, ...probe },
    ]));
    const r = spawnSync(process.execPath, [bin, 'eval', file], { encoding: 'utf8', maxBuffer: 1 << 24, timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [bad, good] = parseJson(r.stdout) as { fact_errors: { message: string }[]; results: Record<string, string[]> }[];
    expect(bad.fact_errors.map((e) => e.message)).toEqual(['Literal q(1, 2, 3) contained 3 arguments but exactly 2 arguments are permitted']);
    expect(bad.results).toEqual({ 'p(999999)': [], 'q(0, y)': [] });
    expect(good.fact_errors).toEqual([]);
    expect(good.results).toEqual({ 'p(999999)': ['p(999999)'], 'q(0, y)': ['q(0, 1)'] });
  }, 120_000);

  it('ends quietly when the reader closes the pipe early (| head)', async () => {
    // Far more output than a pipe buffers, so the process is still writing when the pipe closes.
    const many = write('many.json', JSON.stringify([{ name: 'many', facts: { q: Array.from({ length: 50_000 }, (_, i) => [`row-${i}`]) }, queries: ['q(x)'] }]));
    const child = spawn(process.execPath, [bin, 'eval', many], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

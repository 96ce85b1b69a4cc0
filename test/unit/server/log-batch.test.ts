import { EventEmitter } from 'node:events';
import winston from 'winston';
import { BatchedLines } from '../../../src/server/log-batch';

function sink(): { writes: string[]; write(text: string): void } {
  const writes: string[] = [];
  return { writes, write: (text) => void writes.push(text) };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('BatchedLines', () => {
  it('writes the lines of one turn as one write, in order, after the turn', async () => {
    const out = sink();
    const lines = new BatchedLines(out, new EventEmitter() as unknown as NodeJS.Process);
    lines.write('a\n');
    lines.write('b\n');
    lines.write('c\n');
    expect(out.writes).toEqual([]);
    await nextTurn();
    await nextTurn();
    expect(out.writes).toEqual(['a\nb\nc\n']);
    lines.write('d\n');
    await nextTurn();
    await nextTurn();
    expect(out.writes).toEqual(['a\nb\nc\n', 'd\n']);
  });

  it("writes what it holds when the process exits, before the turn ends", () => {
    const out = sink();
    const exits = new EventEmitter();
    const lines = new BatchedLines(out, exits as unknown as NodeJS.Process);
    lines.write('fatal: could not start\n');
    exits.emit('exit', 1);
    expect(out.writes).toEqual(['fatal: could not start\n']);
  });

  it('writes what it holds when ended, and leaves the exit hook', async () => {
    const out = sink();
    const exits = new EventEmitter();
    const lines = new BatchedLines(out, exits as unknown as NodeJS.Process);
    expect(exits.listenerCount('exit')).toBe(1);
    lines.write('last\n');
    await new Promise<void>((resolve) => lines.end(resolve));
    expect(out.writes).toEqual(['last\n']);
    expect(exits.listenerCount('exit')).toBe(0);
  });

  it('carries every line of a winston logger, none lost or reordered', async () => {
    const out = sink();
    const stream = new BatchedLines(out, new EventEmitter() as unknown as NodeJS.Process);
    const logger = winston.createLogger({ format: winston.format.printf((i) => String(i.message)), transports: [new winston.transports.Stream({ stream, eol: '\n' })] });
    for (let i = 0; i < 500; i++) logger.info(`line ${i}`);
    await nextTurn();
    await nextTurn();
    expect(out.writes.length).toBeLessThan(5);
    expect(out.writes.join('')).toBe(Array.from({ length: 500 }, (_, i) => `line ${i}\n`).join(''));
  });
});

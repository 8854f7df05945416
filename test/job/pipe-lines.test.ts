import { describe, expect, it } from 'vitest';
import { MAX_RUN_TOGETHER, PipeLines } from '../../src/job/pipe-lines.js';
import { JobReport } from '../../src/job/report.js';
import { stringWriter } from '../helpers/string-writer.js';

// The command's pipe lines through a report that writes to a string; returns what was written.
async function pipeLines(lines: string[]): Promise<string[]> {
  const { writer, written } = stringWriter();
  const pipe = new PipeLines(new JobReport(writer));
  for (const line of lines) pipe.line(line, 0);
  await writer.end();
  return written().trimEnd().split('\n');
}

describe('PipeLines', () => {
  it('splits messages run together where each piece is a message, not inside a string', async () => {
    const sent = await pipeLines(['ITM {"a": "}LOG {x"}ITM {"b": 2}LOG {"message": "m", "level": 20, "time": 5}']);
    expect(sent.map((line) => line.slice(0, 3))).toEqual(['LOG', 'ITM', 'ITM', 'LOG']);
    expect(sent[1]).toBe('ITM {"a": "}LOG {x"}');
    expect(sent[0]).toMatch(/"level":30,.*no newline between them/);
  });

  it('splits a line at up to MAX_RUN_TOGETHER places, and refuses one with more as it stands', async () => {
    const items = (count: number): string => Array.from({ length: count + 1 }, (_, n) => `ITM {"n": ${n}}`).join('');
    const split = await pipeLines([items(MAX_RUN_TOGETHER)]);
    expect(split.filter((line) => line.startsWith('ITM'))).toHaveLength(MAX_RUN_TOGETHER + 1);
    const refused = await pipeLines([items(MAX_RUN_TOGETHER + 1)]);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/"level":40,.*not sent/);
  });

  it('refuses in linear time a line with many places where a message could start, quoted in a string', async () => {
    const line = `LOG {"level": 20, "message": "${'}LOG {'.repeat(150_000)}`;
    const started = performance.now();
    const sent = await pipeLines([line]);
    // Generous, to catch the quadratic case (a parse of the line per place: many seconds), not to time it.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/"level":40,.*not sent/);
  });
});

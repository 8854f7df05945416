import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { OutputLines, type OutputOptions } from '../../src/job/output-lines.js';
import { JobReport } from '../../src/job/report.js';
import { LineSplitter } from '../../src/lines/line-splitter.js';
import { BatchedWriter } from '../../src/sink/batched-writer.js';
import { random } from '../helpers/random.js';

// Runs bytes through splitter → output lines → report → writer, in the given chunks, and returns what is written.
async function encode(chunks: Buffer[], options: OutputOptions, useBlocks: boolean): Promise<string> {
  let written = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString('latin1');
      done();
    },
  });
  const writer = new BatchedWriter(() => {}, false);
  writer.open(sink);
  const report = new JobReport(writer);
  const lines = new OutputLines(report, options);
  // Without blocks: the same handler, minus its fast path.
  const handler = useBlocks ? lines : { line: lines.line.bind(lines), piece: lines.piece.bind(lines) };
  const splitter = new LineSplitter(handler);
  for (const chunk of chunks) {
    lines.now = 1_700_000_000_000;
    splitter.push(chunk);
    lines.chunkDone();
    writer.flush();
  }
  splitter.end();
  lines.end();
  await writer.end();
  return written;
}

const LINE_KINDS = [
  (n: number) => `plain log line number ${n}`,
  (n: number) => `  continuation ${n}`,
  () => '',
  (n: number) => `{"item": ${n}}`,
  (n: number) => `LOG {"level": 30, "message": "w${n}"}`,
  (n: number) => `quote " and backslash \\ ${n}`,
  (n: number) => `tab\there ${n}`,
  (n: number) => `non-ASCII é ${n}`,
  (n: number) => `crlf ${n}\r`,
  (n: number) => `{not json ${n}`,
  (n: number) => `\tat Frame.method(File.java:${n})`,
  (n: number) => `escape \u001b[31mred\u001b[0m ${n}`,
  (n: number) => `😀 astral ${n}`,
  (n: number) => `{"a": [${n}, 2], "b": {"c": "d"}, "e": null}`,
  (n: number) => `{"trailing": ${n}}   `,
  () => '{}',
  (n: number) => `{"deeper": [[${n}]]}`,
  (n: number) => `{"bad": ${n},}`,
  (n: number) => `{"then": ${n}} junk after the object`,
];

describe('the block fast path', () => {
  it('writes exactly what line-by-line handling writes, whatever the input and its chunking', async () => {
    for (let seed = 1; seed <= 60; seed++) {
      const next = random(seed);
      // Some inputs are mostly plain logs, some mostly items, some anything: each fast path gets long runs.
      const usual = [0, 3, -1][seed % 3] as number;
      // Every fourth input is long and read in chunks as big as a pipe's, so chunks hold several blocks.
      const big = seed % 4 === 0;
      const text = Array.from({ length: big ? 4_000 : 400 }, (_, n) => {
        const kind = usual !== -1 && next() < 0.9 ? usual : Math.floor(next() * LINE_KINDS.length);
        return (LINE_KINDS[kind] as (n: number) => string)(n);
      }).join('\n') + (next() < 0.5 ? '\n' : '');
      const bytes = Buffer.from(text);
      const chunks: Buffer[] = [];
      for (let offset = 0; offset < bytes.length;) {
        const size = 1 + Math.floor(next() * (big ? 70_000 : 3000));
        chunks.push(bytes.subarray(offset, offset + size));
        offset += size;
      }
      for (const options of [
        { level: 20, messages: true, items: true, detectLevels: false },
        { level: 20, messages: true, items: false, detectLevels: false },
        { level: 40, messages: false, items: false, detectLevels: false },
        { level: 40, messages: false, items: false, detectLevels: true },
      ]) {
        // Compared line by line, so a failure shows the first line that differs and the seed to replay.
        const fast = (await encode(chunks, options, true)).split('\n');
        const slow = (await encode(chunks, options, false)).split('\n');
        const index = fast.findIndex((line, position) => line !== slow[position]);
        expect(index === -1 ? 'same' : `seed ${seed}, ${JSON.stringify(options)}, line ${index}:\n${fast[index]}\n${slow[index]}`).toBe('same');
        expect(fast.length).toBe(slow.length);
      }
    }
  });

  it('is taken for plain chunks', async () => {
    const bytes = Buffer.from(Array.from({ length: 100 }, (_, n) => `line ${n}`).join('\n') + '\n');
    let blocks = 0;
    const lines = new OutputLines(new JobReport(new BatchedWriter(() => {})), { level: 20, messages: true, items: true, detectLevels: false });
    const splitter = new LineSplitter({
      line: (text, flags) => lines.line(text, flags),
      piece: (text, last) => lines.piece(text, last),
      block: (text, flags) => {
        blocks++;
        return lines.block(text, flags);
      },
    });
    splitter.push(bytes);
    expect(blocks).toBe(1);
  });
});

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BatchedWriter } from '../../src/sink/batched-writer.js';

function sink(options: { highWaterMark?: number; fail?: boolean } = {}): { stream: Writable; written: () => string } {
  let written = '';
  const stream = new Writable({
    highWaterMark: options.highWaterMark ?? 16_384,
    write(chunk: Buffer, _encoding, done) {
      if (options.fail) return done(Object.assign(new Error('broken pipe'), { code: 'EPIPE' }));
      written += chunk.toString('latin1');
      setImmediate(done);
    },
  });
  return { stream, written: () => written };
}

describe('BatchedWriter', () => {
  it('counts as congested until it has a stream, and lets waiting producers go once it has', () => {
    const writer = new BatchedWriter(() => {});
    expect(writer.congested).toBe(true);
    let resumed = false;
    writer.whenDrained(() => (resumed = true));
    writer.write('LOG {}\n');
    expect(resumed).toBe(false);
    writer.open(sink().stream);
    expect(resumed).toBe(true);
    expect(writer.congested).toBe(false);
  });

  it('writes lines in order, batched, and everything by end()', async () => {
    const { stream, written } = sink();
    const writer = new BatchedWriter(() => {});
    writer.open(stream);
    const lines = Array.from({ length: 5_000 }, (_, n) => `LOG {"n":${n}}\n`);
    for (const line of lines) writer.write(line);
    await writer.end();
    expect(written()).toBe(lines.join(''));
  });

  it('reports congestion when the stream is behind, and drain releases producers', async () => {
    const { stream } = sink({ highWaterMark: 10 });
    const writer = new BatchedWriter(() => {});
    writer.open(stream);
    writer.write('x'.repeat(100) + '\n');
    writer.flush();
    expect(writer.congested).toBe(true);
    await new Promise<void>((resolve) => writer.whenDrained(resolve));
    expect(writer.congested).toBe(false);
  });

  it('on a stream error: reports it once, releases producers, discards later lines, and still ends', async () => {
    const { stream } = sink({ highWaterMark: 10, fail: true });
    const errors: string[] = [];
    const writer = new BatchedWriter((error) => errors.push((error as NodeJS.ErrnoException).code ?? ''));
    writer.open(stream);
    writer.write('x'.repeat(100) + '\n');
    writer.flush();
    let released = false;
    writer.whenDrained(() => (released = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toEqual(['EPIPE']);
    expect(released).toBe(true);
    expect(writer.congested).toBe(false);
    writer.write('more\n');
    await writer.end();
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BatchedWriter } from '../../src/sink/batched-writer.js';
import { openPipe } from '../../src/sink/open-pipe.js';
import { makeTestFifo } from '../helpers/fifo.js';
import { random } from '../helpers/random.js';

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

// A reader of a real FIFO that opens it at once and starts reading after `delaySeconds` ("exit" to never read).
function startReader(fifo: string, delaySeconds: number | 'exit'): { process: ChildProcess; received: () => string; exited: Promise<void> } {
  const script = delaySeconds === 'exit' ? 'exec 3<"$0"; exit 0' : `exec 3<"$0"; sleep ${delaySeconds}; exec cat <&3`;
  const reader = spawn('sh', ['-c', script, fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
  let received = '';
  reader.stdout.setEncoding('latin1');
  reader.stdout.on('data', (data: string) => (received += data));
  const exited = new Promise<void>((resolve) => reader.on('close', () => resolve()));
  return { process: reader, received: () => received, exited };
}

// A writer on a real FIFO's non-blocking fd, and a reader that starts reading it half a second later.
async function writerOnFifo(): Promise<{ reader: ReturnType<typeof startReader>; writer: BatchedWriter }> {
  const fifo = makeTestFifo();
  const reader = startReader(fifo, 0.5);
  const pipe = await openPipe(fifo).ready;
  expect(pipe.fd).toBeTypeOf('number');
  const writer = new BatchedWriter((error) => {
    throw error;
  });
  writer.open(pipe.stream, pipe.fd);
  return { reader, writer };
}

// Hands `line` to the writer as bytes in `reused`, then spoils them as a later line would: what the writer keeps of
// them must be its own copy.
function writeThroughReused(writer: BatchedWriter, reused: Buffer, line: string): void {
  const length = reused.write(line, 'latin1');
  writer.writeBytes(reused.subarray(0, length));
  reused.fill(0x58);
}

// Ends the writer and checks that the reader got exactly `expected`.
async function expectDelivered(writer: BatchedWriter, reader: ReturnType<typeof startReader>, expected: string): Promise<void> {
  await writer.end();
  await reader.exited;
  expect(reader.received().length).toBe(expected.length);
  expect(reader.received() === expected).toBe(true);
}

describe('BatchedWriter on a FIFO, writing straight to its fd', () => {
  it('delivers every byte once and in order past a stalled reader, and reports congestion meanwhile', async () => {
    const { reader, writer } = await writerOnFifo();
    let expected = '';
    let congested = 0;
    // ~2 MB: far more than the pipe holds, so lines are written directly, kept, and handed to the stream in turn.
    for (let n = 0; n < 4_000; n++) {
      const line = `LOG {"n":${n},"padding":"${'p'.repeat(n % 900)}"}\n`;
      writer.write(line);
      expected += line;
      if (n % 40 === 0) {
        writer.flush();
        if (writer.congested) {
          congested++;
          await new Promise<void>((resolve) => writer.whenDrained(resolve));
        }
      }
    }
    await expectDelivered(writer, reader, expected);
    expect(congested).toBeGreaterThan(0);
  });

  it('keeps lines given as bytes in order with the others, though the caller reuses their buffer at once', async () => {
    const { reader, writer } = await writerOnFifo();
    const reused = Buffer.alloc(200_000);
    let expected = '';
    for (let n = 0; n < 300; n++) {
      const line = `LOG {"n":${n},"padding":"${'p'.repeat((n * 997) % 150_000)}"}\n`;
      if (n % 3 === 0) writeThroughReused(writer, reused, line);
      else writer.write(line);
      expected += line;
      if (writer.congested) await new Promise<void>((resolve) => writer.whenDrained(resolve));
    }
    await expectDelivered(writer, reader, expected);
  });

  it('keeps byte lines intact when many of them wait for the reader at once', async () => {
    const { reader, writer } = await writerOnFifo();
    const reused = Buffer.alloc(400_000);
    let expected = '';
    // No waiting for the reader: the stream holds many copies at a time, of sizes above and below their buffers'.
    for (let n = 0; n < 60; n++) {
      const line = `LOG {"n":${n},"padding":"${String.fromCharCode(0x41 + (n % 26)).repeat((n * 7919) % 350_000)}"}\n`;
      writeThroughReused(writer, reused, line);
      expected += line;
    }
    await expectDelivered(writer, reader, expected);
  });

  it('reports a reader that went away once, at the direct write, and discards what follows', async () => {
    const fifo = makeTestFifo();
    const reader = startReader(fifo, 'exit');
    const pipe = await openPipe(fifo).ready;
    await reader.exited;
    const errors: string[] = [];
    const stacks: string[] = [];
    const limits: number[] = [];
    const writer = new BatchedWriter((error) => {
      errors.push((error as NodeJS.ErrnoException).code ?? error.message);
      stacks.push(error.stack ?? '');
      limits.push(Error.stackTraceLimit);
    });
    writer.open(pipe.stream, pipe.fd);
    writer.write('LOG {}\n');
    writer.flush();
    // Synchronously: the error came from the direct write, not from the stream.
    expect(errors).toEqual(['EPIPE']);
    // The direct write's errors (mostly "the pipe is full") capture no stack trace, and the limit that makes them
    // cheap is lifted again before anything else runs.
    expect(stacks[0]).not.toContain('\n    at ');
    expect(limits).toEqual([Error.stackTraceLimit]);
    expect(Error.stackTraceLimit).toBeGreaterThan(0);
    let released = false;
    writer.whenDrained(() => (released = true));
    expect(released).toBe(true);
    writer.write('more\n');
    writer.flush();
    await writer.end();
    expect(errors).toEqual(['EPIPE']);
  });
});

describe('BatchedWriter, lines appended as bytes', () => {
  // Appends `line` from `reused`, then spoils it as the next framing would: what the writer keeps must be its own.
  function appendThroughReused(writer: BatchedWriter, reused: Buffer, line: string): void {
    const length = reused.write(line, 'latin1');
    writer.append(reused.subarray(0, length));
    reused.fill(0x58);
  }

  it('keeps them in order with strings and byte writes, held past a stalled reader, at sizes around its room', async () => {
    const { reader, writer } = await writerOnFifo();
    const reused = Buffer.alloc(500_000);
    let expected = '';
    // Sizes from one line to past the bytes the batch holds (192 KiB), each way after each other, with and without
    // waiting for the reader.
    const next = random(7);
    for (let n = 0; n < 600; n++) {
      const size = Math.floor(next() * 4) === 0 ? Math.floor(next() * 250_000) : Math.floor(next() * 2_000);
      const line = `LOG {"n":${n},"padding":"${String.fromCharCode(0x41 + (n % 26)).repeat(size)}"}\n`;
      const way = Math.floor(next() * 3);
      if (way === 0) appendThroughReused(writer, reused, line);
      else if (way === 1) writer.write(line);
      else writeThroughReused(writer, reused, line);
      expected += line;
      if (next() < 0.2 && writer.congested) await new Promise<void>((resolve) => writer.whenDrained(resolve));
    }
    await expectDelivered(writer, reader, expected);
  });

  it('takes them before it has a stream, after the strings before them', async () => {
    const { stream, written } = sink();
    const writer = new BatchedWriter(() => {});
    writer.write('LOG {"n":1}\n');
    writer.append(Buffer.from('ITM {"n":2}\n'));
    writer.write('LOG {"n":3}\n');
    writer.open(stream);
    writer.append(Buffer.from('ITM {"n":4}\n'));
    writer.write('LOG {"n":5}\n');
    await writer.end();
    expect(written()).toBe('LOG {"n":1}\nITM {"n":2}\nLOG {"n":3}\nITM {"n":4}\nLOG {"n":5}\n');
  });
});

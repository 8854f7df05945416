// Collects protocol lines and hands them to the output stream in large writes, reporting backpressure.
//
// One write per line into a FIFO moved a fraction of what large batches move (the bench's log lines).
// Lines are appended to one string (a rope in V8, O(1) per append), or as bytes to a buffer ahead of it (lines the
// WebAssembly module framed, append()), and written when the batch is full, when the producer finishes a chunk of
// input (flush()), or on the next turn of the event loop for lines made by timers.
//
// The writer exists before its stream: until `open()`, it counts as congested, so producers wait exactly as they
// do for a slow reader, and "nobody reads the pipe yet" needs no path of its own.
//
// On the job's FIFO, a batch is written straight to the (non-blocking) fd, synchronously, whenever the stream has
// nothing queued. A stream write that the pipe cannot take whole waits for the next turn of the event loop, and a
// 64 KiB pipe then moves at most 64 KiB per turn: the wrapper sat idle ~30% of the time waiting for its reader. A
// direct write instead tries again after the next block of work, by which time the reader has emptied the pipe;
// what still does not fit is kept (up to HELD_UNITS) for the next try, and handed to the stream, which waits for
// the reader, on the next turn of the loop or once that much is held. Measured with BLOCK_UNITS (line-splitter.ts):
// the bench's log lines and items show it.

import { writeSync } from 'node:fs';
import type { Writable } from 'node:stream';

const BATCH_UNITS = 32 * 1024;
// Kept small: strings over 128 KiB live in V8's large-object space, which only a full GC frees, and with a slow
// reader 256 KiB held took peak RSS from 69 MiB to ~103 MiB (1,000,000 log lines), at no gain in speed.
const HELD_UNITS = 64 * 1024;

// Room for lines handed over as bytes (append) and the strings before them: a batch, what a direct write may keep
// for the next try (HELD_UNITS), and a block's lines as the module frames them (byte-scan.ts).
const BYTES_ROOM = 192 * 1024;

// The byte copies kept for reuse (writeCopy), and their least size: a piece of a long line, escaped.
const SPARE_COPIES = 4;
const COPY_BYTES = 256 * 1024;

export class BatchedWriter {
  private stream: Writable | undefined;
  private readonly spareCopies: Buffer[] = [];
  // The stream's own fd, for direct writes; undefined for other streams (stdout, a plain file).
  private fd: number | undefined;
  private batch = '';
  // Lines handed over as bytes, which go before `batch`; allocated with the first of them.
  private bytes: Buffer | undefined;
  private bytesLength = 0;
  private scheduled = false;
  private broken: Error | undefined;
  private readonly drainWaiters: Array<() => void> = [];
  // When the reader last took something (or the writer was created): tells a stalled reader from a slow one.
  private lastProgress = Date.now();
  private readonly progressed = (): void => {
    this.lastProgress = Date.now();
  };
  private readonly flushScheduled = (): void => {
    this.scheduled = false;
    this.flush(true);
  };

  // `closeOnEnd` is false for the wrapper's own stdout, which stays open for the rest of the process.
  constructor(private readonly onError: (error: Error) => void, private readonly closeOnEnd = true) {}

  // `fd`, when given, is the non-blocking fd the stream writes to: batches may be written to it directly.
  open(stream: Writable, fd?: number): void {
    this.stream = stream;
    this.fd = fd;
    stream.on('drain', () => {
      this.progressed();
      this.releaseWaiters();
    });
    stream.on('error', (error: Error) => this.fail(error));
    // Once the stream has closed its fd, the number may be reused by another file: never write to it again.
    stream.once('close', () => (this.fd = undefined));
    this.flush();
    if (!this.congested) this.releaseWaiters();
  }

  // Takes one or more complete protocol lines.
  write(lines: string): void {
    if (this.broken) return;
    this.batch += lines;
    if (this.batch.length + this.bytesLength >= BATCH_UNITS) this.flush();
    else this.schedule();
  }

  // Takes one or more complete protocol lines as bytes that the caller reuses once this returns, into the batch:
  // lines the module wrote as bytes (byte-scan.ts) are not made a string only to be encoded again. Strings taken
  // before them are encoded into the batch ahead of them.
  append(bytes: Buffer): void {
    if (this.broken) return;
    if (!this.stream) {
      this.batch += bytes.toString('latin1');
      return;
    }
    if (this.bytesLength + this.batch.length + bytes.length > BYTES_ROOM) {
      this.flush();
      if (this.bytesLength + this.batch.length + bytes.length > BYTES_ROOM) this.flush(true);
      if (bytes.length > BYTES_ROOM) return this.writeBytes(bytes);
    }
    const batchBytes = (this.bytes ??= Buffer.allocUnsafe(BYTES_ROOM));
    if (this.batch.length > 0) {
      this.bytesLength += batchBytes.write(this.batch, this.bytesLength, 'latin1');
      this.batch = '';
    }
    batchBytes.set(bytes, this.bytesLength);
    this.bytesLength += bytes.length;
    if (this.bytesLength >= BATCH_UNITS) this.flush();
    else this.schedule();
  }

  // Takes one or more complete protocol lines as bytes that the caller reuses once this returns (encodeLogBytes):
  // written now as far as the pipe takes them, the rest copied for the stream. Lines written before go first.
  writeBytes(bytes: Buffer): void {
    if (this.broken) return;
    this.flush(true);
    if (!this.stream) {
      this.batch += bytes.toString('latin1');
      return;
    }
    let written = 0;
    if (this.fd !== undefined && this.stream.writableLength === 0) written = this.writeDirectly(this.fd, bytes);
    if (written < bytes.length && !this.broken) this.writeCopy(this.stream, bytes.subarray(written));
  }

  // Hands the stream a copy of bytes the pipe could not take now, in a buffer reused once the stream has written it:
  // these are pieces of long lines, and copies left to the garbage collector piled up as memory outside V8's heap,
  // which seldom triggers a collection (the bench's 60 MB non-ASCII line).
  private writeCopy(stream: Writable, bytes: Buffer): void {
    const spare = this.spareCopies.pop();
    const copy = spare !== undefined && spare.length >= bytes.length ? spare : Buffer.allocUnsafe(Math.max(bytes.length, COPY_BYTES));
    bytes.copy(copy);
    stream.write(copy.subarray(0, bytes.length), () => {
      this.progressed();
      if (this.spareCopies.length < SPARE_COPIES) this.spareCopies.push(copy);
    });
  }

  // Writes the batch. With `handOver`, whatever the pipe cannot take now goes to the stream, which writes it as soon
  // as the reader makes room; without it, a direct write may keep the rest for the next flush (see the top).
  flush(handOver = false): void {
    if ((this.batch.length === 0 && this.bytesLength === 0) || this.broken || !this.stream) return;
    if (this.bytesLength > 0 && !this.flushBytes(this.stream, handOver)) return;
    if (this.batch.length === 0) return;
    let batch = this.batch;
    this.batch = '';
    if (this.fd !== undefined && this.stream.writableLength === 0) {
      const written = this.writeDirectly(this.fd, batch);
      if (written === batch.length || this.broken) return;
      batch = batch.slice(written);
      if (!handOver && batch.length < HELD_UNITS) {
        this.batch = batch;
        this.schedule();
        return;
      }
    }
    // Every line is ASCII, so latin1 encodes it byte for byte with V8's fastest path.
    this.stream.write(batch, 'latin1', this.progressed);
  }

  // Writes the lines taken as bytes, as flush writes a batch; false when some of them are kept for the next try (and
  // the strings after them with them).
  private flushBytes(stream: Writable, handOver: boolean): boolean {
    let bytes = (this.bytes as Buffer).subarray(0, this.bytesLength);
    if (this.fd !== undefined && stream.writableLength === 0) {
      const written = this.writeDirectly(this.fd, bytes);
      if (this.broken) return false;
      if (!handOver && written < bytes.length && bytes.length - written + this.batch.length < HELD_UNITS) {
        bytes.copyWithin(0, written);
        this.bytesLength -= written;
        this.schedule();
        return false;
      }
      bytes = bytes.subarray(written);
    }
    // As a string, as a batch of strings goes: the stream's copy of it is freed once written. Copies kept for reuse
    // (writeCopy) stayed allocated, four of them for the rest of the job, where the pipe fills now and then (peak
    // memory of the bench's log lines).
    if (bytes.length > 0) stream.write(bytes.toString('latin1'), 'latin1', this.progressed);
    this.bytesLength = 0;
    return true;
  }

  // How long lines have been waiting for a reader that takes none of them; 0 when nothing waits.
  stalledFor(now: number): number {
    if (this.broken || !this.stream || (this.batch.length === 0 && this.bytesLength === 0 && this.stream.writableLength === 0)) return 0;
    return now - this.lastProgress;
  }

  // True while there is no reader or it is behind: producers stop reading input until `whenDrained` calls back.
  get congested(): boolean {
    if (this.broken) return false;
    return this.stream === undefined || this.stream.writableNeedDrain;
  }

  whenDrained(resume: () => void): void {
    if (this.congested) this.drainWaiters.push(resume);
    else resume();
  }

  // Flushes everything and resolves once the stream has handed all of it to the system.
  end(): Promise<void> {
    this.flush(true);
    this.fd = undefined;
    const stream = this.stream;
    return new Promise((resolve) => {
      if (!stream || this.broken || stream.writableFinished) return resolve();
      stream.once('error', () => resolve());
      if (this.closeOnEnd) stream.end(() => resolve());
      else stream.write('', () => resolve());
    });
  }

  // How much of `batch` the pipe took (0 when it is full); a failure breaks the writer as a stream error would.
  private writeDirectly(fd: number, batch: string | Buffer): number {
    let written = 0;
    let failure: NodeJS.ErrnoException | undefined;
    // Node says "the pipe is full" by throwing, and a reader that falls behind makes that a common answer: an error
    // with no stack trace to capture costs a fraction of one with a stack (the bench's log lines and items, whose
    // reader falls behind now and then). Nothing reads the stack of these errors: only their code.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      written = typeof batch === 'string' ? writeSync(fd, batch, null, 'latin1') : writeSync(fd, batch);
    } catch (error) {
      failure = error as NodeJS.ErrnoException;
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    if (written > 0) this.progressed();
    // Full, or interrupted by a signal before writing anything: try again later.
    if (failure === undefined || failure.code === 'EAGAIN' || failure.code === 'EINTR') return written;
    this.stream?.destroy();
    this.fail(failure);
    return 0;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.flushScheduled);
  }

  private fail(error: Error): void {
    if (this.broken) return;
    this.broken = error;
    this.batch = '';
    this.bytesLength = 0;
    // Producers waiting for `drain` would wait forever: let them go on, their lines are discarded from now on.
    this.releaseWaiters();
    this.onError(error);
  }

  private releaseWaiters(): void {
    for (const resume of this.drainWaiters.splice(0)) resume();
  }
}

// Reads one of the command's streams into its line handler, and stops reading while the pipe's reader is behind:
// the command then blocks in its own write(), so memory stays bounded and nothing is dropped.

import type { Readable } from 'node:stream';
import { LineSplitter, type LineHandler } from '../lines/line-splitter.js';
import type { BatchedWriter } from '../sink/batched-writer.js';

// What a pump feeds: lines, plus the time each chunk was read and the chunk and stream boundaries.
export interface StreamLines extends LineHandler {
  now: number;
  chunkDone(): void;
  // Reading stops until the pipe's reader catches up: the command's output waits, it is not silence.
  readingHeld?(): void;
  end(): void;
}

export class StreamPump {
  // Resolves when the stream has ended and its last line has been handled.
  readonly done: Promise<void>;
  private finish: () => void = () => {};

  constructor(private readonly stream: Readable, handler: StreamLines, writer: BatchedWriter) {
    const splitter = new LineSplitter(handler);
    const resume = (): void => {
      stream.resume();
      // Idle again only if nothing more comes now: the time spent paused was the reader's, not the command's.
      handler.chunkDone();
    };
    const holdWhileCongested = (): void => {
      if (!writer.congested) return;
      stream.pause();
      handler.readingHeld?.();
      writer.whenDrained(resume);
    };
    this.done = new Promise((resolve) => {
      let finished = false;
      this.finish = () => {
        if (finished) return;
        finished = true;
        splitter.end();
        handler.end();
        writer.flush();
        resolve();
      };
      stream.on('data', (chunk: Buffer) => {
        handler.now = Date.now();
        splitter.push(chunk);
        handler.chunkDone();
        writer.flush();
        holdWhileCongested();
      });
      stream.once('end', this.finish);
      stream.once('close', this.finish);
      stream.once('error', this.finish);
      // Attached at once, even before anyone reads the pipe: Node discards the output of a child's stream that has
      // no consumer when the child exits. Paused until the writer can take lines.
      holdWhileCongested();
    });
  }

  // Stops waiting for the stream (a background process still holds it open): handle what was read, then close.
  abandon(): void {
    this.stream.destroy();
    this.finish();
  }
}

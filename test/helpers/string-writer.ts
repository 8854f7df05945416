import { Writable } from 'node:stream';
import { BatchedWriter } from '../../src/sink/batched-writer.js';

// A writer whose output goes to a string in memory, and that string so far: for tests of what a report writes.
export function stringWriter(): { writer: BatchedWriter; written: () => string } {
  let written = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString('latin1');
      done();
    },
  });
  const writer = new BatchedWriter(() => {}, false);
  writer.open(sink);
  return { writer, written: () => written };
}

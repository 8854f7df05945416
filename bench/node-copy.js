// Node's floor for the benchmark: spawns the command and copies its stdout to the pipe, changing nothing, written
// the fastest way Node offers (the wrapper's own: a non-blocking fd under a net.Socket, so writes wait on epoll, not
// on the thread pool). No wrapper written in Node can move the same bytes faster, so the table reads every figure
// against it.
import { spawn } from 'node:child_process';
import { constants, openSync } from 'node:fs';
import { Socket } from 'node:net';

// The reader may not have opened the pipe yet (ENXIO): try again shortly.
function openPipe(path) {
  for (;;) {
    try {
      return openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (error) {
      if (error.code !== 'ENXIO') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

const [command, ...args] = process.argv.slice(2);
const out = new Socket({ fd: openPipe(process.env.SHUB_FIFO_PATH), readable: false, writable: true });
const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
child.stdout.pipe(out);
child.on('exit', (code) => {
  out.on('finish', () => process.exit(code ?? 1));
});

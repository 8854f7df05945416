// Node's floor for the benchmark: spawns the command and copies its stdout to the pipe, changing nothing. No wrapper
// written in Node can move the same bytes faster than this, so the table reads every figure against it.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

const [command, ...args] = process.argv.slice(2);
const out = createWriteStream(process.env.SHUB_FIFO_PATH);
const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
child.stdout.pipe(out);
child.on('exit', (code) => {
  out.on('finish', () => process.exit(code ?? 1));
});

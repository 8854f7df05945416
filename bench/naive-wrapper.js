// The straightforward wrapper the benchmark compares against: what one would write in an afternoon.
// child_process + readline per stream + JSON.stringify per line + an fs write stream to the pipe.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

const [command, ...args] = process.argv.slice(2);
const out = createWriteStream(process.env.SHUB_FIFO_PATH);
const ascii = (json) => json.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
const send = (command, payload) => out.write(`${command} ${ascii(JSON.stringify(payload))}\n`);

const child = spawn(command, args, { stdio: ['inherit', 'pipe', 'pipe'] });
let open = 2;
for (const [stream, level] of [[child.stdout, 20], [child.stderr, 40]]) {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (level === 20 && line.startsWith('{')) {
      try {
        const item = JSON.parse(line);
        if (item && typeof item === 'object' && !Array.isArray(item)) return send('ITM', item);
      } catch {
        // not JSON: a log line
      }
    }
    send('LOG', { time: Date.now(), level, message: line });
  });
  lines.on('close', () => {
    if (--open === 0) finish();
  });
}
let code = 0;
child.on('exit', (status) => {
  code = status ?? 1;
});
function finish() {
  send('FIN', { outcome: code === 0 ? 'finished' : 'failed' });
  out.end(() => process.exit(code));
}

// Where Node runs without WebAssembly (--jitless), the wrapper takes the paths the module's passes stand for (the native
// scans of src/lines/text-flags.ts, the patterns of detect-level.ts, the loops of src/protocol/ascii.ts) and delivers
// the same messages: for each kind of byte, and for the recorded output of every real program in the fixtures.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandLogs, FIXTURES, runJob } from '../helpers/cli.js';

// One kind of byte per job: a chunk's escaping is decided for the whole chunk, by its worst byte.
const OUTPUTS = [
  ['plain lines', `printf 'one\\ntwo\\n'`],
  ['a quote', `printf 'say "hi"\\n'`],
  ['a backslash', `printf 'C:\\\\path\\n'`],
  ['a tab', `printf 'a\\tb\\n'`],
  ['ESC', `printf '\\033[31mred\\033[0m\\n'`],
  ['DEL', `printf 'del \\177\\n'`],
  ['non-ASCII', `printf 'café\\n'`],
  ['a real crawl\'s log', `cat "${join(FIXTURES, 'real-output', 'scrapy-crawl', 'stderr.txt')}"`],
];

// Each recorded stream on its own, so that the order of two streams read at once does not enter into it.
const REAL_OUTPUT = join(FIXTURES, 'real-output');
const RECORDED = readdirSync(REAL_OUTPUT, { withFileTypes: true }).filter((entry) => entry.isDirectory()).flatMap(({ name }) => [
  ...(existsSync(join(REAL_OUTPUT, name, 'stdout.txt')) ? [[`${name}, stdout`, `cat "${join(REAL_OUTPUT, name, 'stdout.txt')}"`]] : []),
  ...(existsSync(join(REAL_OUTPUT, name, 'stderr.txt')) ? [[`${name}, stderr`, `cat "${join(REAL_OUTPUT, name, 'stderr.txt')}" >&2`]] : []),
]);

describe('without WebAssembly', () => {
  it.each([...OUTPUTS, ...RECORDED])('%s: delivers what it delivers with it', async (_name, output) => {
    const withWasm = await runJob(['sh', '-c', output]);
    const without = await runJob(['sh', '-c', output], { NODE_OPTIONS: '--jitless' });
    expect(commandLogs(withWasm.job).length + withWasm.job.items.length).toBeGreaterThan(0);
    expect(commandLogs(without.job)).toEqual(commandLogs(withWasm.job));
    expect(without.job.items).toEqual(withWasm.job.items);
  });
});

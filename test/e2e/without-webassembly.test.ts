// Where Node runs without WebAssembly (--jitless), the wrapper decides escaping with the native scans
// (src/lines/text-flags.ts) and delivers the same messages.

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

describe('without WebAssembly', () => {
  it.each(OUTPUTS)('%s: delivers what it delivers with it', async (_name, output) => {
    const withWasm = await runJob(['sh', '-c', output]);
    const without = await runJob(['sh', '-c', output], { NODE_OPTIONS: '--jitless' });
    expect(commandLogs(withWasm.job).length).toBeGreaterThan(0);
    expect(commandLogs(without.job)).toEqual(commandLogs(withWasm.job));
  });
});

// Which commands `check` recognises as this package's own wrapper or start-crawl, and so never wraps again.

import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isOwnCommand } from '../../src/check/own-command.js';
import { CLI, ROOT } from '../helpers/cli.js';
import { publicTempDir } from '../helpers/fifo.js';

describe('isOwnCommand', () => {
  const directory = publicTempDir();
  symlinkSync(CLI, join(directory, 'renamed-wrapper'));
  const env = { PATH: `${directory}:/usr/bin:/bin` };

  it.each([
    [['shub-entrypoint', 'python3', 'x.py'], true],
    [['start-crawl'], true],
    [['/usr/local/bin/start-crawl'], true],
    [['./node_modules/.bin/shub-entrypoint', '--no-items', 'node', 'x.js'], true],
    [['npx', 'shub-entrypoint', 'python3', 'x.py'], true],
    [['npx', '--yes', '-p', 'shub-entrypoint', 'shub-entrypoint', 'sh'], true],
    [['npm', 'exec', '--', 'start-crawl'], true],
    [['node', 'bin/shub-entrypoint.js', 'sh'], true],
    [['node', '--max-old-space-size=100', '/usr/lib/node_modules/shub-entrypoint/bin/start-crawl.js'], true],
    [[process.execPath, CLI, 'sh'], true],
    [['renamed-wrapper', 'sh'], true],
    [[join(directory, 'renamed-wrapper')], true],
    [['python3', 'crawl.py'], false],
    [['node', 'crawl.js'], false],
    [['node', '-e', 'require("shub-entrypoint.js")'], false],
    [['npx', 'crawlee', 'run'], false],
    [['sh', '-c', 'shub-entrypoint python3 x.py'], false],
    [[], false],
  ])('%j → %s', (command, own) => {
    expect(isOwnCommand(command, env, ROOT)).toBe(own);
  });
});

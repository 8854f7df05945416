// The command's process tree, measured from /proc with real processes: every descendant counts, including one that
// left the session (a detached browser) and one whose parent exited (a double-forked daemon).

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/cli.js';
import { isAlive, killLeftovers, waitUntil } from '../helpers/processes.js';
import { treeMemory } from '../../src/process/process-tree.js';

const MB = 2 ** 20;
const leftovers: number[] = [];
afterEach(() => killLeftovers(leftovers));

// Starts the fixture the way the wrapper starts a command (in a session of its own) and resolves once its children
// hold their memory, with the children's pids.
async function startTree(args: string[]): Promise<{ root: number; children: number[] }> {
  const child = spawn('python3', [join(FIXTURES, 'memory-hog.py'), 'tree', ...args], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  leftovers.push(child.pid as number);
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
  await waitUntil(() => out.includes('ready\n'), 'the tree to be ready');
  const children = (/holding ([\d ]+)/.exec(out)?.[1] ?? '').split(' ').map(Number);
  leftovers.push(...children);
  return { root: child.pid as number, children };
}

describe('treeMemory', () => {
  it('sums the command and all its descendants: setsid() children and orphans re-parented to init included', async () => {
    const { root, children } = await startTree(['3', '40', 'detach']);
    const tree = treeMemory(root);
    expect(tree.processes).toBe(4);
    expect(new Set(tree.members)).toEqual(new Set([root, ...children]));
    expect(tree.bytes).toBeGreaterThan(3 * 40 * MB);
    expect(tree.bytes).toBeLessThan(3 * 40 * MB + 4 * 30 * MB); // each python adds its own few MB, no more
    expect(children.every(isAlive)).toBe(true);
  });

  it('is empty once the command is gone', () => {
    const tree = treeMemory(2 ** 22 + 1); // above pid_max's default, so never a live process
    expect(tree).toEqual({ bytes: 0, processes: 0, members: [] });
  });
});

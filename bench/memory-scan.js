// The memory guard's cost: how long one measurement of a command's process tree (one scan of /proc) takes, for a
// command with a few children, on this machine's whole process table. The guard does one a second.

import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const SCANS = 200;

// Bundles the guard's module on its own, so the bench measures the code the wrapper runs.
async function loadTreeMemory(scratch, root) {
  const outfile = join(scratch, 'process-tree.js');
  await build({ entryPoints: [join(root, 'src/process/process-tree.ts')], outfile, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  return (await import(outfile)).treeMemory;
}

// Resolves to { ms: one scan's median time, processes: how many /proc holds, tree: how many are the command's }.
export async function memoryScan(scratch, root) {
  const treeMemory = await loadTreeMemory(scratch, root);
  const command = spawn('sh', ['-c', 'sleep 30 & sleep 30 & sleep 30 & echo ready; wait'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((resolve) => command.stdout.once('data', resolve));
  const times = [];
  let tree;
  for (let scan = 0; scan < SCANS; scan++) {
    const start = process.hrtime.bigint();
    tree = treeMemory(command.pid);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  process.kill(-command.pid, 'SIGTERM');
  times.sort((a, b) => a - b);
  const processes = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
  return { ms: times[Math.floor(times.length / 2)], processes, tree: tree.processes };
}

// The memory guard's cost: how long one measurement of a command's process tree takes, for a command with a few
// children, on this machine's whole process table: a full scan of /proc, and a sample between two forks, which reads
// only the tree's own processes. The guard takes one sample a second, a scan only when the tree may have changed.

import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const SCANS = 200;

// Bundles the guard's sampler on its own, so the bench measures the code the wrapper runs.
async function loadSampler(scratch, root) {
  const outfile = join(scratch, 'tree-sampler.js');
  await build({ entryPoints: [join(root, 'src/process/tree-sampler.ts')], outfile, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  return (await import(outfile)).TreeSampler;
}

function medianMs(measure) {
  const times = [];
  for (let run = 0; run < SCANS; run++) {
    const start = process.hrtime.bigint();
    measure();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

// Resolves to { ms: one scan's median time, sampleMs: one sample's between forks, processes: how many /proc holds,
// tree: how many are the command's }.
export async function memoryScan(scratch, root) {
  const TreeSampler = await loadSampler(scratch, root);
  const command = spawn('sh', ['-c', 'sleep 30 & sleep 30 & sleep 30 & echo ready; wait'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((resolve) => command.stdout.once('data', resolve));
  // A new sampler each time has no members yet, so it scans.
  const ms = medianMs(() => new TreeSampler(command.pid).measure());
  const sampler = new TreeSampler(command.pid);
  const tree = sampler.measure();
  // Repeated with no fork in between: the members alone (other programs on the machine may fork and force a scan;
  // the median leaves those out).
  const sampleMs = medianMs(() => sampler.measure());
  process.kill(-command.pid, 'SIGTERM');
  const processes = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
  return { ms, sampleMs, processes, tree: tree.processes };
}

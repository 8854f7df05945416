// Measures the command's process tree again and again, scanning all of /proc only when the tree may have changed.
//
// A process joins the tree only by being forked from one of its members, and every fork takes a new pid in the
// wrapper's pid namespace (a fork in a nested namespace takes one in each namespace above it too). The kernel shows
// the last pid it handed out in the namespace of the reader, as the last field of /proc/loadavg: while it stands
// still, nobody was forked and the members found by the last scan are still the whole tree, so reading their own
// stat files is enough. A member that is gone ends that shortcut too, since its children are re-parented and may
// leave the tree. An idle command then costs one read of /proc/loadavg and one per member a second, where a scan
// reads one file for every process of the machine (the bench's idle and memory guard lines show both).
//
// Anything that makes the signal doubtful falls back to a scan every time, as before: a /proc/loadavg that is not
// the kernel's own (LXCFS mounts one over it that counts per container, refreshed every few seconds) or that does
// not parse.

import { statSync } from 'node:fs';
import { membersMemory, readProcFile, treeMemory, type TreeMemory } from './process-tree.js';

export class TreeSampler {
  private members: number[] = [];
  private lastPidAtScan: number | undefined;
  private readonly forksShown: boolean;

  constructor(private readonly root: number, private readonly proc = '/proc') {
    this.forksShown = isKernelFile(`${proc}/loadavg`, proc);
  }

  measure(): TreeMemory {
    const lastPid = this.forksShown ? lastPidCreated(this.proc) : undefined;
    if (lastPid !== undefined && lastPid === this.lastPidAtScan) {
      const known = membersMemory(this.members, this.proc);
      if (known !== undefined) return known;
    }
    // Read before the scan: a fork during the scan then shows at the next sample, which scans again.
    this.lastPidAtScan = lastPid;
    const scan = treeMemory(this.root, this.proc);
    this.members = scan.members;
    return { bytes: scan.bytes, processes: scan.processes };
  }
}

// The last field of /proc/loadavg, `0.20 0.18 0.12 1/80 11206`; undefined when it cannot be read.
function lastPidCreated(proc: string): number | undefined {
  const text = readProcFile(`${proc}/loadavg`);
  if (text === undefined) return undefined;
  const value = Number.parseInt(text.slice(text.trimEnd().lastIndexOf(' ') + 1), 10);
  return Number.isNaN(value) ? undefined : value;
}

// Whether `path` lives on the same filesystem as the `proc` mount itself, and not on one mounted over it.
function isKernelFile(path: string, proc: string): boolean {
  try {
    return statSync(path).dev === statSync(proc).dev;
  } catch {
    return false;
  }
}

// What the container's memory cgroup says about the job: its hard limit (where the kernel's OOM killer steps in) and
// how many processes that killer has ended. cgroup v2 (`memory.max`, `memory.events`) and v1
// (`memory.limit_in_bytes`, `memory.oom_control`) are both read; a machine with neither simply has no cgroup facts.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CgroupMemory {
  // The hard limit in bytes; undefined when there is none.
  limitBytes: number | undefined;
  // Processes of the cgroup ended by the OOM killer so far; undefined where the kernel does not count them.
  oomKills(): number | undefined;
}

// cgroup v1 writes "no limit" as the largest page-aligned 63-bit number; anything this large is no limit.
const V1_UNLIMITED = 2 ** 60;

// Finds the wrapper's own memory cgroup under `root`. Inside a container the cgroup filesystem usually shows the
// container's cgroup at its top, while /proc/self/cgroup may still name its path on the host: the path is tried
// first, then the top.
export function readCgroupMemory(root = '/sys/fs/cgroup', selfCgroup = '/proc/self/cgroup'): CgroupMemory | undefined {
  const lines = readText(selfCgroup)?.split('\n') ?? [];
  const v2Path = lines.find((line) => line.startsWith('0::'))?.slice(3);
  const v1Path = lines.map((line) => line.split(':')).find((parts) => (parts[1] ?? '').split(',').includes('memory'))?.[2];
  const v2 = candidates(root, v2Path).find((dir) => readText(join(dir, 'memory.max')) !== undefined);
  if (v2 !== undefined) {
    const max = readText(join(v2, 'memory.max'))?.trim();
    return {
      limitBytes: max === undefined || max === 'max' ? undefined : Number(max) || undefined,
      oomKills: () => counter(join(v2, 'memory.events'), 'oom_kill'),
    };
  }
  const v1 = candidates(join(root, 'memory'), v1Path).find((dir) => readText(join(dir, 'memory.limit_in_bytes')) !== undefined);
  if (v1 === undefined) return undefined;
  const limit = Number(readText(join(v1, 'memory.limit_in_bytes')));
  return {
    limitBytes: limit > 0 && limit < V1_UNLIMITED ? limit : undefined,
    oomKills: () => counter(join(v1, 'memory.oom_control'), 'oom_kill'),
  };
}

function candidates(top: string, path: string | undefined): string[] {
  return path === undefined || path === '/' ? [top] : [join(top, path), top];
}

// A `name value` line of a flat-keyed cgroup file.
function counter(path: string, name: string): number | undefined {
  const line = readText(path)?.split('\n').find((candidate) => candidate.startsWith(name + ' '));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}

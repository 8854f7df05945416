// Where the job's memory limit comes from, and what the container's cgroup says, read from real files laid out as
// cgroup v1 and v2 lay them out.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/fifo.js';
import { readCgroupMemory, type CgroupMemory } from '../../src/process/cgroup-memory.js';
import { resolveMemoryLimit } from '../../src/process/memory-limit.js';

const MB = 2 ** 20;
const cgroupOf = (limitMb: number): CgroupMemory => ({ limitBytes: limitMb * MB, oomKills: () => 0 });

describe('resolveMemoryLimit', () => {
  it.each([
    // setting, SHUB_JOB_MEMORY_LIMIT, cgroup limit (MB), expected limit (MB), source
    [undefined, undefined, undefined, undefined, undefined],
    [undefined, '950', undefined, 950, 'SHUB_JOB_MEMORY_LIMIT'],
    [300, '950', undefined, 300, 'set by --memory-limit, SHUBENTRYPOINT_MEMORY_LIMIT or memoryLimit'],
    [0, '950', 1024, undefined, undefined],
    [undefined, '950', 1024, 950, 'SHUB_JOB_MEMORY_LIMIT'],
    [undefined, '950', 800, 760, "the container's limit of 800 MB (cgroup), less 5% headroom"],
    [undefined, undefined, 1000, 950, "the container's limit of 1000 MB (cgroup), less 5% headroom"],
    [2000, undefined, 1000, 950, "the container's limit of 1000 MB (cgroup), less 5% headroom"],
  ] as const)('setting %s, SHUB_JOB_MEMORY_LIMIT %s, cgroup %s MB → %s MB', (setting, env, cgroupMb, expectedMb, source) => {
    const { limit, problem } = resolveMemoryLimit(setting, env === undefined ? {} : { SHUB_JOB_MEMORY_LIMIT: env },
      cgroupMb === undefined ? undefined : cgroupOf(cgroupMb));
    expect(problem).toBeUndefined();
    expect(limit).toEqual(expectedMb === undefined ? undefined : { bytes: expectedMb * MB, source });
  });

  it.each(['1GB', '-5', '0', 'NaN'])('ignores SHUB_JOB_MEMORY_LIMIT=%s and says why', (text) => {
    const { limit, problem } = resolveMemoryLimit(undefined, { SHUB_JOB_MEMORY_LIMIT: text }, undefined);
    expect(limit).toBeUndefined();
    expect(problem).toBe(`SHUB_JOB_MEMORY_LIMIT=${JSON.stringify(text)} is not a positive number of megabytes; it is ignored. ` +
      'Set --memory-limit (SHUBENTRYPOINT_MEMORY_LIMIT) to give the job a limit');
  });
});

// A cgroup filesystem in a temporary directory; returns its root and the /proc/self/cgroup file that goes with it.
function cgroupTree(selfCgroup: string, files: Record<string, string>): { root: string; self: string } {
  const root = tempDir();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  writeFileSync(join(root, 'self-cgroup'), selfCgroup);
  return { root, self: join(root, 'self-cgroup') };
}

describe('readCgroupMemory', () => {
  it('reads cgroup v2: the limit from memory.max, OOM kills from memory.events', () => {
    const { root, self } = cgroupTree('0::/job.scope\n', {
      'job.scope/memory.max': '1073741824\n',
      'job.scope/memory.events': 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 2\noom_group_kill 0\n',
    });
    const cgroup = readCgroupMemory(root, self);
    expect(cgroup?.limitBytes).toBe(1024 * MB);
    expect(cgroup?.oomKills()).toBe(2);
  });

  it('reads cgroup v2 with no limit, seen from inside a container (the path is the host\'s, the files at the top)', () => {
    const { root, self } = cgroupTree('0::/system.slice/docker-abc.scope\n', { 'memory.max': 'max\n', 'memory.events': 'oom_kill 0\n' });
    const cgroup = readCgroupMemory(root, self);
    expect(cgroup?.limitBytes).toBeUndefined();
    expect(cgroup?.oomKills()).toBe(0);
  });

  it('reads cgroup v1: the limit from memory.limit_in_bytes (a huge number meaning none), OOM kills from memory.oom_control', () => {
    const limited = cgroupTree('4:memory:/job\n3:cpu,cpuacct:/job\n', {
      'memory/job/memory.limit_in_bytes': '536870912\n',
      'memory/job/memory.oom_control': 'oom_kill_disable 0\nunder_oom 0\noom_kill 5\n',
    });
    expect(readCgroupMemory(limited.root, limited.self)?.limitBytes).toBe(512 * MB);
    expect(readCgroupMemory(limited.root, limited.self)?.oomKills()).toBe(5);
    const unlimited = cgroupTree('4:memory:/\n', { 'memory/memory.limit_in_bytes': '9223372036854771712\n' });
    expect(readCgroupMemory(unlimited.root, unlimited.self)?.limitBytes).toBeUndefined();
    expect(readCgroupMemory(unlimited.root, unlimited.self)?.oomKills()).toBeUndefined();
  });

  it('gives nothing where there is no memory cgroup', () => {
    const { root, self } = cgroupTree('0::/\n', {});
    expect(readCgroupMemory(root, self)).toBeUndefined();
  });
});

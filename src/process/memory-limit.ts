// The job's memory limit, and where it comes from: the `memoryLimit` setting when given (0 turns the guard off),
// else the platform's SHUB_JOB_MEMORY_LIMIT; and never above what the container's cgroup allows, less a headroom.
//
// The headroom: at a cgroup's limit the kernel's OOM killer acts at once, so the guard must stop the job below it,
// with room for the command to close cleanly and for what a sum of resident sets cannot see (page tables, kernel
// buffers, files on tmpfs). SHUB_JOB_MEMORY_LIMIT needs none: the platform sets it below the container's own limit,
// for Scrapy's MEMUSAGE_LIMIT_MB, which likewise stops at it.

import type { CgroupMemory } from './cgroup-memory.js';

// Megabytes as Scrapy's MEMUSAGE_LIMIT_MB and SHUB_JOB_MEMORY_LIMIT count them.
export const MB = 1024 * 1024;

export const PLATFORM_LIMIT_ENV = 'SHUB_JOB_MEMORY_LIMIT';

// The share of the cgroup's limit the guard may use.
const CGROUP_SHARE = 0.95;

export interface MemoryLimit {
  bytes: number;
  // Where it came from, for the logs.
  source: string;
}

export interface ResolvedLimit {
  limit: MemoryLimit | undefined;
  // A value that could not be used, said once in the job's log.
  problem?: string;
}

export function resolveMemoryLimit(setting: number | undefined, env: NodeJS.ProcessEnv, cgroup: CgroupMemory | undefined): ResolvedLimit {
  if (setting === 0) return { limit: undefined };
  let limit: MemoryLimit | undefined;
  let problem: string | undefined;
  if (setting !== undefined) {
    limit = { bytes: setting * MB, source: 'set by --memory-limit, SHUBENTRYPOINT_MEMORY_LIMIT or memoryLimit' };
  } else {
    const text = env[PLATFORM_LIMIT_ENV];
    const value = Number(text);
    if (text !== undefined && text.trim() !== '' && Number.isFinite(value) && value > 0) {
      limit = { bytes: value * MB, source: PLATFORM_LIMIT_ENV };
    } else if (text !== undefined && text.trim() !== '') {
      problem = `${PLATFORM_LIMIT_ENV}=${JSON.stringify(text)} is not a positive number of megabytes; it is ignored. ` +
        'Set --memory-limit (SHUBENTRYPOINT_MEMORY_LIMIT) to give the job a limit';
    }
  }
  if (cgroup?.limitBytes !== undefined) {
    const ceiling = Math.floor(cgroup.limitBytes * CGROUP_SHARE);
    if (limit === undefined || ceiling < limit.bytes) {
      limit = { bytes: ceiling, source: `the container's limit of ${megabytes(cgroup.limitBytes)} MB (cgroup), less ${Math.round((1 - CGROUP_SHARE) * 100)}% headroom` };
    }
  }
  return problem === undefined ? { limit } : { limit, problem };
}

// Bytes as whole megabytes, for the logs.
export function megabytes(bytes: number): number {
  return Math.round(bytes / MB);
}

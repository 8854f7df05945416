// Watches the job's memory so that the job ends on its own terms: Scrapy's MemoryUsage extension for any program.
// Once a second it measures the command's whole process tree (memusage/max, memusage/startup); with a limit it warns
// once at the threshold and, at the limit, stops the job the way a platform cancel does (SIGTERM to the group,
// SIGKILL after --kill-after) with outcome `memusage_exceeded`, before the kernel's OOM killer ends it with nothing
// said. When the kernel got there first, it says so.
//
// The limit is the job's: the wrapper's own resident memory counts against it too, as the container counts it.

import type { Heartbeat } from '../job/heartbeat.js';
import type { JobReport } from '../job/report.js';
import { LEVELS } from '../protocol/limits.js';
import type { WrapperSettings } from '../settings.js';
import { readCgroupMemory, type CgroupMemory } from './cgroup-memory.js';
import type { Child, ChildEnd } from './child.js';
import { megabytes, resolveMemoryLimit, type MemoryLimit } from './memory-limit.js';
import type { Stopper } from './stopper.js';
import type { TreeMemory } from './process-tree.js';
import { TreeSampler } from './tree-sampler.js';

export const MEMORY_OUTCOME = 'memusage_exceeded';
export const OOM_OUTCOME = 'killed by oom';

// Starts the guard for a command that has just been spawned.
export function startMemoryGuard(child: Child, stopper: Stopper, report: JobReport, settings: WrapperSettings, env: NodeJS.ProcessEnv, heartbeat: Heartbeat): MemoryGuard {
  const cgroup = readCgroupMemory();
  const { limit, problem } = resolveMemoryLimit(settings.memoryLimit, env, cgroup);
  if (problem !== undefined) report.log(Date.now(), LEVELS.WARNING, problem);
  const own = process.memoryUsage.rss();
  if (limit !== undefined && limit.bytes <= own) {
    report.log(Date.now(), LEVELS.WARNING, `the memory limit, ${megabytes(limit.bytes)} MB (${limit.source}), is no more than ` +
      `shub-entrypoint itself holds (${megabytes(own)} MB), which counts against it: the job will be stopped at its first ` +
      'measurement. Give a higher limit, or 0 to turn the guard off');
  }
  const guard = new MemoryGuard(report, stopper, limit, settings.memoryWarning, settings.killAfter, cgroup);
  if (child.pid !== undefined) guard.watch(child.pid, heartbeat);
  return guard;
}

export class MemoryGuard {
  private stopSampling: (() => void) | undefined;
  private warned = false;
  private stopped = false;
  private lastUsage = 0;
  private lastTree: TreeMemory = { bytes: 0, processes: 0 };
  private readonly oomKillsAtStart: number | undefined;
  private oomKillsSaid = 0;

  constructor(
    private readonly report: JobReport,
    private readonly stopper: Stopper,
    private readonly limit: MemoryLimit | undefined,
    private readonly warningPercent: number,
    private readonly killAfterSeconds: number,
    private readonly cgroup: CgroupMemory | undefined,
  ) {
    this.oomKillsAtStart = cgroup?.oomKills();
  }

  // Measures the tree at every heartbeat, once a second: Scrapy's MEMUSAGE_CHECK_INTERVAL_SECONDS is 60, but a
  // browser can grow by hundreds of megabytes in that time, and a sample costs little (tree-sampler.ts).
  watch(pid: number, heartbeat: Heartbeat): void {
    const tree = new TreeSampler(pid);
    this.stopSampling = heartbeat.every(() => this.sample(tree));
  }

  // The command has exited: no more samples. Says what the kernel did meanwhile, and returns the outcome memory
  // decided, if any: `memusage_exceeded` when the guard stopped the job, `killed by oom` when the kernel's OOM killer
  // ended part of the job and the command then failed.
  conclude(end: ChildEnd): string | undefined {
    this.stopSampling?.();
    if (this.stopped) return MEMORY_OUTCOME;
    if (!end.started || this.stopper.stopRequested) return undefined;
    const kills = this.sayOomKills();
    if (kills === undefined) {
      // No counter here: a SIGKILL nobody in the wrapper sent, near the limit, is a hint and no more.
      if (end.signal === 'SIGKILL' && this.limit !== undefined && this.lastUsage >= this.warningBytes(this.limit)) {
        this.report.log(Date.now(), LEVELS.WARNING, `the command was ended by SIGKILL, which shub-entrypoint did not send, ` +
          `when the job last used ${this.figures()}: possibly the kernel's OOM killer (this machine's cgroup does not count OOM kills)`);
      }
      return undefined;
    }
    return kills > 0 && end.status !== 0 ? OOM_OUTCOME : undefined;
  }

  private sample(sampler: TreeSampler): void {
    const tree = sampler.measure();
    if (tree.processes === 0) return; // exited; `exit` is on its way
    this.report.stats.recordMemory(tree.bytes);
    this.lastTree = tree;
    this.lastUsage = tree.bytes + process.memoryUsage.rss();
    this.sayOomKills();
    const limit = this.limit;
    if (limit === undefined) return;
    if (!this.warned && this.lastUsage >= this.warningBytes(limit)) {
      this.warned = true;
      this.report.stats.increment('memusage/warning_reached');
      this.report.log(Date.now(), LEVELS.WARNING, `memory warning: the job uses ${this.figures()}, ` +
        `past the warning threshold of ${this.warningPercent}%; at the limit it will be stopped`);
    }
    if (!this.stopped && this.lastUsage >= limit.bytes) {
      this.stopped = true;
      this.report.stats.increment('memusage/limit_reached');
      this.report.log(Date.now(), LEVELS.ERROR, `memory limit reached: the job uses ${this.figures()}; ` +
        `stopping it (SIGTERM to its processes, SIGKILL after ${this.killAfterSeconds} s), outcome ${MEMORY_OUTCOME}`);
      this.stopper.stop('SIGTERM', 'at its memory limit');
    }
  }

  private warningBytes(limit: MemoryLimit): number {
    return limit.bytes * this.warningPercent / 100;
  }

  // "612 MB (the command's 4 processes 548 MB, shub-entrypoint 64 MB) of its 950 MB limit (SHUB_JOB_MEMORY_LIMIT)".
  private figures(): string {
    const { bytes, processes } = this.lastTree;
    const usage = `${megabytes(this.lastUsage)} MB (the command's ${processes === 1 ? 'process' : `${processes} processes`} ` +
      `${megabytes(bytes)} MB, shub-entrypoint ${megabytes(this.lastUsage - bytes)} MB)`;
    return this.limit === undefined ? usage : `${usage} of its ${megabytes(this.limit.bytes)} MB limit (${this.limit.source})`;
  }

  // Logs OOM kills not yet logged; returns how many happened since the job started, undefined without a counter.
  private sayOomKills(): number | undefined {
    const now = this.cgroup?.oomKills();
    if (now === undefined || this.oomKillsAtStart === undefined) return undefined;
    const kills = now - this.oomKillsAtStart;
    if (kills > this.oomKillsSaid) {
      this.report.log(Date.now(), LEVELS.ERROR, `the kernel's OOM killer ended ${kills - this.oomKillsSaid} process(es) ` +
        `of the job's container (cgroup oom_kill count ${now}); the job last used ${this.figures()}`);
      this.oomKillsSaid = kills;
    }
    return kills;
  }
}

// The memory guard with real processes that really allocate: the job is measured as a whole, warned once, stopped at
// its limit with outcome memusage_exceeded, and left alone below it.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandLogs, FIXTURES, runJob, type JobRun } from '../helpers/cli.js';
import { isAlive, waitUntil } from '../helpers/processes.js';

const MB = 2 ** 20;
const HOG = join(FIXTURES, 'memory-hog.py');

function finalStats(run: JobRun): Record<string, unknown> {
  return run.job.stats.at(-1) ?? {};
}

function logsAt(run: JobRun, level: number): string[] {
  return commandLogs(run.job).filter((log) => log.level === level).map((log) => log.message);
}

describe('memory guard', () => {
  it('warns once, then stops a growing command at its limit: outcome memusage_exceeded, nothing it printed lost', async () => {
    const run = await runJob(['--memory-limit', '150', 'python3', HOG, 'grow']);
    expect(run.job.outcome).toBe('memusage_exceeded');
    expect(run.status).toBe(0); // the command's own status: it closed cleanly on SIGTERM
    const warnings = logsAt(run, 30);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^memory warning: the job uses \d+ MB \(the command's process \d+ MB, shub-entrypoint \d+ MB\) of its 150 MB limit \(set by --memory-limit, SHUBENTRYPOINT_MEMORY_LIMIT or memoryLimit\)/);
    const errors = logsAt(run, 40);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^memory limit reached: the job uses (\d+) MB .* of its 150 MB limit .*SIGKILL after 120 s\), outcome memusage_exceeded$/);
    expect(Number(/uses (\d+) MB/.exec(errors[0] as string)?.[1])).toBeGreaterThanOrEqual(150);
    const info = logsAt(run, 20);
    const made = Number(/^stopping after (\d+) chunks$/.exec(info.at(-1) as string)?.[1]);
    expect(made).toBeGreaterThan(0);
    expect(info.slice(0, -1)).toEqual(Array.from({ length: made }, (_, index) => `chunk ${index + 1}`));
    expect(finalStats(run)).toMatchObject({ 'memusage/warning_reached': 1, 'memusage/limit_reached': 1, finish_reason: 'memusage_exceeded' });
    // The line that says why the job ended names the limit, not a signal from nowhere.
    expect(run.job.logs.at(-1)).toMatchObject({ level: 40, message: 'shub-entrypoint: stopped at its memory limit: the command exited with status 0' });
  });

  it('takes the platform\'s SHUB_JOB_MEMORY_LIMIT, and a FIN the command sends while stopping wins', async () => {
    const run = await runJob(['python3', HOG, 'grow', 'fin'], { SHUB_JOB_MEMORY_LIMIT: '150' });
    expect(logsAt(run, 40)).toEqual([expect.stringMatching(/of its 150 MB limit \(SHUB_JOB_MEMORY_LIMIT\)/)]);
    expect(run.job.outcome).toBe('closed by the spider');
    expect(finalStats(run)).toMatchObject({ 'memusage/limit_reached': 1 });
  });

  it('measures a parent and its three children as one job, and stops them all when their sum passes the limit', async () => {
    // Each child alone (60 MB plus an interpreter) with the wrapper stays far under 240 MB; all of them do not.
    const run = await runJob(['--memory-limit', '240', 'python3', HOG, 'tree', '3', '60']);
    expect(run.job.outcome).toBe('memusage_exceeded');
    expect(run.status).toBe(143); // the parent died of the SIGTERM
    expect(logsAt(run, 40)).toEqual([expect.stringMatching(/^memory limit reached: .*the command's 4 processes/)]);
    expect(finalStats(run)['memusage/max']).toBeGreaterThan(3 * 60 * MB);
    const children = (/^children ([\d ]+)$/m.exec(logsAt(run, 20).join('\n'))?.[1] ?? '').split(' ').map(Number);
    expect(children).toHaveLength(3);
    await waitUntil(() => !children.some(isAlive), 'the children to stop');
  });

  it('leaves a job under its limit alone, and its memusage/max is the kernel\'s own peak', async () => {
    const run = await runJob(['--memory-limit', '1000', 'python3', HOG, 'hold', '100', '2.5']);
    expect(run.job.outcome).toBe('finished');
    expect(run.status).toBe(0);
    expect(commandLogs(run.job).filter((log) => log.level !== 20)).toEqual([]);
    const stats = finalStats(run);
    expect(stats).not.toHaveProperty('memusage/warning_reached');
    expect(stats).not.toHaveProperty('memusage/limit_reached');
    const kernelPeak = Number(/^maxrss (\d+)$/.exec(logsAt(run, 20).at(-1) as string)?.[1]) * 1024;
    expect(kernelPeak).toBeGreaterThan(100 * MB);
    expect(stats['memusage/max']).toBeGreaterThan(kernelPeak * 0.9);
    expect(stats['memusage/max']).toBeLessThanOrEqual(kernelPeak * 1.05);
    expect(stats['memusage/startup']).toBeGreaterThan(0);
  });

  it('--memory-limit 0 turns the guard off, whatever the platform says', async () => {
    const run = await runJob(['--memory-limit', '0', 'python3', HOG, 'hold', '100', '1.5'], { SHUB_JOB_MEMORY_LIMIT: '50' });
    expect(run.job.outcome).toBe('finished');
    expect(commandLogs(run.job).filter((log) => log.level !== 20)).toEqual([]);
    expect(finalStats(run)['memusage/max']).toBeGreaterThan(100 * MB);
  });

  it('says at the start when the limit is below what the wrapper itself holds, then stops the job as usual', async () => {
    const run = await runJob(['--memory-limit', '10', 'sleep', '5']);
    expect(run.job.outcome).toBe('memusage_exceeded');
    expect(logsAt(run, 30)[0]).toMatch(/^the memory limit, 10 MB \(set by --memory-limit.*\), is no more than shub-entrypoint itself holds \(\d+ MB\)/);
  });

  it('says so when SHUB_JOB_MEMORY_LIMIT is not a number, and runs the job without a limit', async () => {
    const run = await runJob(['python3', '-c', 'print("done")'], { SHUB_JOB_MEMORY_LIMIT: '1GB' });
    expect(run.job.outcome).toBe('finished');
    expect(logsAt(run, 30)).toEqual([expect.stringMatching(/^SHUB_JOB_MEMORY_LIMIT="1GB" is not a positive number of megabytes; it is ignored/)]);
  });
});

// What the guard concludes when the command has exited, from what the container's cgroup counted: an OOM kill is
// said, and becomes the outcome only when the command then failed.

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { JobReport } from '../../src/job/report.js';
import type { CgroupMemory } from '../../src/process/cgroup-memory.js';
import type { ChildEnd } from '../../src/process/child.js';
import { MemoryGuard } from '../../src/process/memory-guard.js';
import { Stopper } from '../../src/process/stopper.js';
import { BatchedWriter } from '../../src/sink/batched-writer.js';

// A guard whose cgroup has counted `before` OOM kills when the job starts and `after` when it ends.
function guardWith(before: number | undefined, after: number | undefined): { guard: MemoryGuard; logs: () => string } {
  let kills = before;
  const cgroup: CgroupMemory = { limitBytes: undefined, oomKills: () => kills };
  const out = new PassThrough();
  let text = '';
  out.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const writer = new BatchedWriter(() => {});
  writer.open(out);
  const guard = new MemoryGuard(new JobReport(writer), new Stopper(1000, false, () => {}), undefined, 80, 120, cgroup);
  kills = after;
  return { guard, logs: () => text };
}

const killed: ChildEnd = { started: true, status: 137, signal: 'SIGKILL' };
const finished: ChildEnd = { started: true, status: 0, signal: null };

describe('MemoryGuard.conclude', () => {
  it.each([
    // OOM kills before, after, how the command ended, outcome, an ERROR log about it
    [0, 1, killed, 'killed by oom', true],
    [2, 3, { started: true, status: 1, signal: null } as const, 'killed by oom', true], // `sh -c` saw its child die
    [0, 1, finished, undefined, true], // a helper died, the command coped: its outcome stands, the log says it
    [4, 4, killed, undefined, false], // a SIGKILL from elsewhere is no OOM kill
    [undefined, undefined, finished, undefined, false],
  ] as const)('kills %s → %s, command %o: outcome %s', async (before, after, end, outcome, said) => {
    const { guard, logs } = guardWith(before, after);
    expect(guard.conclude(end)).toBe(outcome);
    await new Promise((resolve) => setImmediate(resolve));
    expect(/"level":40,"message":"the kernel's OOM killer ended 1 process\(es\) of the job's container/.test(logs())).toBe(said);
  });
});

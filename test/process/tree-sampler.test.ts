// The guard's repeated measurement: a process that joins the tree after the first scan is counted at the next sample,
// with real processes; and, in a /proc of the test's making, the members alone are read while no pid was handed out.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/cli.js';
import { killLeftovers, waitUntil } from '../helpers/processes.js';
import { pageSize } from '../../src/process/process-tree.js';
import { TreeSampler } from '../../src/process/tree-sampler.js';

const MB = 2 ** 20;
const leftovers: number[] = [];
const scratch: string[] = [];
afterEach(() => {
  killLeftovers(leftovers);
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

describe('TreeSampler with real processes', () => {
  it.each([
    // what the command forks after the first scan, how many processes that adds
    ['child', 1],
    ['grandchild', 2], // forked by a child that called setsid(), as a detached browser's helpers are
  ])('counts a %s started after the first scan', async (what, added) => {
    const command = spawn('python3', [join(FIXTURES, 'memory-hog.py'), 'later', '40'], { detached: true, stdio: ['pipe', 'pipe', 'inherit'] });
    leftovers.push(command.pid as number);
    let out = '';
    command.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
    await waitUntil(() => out.includes('ready\n'), 'the command to start');
    const sampler = new TreeSampler(command.pid as number);
    const before = sampler.measure();
    expect(before.processes).toBe(1);

    command.stdin.write(`${what}\n`);
    await waitUntil(() => /holding \d+\n/.test(out), `the ${what} to hold its memory`);
    const holder = Number(/holding (\d+)/.exec(out)?.[1]);
    leftovers.push(holder, parentOf(holder));
    const after = sampler.measure();
    expect(after.processes).toBe(1 + added);
    expect(after.bytes - before.bytes).toBeGreaterThan(40 * MB);
  });
});

// A /proc with a loadavg whose last field is the last pid handed out, and a stat file per process.
function fakeProc(): { proc: string; lastPid(pid: number | string): void; process(pid: number, parent: number, session: number, pages: number): void; exit(pid: number): void } {
  const proc = mkdtempSync(join(tmpdir(), 'shub-entrypoint-proc-'));
  scratch.push(proc);
  return {
    proc,
    lastPid: (pid) => writeFileSync(join(proc, 'loadavg'), `0.00 0.00 0.00 1/80 ${pid}\n`),
    process: (pid, parent, session, pages) => {
      mkdirSync(join(proc, String(pid)), { recursive: true });
      const fields = ['S', parent, session, session, ...Array<number>(17).fill(0), pages, 0];
      writeFileSync(join(proc, String(pid), 'stat'), `${pid} (a (b) c) ${fields.join(' ')}\n`);
    },
    exit: (pid) => rmSync(join(proc, String(pid)), { recursive: true }),
  };
}

describe('TreeSampler: what a scan reads', () => {
  it('every process directory, whatever digit its pid opens with', () => {
    const proc = fakeProc();
    proc.lastPid(999);
    proc.process(900, 1, 900, 1);
    proc.process(95, 900, 900, 10);
    proc.process(100, 95, 900, 100);
    mkdirSync(join(proc.proc, 'self'));
    expect(new TreeSampler(900, proc.proc).measure()).toEqual({ bytes: 111 * pageSize(), processes: 3 });
  });
});

describe('TreeSampler: when it scans', () => {
  it.each([
    // what happens after the first sample, whether the new process 101 is seen
    ['no pid handed out: only the members are read', () => {}, false],
    ['a pid handed out: a scan finds the new process', (proc: ReturnType<typeof fakeProc>) => proc.lastPid(101), true],
    ['a member gone: a scan', (proc: ReturnType<typeof fakeProc>) => proc.exit(102), true],
    ['a loadavg that does not parse: a scan every time', (proc: ReturnType<typeof fakeProc>) => proc.lastPid('?'), true],
  ] as const)('%s', (_, change, seen) => {
    const proc = fakeProc();
    proc.lastPid(102);
    proc.process(100, 1, 100, 10);
    proc.process(102, 100, 100, 20);
    const sampler = new TreeSampler(100, proc.proc);
    expect(sampler.measure()).toEqual({ bytes: 30 * pageSize(), processes: 2 });

    proc.process(101, 100, 100, 1000);
    change(proc);
    expect(sampler.measure().bytes >= 1000 * pageSize()).toBe(seen);
  });
});

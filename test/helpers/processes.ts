// Looks at processes from outside, through /proc, as a container runtime would.

import { readFileSync } from 'node:fs';

// Alive means running or sleeping: a zombie has already died, it only waits to be reaped.
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

// Samples a process's peak resident set (VmHWM, which the kernel keeps) until it exits; resolves in KiB.
export function watchPeakRss(pid: number, intervalMs = 50): { stop(): number } {
  let peak = 0;
  const sample = (): void => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
      if (match) peak = Math.max(peak, Number(match[1]));
    } catch {
      // exited
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Polls until `ready()` holds: for tests that must act only once a process has reached a known point.
export async function waitUntil(ready: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

// SIGKILLs what a failed test may have left running, and empties the list; processes already gone are skipped.
export function killLeftovers(pids: number[]): void {
  for (const pid of pids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

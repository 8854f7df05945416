// Signals in the first moments of start-up, sent as soon as the process has listeners for them (seen from outside,
// in /proc, as a container runtime could): the launchers install them before loading the wrapper, so each signal
// arrives while the job does not exist yet. Each still gives a FIN, and SIGUSR1 never opens Node's inspector.
// (Before Node runs the launcher's first line there is no way to listen: that window is measured in the README.)

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, ROOT, startCli } from '../helpers/cli.js';
import { makeTestFifo, tempDir } from '../helpers/fifo.js';
import { checkJob, FifoWatch } from '../helpers/strict-reader.js';

const START_CRAWL = join(ROOT, 'bin', 'start-crawl.js');

// SIGWINCH is the last of the launcher's listeners (signal-list.ts), and Node itself never catches it.
const LAST_LISTENER_BIT = 1n << 27n;

// Polls without pause: the point is to signal within the window in which the wrapper is still loading.
function whenListening(pid: number): void {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    let status: string;
    try {
      status = readFileSync(`/proc/${pid}/status`, 'latin1');
    } catch {
      throw new Error(`process ${pid} ended before its signal listeners were in place`);
    }
    const caught = /SigCgt:\s+([0-9a-f]+)/.exec(status)?.[1];
    if (caught !== undefined && (BigInt(`0x${caught}`) & LAST_LISTENER_BIT) !== 0n) return;
  }
  throw new Error(`process ${pid} never installed its signal listeners`);
}

async function signalAtStart(signal: NodeJS.Signals, args: string[], env: NodeJS.ProcessEnv = {}, bin?: string) {
  const fifo = makeTestFifo();
  const cli = startCli(args, cleanEnv({ ...env, SHUB_FIFO_PATH: fifo }), bin);
  whenListening(cli.process.pid as number);
  cli.process.kill(signal);
  const job = checkJob(await new FifoWatch(fifo).done);
  return { job, finished: await cli.finished };
}

describe('signals at start-up', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s: FIN cancelled, exit 128+n, the command never started or stopped at once', async (signal) => {
    const marker = join(tempDir(), 'ran');
    const { job, finished } = await signalAtStart(signal, ['sh', '-c', `sleep 1; touch ${marker}`]);
    expect(job.outcome).toBe('cancelled');
    // Usually queued while the wrapper was still loading, so the job knew before it started anything; on a loaded
    // machine the signal can come later than the process had its listeners, and the command is stopped instead.
    expect(job.logs.at(-1)?.message).toMatch(new RegExp(`^shub-entrypoint: (${signal} received before the command started, so it was not started|stopped as asked by ${signal})`));
    expect(finished.status).toBe(signal === 'SIGTERM' ? 143 : 130);
    expect(existsSync(marker)).toBe(false);
  });

  it.each(['SIGHUP', 'SIGQUIT', 'SIGUSR2', 'SIGUSR1'] as const)('%s: a FIN, and no inspector', async (signal) => {
    // Before the command starts the signal has nobody to reach; if it comes later, the command gets it (and the
    // shell dies of it). Either way the wrapper lives on to write the FIN.
    const { job, finished } = await signalAtStart(signal, ['sh', '-c', 'sleep 0.5; echo done']);
    expect(['finished', 'failed']).toContain(job.outcome);
    expect(finished.signal).toBe(null);
    expect(finished.stderr).not.toMatch(/Debugger|inspector/i);
  });

  it('start-crawl too: SIGTERM at start-up gives FIN cancelled', async () => {
    const { job, finished } = await signalAtStart('SIGTERM', [], {
      SHUB_JOB_DATA: JSON.stringify({ job_cmd: ['sh', '-c', 'sleep 1'] }),
    }, START_CRAWL);
    expect(job.outcome).toBe('cancelled');
    expect(finished.status).toBe(143);
  });
});

describe('the launchers', () => {
  // What makes the above hold from Node's first line: the listeners' bundle is required before the job's bundle,
  // whose loading is most of the start-up, and nothing else is loaded before them; the bundle that loads the job's
  // (src/loader.ts) comes after them too.
  it.each(['shub-entrypoint.js', 'start-crawl.js'])('%s requires the signal listeners first and the job after them', (file) => {
    const code = readFileSync(join(ROOT, 'bin', file), 'utf8');
    const early = code.search(/^require\('\.\.\/dist\/early\.cjs'\);$/m);
    const job = code.search(/^require\('\.\.\/dist\/loader\.cjs'\)\.loadBundle\('[\w-]+'\)\.\w+\(process\.argv\)/m);
    expect(early).toBeGreaterThan(0);
    expect(job).toBeGreaterThan(early);
    expect(code.match(/\brequire\(/g)).toHaveLength(2);
    expect(code).not.toMatch(/^import /m);
  });

  it('the listeners\' bundle loads no module of Node\'s before them', () => {
    const code = readFileSync(join(ROOT, 'dist', 'early.cjs'), 'utf8');
    const install = code.search(/^installEarlySignals\(\);$/m);
    expect(install).toBeGreaterThan(0);
    expect(code.slice(code.indexOf('\n'), install)).not.toMatch(/\brequire\(/);
  });
});

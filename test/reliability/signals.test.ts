// Signals and stopping, with real processes and real signals: the wrapper behaves as tini or dumb-init would.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, FIXTURES, startCli, type Started } from '../helpers/cli.js';
import { makeTestFifo, tempDir } from '../helpers/fifo.js';
import { isAlive, killLeftovers, sleep, waitUntil } from '../helpers/processes.js';
import { checkJob, FifoWatch } from '../helpers/strict-reader.js';

const logged = (text: string) => (line: string) => line.startsWith('LOG ') && (JSON.parse(line.slice(4)) as { message: string }).message === text;

// Starts the CLI on a FIFO read by a watcher; returns both, and cleans up processes a failed test leaves behind.
const leftovers: number[] = [];
afterEach(() => killLeftovers(leftovers));

function start(args: string[]): { cli: Started; watch: FifoWatch } {
  const fifo = makeTestFifo();
  const cli = startCli(args, cleanEnv({ SHUB_FIFO_PATH: fifo }));
  return { cli, watch: new FifoWatch(fifo) };
}

// The pids of a process's children, from /proc.
function childrenOf(parent: number): number[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).filter((name) => {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent;
    } catch {
      return false;
    }
  }).map(Number);
}

function pidsIn(path: string): number[] {
  const pids = readFileSync(path, 'utf8').trim().split('\n').map(Number);
  leftovers.push(...pids);
  return pids;
}

describe('signals', () => {
  it('forwards SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH and SIGTERM to the command; SIGUSR1 opens no inspector', async () => {
    const { cli, watch } = start(['python3', join(FIXTURES, 'signal-recorder.py')]);
    await watch.waitFor(logged('ready'));
    for (const signal of ['SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGTERM'] as const) {
      cli.process.kill(signal);
      await watch.waitFor(logged(`got ${signal}`));
    }
    const finished = await cli.finished;
    const job = checkJob(await watch.done);
    expect(job.outcome).toBe('cancelled');
    expect(finished.status).toBe(0); // the command's own status: it exited cleanly
    expect(finished.stderr).not.toMatch(/Debugger|inspector/i);
  });

  it('forwards SIGINT, and the job ends cancelled', async () => {
    const { cli, watch } = start(['python3', join(FIXTURES, 'signal-recorder.py')]);
    await watch.waitFor(logged('ready'));
    cli.process.kill('SIGINT');
    await watch.waitFor(logged('got SIGINT'));
    expect((await cli.finished).status).toBe(0);
    expect(checkJob(await watch.done).outcome).toBe('cancelled');
  });

  it('signals the whole process group, so background grandchildren stop too', async () => {
    const pidFile = join(tempDir(), 'pids');
    const { cli, watch } = start(['sh', '-c', `sleep 300 & echo $! > ${pidFile}; sleep 300 & echo $! >> ${pidFile}; echo ready; wait`]);
    await watch.waitFor(logged('ready'));
    const pids = pidsIn(pidFile);
    expect(pids.every(isAlive)).toBe(true);
    cli.process.kill('SIGTERM');
    const finished = await cli.finished;
    expect(finished.status).toBe(143);
    expect(checkJob(await watch.done).outcome).toBe('cancelled');
    await sleep(100);
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it('SIGKILLs a command that ignores SIGTERM after --kill-after, still writes FIN cancelled, exits 137', async () => {
    const { cli, watch } = start(['--kill-after', '1', 'sh', '-c', 'trap "" TERM; echo ready; while :; do sleep 0.1; done']);
    await watch.waitFor(logged('ready'));
    const sent = Date.now();
    cli.process.kill('SIGTERM');
    const finished = await cli.finished;
    const waited = Date.now() - sent;
    expect(finished.status).toBe(137);
    expect(checkJob(await watch.done).outcome).toBe('cancelled');
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(waited).toBeLessThan(20_000);
  });

  it('kills at once on a second SIGTERM', async () => {
    const { cli, watch } = start(['--kill-after', '600', 'sh', '-c', 'trap "" TERM; echo ready; while :; do sleep 0.1; done']);
    await watch.waitFor(logged('ready'));
    cli.process.kill('SIGTERM');
    await sleep(300);
    expect(cli.process.exitCode).toBe(null);
    cli.process.kill('SIGTERM');
    const finished = await cli.finished;
    expect(finished.status).toBe(137);
    expect(checkJob(await watch.done).outcome).toBe('cancelled');
  });

  it('ignores a signal that arrives after the command exited: the result stays the command\'s', async () => {
    // A background process that ignores SIGTERM holds the output pipes, so the wrapper is still draining.
    const pidFile = join(tempDir(), 'pids');
    const { cli, watch } = start(['sh', '-c', `(trap "" TERM; exec sleep 30) & echo $! > ${pidFile}; echo done`]);
    await watch.waitFor(logged('done'));
    await sleep(300);
    pidsIn(pidFile);
    cli.process.kill('SIGTERM');
    cli.process.kill('SIGINT');
    const finished = await cli.finished;
    expect(finished.signal).toBe(null);
    expect(finished.status).toBe(0);
    expect(checkJob(await watch.done).outcome).toBe('finished');
  });

  it('ignores signals when the command never started: the wrapper survives and reports 127', async () => {
    // With nobody reading the pipe yet, the wrapper is waiting after the failed start: signal it then.
    const fifo = makeTestFifo();
    const cli = startCli(['no-such-command-anywhere'], cleanEnv({ SHUB_FIFO_PATH: fifo }));
    let stderr = '';
    cli.process.stderr?.on('data', (data: Buffer) => (stderr += data.toString()));
    await waitUntil(() => stderr.includes('command not found'), 'the failed start to be reported');
    // One stop signal only: a second one means "end now" (see pipe.test.ts).
    for (const signal of ['SIGTERM', 'SIGUSR1', 'SIGHUP', 'SIGUSR2'] as const) cli.process.kill(signal);
    await sleep(300);
    expect(cli.process.exitCode).toBe(null);
    const job = checkJob(await new FifoWatch(fifo).done);
    expect((await cli.finished).status).toBe(127);
    expect(job.outcome).toBe('failed');
  });
});

describe('after a stop, what the command leaves running', () => {
  // The command exits at once of the group's SIGTERM; a process it started ignores SIGTERM and holds the pipes.
  const leaving = (pidFile: string) => ['sh', '-c', `(trap "" TERM; exec sleep 300) & echo $! > ${pidFile}; echo $$ >> ${pidFile}; echo ready; wait`];

  it('is waited for until --kill-after, then SIGKILLed, and the job ends cancelled', async () => {
    const pidFile = join(tempDir(), 'pids');
    const { cli, watch } = start(['--kill-after', '1', ...leaving(pidFile)]);
    await watch.waitFor(logged('ready'));
    const [leftover] = pidsIn(pidFile) as [number];
    const sent = Date.now();
    cli.process.kill('SIGTERM');
    const finished = await cli.finished;
    expect(Date.now() - sent).toBeGreaterThanOrEqual(900);
    expect(finished.status).toBe(143);
    const job = checkJob(await watch.done);
    expect(job.outcome).toBe('cancelled');
    expect(job.logs.map((log) => log.message)).toContain('shub-entrypoint: killed after 1 s: the command was ended by SIGTERM (asked to terminate), ' +
      'and what it left running was still running 1 s after SIGTERM (see --kill-after)');
    await waitUntil(() => !isAlive(leftover), 'the leftover to be killed');
  });

  it('after a SIGINT gets SIGTERM when the command exits: a shell starts its background jobs with SIGINT ignored', async () => {
    const pidFile = join(tempDir(), 'pids');
    const { cli, watch } = start(['--kill-after', '600', 'sh', '-c', `sleep 300 & echo $! > ${pidFile}; echo ready; wait`]);
    await watch.waitFor(logged('ready'));
    const [leftover] = pidsIn(pidFile) as [number];
    cli.process.kill('SIGINT');
    expect((await cli.finished).status).toBe(130);
    const job = checkJob(await watch.done);
    expect(job.outcome).toBe('cancelled');
    expect(job.logs.at(-1)?.message).toBe('shub-entrypoint: stopped as asked by SIGINT: the command was ended by SIGINT (interrupted)');
    await waitUntil(() => !isAlive(leftover), 'the leftover to end');
  });

  it.runIf(process.getuid?.() === 0)('is not waited for once only zombies are left: the wrapper as PID 1 reaps none', async () => {
    const { spawn } = await import('node:child_process');
    // unshare forks the wrapper as PID 1 of a new pid namespace; the processes it orphans stay zombies there.
    const unshare = spawn('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, CLI, '--kill-after', '600', 'sh', '-c', 'sleep 300 & echo ready; wait'], {
      env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    unshare.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    const exited = new Promise<number | null>((resolve) => unshare.on('exit', (code) => resolve(code)));
    await waitUntil(() => stdout.includes('"message":"ready"'), 'the command to start');
    const wrapper = childrenOf(unshare.pid as number)[0] as number;
    leftovers.push(wrapper);
    process.kill(wrapper, 'SIGTERM');
    expect(await exited).toBe(143);
    expect(checkJob(stdout.trimEnd().split('\n')).outcome).toBe('cancelled');
  });

  it('is SIGKILLed at once on a second SIGTERM', async () => {
    const pidFile = join(tempDir(), 'pids');
    const { cli, watch } = start(['--kill-after', '600', ...leaving(pidFile)]);
    await watch.waitFor(logged('ready'));
    const [leftover, command] = pidsIn(pidFile) as [number, number];
    cli.process.kill('SIGTERM');
    // Reaped, not only exited: until the wrapper has reaped it, the command is still running as far as the wrapper
    // knows, and a second SIGTERM then kills the command itself.
    await waitUntil(() => !existsSync(`/proc/${command}`), 'the wrapper to reap the command');
    expect(cli.process.exitCode).toBe(null);
    cli.process.kill('SIGTERM');
    expect((await cli.finished).status).toBe(143);
    const job = checkJob(await watch.done);
    expect(job.outcome).toBe('cancelled');
    expect(job.logs.map((log) => log.message)).toContain('shub-entrypoint: SIGTERM received again: SIGKILL now for what the command left running');
    await waitUntil(() => !isAlive(leftover), 'the leftover to be killed');
  });
});

describe('stopping when the command exits', () => {
  it('SIGTERMs what is left of the group and does not wait for a background process holding the pipes', async () => {
    const pidFile = join(tempDir(), 'pids');
    const started = Date.now();
    const { cli, watch } = start(['sh', '-c', `sleep 300 & echo $! > ${pidFile}; echo hi`]);
    const finished = await cli.finished;
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(finished.status).toBe(0);
    const job = checkJob(await watch.done);
    expect(job.logs.map((log) => log.message)).toContain('hi');
    await sleep(100);
    expect(pidsIn(pidFile).filter(isAlive)).toEqual([]);
  });

  it('finishes within the drain time even when the leftover ignores SIGTERM', async () => {
    const pidFile = join(tempDir(), 'pids');
    const started = Date.now();
    const { cli, watch } = start(['sh', '-c', `(trap "" TERM; exec sleep 300) & echo $! > ${pidFile}; echo hi`]);
    expect((await cli.finished).status).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(checkJob(await watch.done).outcome).toBe('finished');
    pidsIn(pidFile);
  });
});

describe('as PID 1', () => {
  it.runIf(process.getuid?.() === 0)('warns on stderr that orphans cannot be reaped, and still runs the job', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, join(FIXTURES, '..', '..', 'bin', 'shub-entrypoint.js'), 'sh', '-c', 'echo hi'], {
      env: cleanEnv(), encoding: 'utf8', timeout: 30_000,
    });
    expect(result.stderr).toMatch(/PID 1.*tini/s);
    expect(checkJob(result.stdout.trimEnd().split('\n')).outcome).toBe('finished');
  });
});

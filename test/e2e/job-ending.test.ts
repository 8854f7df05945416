// Why the job ended, said in one log line at the right level, and why a command could not start, each end to end
// through a real FIFO.

import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, CLI, FIXTURES, runJob, runProgram, startCli } from '../helpers/cli.js';
import { makeTestFifo, tempDir } from '../helpers/fifo.js';
import { waitUntil } from '../helpers/processes.js';
import { checkJob, FifoWatch, type Job } from '../helpers/strict-reader.js';

// The wrapper's own lines after the start-up line: the ending line, and a stop notice when there was one.
const wrapperLines = (job: Job): Array<{ level: number; message: string }> => job.logs
  .filter((log) => log.message.startsWith('shub-entrypoint: '))
  .map(({ level, message }) => ({ level, message: message.slice('shub-entrypoint: '.length) }));

function script(text: string, mode = 0o755): string {
  const path = join(tempDir(), 'job.sh');
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

describe('the line that says why the job ended', () => {
  it.each([
    ['exit 0', 20, 'finished: the command exited with status 0', 'finished'],
    ['exit 3', 40, 'the command exited with status 3', 'failed'],
    ['kill -SEGV $$', 40, 'the command was killed by SIGSEGV (segmentation fault)', 'failed'],
    ['kill -ABRT $$', 40, 'the command was killed by SIGABRT (aborted)', 'failed'],
    ['echo \'FIN {"outcome": "x"}\'; exit 2', 20, "outcome 'x' set by the command (it exited with status 2)", 'x'],
  ])('`%s`: level %i, "%s"', async (command, level, message, outcome) => {
    const run = await runJob(['sh', '-c', command]);
    expect(wrapperLines(run.job)).toEqual([{ level, message }]);
    expect(run.job.outcome).toBe(outcome);
  });

  const HEAP_FULL = join(FIXTURES, 'real-output', 'node-heap-oom');
  it.each([
    ['killed by SIGABRT', ['node', '--max-old-space-size=24', join(HEAP_FULL, 'program.cjs')], 'the command was killed by SIGABRT (aborted)'],
    ['a script that ran it exits 134', ['sh', '-c', 'cd "$0" && sh program.sh', HEAP_FULL], 'the command exited with status 134'],
    ['on stdout, 2>&1', ['sh', '-c', 'node --max-old-space-size=24 "$0" 2>&1; exit $?', join(HEAP_FULL, 'program.cjs')], 'the command exited with status 134'],
  ])('after Node\'s report that its heap is full (%s), says how to give it a larger one', async (_name, command, how) => {
    const run = await runJob(command);
    expect(run.job.logs.filter((log) => log.level === 50).map((log) => log.message.split('\n')[0])).toEqual(['<--- Last few GCs --->']);
    expect(wrapperLines(run.job)).toEqual([{ level: 40, message: `${how}; Node ran out of JavaScript heap (its report above); ` +
      'NODE_OPTIONS=--max-old-space-size=<MiB> gives it a larger one, within the job\'s memory' }]);
    expect(run.job.outcome).toBe('failed');
  });

  it('says when SIGTERM arrives, then how the command ended', async () => {
    const fifo = makeTestFifo();
    const cli = startCli(['sh', '-c', 'trap "echo bye; exit 0" TERM; echo ready; while :; do sleep 0.05; done'], cleanEnv({ SHUB_FIFO_PATH: fifo }));
    const watch = new FifoWatch(fifo);
    await watch.waitFor((line) => line.includes('"ready"'));
    cli.process.kill('SIGTERM');
    await watch.waitFor((line) => line.includes('SIGTERM received'));
    const job = checkJob(await watch.done);
    expect(wrapperLines(job)).toEqual([
      { level: 30, message: 'SIGTERM received: passed to the command; SIGKILL in 120 s if it is still running' },
      { level: 20, message: 'stopped as asked by SIGTERM: the command exited with status 0' },
    ]);
    // The notice is sent when the signal arrives, before the command's answer to it.
    const messages = job.logs.map((log) => log.message);
    expect(messages.findIndex((text) => text.includes('SIGTERM received'))).toBeLessThan(messages.indexOf('bye'));
    expect(job.outcome).toBe('cancelled');
  });

  it('says the command was killed after --kill-after', async () => {
    const fifo = makeTestFifo();
    const cli = startCli(['--kill-after', '1', 'sh', '-c', 'trap "" TERM; echo ready; while :; do sleep 0.05; done'], cleanEnv({ SHUB_FIFO_PATH: fifo }));
    const watch = new FifoWatch(fifo);
    await watch.waitFor((line) => line.includes('"ready"'));
    cli.process.kill('SIGTERM');
    const job = checkJob(await watch.done);
    expect(wrapperLines(job)).toEqual([
      { level: 30, message: 'SIGTERM received: passed to the command; SIGKILL in 1 s if it is still running' },
      { level: 40, message: 'killed after 1 s: the command was still running 1 s after SIGTERM (see --kill-after)' },
    ]);
    expect((await cli.finished).status).toBe(137);
  });
});

describe('a command that cannot start names the real reason', () => {
  it('the interpreter of its #! line is missing', async () => {
    const path = script('#!/no/such/python9\nprint(1)\n');
    const run = await runJob([path]);
    expect(run.status).toBe(127);
    expect(run.job.logs.at(-1)?.level).toBe(40);
    expect(run.job.logs.at(-1)?.message).toBe(`shub-entrypoint: command not found: ${path} starts with "#!/no/such/python9", ` +
      'but its interpreter /no/such/python9 does not exist (install it, or correct the #! line)');
    expect(run.job.outcome).toBe('failed');
  });

  it('its #! line ends in \\r (a script saved with Windows line ends)', async () => {
    const path = script('#!/bin/sh\r\necho hi\r\n');
    const run = await runJob([path]);
    expect(run.status).toBe(127);
    expect(run.job.logs.at(-1)?.message).toMatch(/the #! line of .*job\.sh ends in \\r \(Windows line ends\).*dos2unix .*sed -i 's\/\\r\$\/\/'/);
  });

  it('its #! line ends in \\r behind env, which starts and then fails', async () => {
    const path = script('#!/usr/bin/env sh\r\necho hi\r\n');
    const run = await runJob([path]);
    expect(run.status).toBe(127);
    expect(run.job.logs.at(-1)?.message).toMatch(/^shub-entrypoint: the command exited with status 127; the #! line of .*job\.sh ends in \\r.*dos2unix/);
  });

  it('the file is not executable', async () => {
    const path = script('#!/bin/sh\necho hi\n', 0o644);
    const run = await runJob([path]);
    expect(run.status).toBe(126);
    expect(run.job.logs.at(-1)?.message).toBe(`shub-entrypoint: command is not executable: ${path} does not have execute permission ` +
      `for this user (run chmod +x ${path}, or name its interpreter: sh ${path}, python3 ${path})`);
  });

  it('it is a directory', async () => {
    const path = join(tempDir(), 'a-directory');
    mkdirSync(path);
    const run = await runJob([path]);
    expect(run.status).toBe(126);
    expect(run.job.logs.at(-1)?.message).toBe(`shub-entrypoint: command is not executable: ${path} is a directory`);
  });

  it('it is on none of the directories of PATH, which the message shows', async () => {
    const run = await runJob(['no-such-command-here'], { PATH: '/usr/local/bin:/usr/bin:/bin' });
    expect(run.status).toBe(127);
    expect(run.job.logs.at(-1)?.message).toBe('shub-entrypoint: command not found: no-such-command-here is on none of the ' +
      'directories of PATH=/usr/local/bin:/usr/bin:/bin (install it, or give its full path)');
  });

  it('it is a file of the current directory, named without ./, which the message says to add', async () => {
    // The tests run in the package's directory, which holds README.md.
    const run = await runJob(['README.md'], { PATH: '/usr/local/bin:/usr/bin:/bin' });
    expect(run.status).toBe(127);
    expect(run.job.logs.at(-1)?.message).toBe('shub-entrypoint: command not found: README.md is on none of the directories ' +
      'of PATH; to run the file README.md of the current directory, name it ./README.md');
  });

  it('a path that does not exist', async () => {
    const run = await runJob(['./no/such/file']);
    expect(run.status).toBe(127);
    expect(run.job.logs.at(-1)?.message).toBe('shub-entrypoint: command not found: there is no file ./no/such/file');
  });
});

describe('buffering', () => {
  it('a Python script\'s plain prints arrive even when it is killed with SIGKILL (PYTHONUNBUFFERED)', async () => {
    const pidFile = join(tempDir(), 'pid');
    const fifo = makeTestFifo();
    const code = `import os, time\nprint("first")\nprint("second")\nopen(${JSON.stringify(pidFile)}, "w").write(str(os.getpid()))\ntime.sleep(60)\n`;
    // Unset, as in a container: the machine running the tests may set it already.
    const cli = startCli(['python3', '-c', code], cleanEnv({ SHUB_FIFO_PATH: fifo, PYTHONUNBUFFERED: undefined }));
    const watch = new FifoWatch(fifo);
    await waitUntil(() => {
      try {
        return readFileSync(pidFile, 'utf8') !== '';
      } catch {
        return false;
      }
    }, 'the script to print and write its pid');
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    const job = checkJob(await watch.done);
    expect(job.logs.map((log) => log.message)).toEqual(expect.arrayContaining(['first', 'second']));
    expect((await cli.finished).status).toBe(137);
  });

  it('PYTHONUNBUFFERED is left as the environment sets it; an empty value turns it off', async () => {
    const show = ['sh', '-c', 'echo "[${PYTHONUNBUFFERED-unset}]"'];
    const messages = (run: { job: Job }): string[] => run.job.logs.map((log) => log.message);
    expect(messages(await runJob(show, { PYTHONUNBUFFERED: undefined }))).toContain('[1]');
    expect(messages(await runJob(show, { PYTHONUNBUFFERED: '' }))).toContain('[]');
    expect(messages(await runJob(show, { PYTHONUNBUFFERED: '0' }))).toContain('[0]');
  });
});

describe('character set', () => {
  const messages = (run: { job: Job }): string[] => run.job.logs.map((log) => log.message);
  // bash counts a word's characters in the locale's character set: 5 in UTF-8, 10 (its bytes) in C's ASCII.
  const count = ['bash', '-c', 'x=Война; echo "${LC_CTYPE-unset} ${#x}"'];
  // Unset, as in a container: the machine running the tests may set them.
  const noLocale = { LANG: undefined, LC_ALL: undefined, LC_CTYPE: undefined };

  it('a command whose environment names no locale gets the character set of C.UTF-8, where the system has it', async () => {
    const hasLocale = ['/usr/lib/locale/C.utf8', '/usr/lib/locale/C.UTF-8'].some((directory) => existsSync(directory));
    expect(messages(await runJob(count, noLocale))).toContain(hasLocale ? 'C.UTF-8 5' : 'unset 10');
  });

  it('a locale the environment names is left alone', async () => {
    expect(messages(await runJob(count, { ...noLocale, LANG: 'C' }))).toContain('unset 10');
    expect(messages(await runJob(count, { ...noLocale, LC_ALL: 'C' }))).toContain('unset 10');
    expect(messages(await runJob(count, { ...noLocale, LC_CTYPE: 'C' }))).toContain('C 10');
  });
});

describe('the start-up line', () => {
  it('shows the whole command line with the values of secret-named arguments masked', async () => {
    const run = await runJob(['sh', '-c', 'true', 'sh', 'api_key=abc123', '--password', 'hunter2', '--token=t0k', '-a', 'page=2']);
    const first = run.job.logs[0]?.message ?? '';
    expect(first).toMatch(/ running: sh -c true sh 'api_key=\*\*\*' --password '\*\*\*' '--token=\*\*\*' -a page=2$/);
    expect(run.job.lines.join('\n')).not.toMatch(/abc123|hunter2|t0k/);
  });
});

describe('the command\'s private pipe', () => {
  it.each([
    ['missing', '/no/such/directory'],
    ['a file', '/etc/hostname'],
  ])('is made in /tmp when TMPDIR is %s', async (_what, tmpdir) => {
    const run = await runJob(['sh', '-c', 'echo "$SHUB_FIFO_PATH"'], { TMPDIR: tmpdir });
    expect(run.status).toBe(0);
    expect(run.job.logs.map((log) => log.message)).toEqual(expect.arrayContaining([expect.stringMatching(/^\/tmp\/shub-entrypoint-\w+\/shub-fifo$/)]));
  });

  it.each([
    ['a command that finishes', ['sh', '-c', 'echo "$SHUB_FIFO_PATH"'], 0],
    ['a command that cannot start', ['no-such-command-here'], 127],
    ['a command that left a file beside it', ['sh', '-c', 'echo x > "$(dirname "$SHUB_FIFO_PATH")/left-behind"'], 0],
  ])('is removed, with its directory, after %s', async (_what, command, status) => {
    const tmpdir = tempDir();
    const run = await runJob(command, { TMPDIR: tmpdir });
    expect(run.status).toBe(status);
    expect(readdirSync(tmpdir)).toEqual([]);
  });

  it('when it can be made nowhere, the job reports why through the platform\'s pipe: ERROR, FIN failed, exit 125', async () => {
    // Without mkfifo on PATH no place will do. Node itself is named, as the launcher looks for it on PATH.
    const run = await runProgram([process.execPath, CLI, '/bin/true'], { PATH: tempDir() });
    expect(run.status).toBe(125);
    expect(run.job.outcome).toBe('failed');
    expect(run.job.logs.at(-1)?.level).toBe(40);
    expect(run.job.logs.at(-1)?.message).toMatch(/^could not create the command's private named pipe \(.*: the mkfifo command is not installed/);
  });

  it('when mkfifo fails, the job says what mkfifo said', async () => {
    const bin = tempDir();
    writeFileSync(join(bin, 'mkfifo'), '#!/bin/sh\necho "mkfifo: cannot create fifo: Operation not supported" >&2\nexit 1\n');
    chmodSync(join(bin, 'mkfifo'), 0o755);
    const run = await runProgram([process.execPath, CLI, '/bin/true'], { PATH: `${bin}:/usr/bin:/bin` });
    expect(run.status).toBe(125);
    expect(run.job.logs.at(-1)?.message).toMatch(/^could not create the command's private named pipe \(.*: mkfifo failed: mkfifo: cannot create fifo: Operation not supported/);
  });
});

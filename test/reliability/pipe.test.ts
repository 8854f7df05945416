// The platform's pipe misbehaving: nobody reading yet, a slow or stalled reader, a reader that goes away.

import { closeSync, constants, createReadStream, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, FIXTURES, startCli } from '../helpers/cli.js';
import { makeTestFifo, tempDir } from '../helpers/fifo.js';
import { sleep, waitUntil, watchPeakRss } from '../helpers/processes.js';
import { checkJob, FifoWatch } from '../helpers/strict-reader.js';

describe('no reader yet', () => {
  it('keeps running and answering signals without blocking, then delivers everything once a reader comes', async () => {
    const fifo = makeTestFifo();
    // The command says when it runs, so the wrapper's signal listeners are in place (they come before it starts).
    const ready = join(tempDir(), 'ready');
    const cli = startCli(['sh', '-c', `trap "echo got HUP" HUP; echo early; touch ${ready}; sleep 1; echo late`], cleanEnv({ SHUB_FIFO_PATH: fifo }));
    await waitUntil(() => existsSync(ready), 'the command to start');
    cli.process.kill('SIGHUP');
    await sleep(1_500);
    expect(cli.process.exitCode).toBe(null); // the command is done, but the wrapper waits for a reader
    const job = checkJob(await new FifoWatch(fifo).done);
    expect((await cli.finished).status).toBe(0);
    // stdout only: the group's `sleep` also got SIGHUP, and sh says "Hangup" on stderr.
    const stdoutLines = job.logs.filter((log) => log.level === 20 && !log.message.startsWith('shub-entrypoint'));
    expect(stdoutLines.map((log) => log.message)).toEqual(['early', 'got HUP', 'late']);
    expect(job.outcome).toBe('finished');
  });

  it('says on stderr that nobody reads the pipe, and gives up after --reader-timeout, naming it', async () => {
    const fifo = makeTestFifo();
    const finished = await startCli(['--reader-timeout', '3', 'true'], cleanEnv({ SHUB_FIFO_PATH: fifo })).finished;
    expect(finished.status).toBe(125);
    expect(finished.stderr).toBe(`shub-entrypoint: no reader has opened the job's pipe ${fifo} (SHUB_FIFO_PATH) yet; the job's messages wait for one\n` +
      `shub-entrypoint: gave up waiting for a reader on the job's pipe ${fifo} for 3 s (see --reader-timeout); the job's messages and its FIN could not be delivered\n`);
  });

  it('stops the command on SIGTERM while nobody reads, and reports cancelled once a reader comes', async () => {
    const fifo = makeTestFifo();
    const ready = join(tempDir(), 'ready');
    const cli = startCli(['sh', '-c', `touch ${ready}; exec sleep 30`], cleanEnv({ SHUB_FIFO_PATH: fifo }));
    await waitUntil(() => existsSync(ready), 'the command to start');
    cli.process.kill('SIGTERM');
    await sleep(300);
    const job = checkJob(await new FifoWatch(fifo).done);
    expect((await cli.finished).status).toBe(143);
    expect(job.outcome).toBe('cancelled');
  });
});

describe('a slow or stalled reader', () => {
  it('holds the command back instead of buffering: memory stays bounded and every line arrives in order', async () => {
    const fifo = makeTestFifo();
    const lines = 400_000;
    const cli = startCli(['python3', join(FIXTURES, 'numbered-lines.py'), String(lines), '150'], cleanEnv({ SHUB_FIFO_PATH: fifo }));
    const rss = watchPeakRss(cli.process.pid as number);
    // Open the pipe but read nothing for two seconds, then read slowly: 128 KiB, pause, and so on.
    const fd = openSync(fifo, constants.O_RDONLY);
    await sleep(2_000);
    // Behind all the time, as a busy platform reader can be: the writer keeps finding the pipe full.
    const received = await readPausing(fd, 2, 1);
    const finished = await cli.finished;
    const peakKiB = rss.stop();
    expect(finished.status).toBe(0);
    const job = checkJob(received);
    const numbers = job.logs.filter((log) => log.message.startsWith('out ')).map((log) => Number(log.message.split(' ')[1]));
    expect(numbers.length).toBe(lines);
    expect(numbers.every((number, index) => number === index)).toBe(true);
    expect(peakKiB).toBeLessThan(100 * 1024);
  });
});

describe('a reader that pauses', () => {
  it('never cuts a message in two: while the wrapper waits for the reader, the command is not quiet', async () => {
    const fifo = makeTestFifo();
    const records = 3_000;
    const program = `import sys\nsys.stderr.write("".join("ERROR: record %d\\n" % n + "".join("    frame %d of record %d %s\\n" % (f, n, "x" * 60) for f in range(10)) for n in range(${records})))`;
    const cli = startCli(['python3', '-c', program], cleanEnv({ SHUB_FIFO_PATH: fifo }));
    const fd = openSync(fifo, constants.O_RDONLY);
    // Longer than the idle flush, every few chunks: the wrapper stops reading the command meanwhile.
    const received = await readPausing(fd, 4, 400);
    expect((await cli.finished).status).toBe(0);
    const messages = checkJob(received).logs.map((log) => log.message).filter((message) => !message.startsWith('shub-entrypoint'));
    expect(messages.filter((message) => message.split('\n').length !== 11).map((message) => message.slice(0, 60))).toEqual([]);
    expect(messages).toHaveLength(records);
  });
});

describe('a reader that goes away', () => {
  it.each([
    ['a command that stops on SIGTERM', 'yes "a line of output"'],
    ['a command that ignores SIGTERM', 'trap "" TERM; yes "a line of output"'],
  ])('says so, stops %s, and exits 125 without hanging', async (_name, script) => {
    const fifo = makeTestFifo();
    const cli = startCli(['--kill-after', '2', 'sh', '-c', script], cleanEnv({ SHUB_FIFO_PATH: fifo }));
    const fd = openSync(fifo, constants.O_RDONLY);
    await sleep(500);
    closeSync(fd);
    const finished = await cli.finished;
    expect(finished.status).toBe(125);
    expect(finished.stderr).toMatch(/reader of the job's pipe went away \(EPIPE\)/);
  });
});

describe('a reader that stops reading for good', () => {
  // Opens the FIFO for reading and never reads: the wrapper's writes fill the pipe and then wait.
  function startWithStuckReader(args: string[]): { cli: ReturnType<typeof startCli>; close(): void } {
    const fifo = makeTestFifo();
    const fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    return { cli: startCli(args, cleanEnv({ SHUB_FIFO_PATH: fifo })), close: () => closeSync(fd) };
  }
  const flood = (marker: string): string[] => ['sh', '-c', `head -c 150000 /dev/zero | tr "\\0" x; echo; touch ${marker}`];

  it('ends the wrapper with exit 125 and a clear message once the reader has taken nothing for --reader-timeout', async () => {
    const marker = join(tempDir(), 'exited');
    const { cli, close } = startWithStuckReader(['--reader-timeout', '1', ...flood(marker)]);
    await waitUntil(() => existsSync(marker), 'the command to write everything and exit');
    const exited = Date.now();
    const finished = await cli.finished;
    close();
    expect(finished.status).toBe(125);
    expect(finished.stderr).toMatch(/the job's pipe has taken nothing for 1 s since the command exited/);
    expect(Date.now() - exited).toBeLessThan(15_000);
  });

  it('ends it promptly on a second SIGTERM, long before the reader timeout', async () => {
    const marker = join(tempDir(), 'exited');
    const { cli, close } = startWithStuckReader(flood(marker));
    await waitUntil(() => existsSync(marker), 'the command to write everything and exit');
    cli.process.kill('SIGTERM');
    await sleep(200);
    expect(cli.process.exitCode).toBe(null); // one SIGTERM after the command exited changes nothing
    const sent = Date.now();
    cli.process.kill('SIGTERM');
    const finished = await cli.finished;
    close();
    expect(finished.status).toBe(125);
    expect(finished.stderr).toMatch(/a second stop signal came and the job's pipe did not take the FIN in time/);
    expect(Date.now() - sent).toBeLessThan(10_000);
  });
});

// Reads the pipe to its end in 64 KiB chunks, pausing `pauseMs` after every `every` chunks; resolves to its lines.
function readPausing(fd: number, every: number, pauseMs: number): Promise<string[]> {
  const received: string[] = [];
  let leftover = '';
  return new Promise((resolve, reject) => {
    const stream = createReadStream('', { fd, highWaterMark: 64 * 1024, encoding: 'latin1' });
    let chunks = 0;
    stream.on('data', (chunk) => {
      const parts = (leftover + (chunk as string)).split('\n');
      leftover = parts.pop() as string;
      received.push(...parts);
      if (++chunks % every === 0) {
        stream.pause();
        setTimeout(() => stream.resume(), pauseMs);
      }
    });
    stream.on('end', () => resolve(received));
    stream.on('error', reject);
  });
}

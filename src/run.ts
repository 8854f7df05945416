// One job, from start to FIN: open the pipe, start the command, turn its output into messages, pass signals on,
// and finish with exactly one FIN and the command's exit status, whatever happens on the way.

import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { FifoReader } from './fifo/fifo-reader.js';
import { makeFifo, type TemporaryFifo } from './fifo/make-fifo.js';
import { OutputLines } from './job/output-lines.js';
import { PipeLines } from './job/pipe-lines.js';
import { JobReport } from './job/report.js';
import { StreamPump } from './job/stream-pump.js';
import { Child, type ChildEnd } from './process/child.js';
import { EXIT_WRAPPER_FAILURE } from './process/exit-status.js';
import { shellQuote } from './process/shell-quote.js';
import { Stopper } from './process/stopper.js';
import { LEVELS } from './protocol/limits.js';
import { type WrapperSettings } from './settings.js';
import { BatchedWriter } from './sink/batched-writer.js';
import { openPipe, PipeOpenError, type PendingPipe } from './sink/open-pipe.js';
import { VERSION } from './version.js';

export interface JobOptions {
  command: string;
  args: readonly string[];
  settings: WrapperSettings;
  // The platform's pipe (SHUB_FIFO_PATH); undefined writes the protocol to stdout.
  pipePath: string | undefined;
  env: NodeJS.ProcessEnv;
  // Where messages go when there is no pipe: the wrapper's stdout, or a readable view of it.
  stdout: Writable;
}

// How long the wrapper keeps reading after the command exits, for output still in the pipes or held open by a
// background process the command left behind.
export const DRAIN_MS = 2_000;

const DRAIN_TICK_MS = 50;

// With the command gone and still nobody reading the platform's pipe, the FIN can never be delivered.
export const NO_READER_AFTER_EXIT_MS = 30_000;

// How often the command's memory is sampled for `memusage/max`.
const MEMORY_SAMPLE_MS = 1_000;

function warn(message: string): void {
  process.stderr.write(`shub-entrypoint: ${message}\n`);
}

export async function runJob(options: JobOptions): Promise<number> {
  const { settings } = options;
  const stopper = new Stopper(settings.killAfter * 1000);
  if (process.pid === 1) {
    warn('running as PID 1: Node cannot reap orphaned processes, so zombies will pile up. ' +
      'Run it under an init: ENTRYPOINT ["tini", "--", "shub-entrypoint", ...] or docker run --init.');
  }
  const pending = startOpening(options.pipePath);
  if (pending === 'failed') return EXIT_WRAPPER_FAILURE;

  // The command gets a pipe of its own: the wrapper stays the only writer on the platform's, so messages of two
  // writers can never interleave (writes above 4,096 bytes are not atomic).
  let commandPipe: TemporaryFifo;
  let commandPipeReader: FifoReader;
  try {
    commandPipe = makeFifo('shub-fifo');
    commandPipeReader = new FifoReader(commandPipe.path);
  } catch (error) {
    warn((error as Error).message);
    pending?.cancel();
    return EXIT_WRAPPER_FAILURE;
  }

  let pipeBroken = false;
  const writer = new BatchedWriter((error) => {
    pipeBroken = true;
    warn(`the reader of the job's pipe went away (${(error as NodeJS.ErrnoException).code ?? error.message}); stopping the command`);
    stopper.stop('SIGTERM');
  }, pending !== undefined);
  const report = new JobReport(writer);
  report.log(Date.now(), LEVELS.INFO, `shub-entrypoint ${VERSION} running: ${shellQuote([options.command, ...options.args])}`);

  const child = new Child(options.command, options.args, { ...options.env, SHUB_FIFO_PATH: commandPipe.path });
  stopper.watch(child);
  void child.ended.then(() => commandPipeReader.endWhenWritersClose());
  const { detectLevels, jsonLogs, keepAnsi, progressLines } = settings;
  const textOptions = { detectLevels, jsonLogs, keepAnsi, progressLines };
  const pumps = [
    new StreamPump(child.stdout, new OutputLines(report, {
      ...textOptions, level: LEVELS.INFO, messages: true, items: settings.items,
    }), writer),
    new StreamPump(child.stderr, new OutputLines(report, {
      ...textOptions, level: LEVELS.ERROR, messages: false, items: false,
    }), writer),
    new StreamPump(commandPipeReader.stream, new PipeLines(report), writer),
  ];
  const statsTimer = setInterval(() => report.sendStats(Date.now()), settings.statsInterval * 1000).unref();
  const memoryTimer = setInterval(() => sampleMemory(child.pid, report), MEMORY_SAMPLE_MS).unref();
  // Until a reader opens the pipe, the writer counts as congested and the command's output waits in its pipes.
  const connection = connectWriter(writer, pending, options.stdout);

  const end = await child.ended;
  clearInterval(memoryTimer);
  if (!end.started) {
    warn(end.reason);
    report.log(Date.now(), LEVELS.ERROR, end.reason);
  }
  child.terminateLeftovers();
  const delivered = await connection.within(NO_READER_AFTER_EXIT_MS);
  // A command that never started has nothing left to say: its pipes never opened.
  if (delivered) await drain(pumps, writer, end.started ? DRAIN_MS : 0);
  for (const pump of pumps) pump.abandon();
  stopper.dispose();
  clearInterval(statsTimer);
  commandPipeReader.close();
  commandPipe.remove();
  if (!delivered) return EXIT_WRAPPER_FAILURE;

  report.finish(Date.now(), report.outcomeFromCommand ?? outcomeOf(end, stopper.stopRequested));
  await writer.end();
  return pipeBroken ? EXIT_WRAPPER_FAILURE : end.status;
}

// A job that cannot even start (no job data, unknown spider, bad config) still reports through the pipe: an ERROR
// log that says what is wrong, and FIN failed.
export async function reportFailure(pipePath: string | undefined, stdout: Writable, reason: string): Promise<number> {
  warn(reason);
  const pending = startOpening(pipePath);
  if (pending === 'failed') return EXIT_WRAPPER_FAILURE;
  const writer = new BatchedWriter(() => {}, pending !== undefined);
  if (!(await connectWriter(writer, pending, stdout).within(NO_READER_AFTER_EXIT_MS))) return EXIT_WRAPPER_FAILURE;
  const report = new JobReport(writer);
  const now = Date.now();
  report.log(now, LEVELS.INFO, `shub-entrypoint ${VERSION}: the job could not start`);
  report.log(now, LEVELS.ERROR, reason);
  report.finish(now, 'failed');
  await writer.end();
  return EXIT_WRAPPER_FAILURE;
}

// Starts opening the platform's pipe: undefined when there is none (stdout is used), 'failed' (said on stderr) for a
// path that can never work, so that nothing is started for it.
function startOpening(pipePath: string | undefined): PendingPipe | undefined | 'failed' {
  try {
    return pipePath === undefined ? undefined : openPipe(pipePath);
  } catch (error) {
    if (!(error instanceof PipeOpenError)) throw error;
    warn(error.message);
    return 'failed';
  }
}

// Gives the writer its stream: stdout at once, the pipe as soon as a reader opens it. `within(ms)` resolves to
// whether that happened, giving up on a reader `ms` after it is called.
function connectWriter(writer: BatchedWriter, pending: PendingPipe | undefined, stdout: Writable): { within(ms: number): Promise<boolean> } {
  if (pending === undefined) {
    writer.open(stdout);
    return { within: () => Promise.resolve(true) };
  }
  const connected = pending.ready.then((pipe) => {
    writer.open(pipe.stream, pipe.fd);
    return true;
  }, (error: Error) => {
    warn(`${error.message}; the job's messages and its FIN could not be delivered`);
    return false;
  });
  return {
    within: async (ms) => {
      const timer = setTimeout(() => pending.cancel(), ms);
      const result = await connected;
      clearTimeout(timer);
      return result;
    },
  };
}

function outcomeOf(end: ChildEnd, stopRequested: boolean): string {
  if (stopRequested) return 'cancelled';
  return end.started && end.status === 0 ? 'finished' : 'failed';
}

// Waits for every stream to end, but for no more than `ms` of draining: a background process may hold a stream open
// for hours. Time in which the reader is behind does not count, so a slow reader never costs a line.
async function drain(pumps: StreamPump[], writer: BatchedWriter, ms: number): Promise<void> {
  let finished = false;
  const all = Promise.all(pumps.map((pump) => pump.done)).then(() => {
    finished = true;
  });
  for (let left = ms; !finished && left > 0;) {
    await Promise.race([all, delay(DRAIN_TICK_MS)]);
    if (!writer.congested) left -= DRAIN_TICK_MS;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function sampleMemory(pid: number | undefined, report: JobReport): void {
  if (pid === undefined) return;
  readFile(`/proc/${pid}/status`, 'latin1')
    .then((status) => {
      // VmHWM is the process's own peak resident set, so sampling misses nothing that lasted.
      const match = /VmHWM:\s+(\d+) kB/.exec(status);
      if (match) report.stats.recordMemory(Number(match[1]) * 1024);
    })
    .catch(() => {});
}

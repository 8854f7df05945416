// One job, from start to FIN: open the pipe, start the command, turn its output into messages, pass signals on,
// and finish with exactly one FIN and the command's exit status, whatever happens on the way.

import type { Writable } from 'node:stream';
import { CrawleeSource } from './crawlee/crawlee-source.js';
import { FifoReader } from './fifo/fifo-reader.js';
import { makeFifo, type TemporaryFifo } from './fifo/make-fifo.js';
import { Heartbeat } from './job/heartbeat.js';
import { OutputLines } from './job/output-lines.js';
import { PipeLines } from './job/pipe-lines.js';
import { describeEnding } from './job/ending.js';
import { readerDeadline } from './job/reader-deadline.js';
import { JobReport } from './job/report.js';
import { StreamPump } from './job/stream-pump.js';
import { Child, type ChildEnd } from './process/child.js';
import { commandEnvironment } from './process/command-env.js';
import { EXIT_WRAPPER_FAILURE, statusOf } from './process/exit-status.js';
import { maskSecrets } from './process/mask-secrets.js';
import { startMemoryGuard } from './process/memory-guard.js';
import { shellQuote } from './process/shell-quote.js';
import { Stopper } from './process/stopper.js';
import { LEVELS } from './protocol/limits.js';
import { DEFAULT_READER_TIMEOUT_SECONDS, type WrapperSettings } from './settings.js';
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

// How long a job's pipe may go without a reader before the wrapper says so on stderr.
const READER_NOTE_MS = 2_000;


function warn(message: string): void {
  process.stderr.write(`shub-entrypoint: ${message}\n`);
}

export async function runJob(options: JobOptions): Promise<number> {
  const { settings } = options;
  if (process.pid === 1) {
    warn('running as PID 1: Node cannot reap orphaned processes, so zombies will pile up. ' +
      'Run it under an init: ENTRYPOINT ["tini", "--", "shub-entrypoint", ...] or docker run --init.');
  }
  const pending = startOpening(options.pipePath);
  if (pending === 'failed') return EXIT_WRAPPER_FAILURE;

  // The command gets a pipe of its own: the wrapper stays the only writer on the platform's, so messages of two
  // writers can never interleave (writes above 4,096 bytes are not atomic). It is made while the rest is prepared.
  const commandPipeOpened = openCommandPipe(options.env);

  let pipeBroken = false;
  // Without SHUB_FIFO_PATH the messages go to stdout, whose reader may go away too (`shub-entrypoint … | head`).
  const output = pending === undefined ? 'stdout' : 'the job\'s pipe';
  const writer = new BatchedWriter((error) => {
    pipeBroken = true;
    warn(`the reader of ${output} went away (${(error as NodeJS.ErrnoException).code ?? error.message}); stopping the command`);
    stopper.stop('SIGTERM', `because the reader of ${output} went away`);
  }, pending !== undefined);
  const report = new JobReport(writer);
  const stopper = new Stopper(settings.killAfter * 1000, settings.singleChild,
    (text) => report.log(Date.now(), LEVELS.WARNING, `shub-entrypoint: ${text}`));
  report.log(Date.now(), LEVELS.INFO, `shub-entrypoint ${VERSION} running: ${shellQuote(maskSecrets([options.command, ...options.args]))}`);
  // Until a reader opens the pipe, the writer counts as congested and the command's output waits in its pipes.
  const connection = connectWriter(writer, pending, options.stdout);
  // A signal already delivered reaches its listener only from the event loop (Node 22+ can load the whole program
  // without passing through it): one turn, so that a stop that came while loading is known before the command starts.
  await new Promise((resolve) => setImmediate(resolve));
  const commandPipe = await commandPipeOpened;
  if (stopper.stopSignal !== undefined) {
    // Stopped before it started: the command is not started at all, as if it had been stopped at once.
    if (!(commandPipe instanceof Error)) commandPipe.close();
    report.log(Date.now(), LEVELS.WARNING, `shub-entrypoint: ${stopper.stopSignal} received before the command started, so it was not started`);
    return conclude(connection, report, writer, 'cancelled', statusOf(null, stopper.stopSignal), settings.readerTimeout);
  }
  if (commandPipe instanceof Error) return failBeforeStart(connection, report, writer, commandPipe.message, settings.readerTimeout);

  const heartbeat = new Heartbeat();
  // Before the command starts, so that what its storage already holds is not taken for this run's.
  const crawlee = settings.crawlee ? new CrawleeSource(report, writer, {
    env: options.env, cwd: process.cwd(), statsInterval: settings.statsInterval, heartbeat,
  }) : undefined;
  const child = new Child(options.command, options.args, commandEnvironment(options.env, commandPipe.fifo.path));
  stopper.watch(child);
  void child.ended.then(() => commandPipe.reader.endWhenWritersClose());
  const { detectLevels, jsonLogs, keepAnsi, progressLines } = settings;
  const textOptions = { detectLevels, jsonLogs, keepAnsi, progressLines };
  const outputs = [
    new OutputLines(report, { ...textOptions, level: LEVELS.INFO, messages: true, items: settings.items }),
    new OutputLines(report, { ...textOptions, level: LEVELS.ERROR, messages: false, items: false }),
  ] as const;
  const pumps = [
    new StreamPump(child.stdout, outputs[0], writer),
    new StreamPump(child.stderr, outputs[1], writer),
    new StreamPump(commandPipe.reader.stream, new PipeLines(report), writer),
  ];
  const statsTimer = setInterval(() => report.sendStats(Date.now()), settings.statsInterval * 1000).unref();
  const memoryGuard = startMemoryGuard(child, stopper, report, settings, options.env, heartbeat);

  const end = await child.ended;
  const memoryOutcome = memoryGuard.conclude(end);
  if (!end.started) warn(end.reason);
  child.terminateLeftovers();
  await stopper.untilLeftoversEnd();
  const cleanUp = (): void => {
    for (const pump of pumps) pump.abandon();
    stopper.dispose();
    clearInterval(statsTimer);
    commandPipe.close();
  };
  // From here on only the reader can hold the job up: it gets a bounded time, and a second stop signal ends it.
  const deadline = readerDeadline(writer, settings.readerTimeout * 1000, stopper.forced, () => {
    void connection.within(0);
    for (const pump of pumps) pump.abandon();
  });
  const gaveUp = deadline.reason.then((reason) => {
    warn(reason);
    cleanUp();
    return EXIT_WRAPPER_FAILURE;
  });
  const finished = (async (): Promise<number> => {
    const delivered = await connection.within(settings.readerTimeout * 1000);
    // A command that never started has nothing left to say: its pipes never opened.
    if (delivered) await drain(pumps, writer, end.started ? DRAIN_MS : 0);
    for (const pump of pumps) pump.abandon();
    await crawlee?.finish(delivered);
    cleanUp();
    if (!delivered) return EXIT_WRAPPER_FAILURE;
    const ending = describeEnding(end, {
      stopSignal: stopper.stopSignal,
      killReason: stopper.killReason,
      killedLeftovers: stopper.killedLeftovers,
      ownStopReason: stopper.ownStopReason,
      killAfterSeconds: settings.killAfter,
      commandOutcome: report.outcomeFromCommand,
      heapFull: outputs[0].reportedFullHeap || outputs[1].reportedFullHeap,
      command: options.command,
      env: options.env,
    });
    report.log(Date.now(), ending.level, ending.text);
    const outcome = report.outcomeFromCommand ?? memoryOutcome ?? outcomeOf(end, stopper.stopRequested);
    return conclude(connection, report, writer, outcome, end.status, settings.readerTimeout);
  })();
  const status = await Promise.race([finished, gaveUp]);
  deadline.cancel();
  return pipeBroken ? EXIT_WRAPPER_FAILURE : status;
}

// A job that cannot even start (no job data, unknown spider, bad config) still reports through the pipe: an ERROR
// log that says what is wrong, and FIN failed.
export function reportFailure(pipePath: string | undefined, stdout: Writable, reason: string): Promise<number> {
  const pending = startOpening(pipePath);
  if (pending === 'failed') {
    warn(reason);
    return Promise.resolve(EXIT_WRAPPER_FAILURE);
  }
  return reportFailureOn(pending, stdout, reason);
}

async function reportFailureOn(pending: PendingPipe | undefined, stdout: Writable, reason: string): Promise<number> {
  const writer = new BatchedWriter(() => {}, pending !== undefined);
  const report = new JobReport(writer);
  report.log(Date.now(), LEVELS.INFO, `shub-entrypoint ${VERSION}: the job could not start`);
  return failBeforeStart(connectWriter(writer, pending, stdout), report, writer, reason, DEFAULT_READER_TIMEOUT_SECONDS);
}

// A job whose command could not be started: the reason on stderr and as an ERROR log, then FIN failed, exit 125.
async function failBeforeStart(connection: Connection, report: JobReport, writer: BatchedWriter, reason: string, readerTimeout: number): Promise<number> {
  warn(reason);
  report.log(Date.now(), LEVELS.ERROR, reason);
  await conclude(connection, report, writer, 'failed', EXIT_WRAPPER_FAILURE, readerTimeout);
  return EXIT_WRAPPER_FAILURE;
}

interface CommandPipe {
  readonly fifo: TemporaryFifo;
  readonly reader: FifoReader;
  close(): void;
}

// The command's private pipe, open for reading, or why it could not be had.
async function openCommandPipe(env: NodeJS.ProcessEnv): Promise<CommandPipe | Error> {
  let fifo: TemporaryFifo;
  try {
    fifo = await makeFifo('shub-fifo', { env });
  } catch (error) {
    return error as Error;
  }
  try {
    const reader = new FifoReader(fifo.path);
    return { fifo, reader, close: () => { reader.close(); fifo.remove(); } };
  } catch (error) {
    fifo.remove();
    return error as Error;
  }
}

// The last steps of every job: once a reader is there, the final stats and the FIN, written out; `status` is the
// exit status then, 125 when nobody ever read the pipe.
async function conclude(connection: Connection, report: JobReport, writer: BatchedWriter, outcome: string, status: number, readerTimeout: number): Promise<number> {
  if (!(await connection.within(readerTimeout * 1000))) return EXIT_WRAPPER_FAILURE;
  report.finish(Date.now(), outcome);
  await writer.end();
  return status;
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
interface Connection {
  within(ms: number): Promise<boolean>;
}

function connectWriter(writer: BatchedWriter, pending: PendingPipe | undefined, stdout: Writable): Connection {
  if (pending === undefined) {
    writer.open(stdout);
    return { within: () => Promise.resolve(true) };
  }
  // Scrapy Cloud reads the pipe from the start; on one's own machine, a pipe that nobody reads (no `cat` on it) holds
  // the job back without a word until --reader-timeout after the command's end, unless this says so.
  const waitNote = setTimeout(() => warn(`no reader has opened the job's pipe ${pending.path} (SHUB_FIFO_PATH) yet; the ` +
    'job\'s messages wait for one'), READER_NOTE_MS).unref();
  const connected = pending.ready.then((pipe) => {
    clearTimeout(waitNote);
    writer.open(pipe.stream, pipe.fd);
    return true;
  }, (error: Error) => {
    clearTimeout(waitNote);
    warn(`${error.message}; the job's messages and its FIN could not be delivered`);
    return false;
  });
  return {
    within: async (ms) => {
      const timer = setTimeout(() => pending.cancel(ms > 0 ? ` for ${ms / 1000} s (see --reader-timeout)` : ''), ms);
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

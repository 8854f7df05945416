// Runs the built command line as a real child process, the way a container would.

import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkJob, FifoWatch, type Job } from './strict-reader.js';
import { makeTestFifo } from './fifo.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'bin', 'shub-entrypoint.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

export interface Finished {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Started {
  process: ChildProcess;
  finished: Promise<Finished>;
  // What it has written to stderr so far.
  stderr(): string;
}

// The environment without any SHUB_* variable of the machine running the tests.
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('SHUB_')) env[key] = value;
  return { ...env, ...extra };
}

// The commands run as programs, as a container runs them: by their launchers in bin/, which Node runs by their #! line.
export function startCli(args: string[], env: NodeJS.ProcessEnv = cleanEnv(), bin = CLI): Started {
  return startProgram([bin, ...args], env);
}

export function startProgram([program, ...args]: string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn(program as string, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const finished = new Promise<Finished>((resolve) => {
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
  return { process: child, finished, stderr: () => stderr };
}

export interface JobRun extends Finished {
  job: Job;
}

// Runs the CLI (or another of the package's commands) with a real FIFO as SHUB_FIFO_PATH, read by the strict reader,
// and checks the whole job.
export function runJob(args: string[], extraEnv: NodeJS.ProcessEnv = {}, bin = CLI): Promise<JobRun> {
  return runProgram([bin, ...args], extraEnv);
}

// How long a job run by a test may take before the test reports what it was doing instead of just timing out.
const JOB_LIMIT_MS = 45_000;

// The same for any program, such as an init in front of the wrapper. The reader is there before the program starts.
export async function runProgram(argv: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<JobRun> {
  const fifo = makeTestFifo();
  const watch = new FifoWatch(fifo, { openNow: true });
  const started = startProgram(argv, cleanEnv({ ...extraEnv, SHUB_FIFO_PATH: fifo }));
  void started.finished.then(() => watch.writerExited());
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      started.process.kill('SIGKILL');
      watch.writerExited();
      reject(new Error(`${argv.join(' ')} still running after ${JOB_LIMIT_MS} ms; exit code ${started.process.exitCode}; ` +
        `${watch.lines.length} lines read, the last: ${JSON.stringify(watch.lines.slice(-3))}; stderr: ${started.stderr()}`));
    }, JOB_LIMIT_MS);
  });
  try {
    const [lines, finished] = await Promise.race([Promise.all([watch.done, started.finished]), limit]);
    return { ...finished, job: checkJob(lines) };
  } finally {
    clearTimeout(timer);
  }
}

// The messages a job logged, without the wrapper's own start-up line.
export function commandLogs(job: Job): Array<{ level: number; message: string }> {
  return job.logs.filter((log) => !log.message.startsWith('shub-entrypoint')).map(({ level, message }) => ({ level, message }));
}

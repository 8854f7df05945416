// Runs the built command line as a real child process, the way a container would.

import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkJob, readFifo, type Job } from './strict-reader.js';
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
}

// The environment without any SHUB_* variable of the machine running the tests.
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('SHUB_')) env[key] = value;
  return { ...env, ...extra };
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = cleanEnv(), bin = CLI): Started {
  return startProgram([process.execPath, bin, ...args], env);
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
  return { process: child, finished };
}

export interface JobRun extends Finished {
  job: Job;
}

// Runs the CLI (or another of the package's commands) with a real FIFO as SHUB_FIFO_PATH, read by the strict reader,
// and checks the whole job.
export function runJob(args: string[], extraEnv: NodeJS.ProcessEnv = {}, bin = CLI): Promise<JobRun> {
  return runProgram([process.execPath, bin, ...args], extraEnv);
}

// The same for any program, such as an init in front of the wrapper.
export async function runProgram(argv: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<JobRun> {
  const fifo = makeTestFifo();
  const started = startProgram(argv, cleanEnv({ ...extraEnv, SHUB_FIFO_PATH: fifo }));
  const [lines, finished] = await Promise.all([readFifo(fifo), started.finished]);
  return { ...finished, job: checkJob(lines) };
}

// The messages a job logged, without the wrapper's own start-up line.
export function commandLogs(job: Job): Array<{ level: number; message: string }> {
  return job.logs.filter((log) => !log.message.startsWith('shub-entrypoint ')).map(({ level, message }) => ({ level, message }));
}

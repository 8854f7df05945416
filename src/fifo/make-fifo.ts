// Creates a named pipe in a fresh directory that only this user (or the owner given) can enter.
//
// Node has no mkfifo(); the coreutils command is on every Linux image this runs in. It runs asynchronously, so that
// the job's other preparations go on while it starts (the bench's start-up line shows what a process costs there).
// TMPDIR may be missing, a file, or not writable for the user the job runs as (`nobody` on Scrapy Cloud), so the
// usual places are tried in turn; only when none works does the job fail, saying why for each.

import { spawn } from 'node:child_process';
import { chownSync, mkdtempSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TemporaryFifo {
  readonly path: string;
  remove(): void;
}

// A user the pipe belongs to instead of this one: `check`, run as root, runs its job as nobody, who must open it.
export interface FifoOwner {
  uid: number;
  gid: number;
}

// Where a private directory is tried, in order: TMPDIR (what tmpdir() returns), then the usual places.
function candidateDirectories(env: NodeJS.ProcessEnv): string[] {
  const places = [tmpdir(), '/tmp', '/dev/shm', '/var/tmp', process.cwd(), env.HOME ?? ''];
  return [...new Set(places.filter((place) => place !== ''))];
}

export async function makeFifo(name: string, { env = process.env, owner }: { env?: NodeJS.ProcessEnv; owner?: FifoOwner } = {}): Promise<TemporaryFifo> {
  const failures: string[] = [];
  for (const place of candidateDirectories(env)) {
    const made = await tryMakeFifo(place, name, owner);
    if (typeof made !== 'string') return made;
    failures.push(`${place}: ${made}`);
    // Without the mkfifo command no place will do.
    if (made.startsWith('the mkfifo command')) break;
  }
  throw new Error(`could not create the command's private named pipe (${failures.join('; ')}). ` +
    'Set TMPDIR to a directory this user can write to, or make /tmp writable');
}

// The pipe, or why it could not be made in `place`.
async function tryMakeFifo(place: string, name: string, owner: FifoOwner | undefined): Promise<TemporaryFifo | string> {
  let directory: string;
  try {
    // mkdtemp creates the directory with mode 0700.
    directory = mkdtempSync(join(place, 'shub-entrypoint-'));
  } catch (error) {
    return whyNoDirectory(error as NodeJS.ErrnoException);
  }
  const path = join(directory, name);
  try {
    await runMkfifo(path);
    if (owner) for (const entry of [directory, path]) chownSync(entry, owner.uid, owner.gid);
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'the mkfifo command is not installed (it comes with coreutils)' : `mkfifo failed: ${(error as Error).message.trim()}`;
  }
  return { path, remove: () => removeFifo(directory, path) };
}

// mkfifo's stderr is kept for the error message; its stdin and stdout get no pipe, which would cost the wrapper's
// start-up a socket pair and a stream each (the bench's start-up line).
function runMkfifo(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('mkfifo', ['-m', '600', path], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(stderr.trim() || (signal ? `ended by ${signal}` : `exit status ${code}`)));
    });
  });
}

// The directory holds the pipe and, unless the command put something there, nothing else: two calls, where a
// recursive removal loads a module of its own at the end of every job.
function removeFifo(directory: string, path: string): void {
  try {
    unlinkSync(path);
    rmdirSync(directory);
  } catch {
    rmSync(directory, { recursive: true, force: true });
  }
}

function whyNoDirectory(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no such directory';
    case 'ENOTDIR':
      return 'not a directory';
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'not writable by this user';
    default:
      return error.message;
  }
}

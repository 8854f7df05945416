// Creates a named pipe in a fresh directory that only this user (or the owner given) can enter.
//
// Node has no mkfifo(); the coreutils command is on every Linux image this runs in. It runs asynchronously, so that
// the job's other preparations go on while it starts (the bench's start-up line shows what a process costs there).
// TMPDIR may be missing, a file, or not writable for the user the job runs as (`nobody` on Scrapy Cloud), so the
// usual places are tried in turn; only when none works does the job fail, saying why for each.

import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

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
    await execFileAsync('mkfifo', ['-m', '600', path]);
    if (owner) for (const entry of [directory, path]) chownSync(entry, owner.uid, owner.gid);
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'the mkfifo command is not installed (it comes with coreutils)' : `mkfifo failed: ${(error as Error).message.trim()}`;
  }
  return { path, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

const execFileAsync = promisify(execFile);

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

// Creates a named pipe in a fresh directory that only this user (or the owner given) can enter.
//
// Node has no mkfifo(); the coreutils command is on every Linux image this runs in (it costs one ~2 ms spawn).

import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
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

export function makeFifo(name: string, owner?: FifoOwner): TemporaryFifo {
  // mkdtemp creates the directory with mode 0700.
  const directory = mkdtempSync(join(tmpdir(), 'shub-entrypoint-'));
  const path = join(directory, name);
  try {
    execFileSync('mkfifo', ['-m', '600', path], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (owner) for (const entry of [directory, path]) chownSync(entry, owner.uid, owner.gid);
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw new Error(`could not create a named pipe at ${path}: ${(error as Error).message}`);
  }
  return { path, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

// Real named pipes for tests, in a private temporary directory removed after the test file.

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const directories: string[] = [];
afterAll(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

export function tempDir(): string {
  const directory = mkdtempSync(join(tmpdir(), 'shub-entrypoint-test-'));
  directories.push(directory);
  return directory;
}

// A temporary directory every user can read, for files a job run as nobody must open.
export function publicTempDir(): string {
  const directory = tempDir();
  chmodSync(directory, 0o755);
  return directory;
}

export function makeTestFifo(): string {
  const path = join(tempDir(), 'fifo');
  execFileSync('mkfifo', [path]);
  return path;
}

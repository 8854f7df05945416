// The wrapper's exit status, by tini's rules, so the container runtime sees what the command did.

import { constants } from 'node:os';

export const EXIT_NOT_EXECUTABLE = 126;
export const EXIT_NOT_FOUND = 127;
// The wrapper itself could not do its job (bad usage, the pipe cannot be opened or its reader went away). 125 is
// what env, nice and timeout return for their own failures, apart from the command's 126 and 127.
export const EXIT_WRAPPER_FAILURE = 125;

// The command's own code, or 128 + n when signal n ended it.
export function statusOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (signal !== null) return 128 + (constants.signals[signal] ?? 0);
  return code ?? EXIT_WRAPPER_FAILURE;
}

// Why a command could not be started, as a status and a sentence; spawn reports this as an `error` event.
export function spawnFailure(command: string, error: NodeJS.ErrnoException): { status: number; reason: string } {
  switch (error.code) {
    case 'ENOENT':
      return { status: EXIT_NOT_FOUND, reason: `command not found: ${command} (is it installed and on PATH?)` };
    case 'EACCES':
    case 'EPERM':
      return { status: EXIT_NOT_EXECUTABLE, reason: `command is not executable: ${command} (permission denied, or a directory)` };
    default:
      return { status: EXIT_NOT_EXECUTABLE, reason: `command could not be started: ${command} (${error.message})` };
  }
}

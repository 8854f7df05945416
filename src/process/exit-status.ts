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

// What a signal that ended a command usually means, for the log line that says why the job ended.
const SIGNAL_WORDS: Readonly<Record<string, string>> = {
  SIGSEGV: 'segmentation fault', SIGBUS: 'bus error', SIGFPE: 'arithmetic error', SIGILL: 'illegal instruction',
  SIGABRT: 'aborted', SIGTRAP: 'trace trap', SIGSYS: 'bad system call',
  SIGKILL: 'killed outright; when nobody sent it, usually the kernel\'s out-of-memory killer',
  SIGTERM: 'asked to terminate', SIGINT: 'interrupted', SIGHUP: 'hangup', SIGQUIT: 'quit', SIGPIPE: 'broken pipe',
  SIGALRM: 'alarm clock', SIGXCPU: 'CPU time limit exceeded', SIGXFSZ: 'file size limit exceeded',
  SIGUSR1: 'user signal 1', SIGUSR2: 'user signal 2',
};

// `SIGSEGV (segmentation fault)`.
export function describeSignal(signal: NodeJS.Signals): string {
  const words = SIGNAL_WORDS[signal];
  return words === undefined ? signal : `${signal} (${words})`;
}

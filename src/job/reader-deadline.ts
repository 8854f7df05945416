// After the command has exited, the wrapper has nothing left to do but deliver what it holds and the FIN. A reader
// that never takes it would keep the wrapper (and the job's container) alive for ever: this says when to give up.

import type { BatchedWriter } from '../sink/batched-writer.js';

// After a second stop signal, how long the FIN still has to get through before the wrapper exits without it.
export const FORCED_FINISH_MS = 1_000;

// Resolves with the reason to give up: the reader has taken nothing for `timeoutMs` since the command exited, or
// `forced` settled and the job could not finish within FORCED_FINISH_MS. `onForced` is called first, so the job can
// stop draining and write its FIN at once. `cancel()` ends the watch.
export function readerDeadline(writer: BatchedWriter, timeoutMs: number, forced: Promise<void>, onForced: () => void): { reason: Promise<string>; cancel(): void } {
  const since = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let cancelled = false;
  const reason = new Promise<string>((resolve) => {
    const check = (): void => {
      const now = Date.now();
      if (Math.min(writer.stalledFor(now), now - since) >= timeoutMs) {
        resolve(`the job's pipe has taken nothing for ${timeoutMs / 1000} s since the command exited (see --reader-timeout); ` +
          'its reader is stuck or gone, so the last messages and the FIN cannot be delivered');
        return;
      }
      timer = setTimeout(check, Math.min(1_000, timeoutMs / 4));
    };
    check();
    void forced.then(() => {
      if (cancelled) return;
      onForced();
      clearTimeout(timer);
      timer = setTimeout(() => resolve('a second stop signal came and the job\'s pipe did not take the FIN in time; exiting without it'), FORCED_FINISH_MS);
    });
  });
  return {
    reason,
    cancel: () => {
      cancelled = true;
      clearTimeout(timer);
    },
  };
}

// Listening to the signals the wrapper passes on to the command.
//
// Listeners are installed before the command starts: without one, Node as PID 1 ignores SIGTERM and SIGINT, as any
// other PID dies of them and orphans the command, and SIGUSR1 opens Node's inspector instead of reaching the child.

import { takeEarlySignals } from './early-signals.js';
import { FORWARDED_SIGNALS, type ForwardedSignal } from './signal-list.js';

export { FORWARDED_SIGNALS, type ForwardedSignal };

// Signals that ask the job to stop: the outcome becomes `cancelled`, and a second one kills at once.
export function isStopSignal(signal: ForwardedSignal): boolean {
  return signal === 'SIGTERM' || signal === 'SIGINT';
}

// Calls `handler` for each forwarded signal the wrapper receives, starting with those the launcher queued before the
// job existed (early-signals.ts); returns a function that removes the listeners.
export function onSignals(handler: (signal: ForwardedSignal) => void): () => void {
  const listeners = FORWARDED_SIGNALS.map((signal) => {
    const listener = (): void => handler(signal);
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  for (const signal of takeEarlySignals()) handler(signal);
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
}

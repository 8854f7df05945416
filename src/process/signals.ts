// The signals the wrapper passes on to the command, as tini does (all but SIGCHLD and the fault signals that Node
// cannot meaningfully catch).
//
// Listeners are installed before the command starts: without one, Node as PID 1 ignores SIGTERM and SIGINT, as any
// other PID dies of them and orphans the command, and SIGUSR1 opens Node's inspector instead of reaching the child.

export const FORWARDED_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'] as const;
export type ForwardedSignal = (typeof FORWARDED_SIGNALS)[number];

// Signals that ask the job to stop: the outcome becomes `cancelled`, and a second one kills at once.
export function isStopSignal(signal: ForwardedSignal): boolean {
  return signal === 'SIGTERM' || signal === 'SIGINT';
}

// Calls `handler` for each forwarded signal the wrapper receives; returns a function that removes the listeners.
export function onSignals(handler: (signal: ForwardedSignal) => void): () => void {
  const listeners = FORWARDED_SIGNALS.map((signal) => {
    const listener = (): void => handler(signal);
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
}

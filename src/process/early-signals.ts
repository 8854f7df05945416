// Signal listeners for the first moments of the process, before the job's own exist.
//
// Until a JavaScript listener is in place, SIGTERM, SIGINT and SIGHUP kill Node (no FIN, the command orphaned) and
// SIGUSR1 opens its inspector on 127.0.0.1:9229 (any local process could then run code in the wrapper). Loading the
// wrapper's modules takes long enough for a platform's early stop to land there, so the launchers in bin/ import
// this first, from a bundle of its own, and only then load the rest. What arrives meanwhile is queued: the job takes
// it over (signals.ts) and acts on it once it can.

import { FORWARDED_SIGNALS, type ForwardedSignal } from './signal-list.js';

// Shared through a global, not a module variable: this code runs from its own bundle and from the job's.
const QUEUE_KEY = Symbol.for('shub-entrypoint.early-signals');

interface EarlyQueue {
  received: ForwardedSignal[];
  listeners: Array<readonly [ForwardedSignal, () => void]>;
}

const registry = globalThis as unknown as Record<symbol, EarlyQueue | undefined>;

// Starts queueing every forwarded signal.
export function installEarlySignals(): void {
  if (registry[QUEUE_KEY] !== undefined) return;
  const queue: EarlyQueue = { received: [], listeners: [] };
  for (const signal of FORWARDED_SIGNALS) {
    const listener = (): void => {
      queue.received.push(signal);
    };
    process.on(signal, listener);
    queue.listeners.push([signal, listener]);
  }
  registry[QUEUE_KEY] = queue;
}

// For the job, once its own listeners are in place: removes the early ones and returns what they queued, in order.
export function takeEarlySignals(): ForwardedSignal[] {
  const queue = registry[QUEUE_KEY];
  if (queue === undefined) return [];
  for (const [signal, listener] of queue.listeners) process.off(signal, listener);
  queue.listeners = [];
  return queue.received.splice(0);
}

// For a run that starts no job (help, check): signals get their usual effect back, and a queued stop signal takes
// effect now. SIGUSR1 stays ignored, so the inspector never opens.
export function releaseEarlySignals(): void {
  const queue = registry[QUEUE_KEY];
  if (queue === undefined || queue.listeners.length === 0) return;
  const received = takeEarlySignals();
  process.on('SIGUSR1', () => {});
  const stop = received.find((signal) => signal !== 'SIGUSR1' && signal !== 'SIGUSR2' && signal !== 'SIGWINCH');
  if (stop !== undefined) process.kill(process.pid, stop);
}

// The one log line that says why the job ended: a FIN says only `finished`, `failed` or `cancelled`, and a user
// looking at a failed job needs to know whether the command exited with an error, crashed, was stopped or killed.

import type { ChildEnd } from '../process/child.js';
import { describeSignal, EXIT_NOT_EXECUTABLE, EXIT_NOT_FOUND } from '../process/exit-status.js';
import { crlfShebangHint } from '../process/start-failure.js';
import type { KillReason } from '../process/stopper.js';
import { LEVELS } from '../protocol/limits.js';

// What the wrapper knows at the end of a job, besides how the command ended.
export interface EndingFacts {
  // The first SIGTERM/SIGINT the wrapper received, if any.
  stopSignal: NodeJS.Signals | undefined;
  killReason: KillReason | undefined;
  // Whether the kill went to what the command left running after it exited (a launcher's program still stopping).
  killedLeftovers: boolean;
  // Why the wrapper stopped the command itself (its memory limit, say), when it did.
  ownStopReason: string | undefined;
  killAfterSeconds: number;
  // The outcome the command sent in its own FIN.
  commandOutcome: string | undefined;
  // Whether the command printed Node's report that its JavaScript heap was full.
  heapFull: boolean;
  // The command as given and its environment, to look at its #! line when it exited 126 or 127.
  command: string;
  env: NodeJS.ProcessEnv;
}

export function describeEnding(end: ChildEnd, facts: EndingFacts): { level: number; text: string } {
  const say = (level: number, text: string): { level: number; text: string } => ({ level, text: `shub-entrypoint: ${text}` });
  if (!end.started) return say(LEVELS.ERROR, end.reason);
  const how = end.signal === null ? `exited with status ${end.status}` : `was ended by ${describeSignal(end.signal)}`;
  if (facts.commandOutcome !== undefined) return say(LEVELS.INFO, `outcome '${facts.commandOutcome}' set by the command (it ${how})`);
  if (facts.killReason === 'grace-time') {
    const what = facts.killedLeftovers ? `the command ${how}, and what it left running was` : 'the command was';
    return say(LEVELS.ERROR, `killed after ${facts.killAfterSeconds} s: ${what} still running ${facts.killAfterSeconds} s ` +
      `after ${facts.stopSignal ?? 'SIGTERM'}${facts.ownStopReason === undefined ? '' : ` (stopped ${facts.ownStopReason})`} (see --kill-after)`);
  }
  if (facts.ownStopReason !== undefined) return say(LEVELS.ERROR, `stopped ${facts.ownStopReason}: the command ${how}`);
  if (facts.killReason === 'second-signal') return say(LEVELS.WARNING, `killed at once on a second ${facts.stopSignal ?? 'SIGTERM'}`);
  if (facts.stopSignal !== undefined) return say(LEVELS.INFO, `stopped as asked by ${facts.stopSignal}: the command ${how}`);
  const heapHint = facts.heapFull ? `; ${FULL_HEAP_HINT}` : '';
  if (end.signal !== null) return say(LEVELS.ERROR, `the command was killed by ${describeSignal(end.signal)}${heapHint}`);
  if (end.status === 0) return say(LEVELS.INFO, 'finished: the command exited with status 0');
  // `#!/usr/bin/env python3\r` starts env, which then exits 127 looking for "python3\r".
  const hint = end.status === EXIT_NOT_FOUND || end.status === EXIT_NOT_EXECUTABLE ? crlfShebangHint(facts.command, facts.env) : undefined;
  return say(LEVELS.ERROR, `the command exited with status ${end.status}${hint === undefined ? heapHint : `; ${hint}`}`);
}

// Node aborts when V8's heap reaches its limit, which is set by Node from the memory it sees, not from what the job
// needs: the job may have memory to spare for a larger heap.
const FULL_HEAP_HINT = 'Node ran out of JavaScript heap (its report above); NODE_OPTIONS=--max-old-space-size=<MiB> ' +
  'gives it a larger one, within the job\'s memory';

// Passes the wrapper's signals on to the command, and stops the command the way a container runtime expects:
// SIGTERM or SIGINT first, SIGKILL when it has not exited within the grace time or when a second stop signal comes.
//
// Signals go to the command's whole process group, as dumb-init does, unless `singleChild`: then only the command
// gets them, for a launcher (`npm start`, a shell script that traps and passes signals on) that would otherwise
// hand its child a second copy. SIGKILL always covers the group: nothing may outlive a kill.

import type { Child } from './child.js';
import { isStopSignal, onSignals, type ForwardedSignal } from './signals.js';

// How a stop ended in a kill: the grace time ran out, or a second stop signal came.
export type KillReason = 'grace-time' | 'second-signal';

export class Stopper {
  // The first stop signal (SIGTERM/SIGINT) that reached the wrapper before or while the command ran: the job is
  // then `cancelled`. Before the command starts, it means the command is not started at all.
  stopSignal: NodeJS.Signals | undefined;
  // Set when the wrapper SIGKILLed the command, and why.
  killReason: KillReason | undefined;
  // Whether that SIGKILL went to what the command left running after it exited, not to the command.
  killedLeftovers = false;
  // Why the wrapper itself stopped the command, when no signal asked it to ("at its memory limit", say).
  ownStopReason: string | undefined;
  // Settles on the second stop signal, whenever it comes: the user wants the wrapper gone now, even if the command
  // has already exited and the wrapper is only waiting for its reader.
  readonly forced: Promise<void>;
  private child: Child | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  // Whether the command has been asked to stop (the stop signal reached it).
  private stopSent = false;
  private stopSignals = 0;
  private force: () => void = () => {};

  // Listens at once: a signal must never find the wrapper without a listener, even before the command starts.
  // `onStop` is told, in a sentence, each time a stop signal arrives while the command runs.
  constructor(private readonly killAfterMs: number, private readonly singleChild: boolean, private readonly onStop: (text: string) => void) {
    this.forced = new Promise((resolve) => (this.force = resolve));
    onSignals((signal) => this.receive(signal));
  }

  get stopRequested(): boolean {
    return this.stopSignal !== undefined;
  }

  watch(child: Child): void {
    this.child = child;
  }

  // Asks the command to stop, and SIGKILLs its group if it is still there after the grace time. `reason` says why
  // when the wrapper decided it; a stop signal from outside gives none.
  stop(signal: NodeJS.Signals, reason?: string): void {
    if (!this.child?.signal(signal, !this.singleChild)) return;
    this.stopSent = true;
    if (reason !== undefined) this.ownStopReason ??= reason;
    this.killTimer ??= setTimeout(() => this.kill('grace-time'), this.killAfterMs);
  }

  dispose(): void {
    clearTimeout(this.killTimer);
  }

  // After a stop, the command's exit does not end the job while what is left of its group is still stopping: a
  // launcher may exit at once and leave the program it ran shutting down (`npm start`, whose shell dies of the
  // group's SIGTERM). Settles when nothing of the group is left: when it has exited, or when the grace time or a
  // second stop signal has killed it. At once when no stop was asked.
  async untilLeftoversEnd(): Promise<void> {
    let killedAt: number | undefined;
    while (this.stopSent && this.child?.leftoversRunning) {
      // What SIGKILL did not end (a process the wrapper may not signal) is not waited for.
      if (this.killReason !== undefined && Date.now() - (killedAt ??= Date.now()) > KILLED_SETTLE_MS) return;
      await delay(LEFTOVERS_POLL_MS);
    }
  }

  private receive(signal: ForwardedSignal): void {
    if (isStopSignal(signal) && ++this.stopSignals === 2) this.force();
    if (this.child === undefined) {
      // Not started yet: a stop signal means it never will be; anything else has nobody to reach.
      if (isStopSignal(signal)) this.stopSignal ??= signal;
      return;
    }
    // After the command exited (or when it could not start) there is nobody to tell, and the result stays as it is;
    // but a second stop signal kills what the command left still stopping (untilLeftoversEnd).
    if (!this.child.running) {
      if (isStopSignal(signal) && this.stopSignals === 2 && this.stopSent && this.child.leftoversRunning) {
        this.onStop(`${signal} received again: SIGKILL now for what the command left running`);
        this.kill('second-signal');
      }
      return;
    }
    if (!isStopSignal(signal)) {
      this.child.signal(signal, !this.singleChild);
      return;
    }
    if (this.stopRequested) {
      this.onStop(`${signal} received again: SIGKILL now`);
      return this.kill('second-signal');
    }
    this.stopSignal = signal;
    this.onStop(`${signal} received: passed to the command; SIGKILL in ${this.killAfterMs / 1000} s if it is still running`);
    this.stop(signal);
  }

  private kill(reason: KillReason): void {
    if (this.child?.signal('SIGKILL', true)) this.killReason ??= reason;
    else if (this.child?.killLeftovers()) {
      this.killReason ??= reason;
      this.killedLeftovers = true;
    }
  }
}

// How often untilLeftoversEnd looks: there is no event for a process group's end.
const LEFTOVERS_POLL_MS = 100;
// How long after a SIGKILL it still waits: the kernel ends a killed process at once, but its exit takes a moment.
const KILLED_SETTLE_MS = 1_000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

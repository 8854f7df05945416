// Passes the wrapper's signals on to the command's process group, and stops the command the way a container
// runtime expects: SIGTERM or SIGINT first, SIGKILL when it has not exited within the grace time or when a second
// stop signal comes.

import type { Child } from './child.js';
import { isStopSignal, onSignals } from './signals.js';

export class Stopper {
  // Whether a stop signal reached the wrapper while the command ran: the job is then `cancelled`.
  stopRequested = false;
  private child: Child | undefined;
  private killTimer: NodeJS.Timeout | undefined;

  // Listens at once: a signal must never find the wrapper without a listener, even before the command starts.
  constructor(private readonly killAfterMs: number) {
    onSignals((signal) => {
      // Before the command started or after it exited there is nobody to tell, and the result stays as it is.
      if (!this.child?.running) return;
      if (!isStopSignal(signal)) {
        this.child.signal(signal);
        return;
      }
      if (this.stopRequested) return this.kill(); // a second SIGTERM/SIGINT means "now"
      this.stopRequested = true;
      this.stop(signal);
    });
  }

  watch(child: Child): void {
    this.child = child;
  }

  // Asks the command to stop, and SIGKILLs its group if it is still there after the grace time.
  stop(signal: NodeJS.Signals): void {
    if (!this.child?.signal(signal)) return;
    this.killTimer ??= setTimeout(() => this.kill(), this.killAfterMs);
  }

  dispose(): void {
    clearTimeout(this.killTimer);
  }

  private kill(): void {
    this.child?.signal('SIGKILL');
  }
}

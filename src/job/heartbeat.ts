// One wake-up a second, shared by what the wrapper samples while the command runs (the memory guard, the look-out
// for a crawler's storage). On a quiet job a wake-up of the process costs more CPU than the little work each sample
// does, so samples that can wait for the same second share one (the bench's idle line shows what a quiet job costs).

const HEARTBEAT_MS = 1_000;

export class Heartbeat {
  private readonly beats = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;

  // Calls `beat` once a second until the function returned is called.
  every(beat: () => void): () => void {
    this.beats.add(beat);
    this.timer ??= setInterval(() => {
      for (const each of this.beats) each();
    }, HEARTBEAT_MS).unref();
    return () => {
      this.beats.delete(beat);
      if (this.beats.size > 0) return;
      clearInterval(this.timer);
      this.timer = undefined;
    };
  }
}

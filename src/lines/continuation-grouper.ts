// Joins continuation lines into one message, per stream, by the platform's rule: a line that starts with a space
// (or a tab, as Java and Go stack frames do) continues the message before it; any other line starts a new one.
// A pending message is sent when the next one starts, when it reaches the size cap, at end of stream, and after a
// short idle time, so a program that prints one line and then works quietly shows that line at once.

// Shippers use 0.5–5 s; shorter keeps the job page live, and tracebacks are written in one burst.
export const IDLE_FLUSH_MS = 200;

// A group stops growing here; the next continuation line starts a message of its own.
export const MAX_GROUP_UNITS = 1_048_576;

import { NO_CONTROLS } from './text-flags.js';

const SPACE = 0x20;
const TAB = 0x09;

export class ContinuationGrouper {
  private text: string | null = null;
  private time = 0;
  private flags = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly emit: (text: string, time: number, flags: number) => void,
    private readonly idleMs = IDLE_FLUSH_MS,
    private readonly maxUnits = MAX_GROUP_UNITS,
  ) {}

  // `time` is when the line was read, `flags` what in it needs escaping. An empty line sends nothing and ends the
  // pending message: by the rule it starts a new message, and an empty message is not worth sending.
  add(line: string, time: number, flags = 0): void {
    const first = line.charCodeAt(0);
    if ((first === SPACE || first === TAB) && this.text !== null && this.text.length + 1 + line.length <= this.maxUnits) {
      this.text += '\n' + line;
      // The joining newline is a control character to escape.
      this.flags &= flags & ~NO_CONTROLS;
      return;
    }
    this.flush();
    if (line.length === 0) return;
    this.text = line;
    this.time = time;
    this.flags = flags;
  }

  // Called once per chunk of input, not per line: re-arming a timer for every line would cost more than grouping.
  armIdleFlush(): void {
    if (this.text === null) return;
    if (this.timer) this.timer.refresh();
    else {
      this.timer = setTimeout(() => this.flush(), this.idleMs);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.text === null) return;
    const text = this.text;
    this.text = null;
    this.emit(text, this.time, this.flags);
  }

  // End of stream: send what is pending and stop the timer.
  close(): void {
    this.flush();
    clearTimeout(this.timer);
  }
}

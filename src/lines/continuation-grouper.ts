// Joins the lines of one message, per stream, by the rules of line-meaning.ts: continuation lines always, and with
// level detection the other lines of a record (a traceback, a pretty-printed dict, a stack).
// A pending message is sent when the next one starts, when it reaches the size cap, at end of stream, and after a
// short idle time, so a program that prints one line and then works quietly shows that line at once.

import { afterIndentedRun, blankTimeLevel, follow, holdsEmptyLine, isIndented, levelAtEnd, levelOnJoining, PLAIN, richLevelColumn, startState, startsGroupTraceback, STARTS_NEW, takesAnyIndented, takesMore, type RecordState } from './line-meaning.js';
import { codeAt } from './code-at.js';
import { NO_CONTROLS } from './text-flags.js';

// Shippers use 0.5–5 s; shorter keeps the job page live, and tracebacks are written in one burst.
export const IDLE_FLUSH_MS = 200;

// A group stops growing here; the next continuation line starts a message of its own.
export const MAX_GROUP_UNITS = 1_048_576;

// How a stream's lines are grouped.
export interface GrouperOptions {
  // The level of a message whose first line names none.
  level: number;
  // The level a line names, or undefined; absent: levels are not detected and only the platform's rule groups.
  detect?: (line: string) => number | undefined;
  idleMs?: number;
  maxUnits?: number;
}

// One stream's pending message and its idle timer.
export class ContinuationGrouper {
  private text: string | null = null;
  private time = 0;
  private flags = 0;
  private level = 0;
  private state: RecordState = PLAIN;
  private timer: NodeJS.Timeout | undefined;
  private readonly idleMs: number;
  private readonly maxUnits: number;

  // The pending message's first line: the text is a rope of its lines, which reading a character of would flatten.
  private firstLine = '';
  // Where JSON printed with indentation starts in the pending message, when it is its second line (`{` or `[` alone
  // after a record's first line: line-meaning.ts, isReprOpening); -1 when it has none.
  private jsonAt = -1;

  // Python's rich logging handler (line-meaning.ts, richLevelColumn): the column of the level where the pending
  // message's first line is one of its records with their time, and the stream's, once a record whose time is left
  // blank has followed one; -1 when none. While either is known, each indented line is read for such a record. Both
  // are learnt here, from the pending message and the line that follows it, which the block fast path hands over as
  // the line path does: so the two paths split the same lines.
  private firstRichColumn = -1;
  private richColumn = -1;

  // `emit` gets each message with its first line, and where JSON printed with indentation starts in it (-1: none).
  constructor(private readonly emit: (text: string, time: number, flags: number, level: number, firstLine: string, jsonAt: number) => void, private readonly options: GrouperOptions) {
    this.idleMs = options.idleMs ?? IDLE_FLUSH_MS;
    this.maxUnits = options.maxUnits ?? MAX_GROUP_UNITS;
  }

  // `time` is when the line was read, `flags` what in it needs escaping. A line that does not join the pending
  // message ends it; an empty one then sends nothing (an empty message is not worth sending).
  add(line: string, time: number, flags = 0): void {
    // A record of rich's whose time is left blank starts a message of its own.
    const column = this.richColumn !== -1 ? this.richColumn : this.text !== null ? this.firstRichColumn : -1;
    if (column !== -1) {
      const level = blankTimeLevel(line, column);
      if (level !== undefined) {
        this.richColumn = column;
        this.flush();
        this.start(line, time, flags, level);
        return;
      }
    }
    // An exception group's traceback (line-meaning.ts) that the pending message does not take.
    if (this.text !== null && startsGroupTraceback(this.state, this.level, line)) {
      this.flush();
      this.start(line, time, flags, undefined);
      return;
    }
    // A continuation's level is never read: it joins, whatever it names. A line that continues nothing (after an empty
    // line) and opens as consola's records do where its output is no terminal (` WARN  slow`: one space, a level's
    // name, two spaces) has its level read after that space.
    const indented = isIndented(line, 0, line.length);
    const joinsAnyway = this.text !== null && indented && takesAnyIndented(this.state);
    const read = this.text === null && indented && isConsolaBadge(line) ? line.slice(1) : line;
    this.addRead(line, time, flags, joinsAnyway ? undefined : this.options.detect?.(read));
  }

  // `add` for a line that is not indented and whose level, `named`, the caller has read already (from the block it
  // is in, where the search ahead for level words spares most lines the scan that the line alone would take).
  addRead(line: string, time: number, flags: number, named: number | undefined): void {
    if (this.text !== null && this.text.length + 1 + line.length <= this.maxUnits) {
      const next = follow(this.state, this.level, line, 0, line.length, named);
      if (next !== STARTS_NEW) {
        if (line.length === 1 && this.text === this.firstLine && (line === '{' || line === '[')) this.jsonAt = this.text.length + 1;
        this.level = levelOnJoining(this.state, this.level, line, 0, line.length);
        this.text += '\n' + line;
        // The joining newline is a control character to escape.
        this.flags &= flags & ~NO_CONTROLS;
        this.state = next;
        return;
      }
    }
    this.flush();
    if (line.length !== 0) this.start(line, time, flags, named);
  }

  private start(line: string, time: number, flags: number, named: number | undefined): void {
    this.firstRichColumn = named !== undefined && codeAt(line, 0) === 0x5b ? richLevelColumn(line) : -1;
    this.text = line;
    this.firstLine = line;
    this.jsonAt = -1;
    this.time = time;
    this.flags = flags;
    this.level = named ?? this.options.level;
    this.state = startState(line, 0, line.length, named, this.options.detect !== undefined);
  }

  // How many units of indented lines, joined by `\n`, the pending message can still take at once (continueWith); -1
  // when it takes none that way.
  continuationRoom(): number {
    // After rich's records, each indented line is read (add).
    if (this.text === null || this.richColumn !== -1 || this.firstRichColumn !== -1 || afterIndentedRun(this.state) === undefined) return -1;
    return this.maxUnits - this.text.length - 1;
  }

  // Lines that each start with a space or a tab, joined by `\n` (none holds a `\r`), no longer than continuationRoom,
  // added as `add` would add them one by one.
  continueWith(lines: string, flags: number): void {
    this.text += '\n' + lines;
    this.flags &= flags & ~NO_CONTROLS;
    this.state = afterIndentedRun(this.state) as RecordState;
  }

  // Whether the pending message would take the line at [start, end) of `text`, which names the level `named`.
  joins(text: string, start: number, end: number, named: number | undefined): boolean {
    return this.text !== null && takesMore(this.state) && follow(this.state, this.level, text, start, end, named) !== STARTS_NEW;
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

  // While the command's output is not being read, its silence means nothing: the timer waits for the next read.
  holdIdleFlush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  flush(): void {
    if (this.text === null) return;
    const text = holdsEmptyLine(this.state) ? withoutHeldLines(this.text) : this.text;
    this.text = null;
    this.emit(text, this.time, this.flags, levelAtEnd(this.state, this.level), this.firstLine, this.jsonAt);
  }

  // End of stream: send what is pending and stop the timer.
  close(): void {
    this.flush();
    clearTimeout(this.timer);
  }
}

// ` WARN  `: one space, a word in capitals, two spaces.
function isConsolaBadge(line: string): boolean {
  let index = 1;
  while (codeAt(line, index) >= 0x41 && codeAt(line, index) <= 0x5a) index++;
  return codeAt(line, 0) === 0x20 && index > 1 && line.startsWith('  ', index);
}

// A message without the empty lines it holds at its end: its lines are not empty before those.
function withoutHeldLines(text: string): string {
  let end = text.length;
  while (end > 0 && codeAt(text, end - 1) === 0x0a) end--;
  return text.slice(0, end);
}

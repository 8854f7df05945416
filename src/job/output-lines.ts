// What one output stream of the command means: each line becomes a log (grouped with its continuation lines), an
// item (a JSON object on stdout), or a message the command wrote in the protocol itself (`LOG {...}` on stdout).

import { ContinuationGrouper } from '../lines/continuation-grouper.js';
import { detectLevel } from '../lines/detect-level.js';
import { NO_CONTROLS, NO_QUOTES, PLAIN, PRINTABLE } from '../lines/text-flags.js';
import { isObjectJson, objectLinesEnd } from '../protocol/object-json.js';
import { commandOf, parseAt, payloadStart } from '../protocol/parse.js';
import { REPAIR, repairNonFinite } from '../protocol/repairs.js';
import { LongLine } from './long-line.js';
import type { JobReport } from './report.js';
import type { StreamLines } from './stream-pump.js';

export interface OutputOptions {
  // The level of a line that names none: 20 for stdout, 40 for stderr.
  level: number;
  // Whether JSON objects and protocol lines are read as messages (stdout), or every line is log text (stderr).
  messages: boolean;
  // Whether bare JSON object lines are items (`--no-items` turns this off).
  items: boolean;
  detectLevels: boolean;
}

export class OutputLines implements StreamLines {
  // When the current chunk was read; set by the reader once per chunk (one clock read, not one per line).
  now = 0;
  private readonly grouper: ContinuationGrouper;
  // An over-long line being received: its level, and whether it looks like a message (and so cannot be sent).
  private longLine: { line: LongLine; level: number; isMessage: boolean } | undefined;

  constructor(private readonly report: JobReport, private readonly options: OutputOptions, idleFlushMs?: number) {
    this.grouper = new ContinuationGrouper((text, time, flags) => report.log(time, this.levelOf(text), text, flags), idleFlushMs);
  }

  line(text: string, flags: number): void {
    if (this.options.messages) {
      const start = payloadStart(text);
      if (start === 0) {
        if (this.options.items && isObjectJson(text)) {
          // Items and logs of one stream keep their order: what was printed before goes first.
          this.grouper.flush();
          this.report.item(this.now, text, flags);
          return;
        }
        if (this.options.items && this.takeRepairedItem(text)) return;
      } else if (start !== -1 && this.takeMessage(text, start, flags)) {
        return;
      }
    }
    this.grouper.add(text, this.now, flags);
  }

  // Complete lines of a chunk at once (never its first or last line). Runs of lines that are each sure to be a
  // single-line message at the stream's level are encoded in one go; every other line takes the ordinary path, in
  // order. With level detection each line needs its own look, so the splitter hands them over one by one.
  block(text: string, flags: number): boolean {
    if (this.options.detectLevels) return false;
    const problems = new ProblemFinder(text, flags);
    let start = 0;
    while (start <= text.length) {
      // Items first: a block of items alone never needs the problem scans (1,000,000 items: 0.64 s → 0.59 s).
      const itemsEnd = this.itemRunEnd(text, start, flags);
      if (itemsEnd !== -1) {
        this.grouper.flush();
        this.report.itemRun(text.slice(start, itemsEnd));
        start = itemsEnd + 1;
        continue;
      }
      // A log run ends before the line that holds the next problem (a continued line holds one), and always before
      // the block's last line: the line after it, outside this text, may continue it.
      const runEnd = text.lastIndexOf('\n', problems.next(start) - 1);
      if (runEnd > start) {
        this.grouper.flush();
        this.report.logRun(this.now, this.options.level, text.slice(start, runEnd), flags);
        start = runEnd + 1;
        continue;
      }
      let lineEnd = text.indexOf('\n', start);
      if (lineEnd === -1) lineEnd = text.length;
      const line = text.slice(start, text.charCodeAt(lineEnd - 1) === 0x0d ? lineEnd - 1 : lineEnd);
      this.line(line, flags);
      start = lineEnd + 1;
    }
    return true;
  }

  // Where a run of item lines starting at `start` ends, or -1. Only in printable text: the run is sent as it is.
  private itemRunEnd(text: string, start: number, flags: number): number {
    if (!this.options.items || (flags & PRINTABLE) !== PRINTABLE || text.charCodeAt(start) !== 0x7b) return -1;
    return objectLinesEnd(text, start);
  }

  // An over-long line: log text arrives in pieces; one that looks like a message is too big to be one.
  piece(text: string, last: boolean): void {
    if (!this.longLine) {
      this.grouper.flush();
      const line = new LongLine(text);
      const isMessage = this.options.messages && line.payload !== -1 && (line.payload !== 0 || this.options.items);
      this.longLine = { line, level: this.levelOf(text), isMessage };
      if (isMessage) line.streamLog(this.report, this.now);
    }
    const { line, level, isMessage } = this.longLine;
    line.add(text);
    if (!isMessage) this.report.log(this.now, level, text);
    if (!last) return;
    this.longLine = undefined;
    // Too long to be one message: a LOG's message went in parts as it came; anything else is said once, at its end.
    if (isMessage) line.reportEnd(this.report, this.now, 'a long LOG line on stdout');
  }

  // After each chunk: start or restart the idle timer of a pending message.
  chunkDone(): void {
    this.grouper.armIdleFlush();
  }

  end(): void {
    this.grouper.close();
  }

  private takeMessage(text: string, start: number, flags: number): boolean {
    const parsed = parseAt(text, start, this.now);
    if (!parsed.ok && parsed.kind === 'syntax') {
      // Only looks like a message: it stays log text. A REQ the command meant still counts for `parent` indexes.
      if (commandOf(text, start) === 'REQ') this.report.requestNotSent();
      return false;
    }
    this.grouper.flush();
    if (parsed.ok) this.report.forward(this.now, parsed.message, flags, parsed.repairs);
    else this.report.reject(this.now, `a protocol line on stdout was not sent: ${parsed.reason}`, text, commandOf(text, start));
    return true;
  }

  // A line that is an object once its NaN and Infinity are written as null (Python's json writes them) is an item.
  private takeRepairedItem(text: string): boolean {
    const repaired = repairNonFinite(text);
    if (repaired === undefined || !isObjectJson(repaired)) return false;
    this.grouper.flush();
    this.report.noteRepairs(this.now, REPAIR.NON_FINITE);
    this.report.item(this.now, repaired);
    return true;
  }

  private levelOf(text: string): number {
    return this.options.detectLevels ? detectLevel(text) ?? this.options.level : this.options.level;
  }
}

// Where, from a position on, the next line that cannot join a run is: one with `{` (an item or protocol line), a
// backslash or a CR (which a run's encoding cannot take), an empty line, or a line followed by a continuation.
// Each kind's next position is kept until passed, so a whole chunk costs one scan per kind, and kinds the chunk's
// flags rule out are not scanned at all (profiled on 1,000,000 log lines: 27 ms of scans → 6–12 ms).
const PROBLEMS: ReadonlyArray<{ text: string; absentWith: number }> = [
  { text: '{', absentWith: 0 },
  { text: '\\', absentWith: NO_QUOTES },
  { text: '\r', absentWith: NO_CONTROLS },
  { text: '\n ', absentWith: 0 },
  { text: '\n\t', absentWith: NO_CONTROLS },
  { text: '\n\n', absentWith: 0 },
];

// The kinds worth scanning for, by chunk flags (three bits), chosen once here rather than for every block.
const KINDS_BY_FLAGS: ReadonlyArray<readonly string[]> = Array.from({ length: 8 }, (_, flags) =>
  PROBLEMS.filter(({ absentWith }) => (flags & absentWith) === 0).map(({ text }) => text));

class ProblemFinder {
  private readonly kinds: readonly string[];
  private readonly positions: number[];

  constructor(private readonly text: string, flags: number) {
    this.kinds = KINDS_BY_FLAGS[flags & PLAIN] as readonly string[];
    this.positions = this.kinds.map(() => -1);
  }

  // The index of a problem at or after `from` (the text's length when there is none), as a position inside the
  // problem line; a line that starts with a space, a tab or nothing at `from` is a problem at `from`.
  next(from: number): number {
    const first = this.text.charCodeAt(from);
    if (from >= this.text.length || first === 0x20 || first === 0x09 || first === 0x0a) return from;
    let nearest = this.text.length;
    for (let kind = 0; kind < this.kinds.length; kind++) {
      let position = this.positions[kind] as number;
      if (position < from) {
        position = this.text.indexOf(this.kinds[kind] as string, from);
        if (position === -1) position = this.text.length;
        this.positions[kind] = position;
      }
      if (position < nearest) nearest = position;
    }
    return nearest;
  }
}

// What one output stream of the command means: each line becomes a log (grouped with its continuation lines), an
// item (a JSON object on stdout), or a message the command wrote in the protocol itself (`LOG {...}` on stdout).

import { ContinuationGrouper } from '../lines/continuation-grouper.js';
import { detectLevel } from '../lines/detect-level.js';
import { QUOTE_CHARS } from '../protocol/limits.js';
import type { Command } from '../protocol/message.js';
import { isObjectJson } from '../protocol/object-json.js';
import { commandOf, parsePayload, payloadStart } from '../protocol/parse.js';
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
  private longLine: { level: number; size: number; start: string; command: Command | undefined } | undefined;

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
      } else if (start !== -1 && this.takeMessage(text, start, flags)) {
        return;
      }
    }
    this.grouper.add(text, this.now, flags);
  }

  // Complete lines of a plain chunk at once. Taken only when each is sure to be its own single-line message at the
  // stream's level: no `{` (so no item or protocol line), no line starting with a space (no continuation), no
  // empty line, and no level detection. Otherwise the splitter hands them over one by one.
  block(text: string): boolean {
    if (this.options.detectLevels || text.charCodeAt(0) === 0x20 || text.charCodeAt(0) === 0x0a
      || text.charCodeAt(text.length - 1) === 0x0a || text.indexOf('{') !== -1 || text.indexOf('\n ') !== -1
      || text.indexOf('\n\n') !== -1) return false;
    this.grouper.flush();
    this.report.logBlock(this.now, this.options.level, text);
    return true;
  }

  // An over-long line: log text arrives in pieces; one that looks like a message is too big to be one.
  piece(text: string, last: boolean): void {
    if (!this.longLine) {
      this.grouper.flush();
      const start = this.options.messages ? payloadStart(text) : -1;
      const isMessage = start !== -1 && (start !== 0 || this.options.items);
      this.longLine = { level: this.levelOf(text), size: 0, start: text.slice(0, QUOTE_CHARS), command: isMessage ? commandOf(text, start) : undefined };
    }
    const longLine = this.longLine;
    longLine.size += Buffer.byteLength(text);
    if (longLine.command === undefined) this.report.log(this.now, longLine.level, text);
    if (!last) return;
    this.longLine = undefined;
    // Too long to be one message, so too long to be sent as the message it looks like; said once, at its end.
    if (longLine.command !== undefined) {
      const prefix = longLine.command === 'ITM' && !longLine.start.startsWith('ITM') ? 'ITM '.length : 0;
      this.report.tooLarge(this.now, longLine.command, longLine.size + prefix + 1, longLine.start);
    }
  }

  // After each chunk: start or restart the idle timer of a pending message.
  chunkDone(): void {
    this.grouper.armIdleFlush();
  }

  end(): void {
    this.grouper.close();
  }

  private takeMessage(text: string, start: number, flags: number): boolean {
    const parsed = parsePayload(commandOf(text, start), start === 0 ? text : text.slice(start), this.now);
    if (!parsed.ok && parsed.kind === 'syntax') return false; // only looks like a message: it stays log text
    this.grouper.flush();
    if (parsed.ok) this.report.forward(this.now, parsed.message, flags);
    else this.report.reject(this.now, `a protocol line on stdout was not sent: ${parsed.reason}`, text);
    return true;
  }

  private levelOf(text: string): number {
    return this.options.detectLevels ? detectLevel(text) ?? this.options.level : this.options.level;
  }
}

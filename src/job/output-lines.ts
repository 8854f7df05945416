// What one output stream of the command means: each line becomes a log (grouped with its continuation lines), an
// item (a JSON object on stdout), or a message the command wrote in the protocol itself (`LOG {...}` on stdout).

import { ContinuationGrouper } from '../lines/continuation-grouper.js';
import { detectLevel } from '../lines/detect-level.js';
import { QUOTE_CHARS } from '../protocol/limits.js';
import type { Command } from '../protocol/message.js';
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
    this.grouper = new ContinuationGrouper((text, time) => report.log(time, this.levelOf(text), text), idleFlushMs);
  }

  line(text: string): void {
    if (this.options.messages) {
      const start = payloadStart(text);
      if (start !== -1 && (start !== 0 || this.options.items) && this.takeMessage(text, start)) return;
    }
    this.grouper.add(text, this.now);
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

  private takeMessage(text: string, start: number): boolean {
    const parsed = parsePayload(commandOf(text, start), start === 0 ? text : text.slice(start), this.now);
    if (!parsed.ok && parsed.kind === 'syntax') return false; // only looks like a message: it stays log text
    // Items and logs of one stream keep their order: what was printed before goes first.
    this.grouper.flush();
    if (parsed.ok) this.report.forward(this.now, parsed.message);
    else this.report.reject(this.now, `a protocol line on stdout was not sent: ${parsed.reason}`, text);
    return true;
  }

  private levelOf(text: string): number {
    return this.options.detectLevels ? detectLevel(text) ?? this.options.level : this.options.level;
  }
}

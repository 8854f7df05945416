// A line too long to be one message, seen piece by piece: what both output handlers need to report it once, at its
// end, the same way.

import { QUOTE_CHARS } from '../protocol/limits.js';
import type { Command } from '../protocol/message.js';
import { commandOf, payloadStart } from '../protocol/parse.js';
import { LongLog } from './long-log.js';
import type { JobReport } from './report.js';

export class LongLine {
  // Bytes seen so far.
  size = 0;
  // Its first characters, to quote.
  readonly start: string;
  // Where its payload starts if it is protocol-shaped (see payloadStart), else -1.
  readonly payload: number;
  // For a LOG line, its message as it arrives (long-log.ts).
  private log: LongLog | undefined;

  constructor(firstPiece: string) {
    this.start = firstPiece.slice(0, QUOTE_CHARS);
    this.payload = payloadStart(this.start);
  }

  add(piece: string): void {
    const first = this.size === 0;
    this.size += Buffer.byteLength(piece);
    this.log?.add(first ? piece.slice(this.payload) : piece);
  }

  // Sends the message of a LOG line as it arrives instead of holding it; call before the first add().
  streamLog(report: JobReport, now: number): void {
    if (this.payload !== -1 && this.command === 'LOG') this.log = new LongLog(now, (time, level, text) => report.log(time, level, text));
  }

  // At its end: says what of a line that looked like a message could not be sent.
  reportEnd(report: JobReport, now: number, where: string): void {
    const log = this.log?.finish();
    if (log === undefined || !log.sent) return report.tooLarge(now, this.command, this.messageSize, this.start);
    if (log.problem !== undefined) report.reject(now, `${where}: its message was sent in parts, but ${log.problem}`, this.start);
  }

  // Whether a LOG line's payload proved not to be an object before any of its message was sent: then nothing of it
  // went out, and from here on it is read no further as a LOG.
  get logAbandoned(): boolean {
    return this.log?.abandoned === true;
  }

  // The command it looks like; only for a protocol-shaped line.
  get command(): Command {
    return commandOf(this.start, this.payload);
  }

  // The size of the message it would have been, newline included: a bare JSON object goes out behind `ITM `.
  get messageSize(): number {
    return (this.payload === 0 ? 'ITM '.length : 0) + this.size + 1;
  }
}

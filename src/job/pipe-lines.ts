// Lines the command wrote to its own pipe: each must be a protocol message. Valid ones are re-encoded (raw UTF-8
// from careless writers becomes ASCII escapes) and forwarded; invalid ones are not, and an ERROR log says why.

import type { Command } from '../protocol/message.js';
import { commandOf, NOT_A_MESSAGE, parseAt, payloadStart } from '../protocol/parse.js';
import { REPAIR, runTogetherStarts } from '../protocol/repairs.js';
import { LongLine } from './long-line.js';
import type { JobReport } from './report.js';
import type { StreamLines } from './stream-pump.js';

// The most places where a message could start that a line run together is split at: far more than writers that
// close the pipe one after another leave in one line. (Exported for its test.)
export const MAX_RUN_TOGETHER = 64;

export class PipeLines implements StreamLines {
  now = 0;
  // A line longer than any message could be; it is reported once, at its end.
  private longLine: LongLine | undefined;

  constructor(private readonly report: JobReport) {}

  line(text: string, flags: number): void {
    if (text.length === 0) return; // a stray newline carries nothing to lose
    const start = payloadStart(text);
    if (start === -1) return this.reject(NOT_A_MESSAGE, text);
    const parsed = parseAt(text, start, this.now);
    if (parsed.ok) this.report.forward(this.now, parsed.message, flags, parsed.repairs);
    else if (!this.takeRunTogether(text, flags)) this.reject(parsed.reason, text, commandOf(text, start));
  }

  // A line that is several messages with no newline between them (a writer that closed the pipe without ending its
  // line, then the next writer's): each is sent, if the line is messages from end to end; else it is refused whole.
  // A message ends at the first place where the next could start (`}` then a command and ` {`) that makes what lies
  // before it a message: such text inside a string makes no message of what precedes it.
  private takeRunTogether(text: string, flags: number): boolean {
    const ends = runTogetherStarts(text);
    // Each place is a parse of the text before it: a line of many such places (protocol lines quoted in a string)
    // would cost time in its length times their number, for a line that is refused anyway.
    if (ends.length === 0 || ends.length > MAX_RUN_TOGETHER) return false;
    const messages = [];
    let start = 0;
    for (const end of [...ends, text.length]) {
      const parsed = this.parse(text.slice(start, end));
      if (parsed === undefined) continue;
      messages.push(parsed);
      start = end;
    }
    if (start !== text.length) return false;
    this.report.noteRepairs(this.now, REPAIR.RUN_TOGETHER);
    for (const { message, repairs } of messages) this.report.forward(this.now, message, flags, repairs);
    return true;
  }

  private parse(piece: string): Extract<ReturnType<typeof parseAt>, { ok: true }> | undefined {
    const start = payloadStart(piece);
    if (start === -1) return undefined;
    const parsed = parseAt(piece, start, this.now);
    return parsed.ok ? parsed : undefined;
  }

  piece(text: string, last: boolean): void {
    if (!this.longLine) {
      this.longLine = new LongLine(text);
      this.longLine.streamLog(this.report, this.now);
    }
    this.longLine.add(text);
    if (!last) return;
    const line = this.longLine;
    this.longLine = undefined;
    if (line.payload === -1) this.reject(NOT_A_MESSAGE, line.start);
    else line.reportEnd(this.report, this.now, 'a long LOG line on the job\'s pipe');
  }

  chunkDone(): void {}

  end(): void {}

  private reject(reason: string, text: string, command?: Command): void {
    this.report.reject(this.now, `a line on the job's pipe was not sent: ${reason}`, text, command);
  }
}

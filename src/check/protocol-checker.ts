// Checks a stream of lines as the platform would receive it, and names every violation: framing, JSON, non-ASCII,
// size, schema, stats over 64 KiB, and anything after the FIN.

import type { LineHandler } from '../lines/line-splitter.js';
import { storedSize } from '../job/stats-limit.js';
import { MAX_MESSAGE_BYTES, MAX_STATS_BYTES } from '../protocol/limits.js';
import type { Message } from '../protocol/message.js';
import { NOT_A_MESSAGE, parseLine } from '../protocol/parse.js';

export interface CheckEvents {
  message(message: Message, lineNumber: number): void;
  violation(text: string): void;
}

export class ProtocolChecker implements LineHandler {
  lineNumber = 0;
  violations = 0;
  finSeen = false;
  private longLineSize = 0;

  constructor(private readonly events: CheckEvents) {}

  line(text: string): void {
    this.lineNumber++;
    const problem = this.check(text);
    if (problem !== undefined) this.violate(problem);
  }

  piece(text: string, last: boolean): void {
    this.longLineSize += Buffer.byteLength(text);
    if (!last) return;
    this.lineNumber++;
    this.violate(`${this.longLineSize + 1} bytes, over the ${MAX_MESSAGE_BYTES}-byte limit for one message`);
    this.longLineSize = 0;
  }

  // The stream ended without a newline after its last line.
  unterminated(): void {
    this.violations++;
    this.events.violation(`line ${this.lineNumber}: the stream ended without a newline after it`);
  }

  private check(text: string): string | undefined {
    const size = Buffer.byteLength(text) + 1;
    if (size > MAX_MESSAGE_BYTES) return `${size} bytes, over the ${MAX_MESSAGE_BYTES}-byte limit for one message`;
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code > 0x7f) {
        return `non-ASCII character ${code === 0xfffd ? '(invalid UTF-8)' : JSON.stringify(String.fromCodePoint(text.codePointAt(index) as number))} ` +
          `at column ${index + 1}: every character outside ASCII must be escaped as \\uXXXX`;
      }
    }
    const parsed = parseLine(text, Date.now());
    if (parsed === undefined) return NOT_A_MESSAGE;
    if (!parsed.ok) return parsed.reason;
    const { command } = parsed.message;
    if (this.finSeen) return `${command} after the FIN: the FIN must be the last message`;
    if (command === 'FIN') this.finSeen = true;
    if (parsed.message.command === 'STA') {
      const statsSize = storedSize(JSON.stringify(parsed.message.value.stats));
      if (statsSize > MAX_STATS_BYTES) return `stats encode to ${statsSize} bytes; storage refuses more than ${MAX_STATS_BYTES}`;
    }
    this.events.message(parsed.message, this.lineNumber);
    return undefined;
  }

  private violate(problem: string): void {
    this.violations++;
    this.events.violation(`line ${this.lineNumber}: ${problem}`);
  }
}

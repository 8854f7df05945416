// A line too long to be one message, seen piece by piece: what both output handlers need to report it once, at its
// end, the same way.

import { QUOTE_CHARS } from '../protocol/limits.js';
import type { Command } from '../protocol/message.js';
import { commandOf, payloadStart } from '../protocol/parse.js';

export class LongLine {
  // Bytes seen so far.
  size = 0;
  // Its first characters, to quote.
  readonly start: string;
  // Where its payload starts if it is protocol-shaped (see payloadStart), else -1.
  readonly payload: number;

  constructor(firstPiece: string) {
    this.start = firstPiece.slice(0, QUOTE_CHARS);
    this.payload = payloadStart(this.start);
  }

  add(piece: string): void {
    this.size += Buffer.byteLength(piece);
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

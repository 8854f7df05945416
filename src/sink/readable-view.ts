// Protocol messages as a person wants to read them in a terminal: time, level name, message; items, requests,
// stats and the outcome on one line each. Used by `check`, and by the wrapper when its stdout is a terminal.
//
// Every row shows one clock, the time it is shown (when the message arrived): items carry no time of their own, and
// mixing the time a log says with the arrival time of an item would make rows look out of order.

import { Writable } from 'node:stream';
import { levelName } from '../protocol/limits.js';
import type { Message } from '../protocol/message.js';
import { parseLine } from '../protocol/parse.js';

const PREVIEW_CHARS = 200;

function clock(): string {
  return new Date().toISOString().slice(11, 23);
}

function preview(json: string): string {
  return json.length > PREVIEW_CHARS ? json.slice(0, PREVIEW_CHARS) + '…' : json;
}

export function formatMessage(message: Message): string {
  switch (message.command) {
    case 'LOG': {
      const { level, message: text } = message.value;
      // Continuation lines stay under the message, not under the time.
      return `${clock()} ${levelName(level).padEnd(8)} ${text.replaceAll('\n', '\n' + ' '.repeat(22))}`;
    }
    case 'ITM':
      return `${clock()} ITEM     ${preview(JSON.stringify(message.value))}`;
    case 'REQ':
      return `${clock()} REQUEST  ${String(message.value.status)} ${String(message.value.method)} ${String(message.value.url)}`;
    case 'STA':
      return `${clock()} STATS    ${preview(JSON.stringify(message.value.stats))}`;
    case 'FIN':
      return `${clock()} FIN      ${message.value.outcome}`;
  }
}

// A Writable that takes protocol text and writes its readable form to `out`.
export class ReadableView extends Writable {
  private partial = '';

  constructor(private readonly out: NodeJS.WritableStream) {
    super({ decodeStrings: false });
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const lines = (this.partial + chunk.toString()).split('\n');
    this.partial = lines.pop() as string;
    let text = '';
    for (const line of lines) {
      const parsed = parseLine(line, Date.now());
      text += (parsed?.ok ? formatMessage(parsed.message) : line) + '\n';
    }
    if (text === '') return done();
    if (this.out.write(text)) done();
    else this.out.once('drain', () => done());
  }
}

// Protocol messages as a person wants to read them in a terminal: time, level name, message; items, requests,
// stats and the outcome on one line each. Used by `check`, and by the wrapper when its stdout is a terminal.

import { Writable } from 'node:stream';
import { levelName } from '../protocol/limits.js';
import type { Message } from '../protocol/message.js';
import { parseLine } from '../protocol/parse.js';

const PREVIEW_CHARS = 200;

function clock(time: unknown): string {
  const date = typeof time === 'number' ? new Date(time) : new Date();
  return date.toISOString().slice(11, 23);
}

function preview(json: string): string {
  return json.length > PREVIEW_CHARS ? json.slice(0, PREVIEW_CHARS) + '…' : json;
}

export function formatMessage(message: Message): string {
  switch (message.command) {
    case 'LOG': {
      const { time, level, message: text } = message.value;
      // Continuation lines stay under the message, not under the time.
      return `${clock(time)} ${levelName(level).padEnd(8)} ${text.replaceAll('\n', '\n' + ' '.repeat(22))}`;
    }
    case 'ITM':
      return `${clock(undefined)} ITEM     ${preview(JSON.stringify(message.value))}`;
    case 'REQ':
      return `${clock(message.value.time)} REQUEST  ${String(message.value.status)} ${String(message.value.method)} ${String(message.value.url)}`;
    case 'STA':
      return `${clock(message.value.time)} STATS    ${preview(JSON.stringify(message.value.stats))}`;
    case 'FIN':
      return `${clock(undefined)} FIN      ${message.value.outcome}`;
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

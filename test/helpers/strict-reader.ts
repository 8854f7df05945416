// A reader that plays the platform's side of the pipe and accepts nothing the protocol forbids.
//
// Written independently of the code under test: split2 cuts lines, and every check here is spelled out again from
// the protocol page, so a bug in the project's encoder cannot hide behind the same bug in the checker.

import { closeSync, constants, createReadStream, openSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import split2 from 'split2';

export const MAX_MESSAGE_BYTES = 1_048_576;

export type Received =
  | { command: 'ITM'; payload: Record<string, unknown> }
  | { command: 'LOG'; payload: { time: number; level: number; message: string } }
  | { command: 'REQ'; payload: Record<string, unknown> & { url: string; status: number } }
  | { command: 'STA'; payload: { time: number; stats: Record<string, unknown> } }
  | { command: 'FIN'; payload: { outcome: string } };

export interface Job {
  messages: Received[];
  lines: string[];
  logs: Array<{ level: number; message: string; time: number }>;
  items: Array<Record<string, unknown>>;
  requests: Array<Record<string, unknown>>;
  stats: Array<Record<string, unknown>>;
  outcome: string;
}

const isInt = (value: unknown): boolean => Number.isInteger(value);

// Throws on the first line that breaks the protocol, naming it.
export function checkLine(line: string): Received {
  const where = `line ${JSON.stringify(line.slice(0, 120))}`;
  if (line.length + 1 > MAX_MESSAGE_BYTES) throw new Error(`${where}: ${line.length + 1} bytes, over 1 MiB`);
  for (let index = 0; index < line.length; index++) {
    const code = line.charCodeAt(index);
    if (code < 0x20 || code > 0x7e) throw new Error(`${where}: character 0x${code.toString(16)} at ${index} is not printable ASCII`);
  }
  const match = /^(ITM|LOG|REQ|STA|FIN) (\{.*\})$/.exec(line);
  if (!match) throw new Error(`${where}: not "CMD {json}"`);
  const command = match[1] as Received['command'];
  const payload = JSON.parse(match[2] as string) as Record<string, unknown>;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new Error(`${where}: payload not an object`);
  const bad = (field: string): never => {
    throw new Error(`${where}: bad ${command}.${field}`);
  };
  if (command === 'LOG') {
    if (!isInt(payload.time)) bad('time');
    if (![10, 20, 30, 40, 50].includes(payload.level as number)) bad('level');
    if (typeof payload.message !== 'string') bad('message');
  }
  if (command === 'STA') {
    if (!isInt(payload.time)) bad('time');
    if (typeof payload.stats !== 'object' || payload.stats === null) bad('stats');
    const encoded = JSON.stringify(payload.stats);
    if (encoded.length + (encoded.match(/\//g)?.length ?? 0) > 65_536) bad('stats (over 64 KiB encoded)');
  }
  if (command === 'REQ') {
    for (const field of ['status', 'rs', 'duration', 'time']) if (!isInt(payload[field])) bad(field);
    if (typeof payload.url !== 'string' || typeof payload.method !== 'string') bad('url/method');
  }
  if (command === 'FIN' && (typeof payload.outcome !== 'string' || payload.outcome.length > 255 || payload.outcome === '')) bad('outcome');
  return { command, payload } as Received;
}

// Checks a whole job: every line valid, exactly one FIN, and it comes last.
export function checkJob(lines: string[]): Job {
  const messages = lines.map(checkLine);
  const fins = messages.filter((message) => message.command === 'FIN');
  if (fins.length !== 1) throw new Error(`expected exactly one FIN, got ${fins.length}`);
  if (messages.at(-1)?.command !== 'FIN') throw new Error('FIN is not the last message');
  // A REQ's parent is the position of an earlier REQ.
  let requestCount = 0;
  for (const message of messages) {
    if (message.command !== 'REQ') continue;
    const parent = message.payload.parent;
    if (parent !== undefined && parent !== null && !(isInt(parent) && (parent as number) >= 0 && (parent as number) < requestCount)) {
      throw new Error(`REQ ${requestCount}: parent ${JSON.stringify(parent)} names no earlier request`);
    }
    requestCount++;
  }
  const of = (command: Received['command']): unknown[] =>
    messages.filter((message) => message.command === command).map((message) => message.payload);
  return {
    messages,
    lines,
    logs: of('LOG') as Job['logs'],
    items: of('ITM') as Job['items'],
    requests: of('REQ') as Job['requests'],
    stats: (of('STA') as Array<{ stats: Record<string, unknown> }>).map((payload) => payload.stats),
    outcome: (fins[0] as Extract<Received, { command: 'FIN' }>).payload.outcome,
  };
}

// Reads the FIFO as the platform does, line by line, while the test acts on the job: `waitFor` resolves when a line
// matching the test arrives; `done` when the writer closes the pipe. The last line must end with a newline.
//
// By default it opens the pipe as a late reader would (a blocking open, answered when the writer comes). With
// `openNow`, it opens at once without blocking and holds a write end itself, so the writer never waits for a reader
// and the stream ends only after `writerExited()`.
export class FifoWatch {
  readonly lines: string[] = [];
  readonly done: Promise<string[]>;
  private readonly waiters: Array<{ test: (line: string) => boolean; resolve: (line: string) => void }> = [];
  private heldWriteFd: number | undefined;

  constructor(path: string, options: { openNow?: boolean } = {}) {
    let raw: Readable;
    if (options.openNow) {
      const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      this.heldWriteFd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
      raw = new Socket({ fd: readFd, readable: true, writable: false });
    } else {
      raw = createReadStream(path);
    }
    this.done = new Promise((resolve, reject) => {
      let lastByte = 0x0a;
      let ended = false;
      raw.on('data', (chunk) => {
        const buffer = chunk as Buffer;
        if (buffer.length > 0) lastByte = buffer[buffer.length - 1] as number;
      });
      raw.on('error', (error) => {
        if (!ended) reject(error);
      });
      raw.pipe(split2('\n', { maxLength: 2 * MAX_MESSAGE_BYTES }))
        .on('data', (line: string) => this.add(line))
        .on('end', () => {
          ended = true;
          if (lastByte !== 0x0a) reject(new Error('the stream ended in the middle of a line'));
          else resolve(this.lines);
        })
        .on('error', reject);
    });
    this.done.catch(() => {});
  }

  // With `openNow`: the writer has exited, so the stream may end once it has delivered everything.
  writerExited(): void {
    if (this.heldWriteFd === undefined) return;
    closeSync(this.heldWriteFd);
    this.heldWriteFd = undefined;
  }

  waitFor(test: (line: string) => boolean): Promise<string> {
    const seen = this.lines.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  private add(line: string): void {
    this.lines.push(line);
    for (let index = this.waiters.length - 1; index >= 0; index--) {
      const waiter = this.waiters[index] as (typeof this.waiters)[number];
      if (waiter.test(line)) {
        this.waiters.splice(index, 1);
        waiter.resolve(line);
      }
    }
  }
}

// Reads the FIFO until its writer closes it, and returns the raw lines.
export function readFifo(path: string): Promise<string[]> {
  return new FifoWatch(path).done;
}

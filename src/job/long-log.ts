// A `LOG {...}` line too long to be one message, and too long to hold, read piece by piece as it arrives: the text
// of its message is sent as it comes, in LOG messages whose texts join to it, as a long line of output is. Its level
// and time are those given before the message, as writers put them (the reference writer: time, level, message);
// a level or time given only after it comes too late, and INFO and the time the line was read stand.

import { messageTime, standardLevel } from '../protocol/parse.js';

// How much decoded text is sent at once: the size of the pieces the line arrives in.
const SEND_UNITS = 32 * 1024;

// Whatever else the object holds is skipped; only this much of a value is kept, for `level` and `time`.
const VALUE_UNITS = 1024;

type State = 'start' | 'key' | 'keyString' | 'colon' | 'value' | 'other' | 'message' | 'next' | 'end' | 'broken';

// Where the message's text goes: the log path, at the level and time read so far.
export type SendText = (time: number, level: number, text: string) => void;

export class LongLog {
  private state: State = 'start';
  // The current key, and the current value's text while it is short (kept for `level` and `time`).
  private key = '';
  private value = '';
  // Skipping a value: its nesting depth, whether inside one of its strings, and after a backslash there.
  private depth = 0;
  private inString = false;
  private escaped = false;
  // Within the message: decoded text not yet sent, and an escape cut at the end of a piece.
  private text = '';
  private pendingEscape = '';
  private level: unknown;
  private time: unknown;
  private messageSeen = false;
  // Why the line is not a LOG, if it is not.
  problem: string | undefined;

  constructor(private readonly now: number, private readonly send: SendText) {}

  // Each piece of the payload, in order.
  add(piece: string): void {
    if (this.pendingEscape !== '') {
      // An escape cut at the end of the last piece: read it whole with this one.
      piece = this.pendingEscape + piece;
      this.pendingEscape = '';
    }
    let index = 0;
    while (index < piece.length && this.state !== 'broken') {
      if (this.state === 'message') index = this.readMessage(piece, index);
      else if (this.state === 'other' || this.state === 'keyString') index = this.readValue(piece, index);
      else {
        const code = piece.charCodeAt(index);
        if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) index++;
        else index = this.step(code, index);
      }
    }
  }

  // Whether the payload is broken and none of a message was seen: nothing was sent.
  get abandoned(): boolean {
    return this.state === 'broken' && !this.messageSeen;
  }

  // After the last piece: whether any of the message was sent, and why the line was not a whole LOG, if it was not.
  finish(): { sent: boolean; problem: string | undefined } {
    if (this.state === 'end' && !this.messageSeen) this.problem ??= 'LOG field "message" must be a string, got nothing';
    else if (this.state !== 'end') this.problem ??= 'the payload ends before its object does';
    return { sent: this.messageSeen, problem: this.problem };
  }

  // One structural unit outside any value; returns where reading goes on.
  private step(code: number, index: number): number {
    switch (this.state) {
      case 'start':
        if (code !== 0x7b) return this.fail('the payload does not start with {');
        this.state = 'key';
        return index + 1;
      case 'key':
        if (code === 0x7d) {
          this.state = 'end';
          return index + 1;
        }
        if (code !== 0x22) return this.fail('expected a key in quotes');
        this.startValue('keyString');
        return index;
      case 'colon':
        if (code !== 0x3a) return this.fail('expected : after a key');
        this.state = 'value';
        return index + 1;
      case 'value':
        if (this.key === 'message' && code === 0x22 && !this.messageSeen) {
          this.messageSeen = true;
          this.state = 'message';
          return index + 1;
        }
        this.startValue('other');
        return index;
      case 'next':
        if (code === 0x2c) this.state = 'key';
        else if (code === 0x7d) this.state = 'end';
        else return this.fail('expected , or } after a value');
        return index + 1;
      default:
        return this.fail('text after the object');
    }
  }

  private startValue(state: 'keyString' | 'other'): void {
    this.state = state;
    this.value = '';
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }

  // Reads a key, or a value other than the message, from `index` until it ends; keeps its start.
  private readValue(piece: string, index: number): number {
    const start = index;
    let ended = false;
    while (index < piece.length && !ended) {
      const code = piece.charCodeAt(index);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (code === 0x5c) this.escaped = true;
        else if (code === 0x22) {
          this.inString = false;
          ended = this.depth === 0;
        }
      } else if (code === 0x22) {
        this.inString = true;
      } else if (code === 0x7b || code === 0x5b) {
        this.depth++;
      } else if (code === 0x7d || code === 0x5d || code === 0x2c || code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) {
        if (this.depth === 0) break; // a scalar ended before this unit
        if (code === 0x7d || code === 0x5d) ended = --this.depth === 0;
      }
      index++;
    }
    if (this.value.length < VALUE_UNITS) this.value += piece.slice(start, Math.min(index, start + VALUE_UNITS));
    if (ended || index < piece.length) this.valueEnded();
    return index;
  }

  private valueEnded(): void {
    let value: unknown;
    try {
      value = this.value.length < VALUE_UNITS ? JSON.parse(this.value) : undefined;
    } catch {
      this.fail(`${this.value.slice(0, 40)} is not JSON`);
      return;
    }
    if (this.state === 'keyString') {
      this.key = typeof value === 'string' ? value : '';
      this.state = 'colon';
      return;
    }
    if (this.key === 'level') this.level = value;
    else if (this.key === 'time') this.time = value;
    this.state = 'next';
  }

  // Decodes the message string from `index` up to its closing quote or the piece's end, sending what it decoded.
  private readMessage(piece: string, index: number): number {
    let text = '';
    let position = index;
    while (position < piece.length) {
      const code = piece.charCodeAt(position);
      if (code === 0x22) {
        text += piece.slice(index, position);
        this.takeText(text, true);
        this.state = 'next';
        return position + 1;
      }
      if (code !== 0x5c) {
        position++;
        continue;
      }
      text += piece.slice(index, position);
      const escape = piece.slice(position, position + (piece.charCodeAt(position + 1) === 0x75 ? 6 : 2));
      if (escape.length < 2 || (escape.charCodeAt(1) === 0x75 && escape.length < 6)) {
        this.pendingEscape = escape;
        this.takeText(text, false);
        return piece.length;
      }
      try {
        text += JSON.parse('"' + escape + '"') as string;
      } catch {
        return this.fail(`its message has the invalid escape ${escape}`);
      }
      position += escape.length;
      index = position;
    }
    text += piece.slice(index);
    this.takeText(text, false);
    return piece.length;
  }

  // Sends decoded text in parts of about SEND_UNITS, never between the halves of a surrogate pair.
  private takeText(text: string, last: boolean): void {
    this.text += text;
    if (!last && this.text.length < SEND_UNITS) return;
    let keep = '';
    if (!last && (this.text.charCodeAt(this.text.length - 1) & 0xfc00) === 0xd800) {
      keep = this.text.slice(-1);
      this.text = this.text.slice(0, -1);
    }
    if (this.text.length > 0 || last) {
      this.send(messageTime(this.time, this.now), this.level === undefined ? 20 : standardLevel(this.level), this.text);
    }
    this.text = keep;
  }

  private fail(problem: string): number {
    this.problem ??= problem;
    this.state = 'broken';
    return Number.MAX_SAFE_INTEGER;
  }
}


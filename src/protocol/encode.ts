// Turns log texts, item texts and messages into protocol lines: ASCII-only, one line each, within 1 MiB.

import { ESCAPE, framedLines } from '../lines/byte-scan.js';
import { ASCII, PLAIN, PRINTABLE } from '../lines/text-flags.js';
import { asciiJson, asciiJsonLines, asciiJsonString, escapedUnitLength, escapeTextInto } from './ascii.js';
import { MAX_MESSAGE_BYTES } from './limits.js';
import type { Command } from './message.js';

// `CMD json\n` for JSON text that is already valid; `flags` (text-flags.ts) may say it needs no escaping. Its
// length is its size in bytes: check it against the limit.
export function encodeLine(command: Command, json: string, flags = 0): string {
  return command + ' ' + ((flags & PRINTABLE) === PRINTABLE ? json : asciiJson(json)) + '\n';
}

// Lines read together share their time and mostly their level, so the prefix is made once for them.
let prefixTime = -1;
let prefixLevel: number | string = -1;
let prefix = '';
// The prefix and the quote that opens the message.
let opening = '';

function logPrefix(time: number, level: number | string): string {
  if (time !== prefixTime || level !== prefixLevel) {
    prefixTime = time;
    prefixLevel = level;
    prefix = 'LOG {"time":' + time + ',"level":' + level + ',"message":';
    opening = prefix + '"';
  }
  return prefix;
}

// The start of a LOG line up to its message's opening quote.
export function logOpening(time: number, level: number): string {
  logPrefix(time, level);
  return opening;
}

// The LOG lines of encodeLogRun for the lines of `text` from `start` (a line start) to `end` (where the last ends),
// with `flags` (text-flags.ts), written as bytes (byte-scan.ts, framedLines) and handed to `take` in pieces it must
// copy: how many, and where the module stopped (`end` + 1 when it wrote them all; encodeLogRun writes the rest);
// undefined when they cannot be written so.
export function frameLogRun(time: number, level: number, text: string, start: number, end: number, flags: number,
  take: (bytes: Buffer) => void): { count: number; to: number } | undefined {
  return framedLines(text, start, end, logOpening(time, level), '"}\n', take, (flags & PLAIN) === PLAIN ? undefined : ESCAPE.STRING,
    (flags & ASCII) !== 0);
}

// The same for the ITM lines of encodeItemRun (validated items).
export function frameItemRun(text: string, start: number, end: number, flags: number, take: (bytes: Buffer) => void): { count: number; to: number } | undefined {
  return framedLines(text, start, end, 'ITM ', '\n', take, (flags & PRINTABLE) === PRINTABLE ? undefined : ESCAPE.JSON_TEXT, (flags & ASCII) !== 0);
}

// LOG lines for several texts joined by `\n`, none containing a backslash or CR, none longer than a chunk, where
// frameLogRun cannot write them (no WebAssembly, or lines too long for its room once escaped): one
// native replaceAll over the run makes all their messages, with no per-line JavaScript (building the lines one by
// one and flattening that rope was the largest part of the log path). V8 returns a rope here too, flattened natively
// when written: cheaper in all than split + join, whose result is flat (the bench's log lines). A run that
// needs escaping goes through JSON.stringify once: with no backslash in the text, the only `\n` in its output is
// where a line ended.
export function encodeLogRun(time: number, level: number, run: string, flags: number): { lines: string; count: number } {
  const open = logPrefix(time, level) + '"';
  const close = '"}\n';
  let body: string;
  let newline: string;
  if ((flags & PLAIN) === PLAIN) {
    body = run;
    newline = '\n';
  } else {
    const json = asciiJsonString(run, (flags & ASCII) === ASCII);
    body = json.slice(1, -1);
    newline = '\\n';
  }
  const lines = open + body.replaceAll(newline, close + open) + close;
  // Each newline grew into close + open: the count follows from the lengths.
  const count = (lines.length - body.length - open.length - close.length) / (close.length + open.length - newline.length) + 1;
  return { lines, count };
}

// LOG lines for several lines joined by `\n` that `line` (a global pattern) matches whole, in one native replace:
// `template` writes each message (its JSON text without the quotes) from the pattern's groups, and the group
// `levelGroup` holds one of the texts of `levels`, which says the line's level (the records of one shape,
// record-shapes.ts). Returns the lines, and how many of them are at each of those levels.
export function encodeLogsByPattern(time: number, run: string, line: RegExp, template: string, levelGroup: number,
  levels: ReadonlyArray<readonly [text: string, level: number]>): { lines: string; counts: number[] } {
  // Each line's level is first written as its text between two U+0001, which nothing else in these lines holds (the
  // caller's groups take printable text only, record-shapes.ts, and JSON text escapes controls), then replaced by its
  // number: the lines at a level are counted from how much the replacement shortened the text, with no pass of their
  // own (a marker, at least three characters, is always longer than a level's two digits).
  let lines = run.replace(line, logPrefix(time, '\u0001$' + String(levelGroup).padStart(2, '0') + '\u0001') + '"' + template + '"}') + '\n';
  const counts = levels.map(([text, level]) => {
    const marked = '\u0001' + text + '\u0001';
    const replaced = lines.replaceAll(marked, String(level));
    const count = (lines.length - replaced.length) / (marked.length - String(level).length);
    lines = replaced;
    return count;
  });
  return { lines, counts };
}

// ITM lines for several validated item texts joined by `\n`, with `flags` (text-flags.ts): made ASCII as asciiJson
// makes each, unless printable, and framed in one native replaceAll.
export function encodeItemRun(run: string, flags: number): { lines: string; count: number } {
  const items = (flags & PRINTABLE) === PRINTABLE ? run : asciiJsonLines(run);
  const lines = 'ITM ' + items.replaceAll('\n', '\nITM ') + '\n';
  return { lines, count: (lines.length - items.length - 5) / 4 + 1 };
}

// One or more LOG lines carrying `text`. A text too long for one message is cut into consecutive messages whose
// texts, joined, equal the original: nothing is lost. A plain text (nothing to escape) goes between quotes as it is;
// an ASCII one needs JSON.stringify only.
// Returns the lines and how many messages they are.
export function encodeLog(time: number, level: number, text: string, flags = 0): { lines: string; count: number } {
  const prefix = logPrefix(time, level);
  const body = (flags & PLAIN) === PLAIN ? '"' + text + '"'
    : asciiJsonString(text, (flags & ASCII) === ASCII);
  const line = prefix + body + '}\n';
  if (line.length <= MAX_MESSAGE_BYTES) return { lines: line, count: 1 };

  // Budget for the escaped contents: the limit less the prefix and the closing `""}\n`.
  const budget = MAX_MESSAGE_BYTES - prefix.length - 4;
  const parts = splitByEscapedLength(text, budget);
  let out = '';
  for (const part of parts) {
    out += prefix + asciiJsonString(part) + '}\n';
  }
  return { lines: out, count: parts.length };
}

// From this length on, a text that needs escaping is encoded as bytes (encodeLogBytes): its escaped copy as a string
// would reach V8's large-object space (over 128 KiB at six bytes a unit), and long lines are made of such texts.
export const LONG_TEXT_UNITS = 16 * 1024;

// The whole LOG line for one text too long for a string of it to be cheap, but short enough to be one message at
// any escaping, written into a buffer reused by the next call (copy what must outlive it); undefined otherwise. As
// strings, each piece of a long non-ASCII line made a JSON.stringify copy, an escaped string six times its length
// and a flattened copy of that in the writer's batch: garbage mostly in the large-object space, which held the
// wrapper's memory over its bound (the bench's non-ASCII line).
export function encodeLogBytes(time: number, level: number, text: string): Buffer | undefined {
  const prefix = logPrefix(time, level);
  const worst = prefix.length + 1 + text.length * 6 + 3;
  if (worst > MAX_MESSAGE_BYTES) return undefined;
  if (lineBytes.length < worst) lineBytes = Buffer.allocUnsafe(MAX_MESSAGE_BYTES);
  let position = lineBytes.write(prefix, 0, 'latin1');
  lineBytes[position++] = 0x22; // "
  position = escapeTextInto(text, lineBytes, position);
  position += lineBytes.write('"}\n', position, 'latin1');
  return lineBytes.subarray(0, position);
}

let lineBytes = Buffer.allocUnsafe(0);

// Cuts text into parts whose JSON-escaped length is at most `budget`, never between the halves of a surrogate pair.
export function splitByEscapedLength(text: string, budget: number): string[] {
  const parts: string[] = [];
  let start = 0;
  let used = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const isPair = code >= 0xd800 && code <= 0xdbff && index + 1 < text.length
      && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00;
    const cost = isPair ? 12 : escapedUnitLength(code);
    if (used + cost > budget) {
      parts.push(text.slice(start, index));
      start = index;
      used = 0;
    }
    used += cost;
    if (isPair) index++;
  }
  parts.push(text.slice(start));
  return parts;
}

// JSON text for an object whose values the wrapper made itself (stats, FIN): plain stringify is exact there.
export function encodeObject(command: Command, value: object): string {
  return command + ' ' + asciiJson(JSON.stringify(value)) + '\n';
}

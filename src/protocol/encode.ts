// Turns log texts, item texts and messages into protocol lines: ASCII-only, one line each, within 1 MiB.

import { asciiJson, escapedUnitLength } from './ascii.js';
import { MAX_MESSAGE_BYTES } from './limits.js';
import type { Command } from './message.js';

// `CMD json\n` for JSON text that is already valid. Its length is its size in bytes: check it against the limit.
export function encodeLine(command: Command, json: string): string {
  return command + ' ' + asciiJson(json) + '\n';
}

function logPrefix(time: number, level: number): string {
  return 'LOG {"time":' + time + ',"level":' + level + ',"message":';
}

// One or more LOG lines carrying `text`. A text too long for one message is cut into consecutive messages whose
// texts, joined, equal the original: nothing is lost. Pure ASCII is the common case and costs one stringify.
export function encodeLog(time: number, level: number, text: string): string {
  const prefix = logPrefix(time, level);
  const line = prefix + asciiJson(JSON.stringify(text)) + '}\n';
  if (line.length <= MAX_MESSAGE_BYTES) return line;

  // Budget for the escaped contents: the limit less the prefix and the closing `""}\n`.
  const budget = MAX_MESSAGE_BYTES - prefix.length - 4;
  let out = '';
  for (const part of splitByEscapedLength(text, budget)) {
    out += prefix + asciiJson(JSON.stringify(part)) + '}\n';
  }
  return out;
}

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

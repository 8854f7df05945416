// Finds the level a log line's prefix names, so that a line logged at WARNING on stderr is not an ERROR.
//
// A level word (limits.ts: `levelFromWord`) counts only where a logger puts it, within the line's first
// DETECT_UNITS units (colour codes already removed):
//   `LEVEL: msg`, `warning: msg`, `WARNING:root:msg`      opens the line, a `:` follows (any case)
//   `INFO  CheerioCrawler: msg`, `WARNING  msg`          opens the line, a space follows (upper case)
//   `[WARN] msg`, `[warning  ] msg`                      inside brackets, spaces allowed before `]` (any case)
//   `… [scrapy.core.engine] INFO: msg`, `[12:00] INFO (1): msg`     after `] `, then `:` or a space (upper case)
//   `2026-11-25 10:00:00,123 - app - ERROR - msg`       between ` - ` separators (upper case)
//   `time=… level=warn msg=…`, `lvl="error"`             logfmt's level key (any case)
//   `2026-11-25 10:00:00,123 WARNING app: msg`, loguru's `… | WARNING  | …`, zap's `…Z<TAB>WARN<TAB>…`,
//   zerolog's `11:53AM WRN msg`                          after a timestamp and a space, tab or `|` (upper case)
// A level word anywhere else is part of the message.

import { levelFromWord } from '../protocol/limits.js';

// How far into a line a level is looked for.
export const DETECT_UNITS = 100;

const TAB = 0x09;
const SPACE = 0x20;
const QUOTE = 0x22;
const DASH = 0x2d;
const COLON = 0x3a;
const EQUALS = 0x3d;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const BAR = 0x7c;

function isLetter(code: number): boolean {
  return (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a;
}

function isUpperWord(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x41 || code > 0x5a) return false;
  }
  return true;
}

// Characters a timestamp is written with, besides digits and the words T, Z, AM and PM.
function isStampMark(code: number): boolean {
  return code === SPACE || code === TAB || code === DASH || code === COLON || code === 0x2e || code === 0x2c
    || code === 0x2f || code === 0x2b || code === BAR;
}

function isStampWord(text: string, start: number, end: number): boolean {
  const length = end - start;
  if (length === 1) return text[start] === 'T' || text[start] === 'Z';
  return length === 2 && text[start + 1] === 'M' && (text[start] === 'A' || text[start] === 'P');
}

// Whether the word at [start, end) stands where a level stands. `stamped`: only a timestamp precedes it.
function isLevelPosition(text: string, lineStart: number, start: number, end: number, stamped: boolean): boolean {
  const after = end < text.length ? text.charCodeAt(end) : -1;
  if (start === lineStart) return after === COLON || ((after === SPACE || after === TAB) && isUpperWord(text, start, end));
  const before = text.charCodeAt(start - 1);
  if (before === OPEN) {
    let close = end;
    while (text.charCodeAt(close) === SPACE) close++;
    return text.charCodeAt(close) === CLOSE;
  }
  if (before === EQUALS || (before === QUOTE && text.charCodeAt(start - 2) === EQUALS)) return isLevelKey(text, lineStart, start);
  if (before !== SPACE && before !== TAB) return false;
  if (!isUpperWord(text, start, end)) return false;
  const beforeSpace = start - 2 >= lineStart ? text.charCodeAt(start - 2) : -1;
  if (beforeSpace === CLOSE) return after === COLON || after === SPACE;
  if (beforeSpace === DASH && after === SPACE && text.charCodeAt(end + 1) === DASH) return true;
  return stamped && (after === SPACE || after === TAB || after === BAR || after === COLON || after === -1 || after === 0x0a);
}

// Whether `level=` or `lvl=` (maybe `level="`) ends just before `start`, as a key of its own.
function isLevelKey(text: string, lineStart: number, start: number): boolean {
  let equals = start - 1;
  if (text.charCodeAt(equals) === QUOTE) equals--;
  for (const key of ['level', 'lvl']) {
    const keyStart = equals - key.length;
    if (keyStart < lineStart || !text.startsWith(key, keyStart)) continue;
    if (keyStart === lineStart || text.charCodeAt(keyStart - 1) === SPACE) return true;
  }
  return false;
}

// The level named by the prefix of the line at [start, end) of `text`, or undefined when it names none.
export function detectLevel(text: string, start = 0, end = text.length): number | undefined {
  const stop = Math.min(end, start + DETECT_UNITS);
  let stamped = true;
  let sawDigit = false;
  let index = start;
  while (index < stop) {
    const code = text.charCodeAt(index);
    if (!isLetter(code)) {
      if (code >= 0x30 && code <= 0x39) sawDigit = true;
      else if (!isStampMark(code)) stamped = false;
      index++;
      continue;
    }
    let wordEnd = index + 1;
    while (wordEnd < stop && isLetter(text.charCodeAt(wordEnd))) wordEnd++;
    const length = wordEnd - index;
    if (length >= 3 && length <= 8 && isLevelPosition(text, start, index, wordEnd, stamped && sawDigit)) {
      const level = levelFromWord(text.slice(index, wordEnd));
      if (level !== undefined) return level;
    }
    if (!isStampWord(text, index, wordEnd)) stamped = false;
    index = wordEnd;
  }
  return undefined;
}

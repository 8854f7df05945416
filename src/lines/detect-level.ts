// Finds a standard level name in the prefix of a log line, for --detect-levels.
//
// Recognised forms, where LEVEL is DEBUG, INFO, WARNING, WARN, ERROR, CRITICAL or FATAL:
//   `LEVEL: msg` and basicConfig's `LEVEL:logger:msg`     the word opens the line, a `:` follows
//   Scrapy's `2026-11-25 10:00:00 [scrapy.core.engine] LEVEL: msg`    after `] `, a `:` follows
//   `[LEVEL] msg`, `2026-11-25 [LEVEL] msg`                inside brackets
//   `2026-11-25 10:00:00,123 - name - LEVEL - msg`         between ` - ` separators
// A level word anywhere else is part of the message. The test runs on every line that starts a message, so it is a
// few charCodeAt tests over at most the first 160 units, with no regex and no allocation for lines without one.

const LEVEL_BY_NAME: Record<string, number> = {
  DEBUG: 10, INFO: 20, WARNING: 30, WARN: 30, ERROR: 40, CRITICAL: 50, FATAL: 50,
};

const SEARCH_UNITS = 160;
const COLON = 0x3a;
const SPACE = 0x20;
const DASH = 0x2d;
const OPEN = 0x5b;
const CLOSE = 0x5d;

function isUpper(code: number): boolean {
  return code >= 0x41 && code <= 0x5a;
}

// Whether the word at [start, end) stands where a level stands in one of the forms above.
function isLevelPosition(line: string, start: number, end: number): boolean {
  const after = line.charCodeAt(end);
  if (start === 0) return after === COLON;
  const before = line.charCodeAt(start - 1);
  if (before === OPEN) return after === CLOSE;
  if (before !== SPACE || start < 2) return false;
  const beforeSpace = line.charCodeAt(start - 2);
  if (beforeSpace === CLOSE) return after === COLON;
  return beforeSpace === DASH && after === SPACE && line.charCodeAt(end + 1) === DASH;
}

// The level named by the line's prefix, or undefined when it carries none.
export function detectLevel(line: string): number | undefined {
  const end = Math.min(line.length, SEARCH_UNITS);
  let index = 0;
  while (index < end) {
    if (!isUpper(line.charCodeAt(index))) {
      index++;
      continue;
    }
    let wordEnd = index + 1;
    while (wordEnd < end && isUpper(line.charCodeAt(wordEnd))) wordEnd++;
    const length = wordEnd - index;
    if (length >= 4 && length <= 8 && isLevelPosition(line, index, wordEnd)) {
      const level = LEVEL_BY_NAME[line.slice(index, wordEnd)];
      if (level !== undefined) return level;
    }
    index = wordEnd;
  }
  return undefined;
}

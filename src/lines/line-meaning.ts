// What a log line means for the message before it: the one statement of the grouping rules, used by the grouper
// (line by line) and by the block fast path (which must know where a single-line message can end).
//
// The platform's rule, always: a line that starts with a space or a tab continues the message before it; an empty
// line ends it; any other line starts a new message.
//
// With level detection, a message whose first line names a level is a record, and a record also takes these lines
// that name no level (and only these, so a line printed on its own never joins a neighbour's record):
//   - right after its first line, a line opening with `{`, `[` or `(`: the dict, list or tuple Python's pprint
//     writes after Scrapy's `Overridden settings:`, `Enabled extensions:`, `Scraped from <…>`, `Dumping Scrapy stats:`;
//   - right after a first line at ERROR, `Traceback (most recent call last):` (what `logger.exception` writes);
//   - right after a first line at WARNING or above, or after such a line, a Go function line (`main.main`: no space,
//     a dot) as zap's development encoder writes its stack;
//   - after a Python warning (`file.py:12: SomeWarning: …`), every line up to its indented source line and the
//     empty line after it.
// A traceback (`Traceback (most recent call last):`, on its own or taken as above) takes its indented lines, empty
// lines and loguru's `> File` lines, then the first other line (the exception) ends it.

import { PYTHON_WARNING } from './detect-level.js';

// The states of a pending message, which decide what may join it.
export const PLAIN = 0; // takes indented lines only
export const HEADER = 1; // a record's single first line
const TRACEBACK = 2; // inside a traceback, before its exception line
const GO_STACK = 3; // a zap stack: function lines and tab-indented file lines
const WARNING_TEXT = 4; // a Python warning's text, before its source line
const WARNING_SOURCE = 5; // after a Python warning's indented source line: takes one empty line

// One of the states above.
export type RecordState = typeof PLAIN | typeof HEADER | typeof TRACEBACK | typeof GO_STACK | typeof WARNING_TEXT | typeof WARNING_SOURCE;

// Returned by `follow` for a line that does not join: it starts a message of its own (or, empty, ends the pending one).
export const STARTS_NEW = -1;


const SPACE = 0x20;
const TAB = 0x09;
const TRACEBACK_LINE = 'Traceback (most recent call last):';
const ERROR = 40;
const WARNING = 30;

// Whether the line at [start, end) is a continuation by the platform's rule.
export function isIndented(text: string, start: number, end: number): boolean {
  const first = start < end ? text.charCodeAt(start) : -1;
  return first === SPACE || first === TAB;
}

// The state of a message that starts with the line at [start, end); `named` is the level the line names, if any.
export function startState(text: string, start: number, end: number, named: number | undefined, records: boolean): RecordState {
  if (!records) return PLAIN;
  if (named === undefined) return text.startsWith(TRACEBACK_LINE, start) ? TRACEBACK : PLAIN;
  if (named === WARNING && PYTHON_WARNING.test(text.slice(start, end))) return WARNING_TEXT;
  return HEADER;
}

// Whether a message in `state` may take a line that is not indented, not empty and names no level: if not, such a
// line never joins it.
export function takesMore(state: RecordState): boolean {
  return state === HEADER || state === TRACEBACK || state === GO_STACK || state === WARNING_TEXT;
}

// The state after the line at [start, end) joins a message in `state` whose first line is at `level`, or STARTS_NEW.
export function follow(state: RecordState, level: number, text: string, start: number, end: number, named: number | undefined): RecordState | typeof STARTS_NEW {
  if (start === end) {
    if (state === TRACEBACK || state === WARNING_TEXT) return state;
    return state === WARNING_SOURCE ? PLAIN : STARTS_NEW;
  }
  if (isIndented(text, start, end)) {
    if (state === HEADER) return PLAIN;
    return state === WARNING_TEXT ? WARNING_SOURCE : state;
  }
  if (named !== undefined) return STARTS_NEW;
  switch (state) {
    case HEADER: {
      const first = text.charCodeAt(start);
      if (first === 0x7b || first === 0x5b || first === 0x28) return PLAIN;
      if (level === ERROR && text.startsWith(TRACEBACK_LINE, start)) return TRACEBACK;
      return level >= WARNING && isGoFunction(text, start, end) ? GO_STACK : STARTS_NEW;
    }
    case TRACEBACK:
      // loguru marks the frame that raised with `> `; anything else is the exception, the traceback's last line.
      return text.charCodeAt(start) === 0x3e && text.charCodeAt(start + 1) === SPACE ? TRACEBACK : PLAIN;
    case GO_STACK:
      return isGoFunction(text, start, end) ? GO_STACK : STARTS_NEW;
    case WARNING_TEXT:
      return WARNING_TEXT;
    default:
      return STARTS_NEW;
  }
}

// `main.main`, `github.com/a/b.(*T).Method`: no space, a dot, a letter or `_` first.
function isGoFunction(text: string, start: number, end: number): boolean {
  if (end - start > 300) return false;
  const first = text.charCodeAt(start);
  if (!(((first | 0x20) >= 0x61 && (first | 0x20) <= 0x7a) || first === 0x5f)) return false;
  let dot = false;
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code <= SPACE) return false;
    if (code === 0x2e) dot = true;
  }
  return dot;
}

// Finds the level a log line's prefix names, so that a line logged at WARNING on stderr is not an ERROR.
//
// A level word (limits.ts: `levelFromWord`) counts only where a logger puts it, within the line's first
// DETECT_UNITS units (colour codes already removed; the word ends within them):
//   `LEVEL: msg`, `warning: msg`, `WARNING:root:msg`      opens the line, a `:` follows (any case)
//   `INFO  CheerioCrawler: msg`, `WARNING  msg`          opens the line, a space follows (upper case)
//   `[WARN] msg`, `[warning  ] msg`                      inside brackets, spaces allowed before `]` (any case)
//   `… [scrapy.core.engine] INFO: msg`, `[12:00] INFO (1): msg`     after `] `, then `:` or a space (upper case)
//   `2026-11-25 10:00:00,123 - app - ERROR - msg`       between ` - ` separators (upper case)
//   `time=… level=warn msg=…`, `lvl="error"`             logfmt's level key (any case)
//   `2026-11-25 10:00:00,123 WARNING app: msg`, loguru's `… | WARNING  | …`, zap's `…Z<TAB>WARN<TAB>…`,
//   zerolog's `11:53AM WRN msg`                          after a timestamp and a space, tab or `|` (upper case)
// And where the line opens with a time (a timestamp that holds a `:` between digits, or a float of seconds: not a
// number or a date alone, as data rows and numbered lists open):
//   `… 10:00:00,123 crawl   INFO  msg`, `… MainProcess MainThread ERROR    msg`, `… | app | INFO | msg`
//                                                        in one of the three fields after it (upper case), set
//                                                        apart: then a `:`, a tab, `|`, two spaces or the end
//   `2026-11-25 10:00:00,123:INFO:app:msg`, `… (INFO) msg`   right after it, between `:` or in `( )`
//   `… warn: msg`, `… [books] warn: msg`                  in lower case, then a `:`, right after it or after a
//                                                        bracket right after it (winston's printf formats); also
//                                                        after a bracket that opens the line, `[books] warn: msg`
//   zap's production console format `1.7651376e+09<TAB>info<TAB>…`   in lower case between tabs, right after it
//   Ruby's `I, [2026-11-25T10:00:00.123 #12]  INFO -- : msg`   after `]` and two spaces, then a space (upper case)
//   `npm warn deprecated …`, `npm ERR! code E404`         npm's own lines: one of npm's level names after `npm `
//   Chromium's `[1207/163000.123456:WARNING:bus.cc(408)] msg`   in a bracket opening the line, after its time and
//                                                        `:`, then `:` (upper case; `VERBOSE1` too)
//   PHP's Monolog `[2026-11-25T10:00:00.123456+00:00] app.WARNING: msg`, Rust's env_logger
//   `[2026-11-25T10:00:00Z WARN  app::net] msg`           after the channel and a dot, or inside the bracket
//   Airflow's `[2026-12-08 03:23:17,468] {crawl.py:7} WARNING - msg`, Celery's `[…,877: WARNING/MainProcess] msg`
//                                                        after the braces, or inside the bracket before `/`
//   `… 10:00:00,123 [ WARNING] msg`                       right-aligned in brackets after a time
// A level word anywhere else is part of the message. Two kinds of line name no level word and are warnings all the
// same: Python's `file.py:12: SomeWarning: …` and Node's `(node:12345) [DEP0040] DeprecationWarning: …`; the lines of
// Go's standard logger (`2026/12/07 18:26:58 crawl started`) that name none are INFO; and the
// lines of Node's `debug` module (`2026-12-07T16:32:40.083Z pw:api navigating …`) and a shell's trace of the commands
// it runs (`set -x`: `+ curl -s https://…`) are debugging output (10).

import { capitalisedHeadlineWord, levelFromName, levelFromWordAt, levelWords } from '../protocol/limits.js';
import { nextWordIn, shapedLinesEnd, type LineShape } from './byte-scan.js';
import { codeAt } from './code-at.js';
import { charPattern, literalPattern } from './pattern-text.js';
import { toolProgressLevel } from './tool-progress.js';

// How far into a line a level is looked for.
export const DETECT_UNITS = 100;

const TAB = 0x09;
const SPACE = 0x20;
const QUOTE = 0x22;
const DASH = 0x2d;
const COLON = 0x3a;
const EQUALS = 0x3d;
const OPEN = 0x5b;
const PAREN = 0x28;
const PAREN_CLOSE = 0x29;
const PLUS = 0x2b;
const CLOSE = 0x5d;
const BAR = 0x7c;

// Character classes, one table lookup each: this runs on every line that starts a message.
const LETTER = 1;
const DIGIT = 2;
const STAMP_MARK = 4; // besides digits and the words T, Z, AM and PM, what a timestamp is written with
const LEVEL_INITIAL = 8; // the first letter of a level word
// Once the text before a word is more than a timestamp, the word stands where a level stands only right after one of
// these, or after one and a space: `[WARN]`, `level=warn`, `level="warn"`, `] INFO:`, ` - ERROR - `
// (isLevelPosition). The scan skips from one to the next, where it read every word of a line that names no level.
const LEVEL_MARK = 16;
const STAMP_MARKS = ' \t-:.,/+|';
const CLASSES = new Uint8Array(128);
for (let code = 0x41; code <= 0x5a; code++) CLASSES[code] = CLASSES[code + 0x20] = LETTER;
for (let code = 0x30; code <= 0x39; code++) CLASSES[code] = DIGIT;
for (const char of STAMP_MARKS) CLASSES[char.charCodeAt(0)] = STAMP_MARK;
for (const char of '[]=-') CLASSES[char.charCodeAt(0)] = (CLASSES[char.charCodeAt(0)] as number) | LEVEL_MARK;
for (const word of levelWords()) {
  for (const initial of [word.charCodeAt(0), word.toUpperCase().charCodeAt(0)]) CLASSES[initial] = (CLASSES[initial] as number) | LEVEL_INITIAL;
}

function classOf(code: number): number {
  return code < 128 ? CLASSES[code] as number : 0;
}

// The next LEVEL_MARK in [index, stop), or `stop`.
function nextLevelMark(text: string, index: number, stop: number): number {
  while (index < stop && (classOf(codeAt(text, index)) & LEVEL_MARK) === 0) index++;
  return index;
}

// The next space, tab or LEVEL_MARK in [index, stop), or `stop`.
function nextFieldOrMark(text: string, index: number, stop: number): number {
  while (index < stop && (classOf(codeAt(text, index)) & LEVEL_MARK) === 0 && !isBlank(codeAt(text, index))) index++;
  return index;
}

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB;
}

function isLowerWord(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const code = codeAt(text, index);
    if (code < 0x61 || code > 0x7a) return false;
  }
  return true;
}

function isUpperWord(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const code = codeAt(text, index);
    if (code < 0x41 || code > 0x5a) return false;
  }
  return true;
}

// `T`, `Z`, `AM`, `PM`, and the exponent of a time in seconds as a float (`1.7651376e+09`, zap's production format).
function isStampWord(text: string, start: number, end: number): boolean {
  const length = end - start;
  if (length === 1) return text[start] === 'T' || text[start] === 'Z' || (text[start] === 'e' && (text[end] === '+' || text[end] === '-'));
  return length === 2 && text[start + 1] === 'M' && (text[start] === 'A' || text[start] === 'P');
}

// Whether the word at [start, end) of the line [lineStart, lineEnd) stands where a level stands. `stamped`: only a
// timestamp precedes it. What the scan knows of a time the line opened with: scanTimed, scanStampStop, scanNearStamp
// (prefixLevel). A word at the line's end is followed by nothing, as on a line of its own, whatever the text holds
// after it (in a block, output-lines.ts: the `\n` before the next line, or a CRLF's `\r`).
function isLevelPosition(text: string, lineStart: number, lineEnd: number, start: number, end: number, stamped: boolean): boolean {
  const after = end < lineEnd ? codeAt(text, end) : -1;
  if (start === lineStart) {
    if (isUpperWord(text, start, end)) return after === COLON || after === SPACE || after === TAB;
    return after === COLON && !capitalisedHeadlineWord(text, start, end);
  }
  const before = codeAt(text, start - 1);
  if (before === OPEN) {
    let close = end;
    while (codeAt(text, close) === SPACE) close++;
    lookedTo = close + 1;
    return codeAt(text, close) === CLOSE;
  }
  if (before === EQUALS || (before === QUOTE && codeAt(text, start - 2) === EQUALS)) return isLevelKey(text, lineStart, start);
  if (before === COLON) return stamped && scanTimed && after === COLON && isUpperWord(text, start, end);
  if (before === PAREN) return scanStampStop === start - 1 && after === PAREN_CLOSE;
  if (before !== SPACE && before !== TAB) return false;
  const beforeSpace = start - 2 >= lineStart ? codeAt(text, start - 2) : -1;
  if ((beforeSpace === SPACE || beforeSpace === OPEN) && after === CLOSE && scanTimed && scanStampStop !== -1) {
    // Right-aligned in brackets right after a time, as `%(asctime)s [%(levelname)8s]` writes it: `[ WARNING]`.
    let open = start - 2;
    while (open > lineStart && codeAt(text, open) === SPACE) open--;
    if (open === scanStampStop && codeAt(text, open) === OPEN && isUpperWord(text, start, end)) return true;
  }
  if (!isUpperWord(text, start, end)) return isLowerWord(text, start, end) && isLowerCaseLevelPosition(text, lineStart, start, after, stamped, beforeSpace);
  if (beforeSpace === CLOSE || (beforeSpace === SPACE && start - 3 >= lineStart && codeAt(text, start - 3) === CLOSE)) return after === COLON || after === SPACE;
  if (beforeSpace === DASH && after === SPACE && codeAt(text, end + 1) === DASH) return true;
  if (stamped) return after === SPACE || after === TAB || after === BAR || after === COLON || after === -1;
  // Further from the time, a level is set apart as loggers pad or separate it (`%(levelname)-8s`, `| INFO |`,
  // `INFO:`), where a single space after it is prose (`… fetched ERROR page list`): but for a level that fills its
  // padded field after a padded one (`%(name)-12s %(levelname)-8s`: `crawler      CRITICAL giving up`).
  const next = codeAt(text, end + 1);
  return scanNearStamp && (after === TAB || after === BAR || after === COLON || after === -1 || (after === SPACE && (next === SPACE || next === BAR || (beforeSpace === SPACE && end - start === FILLED_FIELD))));
}

// A level in lower case: with a `:` after it, right after a time (`2026-11-25T10:00:00.000Z warn: slow`), or after a
// bracket that opens the line or follows the time (`[books] warn: slow`, `… [books] warn: slow`), as winston's printf
// formats write it; between tabs after a time, as zap's production console format does.
function isLowerCaseLevelPosition(text: string, lineStart: number, start: number, after: number, stamped: boolean, beforeSpace: number): boolean {
  if (after === TAB) return stamped && scanTimed;
  if (after !== COLON) return false;
  if (stamped) return scanTimed;
  if (beforeSpace !== CLOSE) return false;
  const open = text.lastIndexOf('[', start - 2);
  return open === lineStart || (open !== -1 && open === scanStampStop);
}

// How long a level name is that fills the field `%(levelname)-8s` pads it to, leaving one space after it: CRITICAL.
const FILLED_FIELD = 8;

// Python's logging cookbook puts the logger's name (and others put the process's and the thread's) between the time
// and the level: the level stands in one of the first fields after a timestamp, which the scan reads word by word
// (where it would skip to the next mark).
const NEAR_STAMP_FIELDS = 3;

// What prefixLevel's scan knows of a time the line opened with, for isLevelPosition: whether its stamp held a time
// (a `:` between digits, or a float's exponent: `1.7651376e+09`), not a number or a date alone (`404 error: …`,
// `2024-01-15<TAB>error<TAB>…`, a row of data); where the stamp ended, if it held one (-1 otherwise); whether the word
// is in one of the first fields after it.
let scanTimed = false;
let scanStampStop = -1;
let scanNearStamp = false;

// Whether `level=` or `lvl=` (maybe `level="`) ends just before `start`, as a key of its own.
function isLevelKey(text: string, lineStart: number, start: number): boolean {
  let equals = start - 1;
  if (codeAt(text, equals) === QUOTE) equals--;
  for (const key of ['level', 'lvl']) {
    const keyStart = equals - key.length;
    if (keyStart < lineStart || !text.startsWith(key, keyStart)) continue;
    if (keyStart === lineStart || codeAt(text, keyStart - 1) === SPACE) return true;
  }
  return false;
}

// How far the last isLevelPosition looked past the word (exclusive), and the end of the last level word found.
// lookedTo is 0 after a detectLevel whose answer no level word gave (a warning, or none).
let lookedTo = 0;
let foundEnd = 0;
// What LevelReader's last look at a line's timestamp found: where it ends, its last two characters (digits as `0`;
// AT_LINE_START when there is no timestamp, -1 when it is one character), and whether it held a digit.
let stampEnd = 0;
let stampBefore = -1;
let stampHasDigit = false;

// The level named by the prefix of the line at [start, end) of `text`, or undefined when it names none. `ascii`: the
// text is ASCII. `shellTraces`: a shell's trace is read as such (on stderr, where shells write it; on stdout a line
// opening with `+ ` is a program's text, a diff's added line).
export function detectLevel(text: string, start = 0, end = text.length, ascii = false, shellTraces = true): number | undefined {
  lookedTo = 0;
  // The forms below are told by the line's first unit: one read of it for every other line (the bench's plain prints).
  const first = codeAt(text, start);
  if (first === 0x28 || classOf(first) === DIGIT) {
    const named = namedWithoutWord(text, start, end);
    if (named !== undefined) return named;
  }
  if (first === PLUS && shellTraces && isShellTrace(text, start, end)) return DEBUG_LEVEL;
  // Before the search for level words: these tools' level names are not all level words (npm's `verb`, Monolog's
  // `EMERGENCY`), and a line in a block must be read as the same line on its own.
  if (first === 0x6e || first === OPEN) {
    const tool = toolLevel(text, start, end, first);
    if (tool !== undefined) return tool;
  }
  // In a text that holds lines after this one (a block, output-lines.ts), one search for the next level word tells
  // every line before it that it names none, where the scan would read each (a script's plain prints); a line on its
  // own is scanned at once, which costs no more than the search.
  if (end < text.length) {
    const nextWord = levelWordSearch.next(text, start, ascii);
    if (nextWord === -1 || nextWord >= end) return levelWithoutWord(text, start, end, first);
  }
  prefixScans++;
  return prefixLevel(text, start, end);
}

// The level of tools' and bracketed loggers' own lines, which open with `npm `, or `[` and a digit (`first` is the
// line's first unit); in a function of its own for the reason prefixLevel is.
function toolLevel(text: string, start: number, end: number, first: number): number | undefined {
  if (first === OPEN && classOf(codeAt(text, start + 1)) !== DIGIT) return undefined;
  const stop = Math.min(end, start + DETECT_UNITS);
  const level = first === OPEN ? chromiumLevel(text, start, stop) ?? bracketedLoggerLevel(text, start, stop) : npmLevel(text, start, end, stop);
  // Noted as prefixLevel notes the word it finds: what was looked at, for LevelReader.
  if (level !== undefined) {
    lookedTo = toolWordEnd + 2;
    foundEnd = toolWordEnd;
  }
  return level;
}

let prefixScans = 0;
let prefixWords = 0;

// How many lines the scan has read so far (what the search saves is visible to tests only this way).
export function prefixScanCount(): number {
  return prefixScans;
}

// How many words those scans have looked at (what skipping to the next mark saves is visible to tests only this way).
export function prefixWordCount(): number {
  return prefixWords;
}

// isLevelPosition with what the scan knows of the line's time handed over.
function isLevelPositionAt(text: string, lineStart: number, lineEnd: number, start: number, end: number, stamped: boolean, stampStop: number, stampFields: number): boolean {
  scanStampStop = stampStop;
  scanNearStamp = stampStop !== -1 && stampFields < NEAR_STAMP_FIELDS;
  return isLevelPosition(text, lineStart, lineEnd, start, end, stamped);
}

// detectLevel's scan, in a function of its own: with the Node warning's test inside it, V8 optimised the scan less
// well, and the recorded output scenario of the bench took more instructions for lines that are no Node warning.
function prefixLevel(text: string, start: number, end: number): number | undefined {
  const stop = Math.min(end, start + DETECT_UNITS);
  let stamped = true;
  let sawDigit = false;
  // Where the timestamp ended, if the line opened with one (a digit in it): -1 until then; and the fields since.
  let stampStop = -1;
  let stampFields = 0;
  scanTimed = false;
  let index = start;
  // The last mark the scan passed: a word one or two characters after it may be a level.
  let lastMark = start - 3;
  while (index < stop) {
    if (!stamped && index - lastMark > 2) {
      // Near a timestamp only a field's first word (or one right after the mark that ended the timestamp, `(INFO)`)
      // may be a level: the rest of a field is skipped.
      if (stampStop === -1 || stampFields >= NEAR_STAMP_FIELDS) index = nextLevelMark(text, index, stop);
      else if (!isBlank(codeAt(text, index - 1)) && index - 1 !== stampStop) index = nextFieldOrMark(text, index, stop);
      if (index === stop) break;
    }
    const code = codeAt(text, index);
    const kind = classOf(code);
    if ((kind & LETTER) === 0) {
      // After `]`, a word after two spaces is in reach: Ruby's `]  INFO`, right-aligned.
      if (code === CLOSE) lastMark = codeAt(text, index + 1) === SPACE && codeAt(text, index + 2) === SPACE ? index + 1 : index;
      else if ((kind & LEVEL_MARK) !== 0) lastMark = index;
      if (isBlank(code) && stampStop !== -1 && !isBlank(codeAt(text, index - 1))) stampFields++;
      if (kind === DIGIT) sawDigit = true;
      else if (code === COLON && stamped && classOf(codeAt(text, index - 1)) === DIGIT && classOf(codeAt(text, index + 1)) === DIGIT) scanTimed = true;
      else if ((kind & STAMP_MARK) === 0 && stamped) {
        stamped = false;
        if (scanTimed) stampStop = index;
      }
      index++;
      continue;
    }
    prefixWords++;
    let wordEnd = index + 1;
    while (wordEnd < stop && (classOf(codeAt(text, wordEnd)) & LETTER) !== 0) wordEnd++;
    const length = wordEnd - index;
    lookedTo = wordEnd + 2;
    // A word that the limit cuts is not within it (`level=errors` is not `level=error`), as the search ahead, which
    // reads whole words, finds it.
    const cut = wordEnd === stop && stop < end && (classOf(codeAt(text, stop)) & LETTER) !== 0;
    if ((kind & LEVEL_INITIAL) !== 0 && length >= 3 && length <= 8 && !cut && isLevelPositionAt(text, start, end, index, wordEnd, stamped && sawDigit, stampStop, stampFields)) {
      const level = levelFromWordAt(text, index, wordEnd);
      if (level !== undefined) {
        foundEnd = wordEnd;
        return level;
      }
    }
    if (stamped) {
      if (!isStampWord(text, index, wordEnd)) {
        stamped = false;
        if (scanTimed) stampStop = index;
      } else if (codeAt(text, index) === 0x65) scanTimed = true;
    }
    index = wordEnd;
  }
  lookedTo = 0;
  return levelWithoutWord(text, start, end, codeAt(text, start));
}

// npm's own lines, `npm warn deprecated …`, `npm error code E404` (npm 6 to 8: `npm WARN`, `npm ERR!`, `npm verb`):
// one of npm's level names after `npm `, followed by a space or the line's end; undefined for any other line. npm's
// names, not every level word: `npm debug log is at …` and `npm critical vulnerabilities` are sentences.
function npmLevel(text: string, start: number, end: number, stop: number): number | undefined {
  if (!text.startsWith('npm ', start)) return undefined;
  const wordStart = start + 4;
  const wordEnd = letterRunEnd(text, wordStart, stop);
  const bang = codeAt(text, wordEnd) === 0x21 ? 1 : 0;
  const after = wordEnd + bang < end ? codeAt(text, wordEnd + bang) : -1;
  if (after !== SPACE && after !== -1) return undefined;
  toolWordEnd = wordEnd + bang;
  return NPM_LEVELS.get(text.slice(wordStart, wordEnd + bang).toLowerCase());
}

// npm's log levels by name, as its own lines write them (`ERR!` and the short `verb`, `sill` up to npm 8).
const NPM_LEVELS = new Map([
  ['silly', 10], ['sill', 10], ['verbose', 10], ['verb', 10], ['timing', 10],
  ['http', 20], ['info', 20], ['notice', 20], ['warn', 30], ['error', 40], ['err!', 40],
]);

// Chromium's log lines (headless browsers' stderr): `[1207/163000.123456:WARNING:bus.cc(408)] text`, the time maybe
// after `pid:tid:` and before a tick count, the level upper case (`VERBOSE1` for `--v=1`) and followed by `:`;
// undefined for any other line.
const CHROMIUM_LINE = /\[(?:\d+:){0,2}\d{4}\/\d{6}\.\d{3,6}:(?:\d+:)?([A-Z]+)(\d*):/y;

function chromiumLevel(text: string, start: number, stop: number): number | undefined {
  CHROMIUM_LINE.lastIndex = start;
  const match = CHROMIUM_LINE.exec(text);
  if (match === null || CHROMIUM_LINE.lastIndex > stop) return undefined;
  const wordEnd = CHROMIUM_LINE.lastIndex - 1 - (match[2] as string).length;
  toolWordEnd = CHROMIUM_LINE.lastIndex - 1;
  return levelFromWordAt(text, wordEnd - (match[1] as string).length, wordEnd);
}

// Loggers whose lines open with their time in brackets and put the level where no other form looks: PHP's
// Monolog, `[2026-11-25T11:57:41.123456+00:00] crawler.WARNING: …` (Monolog 1: `[2026-11-25 11:57:41]`), the level
// after the channel's name and a dot; Rust's env_logger, `[2026-11-25T11:57:41Z WARN  crawler::net] …`, inside the
// bracket, between the time and the module; Airflow's tasks, `[2026-12-08 03:23:17,468] {crawl.py:7} WARNING - …`,
// after where it was logged, in braces; Celery's workers, `[2026-12-08 03:23:41,877: WARNING/MainProcess] …`, inside
// the bracket, before the process's name. The first group of each is the level's name.
const BRACKETED_LOGGERS = [
  /\[\d{4}-\d\d-\d\d[T ][\d:.+-]+\] [\w.-]*\.([A-Z]+): /y,
  /\[\d{4}-\d\d-\d\dT[\d:.]+Z (TRACE|DEBUG|INFO|WARN|ERROR) +[^\]\s]*\]/y,
  /\[\d{4}-\d\d-\d\d[T ][\d:.,+-]+\] \{\{?[^}\n]*\}\}? ([A-Z]+) - /y,
  /\[\d{4}-\d\d-\d\d [\d:.,]+: ([A-Z]+)\/[^\]\n]*\]/y,
];

function bracketedLoggerLevel(text: string, start: number, stop: number): number | undefined {
  // Each opens with a date, `[2026-`: one look rules them all out for other brackets (pino-pretty's `[12:00:00.000]`).
  if (codeAt(text, start + 5) !== DASH) return undefined;
  for (const form of BRACKETED_LOGGERS) {
    form.lastIndex = start;
    const match = form.exec(text);
    if (match === null || form.lastIndex > stop) continue;
    toolWordEnd = form.lastIndex - 1;
    return levelFromName(match[1] as string);
  }
  return undefined;
}

// Where the level name the last of npmLevel, chromiumLevel and bracketedLoggerLevel read ends (with a `!`, a
// verbosity's digits, what follows it in its form).
let toolWordEnd = 0;

// The end of the letters from `index` on, at `stop` at the latest.
function letterRunEnd(text: string, index: number, stop: number): number {
  while (index < stop && (classOf(codeAt(text, index)) & LETTER) !== 0) index++;
  return index;
}

// The level of a line that names it with no level word before any is looked for: a Node process warning, or a line
// of Node's `debug` module. (Only `(` or a digit opens such a line.)
function namedWithoutWord(text: string, start: number, end: number): number | undefined {
  if (isNodeWarning(text, start, end)) return WARNING_LEVEL;
  return isDebugModuleLine(text, start, end) ? DEBUG_LEVEL : undefined;
}

const DEBUG_LEVEL = 10;

// PHP's own reports of a script's errors: `PHP Warning:  …` where it logs them (on stderr, as Debian's php.ini has
// it), `Fatal error: …` where it displays them (on stdout: PHP's built-in default, and the official images', which
// have no php.ini). `Warning` and `Notice` are level words, which the search finds where PHP displays them; `Fatal
// error`, `Parse error` and `Deprecated` are not. `first`: the line's first unit, one of P, F, D and R.
// The names and their levels, in two arrays: a loop that destructured pairs cost a script's prints that open with
// these letters (`Page 3 …`) several times what the comparisons do.
const PHP_ERROR_NAMES = ['Fatal error', 'Parse error', 'Recoverable fatal error', 'Warning', 'Deprecated', 'Notice'];
const PHP_ERROR_LEVELS = [40, 40, 40, 30, 30, 20];

function phpLevel(text: string, start: number, end: number, first: number): number | undefined {
  // Its second unit rules out most other lines that open with one of these letters.
  const second = codeAt(text, start + 1);
  const logged = first === 0x50 && second === 0x48 && text.startsWith('PHP ', start);
  if (!logged && second !== 0x61 && second !== 0x65) return undefined;
  const nameStart = logged ? start + 4 : start;
  const initial = codeAt(text, nameStart);
  for (let index = 0; index < PHP_ERROR_NAMES.length; index++) {
    const name = PHP_ERROR_NAMES[index] as string;
    const nameEnd = nameStart + name.length;
    if (name.charCodeAt(0) === initial && nameEnd + 1 < end && codeAt(text, nameEnd) === COLON && codeAt(text, nameEnd + 1) === SPACE
      && text.startsWith(name, nameStart)) return PHP_ERROR_LEVELS[index];
  }
  return undefined;
}

// What a shell writes for each command it runs under `set -x` (bash, dash): `+ ` and the command, a `+` more for
// each level of nesting (`++ date`), on stderr. Debugging output, whatever the command's words (`+ echo 'ERROR: x'`).
function isShellTrace(text: string, start: number, end: number): boolean {
  let index = start;
  while (index < end && codeAt(text, index) === PLUS) index++;
  return index + 1 < end && codeAt(text, index) === SPACE && codeAt(text, index + 1) !== SPACE && !text.startsWith(ASSERT_DIFF_KEY, start);
}

// The key of the diff Node's assert prints for a failed deepEqual (`+ actual - expected`), on stderr with the error.
const ASSERT_DIFF_KEY = '+ actual - expected';

// What Node's `debug` module writes where its output is no terminal (DEBUG=pw:api, puppeteer:*, express:*): the time
// as toISOString writes it, the namespace, a space, the text. Only a namespace as libraries name theirs counts: parts
// joined by `:`, the first opening with a lower-case letter, none all digits (a single word, `ERROR:root:…`,
// `localhost:3000` or `worker:2` after such a time are other programs' text). (A terminal gets `  pw:api text +0ms`,
// indented and coloured instead.)
const DEBUG_MODULE_LINE = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z [a-z][\w.-]*(?::[\w.-]*[^\W\d][\w.-]*)+ /y;

function isDebugModuleLine(text: string, start: number, end: number): boolean {
  // Ruled out by three characters for almost every line.
  if (codeAt(text, start + 10) !== 0x54 || codeAt(text, start + 23) !== 0x5a || codeAt(text, start + 24) !== SPACE) return false;
  DEBUG_MODULE_LINE.lastIndex = start;
  if (!DEBUG_MODULE_LINE.test(text) || DEBUG_MODULE_LINE.lastIndex > end) return false;
  // A logger's own level after the namespace (`app:db ERROR connection lost`) is that logger's line, not debug's.
  const textStart = DEBUG_MODULE_LINE.lastIndex;
  const wordEnd = letterRunEnd(text, textStart, end);
  const after = wordEnd < end ? codeAt(text, wordEnd) : -1;
  return !(isUpperWord(text, textStart, wordEnd) && (after === SPACE || after === COLON || after === -1) && levelFromWordAt(text, textStart, wordEnd) !== undefined);
}

// Whether the line at [start, end), which names the level `named`, is one of the tools' own above (npm's,
// Chromium's, the debug module's, a shell's trace), each a message of one line: no line after it but an indented
// one is part of it (line-meaning.ts).
export function isToolLine(text: string, start: number, end: number, named: number | undefined): boolean {
  const first = codeAt(text, start);
  // Only where it was read as a trace (on stderr): on stdout, a `+ [ERROR] …` line is a program's record.
  if (first === PLUS) return named === DEBUG_LEVEL && isShellTrace(text, start, end);
  if (first === 0x6e) return npmLevel(text, start, end, Math.min(end, start + DETECT_UNITS)) !== undefined;
  if (first === OPEN) return chromiumLevel(text, start, Math.min(end, start + DETECT_UNITS)) !== undefined;
  return classOf(first) === DIGIT && isDebugModuleLine(text, start, end);
}

// The level of a line in which no level word stands where a logger puts one: a Python warning's, a line of Go's
// standard logger, PHP's report, or none. `first`: the line's first unit.
function levelWithoutWord(text: string, start: number, end: number, first: number): number | undefined {
  if (isPythonWarning(text, start, end)) return WARNING_LEVEL;
  if (classOf(first) === DIGIT) return goLogLevel(text, start, end);
  if (first === OPEN) {
    // A logger's prefix before the time: `log.New(os.Stderr, "[crawler] ", log.LstdFlags)`.
    const close = text.indexOf('] ', start);
    if (close !== -1 && close - start <= MAX_GO_PREFIX && classOf(codeAt(text, close + 2)) === DIGIT) return goLogLevel(text, close + 2, end);
  }
  // PHP's reports (no level word stands where the scan looks for one in them): `PHP …`, or a `:` where one of its
  // names that open with these letters ends.
  if ((first === 0x50 || first === 0x46 || first === 0x44 || first === 0x52) && (codeAt(text, start + 1) === 0x48
    || codeAt(text, start + 11) === COLON || codeAt(text, start + 10) === COLON || codeAt(text, start + 23) === COLON)) {
    return phpLevel(text, start, end, first);
  }
  return undefined;
}

// Go's standard logger (the `log` package) has no levels, and writes to stderr: `2026/12/07 18:26:58 crawl
// started`, with its default flags (`.633204 main.go:19: ` after the time with others). Its lines are a program's
// ordinary log, INFO, where the platform would make every one an ERROR; one whose text names a level where loggers
// put it (`… WARNING: retrying`, `… [ERROR] …`) is at that level, read before this, and so is one whose text opens
// with a level word in any case, as Go programs write them (`… error fetching …`, `… fatal: …`). Undefined for
// any other line.
const GO_LOG_TIME = /\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d(?:\.\d{6})? /y;
const INFO_LEVEL = 20;
// A bracketed prefix of a logger's own, before the time or (with log.Lmsgprefix) after it: a name, not a sentence.
const MAX_GO_PREFIX = 30;

function goLogLevel(text: string, start: number, end: number): number | undefined {
  // Its slashes and the space after the date rule out other lines before the pattern runs. The pattern cannot read
  // past the line: a space ends it, where a line in a block is followed by `\n`.
  if (codeAt(text, start + 4) !== 0x2f || codeAt(text, start + 7) !== 0x2f || codeAt(text, start + 10) !== SPACE) return undefined;
  GO_LOG_TIME.lastIndex = start;
  if (!GO_LOG_TIME.test(text)) return undefined;
  let wordStart = GO_LOG_TIME.lastIndex;
  if (codeAt(text, wordStart) === OPEN) {
    const close = text.indexOf('] ', wordStart);
    if (close !== -1 && close - wordStart <= MAX_GO_PREFIX && close < end) wordStart = close + 2;
  }
  const wordEnd = letterRunEnd(text, wordStart, end);
  const after = wordEnd < end ? codeAt(text, wordEnd) : -1;
  const named = after === SPACE || after === COLON || after === -1 ? levelFromWordAt(text, wordStart, wordEnd) : undefined;
  return named ?? INFO_LEVEL;
}

// What Python's `warnings` module writes, `file.py:12: SomeWarning: text`: a warning though no level word opens it.
export const PYTHON_WARNING = /\.py:\d+: \w*Warning: /;
// A warning from code that has no file to show a line of (`<string>:1: FutureWarning: …` from `python3 -c`, `sys:1:
// ResourceWarning: …` at exit, `<frozen runpy>:128: RuntimeWarning: …`): no source line follows it.
const SOURCELESS_PYTHON_WARNING = /^(?:<[^>]*>|sys):\d+: \w*Warning: /;
const WARNING_LEVEL = 30;

// What Node prints for a process warning: `(node:12345) ` and then the warning, whatever its name
// (`Warning:`, `[DEP0040] DeprecationWarning:`, `ExperimentalWarning:`, `MaxListenersExceededWarning:`, Node 14's
// `UnhandledPromiseRejectionWarning:`). Read before any level word, which its text may hold.
export function isNodeWarning(text: string, start: number, end: number): boolean {
  // Ruled out by the first two characters for almost every line.
  if (codeAt(text, start) !== 0x28 || codeAt(text, start + 1) !== 0x6e || !text.startsWith('(node:', start)) return false;
  let index = start + 6;
  while (index < end && codeAt(text, index) >= 0x30 && codeAt(text, index) <= 0x39) index++;
  return index > start + 6 && index + 1 < end && codeAt(text, index) === 0x29 && codeAt(text, index + 1) === SPACE;
}

function isPythonWarning(text: string, start: number, end: number): boolean {
  // The regex only for lines that hold its fixed part: most lines without a level word hold no `Warning: `.
  const at = warningWords.next(text, start);
  if (at === -1 || at >= end) return false;
  const line = text.slice(start, end);
  return PYTHON_WARNING.test(line) || SOURCELESS_PYTHON_WARNING.test(line);
}

// A search that is asked again for the lines after: its last answer is kept while it holds. For the lines of a block
// (output-lines.ts), searching the rest of the block again for each line would cost time quadratic in the block for
// lines the search finds nothing in.
class SearchAhead {
  private text = '';
  private from = 0;
  private found = -1;

  constructor(private readonly search: (text: string, from: number, ascii: boolean) => number) {}

  // Where the next match is in `text` from `start` on, or -1. `ascii`: the text is ASCII.
  next(text: string, start: number, ascii = false): number {
    if (text !== this.text || start < this.from || (this.found !== -1 && this.found < start)) {
      this.text = text;
      this.from = start;
      this.found = this.search(text, start, ascii);
    }
    return this.found;
  }
}

const warningWords = new SearchAhead((text, from) => text.indexOf('Warning: ', from));

// A level word (limits.ts) as a word of its own (letters only count: the scan's words), anywhere in a line; found by
// the WebAssembly pass (byte-scan.ts) where there is one, reading an ASCII text's bytes or any other text's UTF-16
// units. Without the `u` flag, no character outside ASCII matches an ASCII letter in any case, so the pass finds what
// the pattern finds.
const ANY_LEVEL_WORD = new RegExp(`(?<![A-Za-z])(?:${levelWords().join('|')})(?![A-Za-z])`, 'gi');
const LEVEL_WORDS = { words: levelWords() };

// Where the next level word stands in `text` at or after `from`, or -1. `ascii`: the text is ASCII.
export function nextLevelWord(text: string, from: number, ascii = false): number {
  return nextWordIn(text, from, LEVEL_WORDS, ascii) ?? nextLevelWordByPattern(text, from);
}

export function nextLevelWordByPattern(text: string, from: number): number {
  ANY_LEVEL_WORD.lastIndex = from;
  return ANY_LEVEL_WORD.exec(text)?.index ?? -1;
}

const levelWordSearch = new SearchAhead(nextLevelWord);

// detectLevel for line after line, with a memory: the lines of one logger differ mostly in their timestamps' digits,
// so when a line's text after its timestamp (digits and marks, no letters) starts exactly as the previous line's did,
// up to and just past the level word found there, the line names the same level: one native comparison instead of
// a scan. The result is always detectLevel's: the scan's decision depends on nothing but those characters. A line
// without a timestamp (`DEBUG CheerioCrawler: …`, `WARNING:root:…`) is remembered the same way from its start.
export class LevelReader {
  // From the previous line's first letter (or other character that ends its timestamp) to where its scan decided;
  // '' when it found no level.
  private tail = '';
  // The two characters before the tail, digits all read as `0` (the scan treats every digit alike).
  private before = 0;
  private sawDigit = false;
  private level = 0;
  // Where that level word ended, counted from the tail's start.
  private wordEnd = 0;

  // `stderr`: the lines are stderr's, where a shell's trace is read as such (detectLevel's `shellTraces`), and the
  // progress lines of download and version-control tools are INFO (tool-progress.ts).
  constructor(private readonly stderr = true) {}

  // `ascii`: the text is ASCII.
  detect(text: string, start = 0, end = text.length, ascii = false): number | undefined {
    // A debug module's line is told by its whole time, where the remembered shape is compared from its first letter
    // on: the one line the shape may fit and detectLevel reads otherwise.
    if (this.namesRemembered(text, start, end)) return isDebugModuleLine(text, start, end) ? DEBUG_LEVEL : this.level;
    const index = stampEnd;
    const level = detectLevel(text, start, end, ascii, this.stderr);
    // Remembered only when a level word decided, and from a text that holds all the scan looked at: where the text
    // ends within it (a line on its own), the tail would lack what ended the word (`ERROR` would take `ERRORS`).
    this.tail = level !== undefined && stampBefore !== -1 && lookedTo > index && lookedTo <= text.length ? text.slice(index, lookedTo) : '';
    this.before = stampBefore;
    this.sawDigit = stampHasDigit;
    this.level = level ?? 0;
    this.wordEnd = foundEnd - index;
    this.lines = undefined;
    // After the above: what a later line may take from this one is a level word's, which a tool's line has none of.
    return level ?? (this.stderr ? toolProgressLevel(text, start, end) : undefined);
  }

  // Whether the line [start, end) starts as the remembered one did, so names its level. Leaves where its timestamp
  // ends, the two characters before that and whether it held a digit in stampEnd, stampBefore and stampHasDigit.
  private namesRemembered(text: string, start: number, end: number): boolean {
    const stop = Math.min(end, start + DETECT_UNITS);
    let index = start;
    let sawDigit = false;
    while (index < stop) {
      const kind = classOf(codeAt(text, index));
      if (kind === DIGIT) sawDigit = true;
      else if ((kind & STAMP_MARK) === 0) break;
      index++;
    }
    const stamp = index - start;
    const before = stamp >= 2 ? digitsAlike(codeAt(text, index - 2)) << 16 | digitsAlike(codeAt(text, index - 1))
      : stamp === 0 ? AT_LINE_START : -1;
    stampEnd = index;
    stampBefore = before;
    stampHasDigit = sawDigit;
    return before !== -1 && this.tail !== '' && before === this.before && sawDigit === this.sawDigit
      && index + this.wordEnd <= stop && text.startsWith(this.tail, index);
  }

  // The same test for many lines in one native call: a sticky expression for lines whose timestamp ends with the
  // remembered two characters (a digit in them proves the timestamp has one) and whose text then starts with the
  // remembered tail, early enough for the level word to lie within DETECT_UNITS; and the same shape for the
  // WebAssembly pass (byte-scan.ts), which reads ASCII text in a fraction of the pattern's time. Made once per
  // remembered line.
  private lines: KnownLines | null | undefined;

  // Where the lines from `start` (a line start) that name the remembered level end: the start of the first line
  // that may not (at most `limit`, a line start). `start` when there is none. `ascii`: the text is ASCII.
  sameLevelEnd(text: string, start: number, limit: number, ascii = false): number {
    if (this.lines === undefined) {
      // Made only once a second line has shown the logger's shape: in output where loggers alternate line by line
      // (the bench's recorded real output) the pattern would otherwise be built for every line and used for none.
      if (start >= limit || !this.namesRemembered(text, start, text.indexOf('\n', start))) return start;
      this.lines = this.knownLines();
    }
    if (this.lines === null) return start;
    const { pattern, shape } = this.lines;
    if (ascii && shape !== undefined) {
      const end = shapedLinesEnd(text, start, limit, shape);
      if (end !== undefined) return end;
    }
    pattern.lastIndex = start;
    if (!pattern.test(text)) return start;
    return Math.min(pattern.lastIndex, limit);
  }

  get lastLevel(): number {
    return this.level;
  }

  // The pattern for the remembered line, made once per logger shape: where a few loggers take turns (the bench's
  // recorded real output), each shape comes back again and again, and making its pattern anew each time cost more
  // than reading the lines one by one.
  private knownLines(): KnownLines | null {
    if (!this.mayHavePattern()) return null;
    const key = `${this.before} ${this.sawDigit ? 1 : 0} ${this.level} ${this.wordEnd} ${this.tail}`;
    let lines = linesPatterns.get(key);
    if (lines === undefined) {
      // A program that logs ever new shapes (a changing word in the tail) must not grow this without bound.
      if (linesPatterns.size >= MAX_LINES_PATTERNS) linesPatterns.clear();
      lines = this.linesPattern();
      linesPatterns.set(key, lines);
      linesPatternsMade++;
    }
    return lines;
  }

  // Whether the remembered line's shape can be a pattern at all: asked before its key is made, as most lines without a
  // timestamp (`INFO: ...` between a script's tracebacks, the bench's mixed text) cannot. Without a digit among the two
  // characters before the tail, the pattern could not prove the timestamp had one; and a Python warning's line starts
  // a record of its own kind (line-meaning.ts), so WARNING lines are left to the line-by-line test.
  private mayHavePattern(): boolean {
    const first = this.before >>> 16;
    const second = this.before & 0xffff;
    return this.tail !== '' && !this.tail.includes('\n') && this.sawDigit && (first === 0x30 || second === 0x30) && this.level !== 30;
  }

  private linesPattern(): KnownLines {
    const first = this.before >>> 16;
    const second = this.before & 0xffff;
    const char = (code: number): string => code === 0x30 ? '[0-9]' : charPattern(code);
    const maxStamp = DETECT_UNITS - this.wordEnd - 2;
    const stamp = `${STAMP_CLASS}{0,${maxStamp}}${char(first)}${char(second)}`;
    const pattern = new RegExp(`(?:${stamp}${literalPattern(this.tail)}[^\\n]*\\n)+`, 'y');
    // The WebAssembly pass reads bytes, so takes an ASCII tail; and it reads the timestamp as all of the line's
    // leading stamp characters, which is the pattern's reading only when the tail's first character is none of them.
    const tailFirst = this.tail.charCodeAt(0);
    const byteShape = /^[\x00-\x7f]*$/.test(this.tail) && STAMP_BYTES[tailFirst] === 0;
    return { pattern, shape: byteShape ? { stampMarks: STAMP_BYTES, maxStamp, first, second, tail: this.tail } : undefined };
  }
}

interface KnownLines {
  pattern: RegExp;
  shape: LineShape | undefined;
}

// What a timestamp is written with (CLASSES' DIGIT and STAMP_MARK), as a pattern's class and as a table of bytes.
const STAMP_CLASS = `[0-9${literalPattern(STAMP_MARKS)}]`;
const STAMP_BYTES = Uint8Array.from({ length: 256 }, (_, code) => (classOf(code) & (DIGIT | STAMP_MARK)) !== 0 ? 1 : 0);

// The patterns made by LevelReaders, by the shape of the line they were made for; shared, as a program's stdout and
// stderr often carry one logger's lines.
const linesPatterns = new Map<string, KnownLines>();
const MAX_LINES_PATTERNS = 64;
let linesPatternsMade = 0;

// How many such patterns have been made so far (what the cache saves is visible to tests only this way).
export function linesPatternCount(): number {
  return linesPatternsMade;
}

// What LevelReader remembers as the two characters before a line's text when the line has no timestamp: a value two
// characters never make, as a timestamp's are digits and marks.
const AT_LINE_START = -2;

function digitsAlike(code: number): number {
  return code >= 0x30 && code <= 0x39 ? 0x30 : code;
}

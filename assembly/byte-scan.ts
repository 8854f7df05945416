// AssemblyScript: the WebAssembly module behind src/lines/byte-scan.ts, compiled by scripts/compile-wasm.js at build
// time. Passes over bytes the caller copies in: one over a chunk that says which kinds of bytes it holds, 16 at a step
// (`scan`), and where its next non-ASCII byte is (`nextNonAscii`); and two over a block of lines, that say where a run
// of lines of one logger's shape ends (`shapedLinesEnd`) and where the next of some words stands as a word of its own
// (`nextWord`, `nextWordWide`). Each stands for a regular expression that src/lines/ keeps as the rule and as the path
// without WebAssembly; the tests hold them equal. And one that escapes UTF-16 text to printable ASCII (`escapeUnits`),
// for src/protocol/ascii.ts, whose JavaScript is the rule and the other path; and one that frames a block's lines as
// protocol lines, escaping them where they need it (`frameLines`, `frameEscapedLines`), for src/protocol/encode.ts,
// whose strings are the rule and the other path; and one
// that writes the LOG lines of JSON log records of one shape (`recordLines`), for src/lines/record-shapes.ts, whose
// patterns are the rule and the other path.
//
// For `scan`, the caller pads the chunk to a multiple of 16 with bytes that match nothing here (a letter), and one
// more (the byte after a newline is read too), so every step is a whole vector load and there is no tail to handle. Nothing is allocated: the module needs no runtime, only
// the memory the caller writes into.

// The byte values the scan compares with, as data rather than as constants. Constants would be folded by the optimizer
// into the loop, where V8 (as Node 24 runs it) builds each one again at every step; loaded once before the loop, they
// stay in registers. The "1,000,000 log lines" scenario of the bench passes every chunk through this loop.
const COMPARED = memory.data<u8>([
  0x7e, // above it: non-ASCII, or DEL
  0x20, // below it: a control character...
  0x0a, // ...unless it is the newline
  0x22, // `"`
  0x5c, // `\`
  0x20, // the bit that makes an ASCII capital lower case...
  0x61, // ...after which a letter is `a` or at most 25 above it
  25,
]);

// Lower-case hex digits, as Python's json.dumps writes them.
const HEX = memory.data<u8>([0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66]);

// The lowest and highest printable unit, as u16 lanes are compared; then `"` and `\`.
const PRINTABLE_UNITS = memory.data<u16>([0x20, 0x7e, 0x22, 0x5c]);

// The short escapes JSON (and Python) use for some controls, by code (`\b`, `\t`, `\n`, `\f`, `\r`); 0 where
// `\u00XX` is written instead.
const SHORT_ESCAPES = memory.data<u8>([0, 0, 0, 0, 0, 0, 0, 0, 0x62, 0x74, 0x6e, 0, 0x66, 0x72, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

// A logger's line shape, written by the caller (src/lines/detect-level.ts says what it is): 1 for each byte value a
// timestamp is written with, and the text that follows the timestamp.
export const STAMP_MARKS: usize = memory.data(256);
export const MAX_TAIL: i32 = 256;
export const TAIL: usize = memory.data(MAX_TAIL);

// The words `nextWord` looks for, written by the caller: for each length up to MAX_WORD, up to WORDS_PER_LENGTH words
// in lower case, each as the little-endian bytes of a u64 (zeros after the word), and how many there are.
export const MAX_WORD: i32 = 8;
export const WORDS_PER_LENGTH: i32 = 16;
export const WORD_KEYS: usize = memory.data((MAX_WORD + 1) * WORDS_PER_LENGTH * 8);
export const WORD_COUNTS: usize = memory.data(MAX_WORD + 1);
// For each length, a bit for each word's WORD_HASH (a u64): most runs of letters in prose are no word, and one bit
// tells them apart, where comparing them with each word of their length took a step a word.
export const WORD_HASH_BITS: usize = memory.data((MAX_WORD + 1) * 8);

// Where the caller puts a chunk: after the data above, on a 16-byte boundary; a pipe read (64 KiB) and the 16 bytes a
// step may read past it.
export const CHUNK_START: usize = (__heap_base + 15) & ~15;
export const CHUNK_ROOM: i32 = 65536 + 16;

// Where the caller puts the text of a block for the line passes, as long as a chunk at most: apart from the chunk,
// which the splitter still searches while the chunk's blocks are read.
export const TEXT_START: usize = CHUNK_START + CHUNK_ROOM;

// Where `escapeUnits` reads its UTF-16 units, after the text (which it leaves alone: a block's line passes may still
// need it), and writes its ASCII after them: up to ESCAPE_UNITS units, 2 bytes each in and at most 6 out.
export const ESCAPE_START: usize = TEXT_START + CHUNK_ROOM;
export const ESCAPE_UNITS: i32 = 32768;

// What `frameLines` writes around each line, written by the caller: the start of its message (OPEN, at most MAX_OPEN
// bytes) and its end (CLOSE, at most 16).
export const MAX_OPEN: i32 = 128;
export const OPEN: usize = memory.data(MAX_OPEN);
export const CLOSE: usize = memory.data(16);

// Where `frameLines` writes the lines it frames, after the escaped text: room for a block's text (as long as a chunk)
// with a line's opening and closing, and the 16 bytes a step may write past what it keeps.
export const FRAMED_START: usize = ESCAPE_START + (<usize>ESCAPE_UNITS << 3);
export const FRAMED_ROOM: i32 = CHUNK_ROOM + MAX_OPEN + 16;

// Where the last `frameLines` or `frameEscapedLines` stopped: the start of the first line it did not frame, or its
// `end` + 1 when it framed them all; and how many lines it framed.
export let framedTo: i32 = 0;
export let framedCount: i32 = 0;

// The answer's bits, in the order src/lines/byte-scan.ts names them (HAS_*).
const NON_ASCII_OR_DEL_BIT = 0;
const CONTROL_BIT = 1;
const QUOTE_OR_BACKSLASH_BIT = 2;
const INDENTED_OR_EMPTY_LINE_BIT = 3;

const STEP = 16;

// The HAS_* bits of the `length` bytes at CHUNK_START; `length` is a multiple of 16, and the byte after them is
// read too (the caller pads it: see the top).
export function scan(length: i32): i32 {
  const above = i8x16.splat(load<u8>(COMPARED));
  const below = i8x16.splat(load<u8>(COMPARED, 1));
  const newline = i8x16.splat(load<u8>(COMPARED, 2));
  const quote = i8x16.splat(load<u8>(COMPARED, 3));
  const backslash = i8x16.splat(load<u8>(COMPARED, 4));
  // Lanes that ever matched stay set: one test of each accumulator at the end instead of a branch per step.
  let nonAsciiOrDel = i8x16.splat(0);
  let control = i8x16.splat(0);
  let quoteOrBackslash = i8x16.splat(0);
  let lineStart = i8x16.splat(0);
  const end = CHUNK_START + length;
  for (let position = CHUNK_START; position < end; position += STEP) {
    const bytes = v128.load(position);
    // Each byte's next one: a line that starts with a space, a tab or its end (or another control, rarely there)
    // follows a newline.
    const next = v128.load(position + 1);
    const newlines = i8x16.eq(bytes, newline);
    nonAsciiOrDel = v128.or(nonAsciiOrDel, i8x16.gt_u(bytes, above));
    control = v128.or(control, v128.andnot(i8x16.lt_u(bytes, below), newlines));
    quoteOrBackslash = v128.or(quoteOrBackslash, v128.or(i8x16.eq(bytes, quote), i8x16.eq(bytes, backslash)));
    lineStart = v128.or(lineStart, v128.and(newlines, i8x16.le_u(next, below)));
  }
  return (<i32>v128.any_true(nonAsciiOrDel) << NON_ASCII_OR_DEL_BIT)
    | (<i32>v128.any_true(control) << CONTROL_BIT)
    | (<i32>v128.any_true(quoteOrBackslash) << QUOTE_OR_BACKSLASH_BIT)
    | (<i32>v128.any_true(lineStart) << INDENTED_OR_EMPTY_LINE_BIT);
}

// The first byte above 0x7E (non-ASCII, or DEL) of the chunk at or after `from` and before `length`, or -1; the
// chunk's bytes as `scan` was given them, padded. The regular expression of src/lines/text-flags.ts is the rule.
export function nextNonAscii(from: i32, length: i32): i32 {
  const above = i8x16.splat(load<u8>(COMPARED));
  for (let step = from; step < length; step += STEP) {
    let found = <u32>i8x16.bitmask(i8x16.gt_u(v128.load(CHUNK_START + step), above));
    if (length - step < STEP) found &= (1 << (length - step)) - 1;
    if (found != 0) return step + ctz(found);
  }
  return -1;
}

const DIGIT_0: u32 = 0x30;

// Whether `code` is the byte a shape's timestamp ends with: DIGIT_0 stands for any digit.
// @ts-ignore: decorator
@inline function endsStampWith(code: u32, wanted: u32): bool {
  return wanted == DIGIT_0 ? code - DIGIT_0 < 10 : code == wanted;
}

// Where the lines from `start` (a line start) that have the shape end: the start of the first line that has not, or
// `limit` (a line start) if they all have. A line has the shape when it opens with at most `maxStamp` + 2 bytes that
// are STAMP_MARKS, the last two of them `first` and `second`, then the `tailLength` bytes at TAIL, and ends with a `\n`
// before `end`. The tail's first byte is no timestamp byte (the caller sees to it), so the timestamp is all of the
// line's leading STAMP_MARKS: what the pattern (detect-level.ts) finds by backtracking, this finds in one pass.
// `end` leaves 16 bytes of memory after it.
export function shapedLinesEnd(start: i32, limit: i32, end: i32, maxStamp: i32, first: u32, second: u32, tailLength: i32): i32 {
  const newlines = i8x16.splat(load<u8>(COMPARED, 2));
  let line = start;
  while (line < limit) {
    let position = line;
    const stampEnd = min(line + maxStamp + 2, end);
    while (position < stampEnd && load<u8>(STAMP_MARKS + <usize>load<u8>(TEXT_START + position)) != 0) position++;
    if (position - line < 2 || position + tailLength > end) return line;
    if (!endsStampWith(load<u8>(TEXT_START + position - 2), first) || !endsStampWith(load<u8>(TEXT_START + position - 1), second)) return line;
    let offset = 0;
    for (; offset + 8 <= tailLength; offset += 8) {
      if (load<u64>(TEXT_START + position + offset) != load<u64>(TAIL + offset)) return line;
    }
    for (; offset < tailLength; offset++) {
      if (load<u8>(TEXT_START + position + offset) != load<u8>(TAIL + offset)) return line;
    }
    // The line's end: 16 bytes a step.
    let step = position + tailLength;
    let newline = -1;
    while (step < end) {
      const found = i8x16.bitmask(i8x16.eq(v128.load(TEXT_START + step), newlines));
      if (found != 0) {
        newline = step + ctz(found);
        break;
      }
      step += 16;
    }
    if (newline == -1 || newline >= end) return line;
    line = newline + 1;
  }
  return min(line, limit);
}

// The first position at or after `from` and before `end` where one of the words (WORD_KEYS) stands, in any case, with
// no ASCII letter just before or after it; -1 where there is none. A word of letters with no letter next to it is a
// whole run of letters, so the pass reads the text's runs of letters 16 bytes a step, and compares each run as long as
// a word with the words of its length, as one u64 each. The text at TEXT_START is bytes (`nextWord`) or UTF-16 units
// (`nextWordWide`, positions in units); a unit outside ASCII is no letter, as in the pattern, which has no `u` flag.
export function nextWord(from: i32, end: i32): i32 {
  return findWord(from, end, false);
}

export function nextWordWide(from: i32, end: i32): i32 {
  return findWord(from, end, true);
}

// @ts-ignore: decorator
@inline function findWord(from: i32, end: i32, wide: bool): i32 {
  // Positions a step reads.
  const lanes: u32 = wide ? 8 : 16;
  // Loaded once, before the loop (see COMPARED), as 8 or 16 lanes.
  const lowerCase = wide ? i16x8.splat(load<u8>(COMPARED, 5)) : i8x16.splat(load<u8>(COMPARED, 5));
  const a = wide ? i16x8.splat(load<u8>(COMPARED, 6)) : i8x16.splat(load<u8>(COMPARED, 6));
  const lastLetter = wide ? i16x8.splat(load<u8>(COMPARED, 7)) : i8x16.splat(load<u8>(COMPARED, 7));
  // Whether a letter stands just before the step: a run of letters that starts there started before it.
  let letterBefore: u32 = from > 0 && isLetter(unitAt(from - 1, wide)) ? 1 : 0;
  // A run of letters that a step's end cut, by where it starts; -1 when none is open.
  let openRun = -1;
  for (let step = from; step < end; step += <i32>lanes) {
    // A bit for each position of the step that holds an ASCII letter.
    const lower = v128.or(v128.load(TEXT_START + (wide ? <usize>step << 1 : <usize>step)), lowerCase);
    let letters = wide ? <u32>i16x8.bitmask(i16x8.le_u(i16x8.sub(lower, a), lastLetter))
      : <u32>i8x16.bitmask(i8x16.le_u(i8x16.sub(lower, a), lastLetter));
    if (<u32>(end - step) < lanes) letters &= (1 << (end - step)) - 1;
    if (openRun != -1) {
      const rest = ctz(~letters);
      if (rest < lanes) {
        if (isWord(openRun, step + <i32>rest - openRun, wide)) return openRun;
        openRun = -1;
      }
    }
    let starts = letters & ~((letters << 1) | letterBefore);
    letterBefore = (letters >> (lanes - 1)) & 1;
    while (starts != 0) {
      const start = ctz(starts);
      const length = ctz(~(letters >> start));
      if (start + length < lanes) {
        if (isWord(step + <i32>start, <i32>length, wide)) return step + <i32>start;
      } else {
        openRun = step + <i32>start;
      }
      starts &= starts - 1;
    }
  }
  return openRun != -1 && isWord(openRun, end - openRun, wide) ? openRun : -1;
}

// @ts-ignore: decorator
@inline function unitAt(position: i32, wide: bool): u32 {
  return wide ? load<u16>(TEXT_START + (<usize>position << 1)) : load<u8>(TEXT_START + position);
}

// @ts-ignore: decorator
@inline function isLetter(code: u32): bool {
  return (code | 0x20) - 0x61 < 26;
}

// Whether the `length` letters at `start` are one of the words. Inlined: a call for each run of letters of a
// script's prints cost more than the comparison (the bench's plain prints and dict reprs show it).
// @ts-ignore: decorator
@inline function isWord(start: i32, length: i32, wide: bool): bool {
  if (length > MAX_WORD) return false;
  // Letters are ASCII, so the low byte of each of eight units is the letter.
  const bytes = wide ? i64x2.extract_lane(i8x16.narrow_i16x8_u(v128.load(TEXT_START + (<usize>start << 1)), i8x16.splat(0)), 0)
    : load<u64>(TEXT_START + start);
  let key = bytes | 0x2020202020202020;
  if (length < 8) key &= (<u64>1 << (<u64>length << 3)) - 1;
  if (((load<u64>(WORD_HASH_BITS + (<usize>length << 3)) >> wordHash(key)) & 1) == 0) return false;
  const keys = WORD_KEYS + <usize>(length * WORDS_PER_LENGTH * 8);
  const count = <i32>load<u8>(WORD_COUNTS + length);
  for (let index = 0; index < count; index++) {
    if (load<u64>(keys + (<usize>index << 3)) == key) return true;
  }
  return false;
}

// Which of 64 bits stands for a word's key (the top six bits of a multiplicative hash).
// @ts-ignore: decorator
@inline function wordHash(key: u64): u64 {
  return (key * 0x9e3779b97f4a7c15) >> 58;
}

// How `escapeUnits` escapes, as src/lines/byte-scan.ts numbers the ways (ESCAPE).
const ESCAPE_STRING = 1;
const ESCAPE_JSON_LINES = 2;

// Escapes the `count` UTF-16 units at ESCAPE_START to printable ASCII, as src/protocol/ascii.ts does: as asciiJson
// does for valid JSON text, a printable unit as it is, a control as a space (JSON text holds them only as whitespace
// between tokens), any other unit as `\uXXXX` (lower-case hex); as escapeTextInto does for the contents of a JSON
// string (ESCAPE_STRING), `"` and `\` after a backslash, a control as JSON's short escape or `\u00XX`; or as
// asciiJsonLines does for JSON texts one a line (ESCAPE_JSON_LINES), as JSON text but for the newlines, kept. Writes the
// ASCII after the units and returns its length. Eight units that need nothing are narrowed to eight bytes at a step.
export function escapeUnits(count: i32, escaping: i32): i32 {
  const inString = escaping == ESCAPE_STRING;
  const keepNewlines = escaping == ESCAPE_JSON_LINES;
  const lowest = i16x8.splat(load<u16>(PRINTABLE_UNITS));
  const highest = i16x8.splat(load<u16>(PRINTABLE_UNITS, 2));
  // In a string, `"` and `\` need a backslash too; elsewhere nothing matches these.
  const quote = i16x8.splat(inString ? load<u16>(PRINTABLE_UNITS, 4) : 0);
  const backslash = i16x8.splat(inString ? load<u16>(PRINTABLE_UNITS, 6) : 0);
  const out = ESCAPE_START + (<usize>count << 1);
  let position = out;
  let index = 0;
  for (; index + 8 <= count; index += 8) {
    const units = v128.load(ESCAPE_START + (<usize>index << 1));
    const outside = v128.or(i16x8.lt_u(units, lowest), i16x8.gt_u(units, highest));
    if (!v128.any_true(v128.or(outside, v128.or(i16x8.eq(units, quote), i16x8.eq(units, backslash))))) {
      v128.store64_lane(position, i8x16.narrow_i16x8_u(units, units), 0);
      position += 8;
    } else {
      for (let unit = index; unit < index + 8; unit++) position = escapeUnit(load<u16>(ESCAPE_START + (<usize>unit << 1)), position, inString, keepNewlines);
    }
  }
  for (; index < count; index++) position = escapeUnit(load<u16>(ESCAPE_START + (<usize>index << 1)), position, inString, keepNewlines);
  return <i32>(position - out);
}

// Inlined into each escaping loop, as isWord is (the bench's 60 MB non-ASCII line and tracebacks show it).
// @ts-ignore: decorator
@inline function escapeUnit(code: u32, position: usize, inString: bool, keepNewlines: bool): usize {
  if (code >= 0x20 && code <= 0x7e) {
    if (inString && (code == 0x22 || code == 0x5c)) {
      store<u8>(position, 0x5c);
      store<u8>(position, code, 1);
      return position + 2;
    }
    store<u8>(position, code);
    return position + 1;
  }
  if (code < 0x20) {
    if (!inString) {
      store<u8>(position, keepNewlines && code == 0x0a ? 0x0a : 0x20);
      return position + 1;
    }
    const short = load<u8>(SHORT_ESCAPES + code);
    if (short != 0) {
      store<u8>(position, 0x5c);
      store<u8>(position, short, 1);
      return position + 2;
    }
  }
  store<u8>(position, 0x5c); // backslash
  store<u8>(position, 0x75, 1); // u
  store<u8>(position, load<u8>(HEX + (code >> 12)), 2);
  store<u8>(position, load<u8>(HEX + ((code >> 8) & 15)), 3);
  store<u8>(position, load<u8>(HEX + ((code >> 4) & 15)), 4);
  store<u8>(position, load<u8>(HEX + (code & 15)), 5);
  return position + 6;
}

// Frames the lines of the text at TEXT_START from `from` (a line start) to `end` (where the last line ends, before
// its `\n` if it has one): each as the `openLength` bytes at OPEN, the line, and the `closeLength` bytes at CLOSE, one
// after another at FRAMED_START, as many whole lines as FRAMED_ROOM takes (a line as long as the text always fits).
// Returns how many bytes it wrote; `framedTo` and `framedCount` say where it stopped and how many lines it framed. A
// line is copied 16 bytes a step while its newline is looked for in the same bytes; the opening is copied 16 bytes a
// step too, the first 64 of them from registers. `end` leaves 16 bytes of memory after it.
export function frameLines(from: i32, end: i32, openLength: i32, closeLength: i32): i32 {
  const newlines = i8x16.splat(load<u8>(COMPARED, 2));
  const open0 = v128.load(OPEN);
  const open1 = v128.load(OPEN, 16);
  const open2 = v128.load(OPEN, 32);
  const open3 = v128.load(OPEN, 48);
  const close = v128.load(CLOSE);
  const limit = FRAMED_START + <usize>FRAMED_ROOM - 16;
  let out = FRAMED_START;
  let line = from;
  let count = 0;
  while (line <= end && out + <usize>max(openLength, 64) <= limit) {
    let position = out;
    v128.store(position, open0);
    v128.store(position, open1, 16);
    v128.store(position, open2, 32);
    v128.store(position, open3, 48);
    for (let offset = 64; offset < openLength; offset += 16) v128.store(position + offset, v128.load(OPEN + offset));
    position += openLength;
    let step = line;
    let lineEnd = end;
    let full = false;
    while (step < end) {
      if (position + 16 > limit) {
        full = true;
        break;
      }
      const bytes = v128.load(TEXT_START + step);
      v128.store(position, bytes);
      const found = i8x16.bitmask(i8x16.eq(bytes, newlines));
      if (found != 0) {
        lineEnd = min(step + ctz(found), end);
        break;
      }
      step += 16;
      position += 16;
    }
    // Back from the step's end to the line's (past `end` when the last step read beyond it).
    position += lineEnd - step;
    if (full || position + closeLength > limit) break;
    v128.store(position, close);
    out = position + closeLength;
    count++;
    line = lineEnd + 1;
  }
  return framedUpTo(line, count, out);
}

// How a frame pass ends: says where it stopped and how many lines it framed, and returns how many bytes it wrote.
// @ts-ignore: decorator
@inline function framedUpTo(line: i32, count: i32, out: usize): i32 {
  framedTo = line;
  framedCount = count;
  return <i32>(out - FRAMED_START);
}

// A JSON log record shape (src/lines/record-shapes.ts), as `recordLines` runs it, written by the caller: the steps
// that match a line of the shape, then those that write its message. A step is a byte, then its operands:
// matching, LITERAL (a u16 length, then the bytes the line has there), STRING (a group: the contents of a JSON string
// that needs no escape, up to its closing quote, which a LITERAL after it matches), NUMBER (a group, 0 for none, and
// whether only a number written as JavaScript writes it will do) and LEVEL (one of LEVEL_TEXTS); writing, LITERAL
// (as above) and GROUP (a group's text); END ends each.
export const MAX_PROGRAM: i32 = 16384;
export const PROGRAM: usize = memory.data(MAX_PROGRAM);
const END: u8 = 0;
const LITERAL: u8 = 1;
const STRING: u8 = 2;
const NUMBER: u8 = 3;
const LEVEL: u8 = 4;
const GROUP: u8 = 5;

// The texts of the shape's level field, each in a slot of LEVEL_SLOT bytes (a u8 length, then the text), and the
// opening of the LOG line for each (likewise).
export const MAX_LEVELS: i32 = 12;
export const LEVEL_SLOT: i32 = 64;
export const LEVEL_TEXTS: usize = memory.data(MAX_LEVELS * LEVEL_SLOT);
export const LEVEL_OPENINGS: usize = memory.data(MAX_LEVELS * LEVEL_SLOT);
// How many lines `recordLines` wrote at each level (u32 each), added to by each call.
export const LEVEL_COUNTS: usize = memory.data(MAX_LEVELS * 4);

// Where each group of the line being read starts and ends (u32 each); the index of its level; where the shape's
// writing steps start.
const MAX_GROUPS: i32 = 100;
const GROUPS: usize = memory.data(MAX_GROUPS * 8);
let matchedLevel: usize = 0;
let writingSteps: usize = 0;

// What the last `recordLines` stopped at: the start of the first line it did not write, or its `end` + 1 when it
// wrote them all.
export let recordsTo: i32 = 0;

// Writes the LOG line of each line of the shape at PROGRAM in the text at TEXT_START from `from` (a line start) to
// `end` (where the last line ends), at FRAMED_START, as many as FRAMED_ROOM takes: the opening for the line's level,
// its message as the shape's writing steps make it, and `"}` and a newline. Returns how many bytes it wrote;
// `recordsTo` says where it stopped: before a line that does not fit, or that is not of the shape (never so for the
// lines of a run the shape's pattern took, but the caller then takes the rest its own way). Pieces are copied 16 bytes
// a step (copyOver): a call to memory.copy costs more than a line's short pieces.
export function recordLines(from: i32, end: i32): i32 {
  const limit = FRAMED_START + <usize>FRAMED_ROOM - 16;
  let out = FRAMED_START;
  let line = from;
  while (line <= end) {
    const matched = matchRecord(line, end);
    if (matched < 0) break;
    // The line's length out, before anything is written: the room is checked once.
    const opening = LEVEL_OPENINGS + matchedLevel * <usize>LEVEL_SLOT;
    let length = <usize>load<u8>(opening) + 3;
    let step = writingSteps;
    while (load<u8>(step) != END) {
      if (load<u8>(step) == LITERAL) {
        length += <usize>load<u16>(step + 1);
        step += 3 + <usize>load<u16>(step + 1);
      } else {
        const group = GROUPS + (<usize>load<u8>(step + 1) << 3);
        length += <usize>(load<u32>(group, 4) - load<u32>(group));
        step += 2;
      }
    }
    if (out + length > limit) break;
    out = copyOver(out, opening + 1, <usize>load<u8>(opening));
    step = writingSteps;
    while (load<u8>(step) != END) {
      if (load<u8>(step) == LITERAL) {
        const size = <usize>load<u16>(step + 1);
        out = copyOver(out, step + 3, size);
        step += 3 + size;
      } else {
        const group = GROUPS + (<usize>load<u8>(step + 1) << 3);
        const start = load<u32>(group);
        out = copyOver(out, TEXT_START + <usize>start, <usize>(load<u32>(group, 4) - start));
        step += 2;
      }
    }
    store<u8>(out, 0x22);
    store<u8>(out, 0x7d, 1);
    store<u8>(out, 0x0a, 2);
    out += 3;
    const count = LEVEL_COUNTS + (matchedLevel << 2);
    store<u32>(count, load<u32>(count) + 1);
    line = matched + 1;
  }
  recordsTo = line;
  return <i32>(out - FRAMED_START);
}

// Where the line at `from` (a line start) ends if it is of the shape at PROGRAM (its newline, or `end`), -1 if not:
// whether a run of the shape starts there, before `recordLines` writes it.
export function recordLineEnd(from: i32, end: i32): i32 {
  return matchRecord(from, end);
}

// Copies `size` bytes from `from` to `to` 16 at a step, writing up to 15 bytes past them (which what is written next
// overwrites) and reading as far past the source; returns where they end.
// @ts-ignore: decorator
@inline function copyOver(to: usize, from: usize, size: usize): usize {
  for (let offset: usize = 0; offset < size; offset += 16) v128.store(to + offset, v128.load(from + offset));
  return to + size;
}

// Matches the line at `line` against the shape's matching steps, noting its groups, its level's index and where the
// writing steps start. Returns where the line ends (its newline, or `end`), -1 when it is not of the shape.
function matchRecord(line: i32, end: i32): i32 {
  let position = line;
  let step = PROGRAM;
  while (true) {
    const op = load<u8>(step);
    if (op == END) {
      if (position < end && load<u8>(TEXT_START + position) != 0x0a) return -1;
      writingSteps = step + 1;
      return position;
    }
    if (op == LITERAL) {
      const size = <i32>load<u16>(step + 1);
      if (position + size > end || !sameBytes(TEXT_START + position, step + 3, size)) return -1;
      position += size;
      step += 3 + size;
    } else if (op == STRING) {
      const start = position;
      position = min(plainStringEnd(position, end), end);
      noteGroup(load<u8>(step + 1), start, position);
      step += 2;
    } else if (op == NUMBER) {
      const start = position;
      position = numberEnd(position, end);
      if (position < 0 || (load<u8>(step + 2) != 0 && !isCanonicalNumber(start, position))) return -1;
      noteGroup(load<u8>(step + 1), start, position);
      step += 3;
    } else if (op == LEVEL) {
      let found = -1;
      for (let level = 0; level < MAX_LEVELS && found < 0; level++) {
        const text = LEVEL_TEXTS + <usize>level * LEVEL_SLOT;
        const size = <i32>load<u8>(text);
        if (size == 0 || position + size >= end) continue;
        let same = true;
        for (let offset = 0; offset < size && same; offset++) same = load<u8>(TEXT_START + position + offset) == load<u8>(text + 1 + offset);
        // A level text is a JSON value: another one can only match here if it is not followed by what a value is.
        const after = load<u8>(TEXT_START + position + size);
        if (same && (after == 0x20 || after == 0x2c || after == 0x7d)) {
          found = level;
          position += size;
        }
      }
      if (found < 0) return -1;
      matchedLevel = <usize>found;
      step += 1;
    } else {
      return -1;
    }
  }
}

// Whether the `size` bytes at `at` are those at `expected`: 8 at a step, then one by one.
// @ts-ignore: decorator
@inline function sameBytes(at: usize, expected: usize, size: i32): bool {
  let offset = 0;
  for (; offset + 8 <= size; offset += 8) {
    if (load<u64>(at + offset) != load<u64>(expected + offset)) return false;
  }
  for (; offset < size; offset++) {
    if (load<u8>(at + offset) != load<u8>(expected + offset)) return false;
  }
  return true;
}

// Where the bytes of a JSON string whose text is the string as asciiJsonString writes it end from `position` on, 16
// at a step: printable ASCII but `"` and `\`, and `\uXXXX` for a unit above 0x7E, in lower-case hex, a surrogate only
// as half of a pair (as record-shapes.ts's STRING says). At most 15 past `end`, which the caller bounds.
function plainStringEnd(position: i32, end: i32): i32 {
  const lowest = i8x16.splat(load<u8>(COMPARED, 1));
  const highest = i8x16.splat(load<u8>(COMPARED));
  const quote = i8x16.splat(load<u8>(COMPARED, 3));
  const backslash = i8x16.splat(load<u8>(COMPARED, 4));
  while (position < end) {
    const bytes = v128.load(TEXT_START + position);
    const stops = v128.or(v128.or(i8x16.lt_u(bytes, lowest), i8x16.gt_u(bytes, highest)), v128.or(i8x16.eq(bytes, quote), i8x16.eq(bytes, backslash)));
    const found = i8x16.bitmask(stops);
    if (found == 0) {
      position += 16;
      continue;
    }
    const stop = position + <i32>ctz(found);
    const unit = escapedUnit(stop, end);
    if (unit <= 0x7e || (unit >= 0xdc00 && unit <= 0xdfff)) return stop;
    if (unit < 0xd800 || unit > 0xdbff) {
      position = stop + 6;
      continue;
    }
    const low = escapedUnit(stop + 6, end);
    if (low < 0xdc00 || low > 0xdfff) return stop;
    position = stop + 12;
  }
  return position;
}

// The unit that the bytes at `at` write as `\uXXXX` in lower-case hex, within `end`; -1 when they are no such escape.
function escapedUnit(at: i32, end: i32): i32 {
  if (at + 6 > end || load<u8>(TEXT_START + at) != 0x5c || load<u8>(TEXT_START + at + 1) != 0x75) return -1;
  let unit = 0;
  for (let digit = 2; digit < 6; digit++) {
    const byte = <u32>load<u8>(TEXT_START + at + digit);
    if (isDigit(byte)) unit = (unit << 4) | <i32>(byte - 0x30);
    else if (byte - 0x61 < 6) unit = (unit << 4) | <i32>(byte - 0x57);
    else return -1;
  }
  return unit;
}

function noteGroup(group: u8, start: i32, end: i32): void {
  if (group == 0) return;
  const at = GROUPS + (<usize>group << 3);
  store<u32>(at, start);
  store<u32>(at, end, 4);
}
// @ts-ignore: decorator
@inline function isDigit(byte: u32): bool {
  return byte - 0x30 < 10;
}

// Where a JSON number from `position` ends, read as far as its grammar goes (`-?(0|[1-9][0-9]*)(\.[0-9]+)?
// ([eE][+-]?[0-9]+)?`), -1 when there is none: what the shape's pattern matches before the text after it.
function numberEnd(position: i32, end: i32): i32 {
  if (position < end && load<u8>(TEXT_START + position) == 0x2d) position++;
  if (position >= end || !isDigit(load<u8>(TEXT_START + position))) return -1;
  if (load<u8>(TEXT_START + position) == 0x30) position++;
  else while (position < end && isDigit(load<u8>(TEXT_START + position))) position++;
  if (position + 1 < end && load<u8>(TEXT_START + position) == 0x2e && isDigit(load<u8>(TEXT_START + position + 1))) {
    position += 2;
    while (position < end && isDigit(load<u8>(TEXT_START + position))) position++;
  }
  if (position < end && (load<u8>(TEXT_START + position) | 0x20) == 0x65) {
    let exponent = position + 1;
    if (exponent < end && (load<u8>(TEXT_START + exponent) == 0x2b || load<u8>(TEXT_START + exponent) == 0x2d)) exponent++;
    if (exponent < end && isDigit(load<u8>(TEXT_START + exponent))) {
      position = exponent;
      while (position < end && isDigit(load<u8>(TEXT_START + position))) position++;
    }
  }
  return position;
}

// Whether [start, end) is a number as JavaScript writes its value, as record-shapes.ts's CANONICAL_NUMBER says:
// `0`, an integer of up to 15 digits but -0, or a decimal of up to 8 integer and 6 fraction digits ending in a
// non-zero digit.
function isCanonicalNumber(start: i32, end: i32): bool {
  if (end - start == 1 && load<u8>(TEXT_START + start) == 0x30) return true;
  let position = start;
  if (load<u8>(TEXT_START + position) == 0x2d) position++;
  const integerStart = position;
  while (position < end && isDigit(load<u8>(TEXT_START + position))) position++;
  const integerDigits = position - integerStart;
  if (integerDigits == 0) return false;
  const leadingZero = load<u8>(TEXT_START + integerStart) == 0x30;
  if (position == end) return !leadingZero && integerDigits <= 15;
  if (load<u8>(TEXT_START + position) != 0x2e || integerDigits > 8 || (leadingZero && integerDigits > 1)) return false;
  const fractionStart = ++position;
  while (position < end && isDigit(load<u8>(TEXT_START + position))) position++;
  const fractionDigits = position - fractionStart;
  return position == end && fractionDigits >= 1 && fractionDigits <= 6 && load<u8>(TEXT_START + end - 1) != 0x30;
}

// Frames the lines of the text at TEXT_START from `from` (a line start) to `end` (where the last line ends), as
// `frameLines` frames bytes, each line's units escaped as `escapeUnits` escapes the contents of a JSON string: the
// lines of a run that needs escaping, as one JSON.stringify of the run and its newlines replaced made them. The text
// is UTF-16 units when `wide`, else bytes (ASCII text, which the line passes hold as bytes: read as units eight at a
// step all the same). Room is kept for each line at its longest escaped (six bytes a unit); a line too long for the
// whole room stops it, as a line not framed. Returns how many bytes it wrote; `framedTo` and `framedCount` as
// `frameLines` sets them.
export function frameEscapedLines(from: i32, end: i32, openLength: i32, closeLength: i32, wide: bool): i32 {
  return frameEscaped(from, end, openLength, closeLength, wide, true);
}

// The same for lines that are each valid JSON text (items), escaped as `escapeUnits` escapes such text, as asciiJson
// (src/protocol/ascii.ts) makes it ASCII.
export function frameJsonLines(from: i32, end: i32, openLength: i32, closeLength: i32, wide: bool): i32 {
  return frameEscaped(from, end, openLength, closeLength, wide, false);
}

// Inlined into both, so that each loop is compiled for its own escaping.
// @ts-ignore: decorator
@inline function frameEscaped(from: i32, end: i32, openLength: i32, closeLength: i32, wide: bool, inString: bool): i32 {
  const newlines = i16x8.splat(0x0a);
  const lowest = i16x8.splat(load<u16>(PRINTABLE_UNITS));
  const highest = i16x8.splat(load<u16>(PRINTABLE_UNITS, 2));
  // In a string, `"` and `\` need a backslash too; elsewhere nothing matches these (as in `escapeUnits`).
  const quote = i16x8.splat(inString ? load<u16>(PRINTABLE_UNITS, 4) : 0);
  const backslash = i16x8.splat(inString ? load<u16>(PRINTABLE_UNITS, 6) : 0);
  const close = v128.load(CLOSE);
  const limit = FRAMED_START + <usize>FRAMED_ROOM - 16;
  let out = FRAMED_START;
  let line = from;
  let count = 0;
  while (line <= end) {
    // The line's end, eight units a step.
    let lineEnd = line;
    while (lineEnd < end) {
      const found = i16x8.bitmask(i16x8.eq(unitsAt(lineEnd, wide), newlines));
      if (found != 0) {
        lineEnd = min(lineEnd + <i32>ctz(found), end);
        break;
      }
      lineEnd += 8;
    }
    lineEnd = min(lineEnd, end);
    if (out + <usize>openLength + <usize>(lineEnd - line) * 6 + <usize>closeLength + 16 > limit) break;
    for (let offset = 0; offset < openLength; offset += 16) v128.store(out + offset, v128.load(OPEN + offset));
    let position = out + openLength;
    let index = line;
    for (; index + 8 <= lineEnd; index += 8) {
      const units = unitsAt(index, wide);
      const outside = v128.or(i16x8.lt_u(units, lowest), i16x8.gt_u(units, highest));
      if (!v128.any_true(v128.or(outside, v128.or(i16x8.eq(units, quote), i16x8.eq(units, backslash))))) {
        v128.store64_lane(position, i8x16.narrow_i16x8_u(units, units), 0);
        position += 8;
      } else {
        for (let unit = index; unit < index + 8; unit++) position = escapeUnit(unitAt(unit, wide), position, inString, false);
      }
    }
    for (; index < lineEnd; index++) position = escapeUnit(unitAt(index, wide), position, inString, false);
    v128.store(position, close);
    out = position + closeLength;
    count++;
    line = lineEnd + 1;
  }
  return framedUpTo(line, count, out);
}

// The eight units of the text at TEXT_START from `index`, as u16 lanes: read as such when `wide`, else widened from
// bytes.
// @ts-ignore: decorator
@inline function unitsAt(index: i32, wide: bool): v128 {
  return wide ? v128.load(TEXT_START + (<usize>index << 1)) : i16x8.extend_low_i8x16_u(v128.load64_zero(TEXT_START + <usize>index));
}

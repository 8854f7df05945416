// Passes over bytes in WebAssembly: one over a chunk that says which kinds of bytes it holds (SIMD, 16 bytes a step),
// and one that finds its next non-ASCII byte (for text-flags.ts's pattern); two over a block of lines, that say where a
// run of one logger's lines ends and where the next level word stands (for patterns of detect-level.ts); and one that
// escapes text to printable ASCII (for ascii.ts's loops); one that frames a block's lines as protocol lines, as
// bytes (for encode.ts's runs); and one that writes the LOG lines of a run of JSON log records of one shape (for
// record-shapes.ts's patterns). Each pattern, loop or string stays the rule, and the path where WebAssembly is
// unavailable.
//
// text-flags.ts otherwise asks Buffer#indexOf (memchr) once per byte value that matters: 36 passes over each chunk,
// where this is one (copying the chunk into the module's memory included); the end-to-end bench's "1,000,000 log
// lines" and "1,000,000 JSON items" show the difference. The pattern takes irregexp a step per character of every
// line, and backtracks over each timestamp; the module reads the timestamp once and finds the line's end 16 bytes a
// step, copying of the block included (the "1,000,000 log lines" scenario shows it). The level-word pattern tries its
// alternatives at each letter; the module reads the text's runs of letters 16 bytes a step and compares only whole
// runs (the "1,000,000 plain prints" scenario shows it). Text with non-ASCII characters is escaped in JavaScript a
// character at a time; the module narrows eight printable units at a step, its copying in and out included (the
// "mixed" scenario shows it). A validator of JSON object lines written the same way was no faster than
// object-json.ts's pattern, so that stays in irregexp.
//
// The module is AssemblyScript (assembly/byte-scan.ts), compiled at build time by the pinned compiler and embedded in
// the bundle (scripts/build.js), so what runs is what the source says and every build of it is the same bytes. Where
// WebAssembly is unavailable (node --jitless), or for bytes larger than its memory takes, each function here returns
// undefined and the caller takes its native path.

import moduleBytes from '../../build/byte-scan.wasm';

// What a chunk holds, as bits of the scan's result.
export const HAS_NON_ASCII_OR_DEL = 1; // a byte ≥ 0x7f
export const HAS_CONTROL = 2; // a byte < 0x20 other than the newline
export const HAS_QUOTE_OR_BACKSLASH = 4;
export const HAS_INDENTED_OR_EMPTY_LINE = 8; // a newline followed by a space or a control (a tab, a newline)

// The module reads whole 16-byte steps, up to 15 bytes past what it is given.
const STEP = 16;

// The module's functions, as it exports them.
interface Functions {
  scan(length: number): number;
  nextNonAscii(from: number, length: number): number;
  shapedLinesEnd(start: number, limit: number, end: number, maxStamp: number, first: number, second: number, tailLength: number): number;
  nextWord(from: number, end: number): number;
  nextWordWide(from: number, end: number): number;
  escapeUnits(count: number, escape: Escape): number;
  frameLines(from: number, end: number, openLength: number, closeLength: number): number;
  frameEscapedLines(from: number, end: number, openLength: number, closeLength: number, wide: boolean): number;
  frameJsonLines(from: number, end: number, openLength: number, closeLength: number, wide: boolean): number;
  recordLines(from: number, end: number): number;
  recordLineEnd(from: number, end: number): number;
}

// The globals it exports, by the names assembly/byte-scan.ts gives them: where the areas of its memory start (the
// chunk, the text the line passes read, the units escapeUnits reads, a logger shape's parts, the words' keys, a
// frame's opening and closing and the lines framed, a record shape's program and level texts), and how much some of
// them take.
const LAYOUT = ['CHUNK_START', 'CHUNK_ROOM', 'TEXT_START', 'ESCAPE_START', 'ESCAPE_UNITS', 'STAMP_MARKS', 'TAIL', 'MAX_TAIL',
  'WORD_KEYS', 'WORD_COUNTS', 'WORD_HASH_BITS', 'MAX_WORD', 'WORDS_PER_LENGTH', 'OPEN', 'MAX_OPEN', 'CLOSE', 'FRAMED_START', 'PROGRAM', 'MAX_PROGRAM',
  'MAX_LEVELS', 'LEVEL_SLOT', 'LEVEL_TEXTS', 'LEVEL_OPENINGS', 'LEVEL_COUNTS'] as const;

interface Passes extends Functions {
  memory: Buffer;
  at: Record<(typeof LAYOUT)[number], number>;
  // What the frame passes and recordLines say besides their results.
  framedTo: WebAssembly.Global;
  framedCount: WebAssembly.Global;
  recordsTo: WebAssembly.Global;
}

let passes: Passes | null | undefined;

function instantiate(): Passes | null {
  try {
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes));
    const valueOf = (name: string): number => (exports[name] as WebAssembly.Global).value as number;
    return {
      ...(exports as unknown as Functions),
      // The module allocates nothing, so its memory never grows and this view stays valid.
      memory: Buffer.from((exports.memory as WebAssembly.Memory).buffer),
      at: Object.fromEntries(LAYOUT.map((name) => [name, valueOf(name)])) as Passes['at'],
      framedTo: exports.framedTo as WebAssembly.Global,
      framedCount: exports.framedCount as WebAssembly.Global,
      recordsTo: exports.recordsTo as WebAssembly.Global,
    };
  } catch {
    return null;
  }
}

function loaded(): Passes | null {
  if (passes === undefined) passes = typeof WebAssembly === 'object' ? instantiate() : null;
  return passes;
}

// The chunk last scanned, whose bytes the module's memory holds, and the text it holds for the line passes (as UTF-16
// units when `heldWide`).
let heldChunk: Uint8Array | undefined;
let heldText: string | undefined;
let heldWide = false;

// The HAS_* bits of what `chunk` holds, or undefined when it cannot be scanned here.
export function scanBytes(chunk: Uint8Array): number | undefined {
  const module = loaded();
  if (module === null) return undefined;
  const { memory, at: { CHUNK_START: chunkStart, CHUNK_ROOM: chunkRoom } } = module;
  const padded = Math.ceil(chunk.length / STEP) * STEP;
  heldChunk = undefined;
  if (padded + 1 > chunkRoom) return undefined;
  memory.set(chunk, chunkStart);
  // The last step reads up to 15 bytes past the chunk, and the byte after them: make them an ordinary letter.
  memory.fill(0x61, chunkStart + chunk.length, chunkStart + padded + 1);
  heldChunk = chunk;
  return module.scan(padded);
}

// Where the first byte above 0x7E (non-ASCII, or DEL) of `chunk` is at or after `from`, -1 where there is none; what
// text-flags.ts's nextNonAsciiByte finds in the chunk read as latin1. Undefined unless `chunk` is the chunk last
// scanned, whose bytes the module still holds.
export function nextNonAsciiByteIn(chunk: Uint8Array, from: number): number | undefined {
  if (passes == null || chunk !== heldChunk) return undefined;
  return passes.nextNonAscii(from, chunk.length);
}

// Puts `text` where the line passes read it, unless it is there already: a block's runs share one copy. As bytes, one
// a unit, unless `wide`, as UTF-16 units. False when it does not fit. Only text its chunk's flags say is ASCII may come
// here as bytes: a unit above 0xFF would be written as its low byte (U+0149 as `I`, U+010A as a newline), which
// nothing here could tell.
function hold(module: Passes, text: string, wide = false): boolean {
  if (heldText === text && heldWide === wide) return true;
  if (text.length * (wide ? 2 : 1) + STEP > module.at.CHUNK_ROOM) return false;
  module.memory.write(text, module.at.TEXT_START, wide ? 'utf16le' : 'latin1');
  heldText = text;
  heldWide = wide;
  return true;
}

// A logger's line shape, as LevelReader's pattern for it (detect-level.ts) states it: a timestamp of at most
// `maxStamp` + 2 units, all `stampMarks`, whose last two are `first` and `second` (0x30 stands for any digit), then
// `tail`, whose first unit is not a stampMark, then anything to the line's end.
export interface LineShape {
  readonly stampMarks: Uint8Array; // 256 entries, 1 for each unit a timestamp is written with
  readonly maxStamp: number;
  readonly first: number;
  readonly second: number;
  readonly tail: string; // ASCII
}

// The shape whose parts the module's memory holds now.
let heldShape: LineShape | undefined;

// Where the lines of ASCII `text` from `start` (a line start) that have `shape` end: the start of the first that has
// not, or `limit` (a line start); what LevelReader's pattern finds. Undefined when the module cannot say.
export function shapedLinesEnd(text: string, start: number, limit: number, shape: LineShape): number | undefined {
  const module = loaded();
  if (module === null || shape.tail.length > module.at.MAX_TAIL || !hold(module, text)) return undefined;
  if (heldShape !== shape) {
    module.memory.set(shape.stampMarks, module.at.STAMP_MARKS);
    module.memory.write(shape.tail, module.at.TAIL, 'latin1');
    heldShape = shape;
  }
  modulePasses.shapes++;
  return module.shapedLinesEnd(start, limit, text.length, shape.maxStamp, shape.first, shape.second, shape.tail.length);
}

// Words to find as words of their own (with no ASCII letter next to them), in any case: lower-case ASCII letters.
export interface Words {
  readonly words: readonly string[];
}

// The words whose keys the module's memory holds now, and the last it had no room for.
let heldWords: Words | undefined;
let unheldWords: Words | undefined;

// Where the first of `words` stands in `text` at or after `from`, as a word of its own and in any case; -1 where none
// does. The text is read as bytes when `ascii`, else as UTF-16 units (half as many a step). Undefined when the module
// cannot say (among them, for words it has no room for, and for a text longer than its room).
export function nextWordIn(text: string, from: number, words: Words, ascii: boolean): number | undefined {
  const module = loaded();
  if (module === null || words === unheldWords || (heldWords !== words && !holdWords(module, words)) || !hold(module, text, !ascii)) return undefined;
  if (ascii) {
    modulePasses.words++;
    return module.nextWord(from, text.length);
  }
  modulePasses.wideWords++;
  return module.nextWordWide(from, text.length);
}

// The module's wordHash of a word's key.
function wordHash(key: bigint): bigint {
  return BigInt.asUintN(64, key * 0x9e3779b97f4a7c15n) >> 58n;
}

function holdWords(module: Passes, set: Words): boolean {
  const { memory, at: { MAX_WORD: maxWord, WORDS_PER_LENGTH: wordsPerLength, WORD_KEYS: wordKeys, WORD_COUNTS: wordCounts, WORD_HASH_BITS: hashBits } } = module;
  heldWords = undefined;
  // A key's bytes past its word stay zero without clearing: the keys of one length are only ever words of that length.
  memory.fill(0, wordCounts, wordCounts + maxWord + 1);
  memory.fill(0, hashBits, hashBits + (maxWord + 1) * 8);
  for (const word of set.words) {
    const count = memory[wordCounts + word.length] as number;
    if (!/^[a-z]+$/.test(word) || word.length > maxWord || count === wordsPerLength) {
      unheldWords = set;
      return false;
    }
    const key = wordKeys + (word.length * wordsPerLength + count) * 8;
    memory.write(word, key, 'latin1');
    memory[wordCounts + word.length] = count + 1;
    const bits = hashBits + word.length * 8;
    memory.writeBigUInt64LE(memory.readBigUInt64LE(bits) | (1n << wordHash(memory.readBigUInt64LE(key))), bits);
  }
  heldWords = set;
  return true;
}

// How text is escaped to printable ASCII (src/protocol/ascii.ts is the rule; assembly/byte-scan.ts's escapeUnits takes
// the same numbers): as asciiJson escapes valid JSON text, as asciiJsonString escapes the contents of a JSON string,
// or as asciiJsonLines escapes JSON texts one a line.
export const ESCAPE = { JSON_TEXT: 0, STRING: 1, JSON_LINES: 2 } as const;
export type Escape = (typeof ESCAPE)[keyof typeof ESCAPE];

// `text` from `from` on escaped to printable ASCII as `escape` says; undefined when the module cannot do it.
export function escapedFrom(text: string, from: number, escape: Escape = ESCAPE.JSON_TEXT): string | undefined {
  let escaped = '';
  const done = escapeInPieces(text, from, escape, (bytes) => {
    escaped += bytes.toString('latin1');
  });
  return done ? escaped : undefined;
}

// `text` escaped as the contents of a JSON string in printable ASCII, as escapeTextInto (ascii.ts) writes it into
// `out` from `position`; returns the position after it, or undefined when the module cannot do it.
export function escapedStringInto(text: string, out: Buffer, position: number): number | undefined {
  const done = escapeInPieces(text, 0, ESCAPE.STRING, (bytes) => {
    position += bytes.copy(out, position);
  });
  return done ? position : undefined;
}

// Escapes `text` from `from` on in pieces as long as the module takes (each unit is escaped on its own, so any cut
// will do), handing each piece's ASCII, in the module's memory, to `take`. False when there is no module.
function escapeInPieces(text: string, from: number, escape: Escape, take: (bytes: Buffer) => void): boolean {
  const module = loaded();
  if (module === null) return false;
  const { memory, at: { ESCAPE_START: escapeStart, ESCAPE_UNITS: escapeRoom } } = module;
  for (let start = from; start < text.length; start += escapeRoom) {
    const units = Math.min(escapeRoom, text.length - start);
    memory.write(start === 0 && units === text.length ? text : text.slice(start, start + units), escapeStart, 'utf16le');
    const out = escapeStart + units * 2;
    modulePasses.escapes++;
    take(memory.subarray(out, out + module.escapeUnits(units, escape)));
  }
  return true;
}

// The opening and closing the frame passes write now.
let heldOpen: string | undefined;
let heldClose: string | undefined;

// The lines of `text` from `start` (a line start) to `end` (where the last line ends), each framed as `open` + the
// line + `close` (printable ASCII, as long as the module takes), handed to `take` as bytes in the module's memory, in
// pieces of whole lines, which `take` must copy before it returns. `escape`, if any, says how each line's text is
// escaped (ESCAPE: a log message's as the contents of a JSON string, an item's as JSON text), read as bytes when
// `ascii` (as the line passes hold it) and as UTF-16 units otherwise; without, the text is ASCII that needs none. Returns
// how many lines were framed and where the module stopped (the start of the first line it did not frame, `end` + 1
// when it framed them all: only an escaped line too long for its room stops it), or undefined when it cannot frame
// them (then nothing was handed over). As strings, the framed lines were made by a
// replaceAll over the run (after a JSON.stringify of it, escaped), flattened in the writer's batch and encoded again
// as bytes (the bench's log lines, items and mixed text show the difference); here the block's text, which the line
// passes put in the module's memory already, goes once into its frames.
export function framedLines(text: string, start: number, end: number, open: string, close: string, take: (bytes: Buffer) => void,
  escape?: Escape, ascii = true): { count: number; to: number } | undefined {
  const module = loaded();
  const wide = !ascii;
  if (module === null || open.length > module.at.MAX_OPEN || close.length > STEP || (wide && escape === undefined) || !hold(module, text, wide)) return undefined;
  const frame: Functions['frameEscapedLines'] = escape === undefined ? module.frameLines
    : escape === ESCAPE.STRING ? module.frameEscapedLines : module.frameJsonLines;
  const { memory, at: { OPEN: openAt, CLOSE: closeAt, FRAMED_START: framedStart } } = module;
  if (heldOpen !== open) {
    memory.write(open, openAt, 'latin1');
    heldOpen = open;
  }
  if (heldClose !== close) {
    memory.write(close, closeAt, 'latin1');
    heldClose = close;
  }
  let count = 0;
  let from = start;
  while (from <= end) {
    const length = frame(from, end, open.length, close.length, wide);
    const framed = module.framedCount.value as number;
    if (framed === 0) break;
    from = module.framedTo.value as number;
    count += framed;
    take(memory.subarray(framedStart, framedStart + length));
  }
  modulePasses[escape === undefined ? 'frames' : 'escapedFrames']++;
  return { count, to: from };
}

// The steps of a JSON log record shape's program, as assembly/byte-scan.ts names them (PROGRAM), and the most bytes
// a program may take.
export const PROGRAM_STEP = { END: 0, LITERAL: 1, STRING: 2, NUMBER: 3, LEVEL: 4, GROUP: 5, MAX_BYTES: 16384 } as const;

// The program and level texts the module's memory holds now.
let heldProgram: Uint8Array | undefined;
let heldLevels: readonly string[] | undefined;

// Whether the line of ASCII `text` at `start` (a line start) is a record of the shape `program` states
// (record-shapes.ts), whose level field has one of `levels` (JSON texts); undefined when the module cannot say.
export function isRecordLine(text: string, start: number, program: Uint8Array, levels: readonly string[]): boolean | undefined {
  const module = loaded();
  if (module === null || !holdRecordShape(module, text, program, levels)) return undefined;
  modulePasses.recordLines++;
  return module.recordLineEnd(start, text.length) !== -1;
}

// The LOG lines of the lines of ASCII `text` from `start` (a line start) to `end` (where the last ends) that are
// records of the shape `program` states, as isRecordLine reads them, the LOG line of each opening with `openings` for
// its level: handed to `take` as bytes in the module's memory, in pieces of whole lines that `take` must copy. Returns
// how many lines there were at each level, and where the module stopped (the start of the first line it did not
// write: one not of the shape, or too long for its room; `end` + 1 when it wrote them all); undefined when it cannot
// write them (then nothing was handed over).
export function recordLinesIn(text: string, start: number, end: number, program: Uint8Array, levels: readonly string[],
  openings: readonly string[], take: (bytes: Buffer) => void): { counts: number[]; to: number } | undefined {
  const module = loaded();
  if (module === null || openings.some((opening) => opening.length >= module.at.LEVEL_SLOT) || !holdRecordShape(module, text, program, levels)) return undefined;
  const { memory, at: { LEVEL_SLOT: slot, LEVEL_OPENINGS: levelOpenings, LEVEL_COUNTS: levelCounts, MAX_LEVELS: maxLevels, FRAMED_START: framedStart } } = module;
  openings.forEach((opening, level) => {
    memory[levelOpenings + level * slot] = opening.length;
    memory.write(opening, levelOpenings + level * slot + 1, 'latin1');
  });
  memory.fill(0, levelCounts, levelCounts + maxLevels * 4);
  let from = start;
  while (from <= end) {
    const length = module.recordLines(from, end);
    const to = module.recordsTo.value as number;
    if (length > 0) take(memory.subarray(framedStart, framedStart + length));
    if (to === from) break;
    from = to;
  }
  modulePasses.records++;
  const counts = levels.map((_, level) => memory.readUInt32LE(levelCounts + level * 4));
  return { counts, to: from };
}

// Puts `text`, a shape's program and its level texts where the module reads them, unless they are there already;
// false when they do not fit.
function holdRecordShape(module: Passes, text: string, program: Uint8Array, levels: readonly string[]): boolean {
  const { memory, at: { PROGRAM: programAt, MAX_PROGRAM: maxProgram, LEVEL_SLOT: slot, LEVEL_TEXTS: levelTexts, MAX_LEVELS: maxLevels } } = module;
  if (program.length > maxProgram || levels.length > maxLevels || levels.some((level) => level.length >= slot) || !hold(module, text)) return false;
  if (heldProgram !== program) {
    memory.set(program, programAt);
    heldProgram = program;
  }
  if (heldLevels !== levels) {
    for (let level = 0; level < maxLevels; level++) {
      const levelText = levels[level] ?? '';
      memory[levelTexts + level * slot] = levelText.length;
      memory.write(levelText, levelTexts + level * slot + 1, 'latin1');
    }
    heldLevels = levels;
  }
  return true;
}

// How many times each pass of the module has run so far (whether a test reached it is visible to tests only this way).
export const modulePasses = { shapes: 0, words: 0, wideWords: 0, escapes: 0, frames: 0, escapedFrames: 0, records: 0, recordLines: 0 };

// The WebAssembly scan against the rules it stands for: a byte-by-byte reading of them here, and text-flags.ts's
// native scans, on recorded program output and on random bytes of every value, at every length around the 16-byte
// steps and the longest chunk the module takes. Then the module's search for a chunk's next non-ASCII byte against
// text-flags.ts's pattern, how it holds the words it searches for, and how it frames lines (detect-level.test.ts and
// ascii.test.ts hold its other passes to their rules; output-lines.test.ts its framing to the string path's).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ESCAPE, type Escape, framedLines, HAS_CONTROL, HAS_INDENTED_OR_EMPTY_LINE, HAS_NON_ASCII_OR_DEL, HAS_QUOTE_OR_BACKSLASH, nextNonAsciiByteIn, nextWordIn, scanBytes } from '../../src/lines/byte-scan.js';
import { ASCII, nextNonAsciiByteByPattern, PLAIN, PRINTABLE, textFlags, textFlagsByNativeScans } from '../../src/lines/text-flags.js';
import { encodeItemRun, encodeLine, encodeLogRun, frameItemRun, frameLogRun } from '../../src/protocol/encode.js';
import { FIXTURES } from '../helpers/cli.js';
import { random } from '../helpers/random.js';

const LETTER = 0x61;

// The rules, one byte at a time.
function bitsByRule(chunk: Uint8Array): number {
  let bits = 0;
  chunk.forEach((byte, index) => {
    if (byte >= 0x7f) bits |= HAS_NON_ASCII_OR_DEL;
    else if (byte < 0x20 && byte !== 0x0a) bits |= HAS_CONTROL;
    else if (byte === 0x22 || byte === 0x5c) bits |= HAS_QUOTE_OR_BACKSLASH;
    const next = chunk[index + 1];
    if (byte === 0x0a && next !== undefined && next <= 0x20) bits |= HAS_INDENTED_OR_EMPTY_LINE;
  });
  return bits;
}

function expectSameAnswers(chunk: Buffer, label: string): void {
  expect(scanBytes(chunk), label).toBe(bitsByRule(chunk));
  expect(textFlags(chunk), label).toBe(textFlagsByNativeScans(chunk));
}

function letters(length: number): Buffer {
  return Buffer.alloc(length, LETTER);
}

// The longest chunk the module takes: its memory (scripts/compile-wasm.js) less what lies before the chunk.
function longestScanned(): number {
  let [low, high] = [0, 1 << 20];
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (scanBytes(letters(middle)) === undefined) high = middle - 1;
    else low = middle;
  }
  return low;
}
const LONGEST = longestScanned();

const REAL_OUTPUT = join(FIXTURES, 'real-output');
const recordedOutputs = readdirSync(REAL_OUTPUT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) => ['stdout.txt', 'stderr.txt'].map((stream) => join(entry.name, stream)))
  .filter((file) => existsSync(join(REAL_OUTPUT, file)));

describe('scanBytes', () => {
  it.each(recordedOutputs)('answers by the rules on the recorded output %s: whole, line by line, and in odd pieces', (file) => {
    const output = readFileSync(join(REAL_OUTPUT, file));
    expectSameAnswers(output, 'whole');
    for (let start = 0, end = output.indexOf(10); end !== -1; start = end + 1, end = output.indexOf(10, start)) {
      expectSameAnswers(output.subarray(start, end + 1), `line at ${start}`);
    }
    for (let start = 0, length = 1; start < output.length; start += length, length = (length % 97) + 1) {
      expectSameAnswers(output.subarray(start, start + length), `piece at ${start}`);
    }
  });

  it('answers by the rules for every byte value at every position of the first three steps, the last one partial', () => {
    const wrong: string[] = [];
    for (let length = 1; length <= 48; length++) {
      for (let position = 0; position < length; position++) {
        for (let byte = 0; byte < 256; byte++) {
          const chunk = letters(length);
          chunk[position] = byte;
          if (scanBytes(chunk) !== bitsByRule(chunk)) wrong.push(`byte ${byte} at ${position} of ${length}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('takes a whole pipe read', () => {
    expect(LONGEST).toBeGreaterThanOrEqual(65_536);
  });

  it('answers by the rules on random bytes of any value, at any length up to the longest it takes', () => {
    const next = random(11);
    for (let round = 0; round < 3_000; round++) {
      const length = round % 100 === 0 ? Math.floor(next() * LONGEST) : Math.floor(next() * 300);
      // Mostly letters with a few bytes of any value, where one byte decides the answer; sometimes all random.
      const chunk = round % 10 === 0 ? Buffer.from(Array.from({ length }, () => Math.floor(next() * 256))) : letters(length);
      for (let count = round % 4; count > 0 && length > 0 && round % 10 !== 0; count--) {
        chunk[Math.floor(next() * length)] = Math.floor(next() * 256);
      }
      expectSameAnswers(chunk, `round ${round}, length ${length}`);
    }
  });

  it('finds a byte in the last step of the longest chunk it takes, and leaves a longer one to the native scans', () => {
    for (let length = LONGEST - 40; length <= LONGEST + 40; length++) {
      for (const byte of [0x09, 0x22, 0x7f, 0xff]) {
        const chunk = letters(length);
        chunk[length - 1] = byte;
        expect(scanBytes(chunk), `byte ${byte} at the end of ${length}`).toBe(length <= LONGEST ? bitsByRule(chunk) : undefined);
        expect(textFlags(chunk), `byte ${byte} at the end of ${length}`).toBe(textFlagsByNativeScans(chunk));
      }
    }
  });

  it('does not see the bytes of a longer chunk scanned before', () => {
    const longer = letters(200);
    longer[199] = 0x22;
    expect(scanBytes(longer)).toBe(HAS_QUOTE_OR_BACKSLASH);
    expect(scanBytes(letters(190))).toBe(0);
    // A newline that ends a chunk of whole steps is followed by nothing, not by what the longer chunk had there.
    longer[192] = 0x20;
    scanBytes(longer);
    const shorter = letters(192);
    shorter[191] = 0x0a;
    expect(scanBytes(shorter)).toBe(0);
  });

  it('finds a line that starts with a space, a tab or its end after a newline at every position of the first steps', () => {
    const wrong: string[] = [];
    for (let length = 1; length <= 48; length++) {
      for (let position = 0; position < length; position++) {
        for (const after of [0x20, 0x09, 0x0a, 0x0d, 0x00, 0x21, 0x61, 0x80]) {
          const chunk = letters(length);
          chunk[position] = 0x0a;
          if (position + 1 < length) chunk[position + 1] = after;
          if (scanBytes(chunk) !== bitsByRule(chunk)) wrong.push(`newline at ${position} of ${length}, then ${after}`);
          if (textFlags(chunk) !== textFlagsByNativeScans(chunk)) wrong.push(`flags: newline at ${position} of ${length}, then ${after}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('nextWordIn', () => {
  it('leaves to the caller words it has no room for, and finds the next set\'s words after them', () => {
    const text = 'a warning: disk INFO';
    expect(nextWordIn(text, 0, { words: ['warning', 'info'] }, true)).toBe(2);
    expect(nextWordIn(text, 0, { words: ['verylongword'] }, true)).toBeUndefined();
    expect(nextWordIn(text, 0, { words: ['Info'] }, true)).toBeUndefined();
    expect(nextWordIn(text, 0, { words: Array.from({ length: 17 }, (_, index) => 'ab' + String.fromCharCode(0x61 + index)) }, true)).toBeUndefined();
    expect(nextWordIn(text, 3, { words: ['info', 'disk'] }, false)).toBe(11);
    // The words of a set held before are gone: `warning` is no word of this one.
    expect(nextWordIn(text, 0, { words: ['info', 'disk'] }, true)).toBe(11);
  });
});

describe('nextNonAsciiByteIn', () => {
  it('finds the next byte above 0x7E of the chunk last scanned where the pattern finds it, from every place', () => {
    const next = random(19);
    for (let round = 0; round < 300; round++) {
      const length = round % 50 === 0 ? Math.floor(next() * LONGEST) : Math.floor(next() * 100);
      const chunk = letters(length);
      for (let count = round % 5; count > 0 && length > 0; count--) chunk[Math.floor(next() * length)] = 0x7e + Math.floor(next() * 0x82);
      expect(scanBytes(chunk)).toBeDefined();
      const latin1 = chunk.toString('latin1');
      for (let from = 0; from <= length; from += length > 200 ? 97 : 1) {
        expect(nextNonAsciiByteIn(chunk, from), `round ${round}, from ${from}`).toBe(nextNonAsciiByteByPattern(latin1, from));
      }
    }
  });

  it('answers only for the chunk last scanned, which a block\'s text or an escape leaves in place', () => {
    const first = Buffer.from('a\u00e9b');
    const second = Buffer.from('plain');
    scanBytes(first);
    expect(nextNonAsciiByteIn(first, 0)).toBe(1);
    nextWordIn('a block of text, info', 0, { words: ['info'] }, true);
    expect(nextNonAsciiByteIn(first, 0)).toBe(1);
    scanBytes(second);
    expect(nextNonAsciiByteIn(first, 0)).toBeUndefined();
    expect(nextNonAsciiByteIn(second, 0)).toBe(-1);
  });
});

describe('framedLines', () => {
  // The lines framed, with the pieces they came in.
  function framed(text: string, start: number, end: number, open: string, close: string, escape?: Escape, ascii = true): { bytes: string; pieces: string[]; count: number | undefined; to: number | undefined } {
    const pieces: string[] = [];
    const result = framedLines(text, start, end, open, close, (bytes) => pieces.push(bytes.toString('latin1')), escape, ascii);
    return { bytes: pieces.join(''), pieces, count: result?.count, to: result?.to };
  }

  // The rule: each line between the opening and the closing.
  function byRule(text: string, start: number, end: number, open: string, close: string): string {
    return text.slice(start, end).split('\n').map((line) => open + line + close).join('');
  }

  // Printable lines, no `"` or `\`, of lengths around the module's 16-byte steps, joined by `\n`.
  function randomLines(next: () => number, count: number, longest: number): string {
    return Array.from({ length: count }, () => {
      const length = Math.floor(next() * longest);
      return Array.from({ length }, () => String.fromCharCode(0x23 + Math.floor(next() * 0x39))).join('');
    }).join('\n');
  }

  it('frames every line between the opening and the closing, from any line start to any line end', () => {
    const next = random(11);
    for (let round = 0; round < 300; round++) {
      const text = randomLines(next, 1 + Math.floor(next() * 40), [3, 20, 40, 130][round % 4] as number);
      const starts = [0, ...[...text.matchAll(/\n/g)].map((match) => (match.index as number) + 1)];
      const ends = [...[...text.matchAll(/\n/g)].map((match) => match.index as number), text.length];
      const first = Math.floor(next() * starts.length);
      const start = starts[first] as number;
      const end = ends[first + Math.floor(next() * (ends.length - first))] as number;
      // Openings from none to the longest, past the 64 bytes the module keeps in registers; closings up to 16 bytes.
      // Random letters: what a frame before left in memory is never the same.
      const letters = (length: number): string => Array.from({ length }, () => String.fromCharCode(0x61 + Math.floor(next() * 26))).join('');
      const open = letters(Math.floor(next() * 129));
      const close = letters(1 + Math.floor(next() * 16));
      const { bytes, count } = framed(text, start, end, open, close);
      expect(bytes, `round ${round}`).toBe(byRule(text, start, end, open, close));
      expect(count, `round ${round}`).toBe(text.slice(start, end).split('\n').length);
    }
  });

  it('writes what the string path writes for a run of log lines and of items', () => {
    const next = random(5);
    const text = randomLines(next, 500, 120);
    const end = text.length;
    for (const [time, level] of [[1_700_000_000_000, 20], [0, 40], [17, 10]] as const) {
      const pieces: Buffer[] = [];
      const framed = frameLogRun(time, level, text, 0, end, PLAIN, (bytes) => pieces.push(Buffer.from(bytes)));
      expect({ lines: Buffer.concat(pieces).toString('latin1'), count: framed?.count }).toEqual(encodeLogRun(time, level, text, PLAIN));
    }
    const items = text.split('\n').map((line, n) => `{"n":${n},"line":"${line}"}`).join('\n');
    const pieces: Buffer[] = [];
    const framed = frameItemRun(items, 0, items.length, PRINTABLE, (bytes) => pieces.push(Buffer.from(bytes)));
    expect({ lines: Buffer.concat(pieces).toString('latin1'), count: framed?.count }).toEqual(encodeItemRun(items, PRINTABLE));
  });

  it('hands a text as long as it holds over in pieces of whole lines, and takes a line as long as that text', () => {
    const next = random(3);
    let text = randomLines(next, 6_000, 20);
    text = text.slice(0, text.lastIndexOf('\n', 65_000));
    const open = 'LOG {"time":1700000000000,"level":20,"message":"';
    const { bytes, pieces, count } = framed(text, 0, text.length, open, '"}\n');
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.startsWith(open) && piece.endsWith('"}\n')).toBe(true);
    expect(bytes).toBe(byRule(text, 0, text.length, open, '"}\n'));
    expect(count).toBe(text.split('\n').length);

    const line = 'x'.repeat(65_536);
    expect(framed(line, 0, line.length, open.padEnd(128, 'o'), '"}\n').bytes).toBe(open.padEnd(128, 'o') + line + '"}\n');
  });

  it('frames lines that need escaping as one JSON.stringify of the run makes them, at every length around its steps', () => {
    const next = random(17);
    // Printable units, those that need a backslash, controls, non-ASCII, surrogate pairs and lone halves.
    const units = ['a', 'Z', ' ', '~', '"', '\\', '\t', '\u0001', '\u001f', '\u007f', 'é', 'Ж', '€', '\uffff', '😀', '\ud800', '\udc00'];
    for (let round = 0; round < 300; round++) {
      const text = Array.from({ length: 1 + Math.floor(next() * 20) }, () =>
        Array.from({ length: Math.floor(next() * [4, 12, 40][round % 3]!) }, () => units[Math.floor(next() * (next() < 0.7 ? 4 : units.length))]).join('')).join('\n');
      const time = Math.floor(next() * 2e12);
      const level = [10, 20, 30, 40, 50][round % 5] as number;
      // Text with no unit above 0x7E as bytes, as the line passes hold it (text-flags.ts's ASCII); any other as UTF-16.
      const flags = /^[\u0000-\u007e]*$/.test(text) ? ASCII : 0;
      const pieces: Buffer[] = [];
      const framed = frameLogRun(time, level, text, 0, text.length, flags, (bytes) => pieces.push(Buffer.from(bytes)));
      expect({ lines: Buffer.concat(pieces).toString('latin1'), count: framed?.count }, `round ${round}`).toEqual(encodeLogRun(time, level, text, flags));
    }
  });

  it('frames items that need escaping as asciiJson makes each, at every length around its steps', () => {
    const next = random(23);
    // Printable units (`"` and `\` among them, which an item's text keeps), controls, DEL, non-ASCII, surrogate pairs
    // and lone halves: the rule makes any text ASCII, valid JSON or not.
    const units = ['a', '{', ' ', '~', '"', '\\', '\t', '\u0001', '\u007f', 'é', 'Ж', '€', '\uffff', '😀', '\ud800', '\udc00'];
    for (let round = 0; round < 300; round++) {
      const text = Array.from({ length: 1 + Math.floor(next() * 20) }, () =>
        Array.from({ length: Math.floor(next() * [4, 12, 40][round % 3]!) }, () => units[Math.floor(next() * (next() < 0.7 ? 4 : units.length))]).join('')).join('\n');
      const flags = /^[\u0000-\u007e]*$/.test(text) ? ASCII : 0;
      const pieces: Buffer[] = [];
      const framed = frameItemRun(text, 0, text.length, flags, (bytes) => pieces.push(Buffer.from(bytes)));
      expect(framed, `round ${round}`).toBeDefined();
      expect({ lines: Buffer.concat(pieces).toString('latin1'), count: framed?.count }, `round ${round}`).toEqual(encodeItemRun(text, flags));
      expect(encodeItemRun(text, flags).lines, `round ${round}`).toBe(text.split('\n').map((item) => encodeLine('ITM', item)).join(''));
    }
  });

  it('stops before a line that needs escaping too long for its room, and frames the lines before it', () => {
    for (const [long, ascii] of [['é', false], ['\u0001', true]] as const) {
      const text = 'a"\n' + long.repeat(12_000) + '\nb';
      const { bytes, count, to } = framed(text, 0, text.length, 'ITM ', '\n', ESCAPE.STRING, ascii);
      expect({ bytes, count, to }).toEqual({ bytes: 'ITM a\\"\n', count: 1, to: 3 });
    }
  });

  it('stops a piece at its room when a line as long as its memory allows comes after many short ones', () => {
    const open = 'o'.repeat(128);
    // The short lines fill the room nearly, so the long one would run past the module's memory.
    const text = 'a\n'.repeat(492) + 'b'.repeat(64_500);
    const { bytes, pieces } = framed(text, 0, text.length, open, '"}\n');
    expect(pieces.length).toBe(2);
    expect(bytes).toBe(byRule(text, 0, text.length, open, '"}\n'));
  });

  it('reads no line past the end it is given, though the memory after it holds an earlier text\'s lines', () => {
    framed('a'.repeat(100) + '\nbbb\n', 0, 105, 'ITM ', '\n');
    expect(framed('cc', 0, 2, 'ITM ', '\n').bytes).toBe('ITM cc\n');
    expect(framed('cc\n', 0, 3, 'ITM ', '\n').bytes).toBe('ITM cc\nITM \n');
  });

  it('leaves to the caller a text, an opening or a closing it has no room for, handing nothing over', () => {
    for (const [text, open, close] of [['a'.repeat(65_537), 'ITM ', '\n'], ['a', 'o'.repeat(129), '\n'], ['a', 'ITM ', 'c'.repeat(17)]] as const) {
      const { pieces, count } = framed(text, 0, text.length, open, close);
      expect(count).toBeUndefined();
      expect(pieces).toEqual([]);
    }
  });
});

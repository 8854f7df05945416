// The WebAssembly scan against the rules it stands for: a byte-by-byte reading of them here, and text-flags.ts's
// native scans, on recorded program output and on random bytes of every value, at every length around the 16-byte
// steps and the longest chunk the module takes. Then the module's search for a chunk's next non-ASCII byte against
// text-flags.ts's pattern, and how it holds the words it searches for (detect-level.test.ts and ascii.test.ts hold its
// other passes to their rules).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_CONTROL, HAS_NON_ASCII_OR_DEL, HAS_QUOTE_OR_BACKSLASH, nextNonAsciiByteIn, nextWordIn, scanBytes } from '../../src/lines/byte-scan.js';
import { nextNonAsciiByteByPattern, textFlags, textFlagsByNativeScans } from '../../src/lines/text-flags.js';
import { FIXTURES } from '../helpers/cli.js';
import { random } from '../helpers/random.js';

const LETTER = 0x61;

// The rules, one byte at a time.
function bitsByRule(chunk: Uint8Array): number {
  let bits = 0;
  for (const byte of chunk) {
    if (byte >= 0x7f) bits |= HAS_NON_ASCII_OR_DEL;
    else if (byte < 0x20 && byte !== 0x0a) bits |= HAS_CONTROL;
    else if (byte === 0x22 || byte === 0x5c) bits |= HAS_QUOTE_OR_BACKSLASH;
  }
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

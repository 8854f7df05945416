import { describe, expect, it } from 'vitest';
import { scanBytes } from '../../src/lines/byte-scan.js';
import { ASCII, NO_CONTROLS, NO_QUOTES, PLAIN, textFlags, textFlagsByNativeScans } from '../../src/lines/text-flags.js';
import { random } from '../helpers/random.js';

describe('textFlags', () => {
  it.each([
    ['plain text with newlines', 'a line\nanother line\n', PLAIN],
    ['a quote', 'say "hi"\n', ASCII | NO_CONTROLS],
    ['a backslash', 'C:\\path\n', ASCII | NO_CONTROLS],
    ['a tab', 'a\tb\n', ASCII | NO_QUOTES],
    ['a CR', 'a\r\n', ASCII | NO_QUOTES],
    ['an ESC', '\u001b[31mred\n', ASCII | NO_QUOTES],
    ['a NUL', 'a\u0000b', ASCII | NO_QUOTES],
    ['a DEL', 'a\u007fb', 0],
    ['non-ASCII', 'café\n', 0],
    ['nothing', '', PLAIN],
  ])('%s', (_name, text, expected) => {
    expect(textFlags(Buffer.from(text))).toBe(expected);
  });

  it('is scanned in one SIMD pass here, and answers as the native scans do for any bytes, length and position', () => {
    expect(scanBytes(Buffer.from('x'))).toBeTypeOf('number');
    const next = random(7);
    const special = [0, 1, 8, 9, 10, 11, 13, 27, 31, 0x20, 0x22, 0x5c, 0x7e, 0x7f, 0x80, 0xc3, 0xff];
    for (let round = 0; round < 3_000; round++) {
      const length = round % 50 === 0 ? Math.floor(next() * 70_000) : Math.floor(next() * 70);
      const chunk = Buffer.alloc(length, 0x61);
      // Bytes at the edges of the 16-byte steps and at the ends, where an off-by-one would hide.
      const positions = [0, 15, 16, 17, length - 16, length - 1, Math.floor(next() * length)];
      for (let count = round % 4; count > 0 && length > 0; count--) {
        const position = positions[Math.floor(next() * positions.length)] as number;
        if (position >= 0 && position < length) chunk[position] = special[Math.floor(next() * special.length)] as number;
      }
      expect(textFlags(chunk), `round ${round}: ${JSON.stringify([...chunk].filter((byte) => byte !== 0x61))}`)
        .toBe(textFlagsByNativeScans(chunk));
    }
  });

  it('falls back to the native scans for a chunk larger than the scanner holds', () => {
    const chunk = Buffer.alloc(200_000, 0x61);
    chunk[199_999] = 0x09;
    expect(scanBytes(chunk)).toBeUndefined();
    expect(textFlags(chunk)).toBe(ASCII | NO_QUOTES);
  });
});

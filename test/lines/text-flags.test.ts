import { describe, expect, it } from 'vitest';
import { ASCII, NO_CONTROLS, NO_QUOTES, PLAIN, textFlags, textFlagsByNativeScans } from '../../src/lines/text-flags.js';

// The WebAssembly scan and the native scans give the same answers on any bytes: test/lines/byte-scan.test.ts.
describe.each([
  ['textFlags', textFlags],
  ['textFlagsByNativeScans', textFlagsByNativeScans],
])('%s', (_name, flagsOf) => {
  it.each([
    ['plain text with newlines', 'a line\nanother line\n', PLAIN],
    ['a quote', 'say "hi"\n', ASCII | NO_CONTROLS],
    ['a backslash', 'C:\\path\n', ASCII | NO_CONTROLS],
    ['a tab', 'a\tb\n', ASCII | NO_QUOTES],
    ['a CR', 'a\r\n', ASCII | NO_QUOTES],
    ['an ESC', '\u001b[31mred\n', ASCII | NO_QUOTES],
    ['a NUL', 'a\u0000b', ASCII | NO_QUOTES],
    ['a DEL', 'a\u007fb', NO_QUOTES | NO_CONTROLS],
    ['non-ASCII', 'café\n', NO_QUOTES | NO_CONTROLS],
    ['non-ASCII and a quote', 'say "café"\n', NO_CONTROLS],
    ['non-ASCII and a tab', 'café\tbar\n', NO_QUOTES],
    ['nothing', '', PLAIN],
  ])('%s', (_case, text, expected) => {
    expect(flagsOf(Buffer.from(text))).toBe(expected);
  });
});

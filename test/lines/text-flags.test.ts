import { describe, expect, it } from 'vitest';
import { ASCII, NO_CONTROLS, NO_INDENTED_OR_EMPTY_LINES as LINES, NO_QUOTES, PLAIN, textFlags, textFlagsByNativeScans } from '../../src/lines/text-flags.js';

// The WebAssembly scan and the native scans give the same answers on any bytes: test/lines/byte-scan.test.ts.
describe.each([
  ['textFlags', textFlags],
  ['textFlagsByNativeScans', textFlagsByNativeScans],
])('%s', (_name, flagsOf) => {
  it.each([
    ['plain text with newlines', 'a line\nanother line\n', PLAIN | LINES],
    ['a quote', 'say "hi"\n', ASCII | NO_CONTROLS | LINES],
    ['a backslash', 'C:\\path\n', ASCII | NO_CONTROLS | LINES],
    ['a tab', 'a\tb\n', ASCII | NO_QUOTES | LINES],
    ['a CR', 'a\r\n', ASCII | NO_QUOTES | LINES],
    ['an ESC', '\u001b[31mred\n', ASCII | NO_QUOTES | LINES],
    ['a NUL', 'a\u0000b', ASCII | NO_QUOTES | LINES],
    ['a DEL', 'a\u007fb', NO_QUOTES | NO_CONTROLS | LINES],
    ['non-ASCII', 'café\n', NO_QUOTES | NO_CONTROLS | LINES],
    ['non-ASCII and a quote', 'say "café"\n', NO_CONTROLS | LINES],
    ['non-ASCII and a tab', 'café\tbar\n', NO_QUOTES | LINES],
    ['nothing', '', PLAIN | LINES],
    ['an indented line', 'Traceback:\n  File "a.py"\n', ASCII | NO_CONTROLS],
    ['a line indented with a tab', 'goroutine 1:\n\tmain.go\n', ASCII | NO_QUOTES],
    ['an empty line', 'one\n\ntwo\n', PLAIN],
    ['a space that starts the text, not a line after a newline', ' a\nb c\n', PLAIN | LINES],
  ])('%s', (_case, text, expected) => {
    expect(flagsOf(Buffer.from(text))).toBe(expected);
  });
});

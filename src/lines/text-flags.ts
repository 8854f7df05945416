// What a chunk of output contains that JSON encoding would have to escape, decided once per chunk by a native pass
// over its bytes instead of once per character of every line.
//
// One SIMD pass (byte-scan.ts) where WebAssembly runs, else isAscii plus a memchr (Buffer#indexOf) for each byte that
// matters: either is several times cheaper than testing each line (a regex, JSON.stringify or a charCodeAt loop),
// and a line whose chunk is plain skips both JSON.stringify and ASCII escaping. The bench's log and item scenarios
// show it.

import { isAscii } from 'node:buffer';
import { HAS_CONTROL, HAS_INDENTED_OR_EMPTY_LINE, HAS_NON_ASCII_OR_DEL, HAS_QUOTE_OR_BACKSLASH, nextNonAsciiByteIn, scanBytes } from './byte-scan.js';

// No unit outside 0x00–0x7E: nothing to write as \uXXXX.
export const ASCII = 1;
// No control character except the newline that ends the line.
export const NO_CONTROLS = 2;
// No `"` and no `\`.
export const NO_QUOTES = 4;
// Nothing JSON would escape: the text stands between two quotes as it is.
export const PLAIN = ASCII | NO_CONTROLS | NO_QUOTES;
// Valid JSON text with these needs no ASCII escaping: it can be sent as it is.
export const PRINTABLE = ASCII | NO_CONTROLS;
// No line after the first starts with a space or a tab or is empty (no newline followed by a space or a control
// character, a tab or a newline among them): no line continues the one before it by its indentation (output-lines.ts
// needs not look for any).
export const NO_INDENTED_OR_EMPTY_LINES = 8;

// A newline and what starts an indented or empty line after it (any control: the scan in the module reads them
// alike, and they are rare there).
const LINE_STARTS = /\n[\x00-\x20]/;

// Most likely first: tab, CR (of CRLF), ESC (ANSI colours), NUL; then the rest. The newline (10) is the separator.
const CONTROL_BYTES = [9, 13, 27, 0, ...Array.from({ length: 32 }, (_, byte) => byte).filter((byte) => ![9, 10, 13, 27, 0].includes(byte))];

export function textFlags(chunk: Buffer): number {
  const found = scanBytes(chunk);
  return found === undefined ? textFlagsByNativeScans(chunk) : flagsOf(found);
}

function flagsOf(found: number): number {
  return ((found & HAS_NON_ASCII_OR_DEL) === 0 ? ASCII : 0) | ((found & HAS_QUOTE_OR_BACKSLASH) === 0 ? NO_QUOTES : 0)
    | ((found & HAS_CONTROL) === 0 ? NO_CONTROLS : 0) | ((found & HAS_INDENTED_OR_EMPTY_LINE) === 0 ? NO_INDENTED_OR_EMPTY_LINES : 0);
}

// The same answer without WebAssembly (see byte-scan.ts).
export function textFlagsByNativeScans(chunk: Buffer): number {
  let flags = isAscii(chunk) && chunk.indexOf(0x7f) === -1 ? ASCII : 0;
  if (chunk.indexOf(0x22) === -1 && chunk.indexOf(0x5c) === -1) flags |= NO_QUOTES;
  if (!CONTROL_BYTES.some((byte) => chunk.indexOf(byte) !== -1)) flags |= NO_CONTROLS;
  if (!LINE_STARTS.test(chunk.toString('latin1'))) flags |= NO_INDENTED_OR_EMPTY_LINES;
  return flags;
}

// Where the next byte outside ASCII (as above: DEL too) is in `chunk`, whose bytes read as latin1 are `latin1`, from
// `from` on; -1 when there is none. For chunks the flags say hold one: in the WebAssembly module, which still holds the
// chunk it scanned (byte-scan.ts), 16 bytes a step; else by the pattern, which is the rule.
export function nextNonAsciiByte(chunk: Uint8Array, latin1: string, from: number): number {
  return nextNonAsciiByteIn(chunk, from) ?? nextNonAsciiByteByPattern(latin1, from);
}

export function nextNonAsciiByteByPattern(latin1: string, from: number): number {
  NON_ASCII_BYTE.lastIndex = from;
  return NON_ASCII_BYTE.exec(latin1)?.index ?? -1;
}

const NON_ASCII_BYTE = /[\x7f-\xff]/g;

// Makes valid JSON text pure printable ASCII, byte-for-byte as Python's json.dumps(ensure_ascii=True) writes it.
//
// Input is always JSON that JSON.stringify produced or JSON.parse accepted. In such text a unit above 0x7E can only
// stand inside a string, where `\uXXXX` is its exact equivalent; a unit below 0x20 can only be insignificant
// whitespace (tab, CR) between tokens, where a space means the same. So no parse is needed, only one scan.

import { ESCAPE, escapedFrom, escapedStringInto } from '../lines/byte-scan.js';

// Lower-case hex digits as byte values, as Python writes them.
const HEX = Buffer.from('0123456789abcdef', 'latin1');

// Scratch space for the escaped text, reused between calls and grown on demand. Text that needs escaping is written
// byte by byte into it: building a string with `+=` per escaped character made one rope node per character, which
// took a long Cyrillic line to several times its size in memory; this way it takes one pass and no garbage (the
// bench's 60 MB non-ASCII line).
const SCRATCH_KEEP_BYTES = 8 * 1024 * 1024;
let scratch = Buffer.allocUnsafe(64 * 1024);

// Returns the text itself when it is already ASCII: one charCodeAt pass, no allocation, the common case.
export function asciiJson(json: string): string {
  return toAscii(json, false);
}

// Several JSON texts, one a line (joined by `\n`), each made printable ASCII as asciiJson makes it: the newlines
// between them are kept, where asciiJson would make them spaces.
export function asciiJsonLines(lines: string): string {
  return toAscii(lines, true);
}

function toAscii(json: string, keepNewlines: boolean): string {
  const length = json.length;
  let index = 0;
  while (index < length) {
    const code = json.charCodeAt(index);
    if ((code < 0x20 && !(keepNewlines && code === 0x0a)) || code > 0x7e) break;
    index++;
  }
  if (index === length) return json;
  // The WebAssembly pass (byte-scan.ts) escapes the rest several times faster than the loop below, which is the rule
  // it follows and the path without it; for a short rest, its copies in and out cost more than the loop.
  const escaped = length - index >= WASM_ESCAPE_UNITS ? escapedFrom(json, index, keepNewlines ? ESCAPE.JSON_LINES : ESCAPE.JSON_TEXT) : undefined;
  return escaped === undefined ? escapeFrom(json, index, keepNewlines) : json.slice(0, index) + escaped;
}

const WASM_ESCAPE_UNITS = 128;

// asciiJson(JSON.stringify(text)): a JSON string of `text` in printable ASCII. A long text is escaped by the
// WebAssembly pass in one step, with no JSON.stringify copy of it to scan again. `ascii`: the text holds no unit above
// 0x7E, so JSON.stringify alone would do; the pass is then worth its copies only for longer texts, where it is about
// twice as fast as JSON.stringify (a logger's multi-line messages, runs of lines with quotes).
export function asciiJsonString(text: string, ascii = false): string {
  const escaped = text.length >= (ascii ? WASM_ASCII_UNITS : WASM_ESCAPE_UNITS) ? escapedFrom(text, 0, ESCAPE.STRING) : undefined;
  if (escaped !== undefined) return '"' + escaped + '"';
  return ascii ? JSON.stringify(text) : asciiJson(JSON.stringify(text));
}

const WASM_ASCII_UNITS = 512;

// Escapes the text from `first`, the index of its first unit to escape (outside 0x20–0x7E, and no newline kept).
export function escapeFrom(json: string, first: number, keepNewlines = false): string {
  const worst = first + (json.length - first) * 6;
  let out = scratch;
  if (out.length < worst) {
    out = Buffer.allocUnsafe(Math.max(worst, out.length * 2));
    if (out.length <= SCRATCH_KEEP_BYTES) scratch = out;
  }
  let position = out.write(json.slice(0, first), 0, 'latin1');
  for (let index = first; index < json.length; index++) {
    const code = json.charCodeAt(index);
    if (code >= 0x20 && code <= 0x7e) {
      out[position++] = code;
    } else if (code < 0x20) {
      // Only insignificant whitespace (tab, CR) can be raw here: a space means the same. Between texts one a line, a
      // newline stays one.
      out[position++] = keepNewlines && code === 0x0a ? 0x0a : 0x20;
    } else {
      out[position++] = 0x5c; // backslash
      out[position++] = 0x75; // u
      out[position++] = HEX[code >> 12] as number;
      out[position++] = HEX[(code >> 8) & 15] as number;
      out[position++] = HEX[(code >> 4) & 15] as number;
      out[position++] = HEX[code & 15] as number;
    }
  }
  return out.toString('latin1', 0, position);
}

// The length a string's contents take once JSON-encoded and ASCII-escaped, per UTF-16 unit.
export function escapedUnitLength(code: number): number {
  if (code >= 0x20 && code <= 0x7e) return code === 0x22 || code === 0x5c ? 2 : 1;
  if (code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d) return 2;
  return 6;
}

// The short escapes JSON (and Python) use for some controls, by code; 0 where `\u00XX` is written instead.
const SHORT_ESCAPES = new Uint8Array(0x20);
SHORT_ESCAPES[0x08] = 0x62; // \b
SHORT_ESCAPES[0x09] = 0x74; // \t
SHORT_ESCAPES[0x0a] = 0x6e; // \n
SHORT_ESCAPES[0x0c] = 0x66; // \f
SHORT_ESCAPES[0x0d] = 0x72; // \r

// Writes `text` as the contents of a JSON string, escaped to printable ASCII exactly as asciiJson(JSON.stringify())
// would (lone surrogates included), into `out` from `position`, and returns the position after it. `out` must hold
// 6 bytes per unit. No string is made: for long texts that need escaping, the escaped copy was the largest garbage.
// The WebAssembly pass (byte-scan.ts) does it several times faster than the loop below, which is the rule it follows
// and the path without it (the bench's 60 MB non-ASCII line shows it).
export function escapeTextInto(text: string, out: Buffer, position: number): number {
  return escapedStringInto(text, out, position) ?? escapeTextByLoop(text, out, position);
}

export function escapeTextByLoop(text: string, out: Buffer, position: number): number {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x20 && code <= 0x7e) {
      if (code === 0x22 || code === 0x5c) out[position++] = 0x5c;
      out[position++] = code;
    } else if (code < 0x20 && SHORT_ESCAPES[code] !== 0) {
      out[position++] = 0x5c;
      out[position++] = SHORT_ESCAPES[code] as number;
    } else {
      out[position++] = 0x5c;
      out[position++] = 0x75;
      out[position++] = HEX[code >> 12] as number;
      out[position++] = HEX[(code >> 8) & 15] as number;
      out[position++] = HEX[(code >> 4) & 15] as number;
      out[position++] = HEX[code & 15] as number;
    }
  }
  return position;
}

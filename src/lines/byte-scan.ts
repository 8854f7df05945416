// One pass over a chunk that says which kinds of bytes it holds, in WebAssembly SIMD (16 bytes a step).
//
// text-flags.ts otherwise asks Buffer#indexOf (memchr) once per byte value that matters: 36 passes over each chunk,
// where this is one (copying the chunk into the module's memory included); the end-to-end bench's "1,000,000 log
// lines" and "1,000,000 JSON items" show the difference.
//
// The module is AssemblyScript (assembly/byte-scan.ts), compiled at build time by the pinned compiler and embedded in
// the bundle (scripts/build.js), so what runs is what the source says and every build of it is the same bytes. Where
// WebAssembly is unavailable (node --jitless), or for a chunk larger than its memory takes, `scanBytes` returns
// undefined and the caller scans natively.

import moduleBytes from '../../build/byte-scan.wasm';

// What a chunk holds, as bits of the scan's result.
export const HAS_NON_ASCII_OR_DEL = 1; // a byte ≥ 0x7f
export const HAS_CONTROL = 2; // a byte < 0x20 other than the newline
export const HAS_QUOTE_OR_BACKSLASH = 4;

// The module reads whole 16-byte steps.
const STEP = 16;

interface Scanner {
  scan(length: number): number;
  memory: Uint8Array;
  // Where the module reads the chunk from.
  chunkStart: number;
}

let scanner: Scanner | null | undefined;

function instantiate(): Scanner | null {
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes));
    const exports = instance.exports as {
      scan: (length: number) => number;
      memory: WebAssembly.Memory;
      CHUNK_START: WebAssembly.Global<'i32'>;
    };
    return { scan: exports.scan, memory: new Uint8Array(exports.memory.buffer), chunkStart: exports.CHUNK_START.value };
  } catch {
    return null;
  }
}

// The HAS_* bits of what `chunk` holds, or undefined when it cannot be scanned here.
export function scanBytes(chunk: Uint8Array): number | undefined {
  if (scanner === undefined) scanner = typeof WebAssembly === 'object' ? instantiate() : null;
  if (scanner === null) return undefined;
  const { chunkStart, memory } = scanner;
  const padded = Math.ceil(chunk.length / STEP) * STEP;
  if (chunkStart + padded > memory.length) return undefined;
  memory.set(chunk, chunkStart);
  // The last step reads up to 15 bytes past the chunk: make them an ordinary letter.
  memory.fill(0x61, chunkStart + chunk.length, chunkStart + padded);
  return scanner.scan(padded);
}

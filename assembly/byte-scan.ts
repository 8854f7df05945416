// AssemblyScript: the WebAssembly module behind src/lines/byte-scan.ts, compiled by scripts/compile-wasm.js at build
// time. One pass over a chunk that says which kinds of bytes it holds, 16 at a step.
//
// The caller copies the chunk to CHUNK_START and pads it to a multiple of 16 with bytes that match nothing here (a
// letter), so every step is a whole vector load and there is no tail to handle. Nothing is allocated: the module needs
// no runtime, only the memory the caller writes into.

// The byte values the scan compares with, as data rather than as constants. Constants would be folded by the optimizer
// into the loop, where V8 (as Node 24 runs it) builds each one again at every step; loaded once before the loop, they
// stay in registers. The "1,000,000 log lines" scenario of the bench passes every chunk through this loop.
const COMPARED = memory.data<u8>([
  0x7e, // above it: non-ASCII, or DEL
  0x20, // below it: a control character...
  0x0a, // ...unless it is the newline
  0x22, // `"`
  0x5c, // `\`
]);

// Where the caller puts the chunk: after the data above, on a 16-byte boundary.
export const CHUNK_START: usize = COMPARED + 16;

// The answer's bits, in the order src/lines/byte-scan.ts names them (HAS_*).
const NON_ASCII_OR_DEL_BIT = 0;
const CONTROL_BIT = 1;
const QUOTE_OR_BACKSLASH_BIT = 2;

const STEP = 16;

// The HAS_* bits of the `length` bytes at CHUNK_START; `length` is a multiple of 16.
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
  const end = CHUNK_START + length;
  for (let position = CHUNK_START; position < end; position += STEP) {
    const bytes = v128.load(position);
    nonAsciiOrDel = v128.or(nonAsciiOrDel, i8x16.gt_u(bytes, above));
    control = v128.or(control, v128.andnot(i8x16.lt_u(bytes, below), i8x16.eq(bytes, newline)));
    quoteOrBackslash = v128.or(quoteOrBackslash, v128.or(i8x16.eq(bytes, quote), i8x16.eq(bytes, backslash)));
  }
  return (<i32>v128.any_true(nonAsciiOrDel) << NON_ASCII_OR_DEL_BIT)
    | (<i32>v128.any_true(control) << CONTROL_BIT)
    | (<i32>v128.any_true(quoteOrBackslash) << QUOTE_OR_BACKSLASH_BIT);
}

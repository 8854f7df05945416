// AssemblyScript: the WebAssembly module behind src/lines/byte-scan.ts, compiled by scripts/compile-wasm.js at build
// time. One pass over the bytes at the start of memory, 16 at a step, that says which kinds of bytes they hold.
//
// The caller copies a chunk to offset 0 and pads it to a multiple of 16 with bytes that match nothing here (a letter),
// so every step is a whole vector load and there is no tail to handle. Nothing is allocated: the module needs no
// runtime, only the memory the caller writes into.

// The answer's bits, in the order src/lines/byte-scan.ts names them (HAS_*).
const NON_ASCII_OR_DEL_BIT = 0; // a byte ≥ 0x7f
const CONTROL_BIT = 1; // a byte < 0x20 other than the newline
const QUOTE_OR_BACKSLASH_BIT = 2; // `"` or `\`

const STEP = 16;

// The HAS_* bits of the `length` bytes at offset 0; `length` is a multiple of 16.
export function scan(length: i32): i32 {
  // Lanes that ever matched stay set: one test of each accumulator at the end instead of a branch per step.
  let nonAsciiOrDel = i8x16.splat(0);
  let control = i8x16.splat(0);
  let quoteOrBackslash = i8x16.splat(0);
  for (let position = 0; position < length; position += STEP) {
    const bytes = v128.load(position);
    nonAsciiOrDel = v128.or(nonAsciiOrDel, i8x16.gt_u(bytes, i8x16.splat(0x7e)));
    control = v128.or(control, v128.andnot(i8x16.lt_u(bytes, i8x16.splat(0x20)), i8x16.eq(bytes, i8x16.splat(0x0a))));
    quoteOrBackslash = v128.or(quoteOrBackslash, v128.or(i8x16.eq(bytes, i8x16.splat(0x22)), i8x16.eq(bytes, i8x16.splat(0x5c))));
  }
  return (<i32>v128.any_true(nonAsciiOrDel) << NON_ASCII_OR_DEL_BIT)
    | (<i32>v128.any_true(control) << CONTROL_BIT)
    | (<i32>v128.any_true(quoteOrBackslash) << QUOTE_OR_BACKSLASH_BIT);
}

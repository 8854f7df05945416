// A .wasm file that src/ imports is its bytes: scripts/build.js (esbuild's binary loader) and vitest.config.ts both
// turn it into a Uint8Array.
declare module '*.wasm' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}

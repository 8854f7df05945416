import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    {
      // A .wasm file that src/ imports is its bytes, as esbuild's binary loader makes it in the bundle
      // (scripts/build.js); the build that test/build-once.ts runs writes the file first.
      name: 'wasm-bytes',
      enforce: 'pre',
      load: (id) => (id.endsWith('.wasm') ? `export default new Uint8Array(${JSON.stringify([...readFileSync(id)])});` : undefined),
    },
  ],
  test: {
    include: ['test/**/*.test.ts'],
    // Every run tests the current source: the bundle in dist/ is rebuilt before the first test file starts.
    globalSetup: ['test/build-once.ts'],
    // Generous bounds that only catch hangs: the machines that run this are shared and noisy.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // End-to-end tests start real processes; two cores are shared between them.
    maxWorkers: 2,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
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

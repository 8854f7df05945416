// Builds dist/ once before any test file runs. The end-to-end tests run the bundle through bin/, so a bare
// `npx vitest` or `npm run test:reliability` after a change to src/ would otherwise test the previous build.

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function buildOnce(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build.js', import.meta.url))], { stdio: 'inherit' });
}

// The package's version, read from its package.json so `--version`, logs and image info always agree with it.

import { createRequire } from 'node:module';

const packageJson = createRequire(import.meta.url)('../package.json') as { version: string };

export const VERSION: string = packageJson.version;

// The package as users get it: `npm pack`, then `npm install -g` of the tarball into a private prefix, exactly the
// steps of Dockerfile.example. Tests run the installed commands, never the checkout's.

import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';
import { tempDir } from './fifo.js';

export interface InstalledPackage {
  prefix: string;
  bin: (name: string) => string;
  tarball: string;
}

export function installPackedTarball(): InstalledPackage {
  const packDirectory = tempDir();
  // --ignore-scripts: `prepare` would rebuild dist/ while other test files run the CLI from it (a half-written
  // module makes those runs crash at random). `npm test` has built it before any test starts.
  execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', packDirectory], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = join(packDirectory, readdirSync(packDirectory).find((name) => name.endsWith('.tgz')) as string);
  const prefix = tempDir();
  execFileSync('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', tarball], { stdio: ['ignore', 'ignore', 'inherit'] });
  return { prefix, tarball, bin: (name) => join(prefix, 'bin', name) };
}
